//! The Generated keys table keeps its columns in place while the list scrolls: their widths
//! come from every row of the list, not from the rows on screen. Before, paging from the
//! first screen (which holds the admin key's long label) to the last (short labels only)
//! narrowed the Name column and moved every column after it.

mod common;

use common::TestServer;
use common::tui::{AppOptions, Frame, start_on};

const SHORT_KEYS: usize = 60;

/// The table's header line (the row naming the columns).
fn header(frame: &Frame) -> String {
    frame
        .screen
        .lines()
        .find(|line| line.contains("Key") && line.contains("Roles") && line.contains("Status"))
        .expect("the table's header is on screen")
        .to_string()
}

/// Where each column's title starts on the header line, in cells.
fn title_columns(header: &str) -> Vec<(&'static str, usize)> {
    ["Name", "Roles", "Token", "Created", "Status"]
        .into_iter()
        .map(|title| {
            let at = header.find(title).expect("every column is shown");
            (title, header[..at].chars().count())
        })
        .collect()
}

#[tokio::test]
async fn columns_stay_in_place_while_the_list_scrolls() {
    let server = TestServer::start().await;
    for n in 1..=SHORT_KEYS {
        server.key_with_roles(&format!("Key {n:02}"), &[]).await;
    }
    let total = SHORT_KEYS + 1; // and the admin key, with its long label
    let options = AppOptions {
        width: 140,
        height: 30,
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    let first = app
        .wait_for("the first screen of keys", |f| {
            f.visible_rows == total && !f.busy && f.screen.contains("apikeys admin")
        })
        .await;

    app.send("<End>");
    let last = app
        .wait_for("the last screen of keys", |f| {
            f.selected_label.as_deref() == Some("Key 60") && !f.screen.contains("apikeys admin")
        })
        .await;
    assert_eq!(
        title_columns(&header(&last)),
        title_columns(&header(&first)),
        "the columns moved when the list scrolled:\n{}\n{}",
        header(&first),
        header(&last)
    );

    app.send("<PgUp>");
    let middle = app
        .wait_for("a middle screen", |f| {
            f.selected_label.as_deref() != Some("Key 60") && !f.screen.contains("apikeys admin")
        })
        .await;
    assert_eq!(
        title_columns(&header(&middle)),
        title_columns(&header(&first))
    );
    app.quit().await;
}
