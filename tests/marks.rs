//! Marking rows (issue 13), through the app's real loop against a reference server: Space the
//! selected row, Ctrl-Space the range from the last mark, Ctrl-a every row the filter shows,
//! Ctrl-\ none; marks survive a filter and a refresh, and the list says how many are marked,
//! also when the filter hides some. Space no longer changes a key's status.

mod common;

use common::TestServer;
use common::tui::{AppOptions, Frame, start_on};

async fn loaded(app: &mut common::tui::App, rows: usize) -> Frame {
    app.wait_for("the keys", |f| f.visible_rows == rows && !f.busy)
        .await
}

async fn server_active(server: &TestServer, label: &str) -> bool {
    let admin = server.admin.clone();
    let listed = server.get(&admin, "/api/vlm/appkeys").await;
    let key = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["label"] == label)
        .cloned()
        .unwrap_or_else(|| panic!("{label} is not listed"));
    key["isActive"] == true
}

#[tokio::test]
async fn space_marks_ctrl_space_marks_a_range_ctrl_a_all_shown_and_ctrl_backslash_none() {
    let server = TestServer::start().await;
    for label in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"] {
        server.key_with_roles(label, &[]).await;
    }
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    let frame = loaded(&mut app, 6).await;
    let first = frame.visible_labels[0].clone();

    // Space marks the selected row and leaves its status alone.
    app.send("<Space>");
    let one = app
        .wait_for("one mark", |f| f.marked_labels.len() == 1)
        .await;
    assert_eq!(one.marked_labels, std::slice::from_ref(&first));
    assert!(one.screen.contains("✓ 1 marked"), "{}", one.screen);
    assert!(
        one.dialog.is_none(),
        "Space asked nothing: {:?}",
        one.dialog
    );
    let marked_row = one
        .screen
        .lines()
        .find(|line| line.contains(&first))
        .unwrap();
    assert!(marked_row.starts_with("›✓ "), "{marked_row:?}");

    // Ctrl-Space: from the last mark (row 1) down to row 4.
    app.send("jjj<C- >");
    let range = app
        .wait_for("four marks", |f| f.marked_labels.len() == 4)
        .await;
    let mut expected: Vec<String> = range.visible_labels[..4].to_vec();
    expected.sort();
    let mut marked = range.marked_labels.clone();
    marked.sort();
    assert_eq!(marked, expected);

    // Space again unmarks.
    app.send("<Space>");
    app.wait_for("three marks", |f| f.marked_labels.len() == 3)
        .await;

    // Ctrl-\ clears (terminals send it as Ctrl-4; both work).
    app.send("<C-\\>");
    app.wait_for("no mark", |f| f.marked_labels.is_empty())
        .await;
    app.send("<Space><C-4>");
    let cleared = app
        .wait_for("no mark", |f| f.marked_labels.is_empty())
        .await;
    assert!(!cleared.screen.contains("marked"), "{}", cleared.screen);

    // Ctrl-a marks every row the filter shows, and only those.
    app.send("/!echo !bravo<Enter><C-a>");
    let shown = app
        .wait_for("the shown rows marked", |f| {
            !f.marked_labels.is_empty() && f.visible_rows < 6
        })
        .await;
    let mut visible = shown.visible_labels.clone();
    visible.sort();
    let mut marked = shown.marked_labels.clone();
    marked.sort();
    assert_eq!(marked, visible, "Ctrl-a marks what the filter shows");
    app.send("<Esc>/Bravo<Enter>");
    let hidden = app
        .wait_for("some marks hidden", |f| f.visible_rows == 1)
        .await;
    let count = shown.marked_labels.len();
    assert!(
        hidden.screen.contains(&format!("✓ {count} marked")),
        "{}",
        hidden.screen
    );
    let hidden_count = count - usize::from(shown.marked_labels.contains(&"Bravo".to_string()));
    assert!(
        hidden
            .screen
            .contains(&format!("({hidden_count} hidden by the filter)")),
        "{}",
        hidden.screen
    );

    // A refresh keeps them (by key id).
    app.send("<C-r>");
    app.wait_for("refreshing", |f| f.says("Refreshing")).await;
    let refreshed = app.wait_for("refreshed", |f| !f.busy).await;
    assert_eq!(refreshed.marked_labels.len(), count);
    for label in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"] {
        assert!(server_active(&server, label).await, "{label} was toggled");
    }
    app.quit().await;
}

#[tokio::test]
async fn external_keys_are_marked_the_same_way() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, 61).await;
    app.send("3");
    let external = app
        .wait_for("the external keys", |f| f.visible_external.len() == 8)
        .await;
    app.send("<Space>jj<C- >");
    let marked = app
        .wait_for("three marked", |f| f.marked_external.len() == 3)
        .await;
    let mut expected = external.visible_external[..3].to_vec();
    expected.sort();
    let mut got = marked.marked_external.clone();
    got.sort();
    assert_eq!(got, expected);
    assert!(marked.screen.contains("✓ 3 marked"), "{}", marked.screen);
    app.send("<C-a>");
    app.wait_for("all marked", |f| f.marked_external.len() == 8)
        .await;
    app.quit().await;
}
