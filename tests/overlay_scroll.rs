//! Issue 11, item 2: an overlay taller than the screen scrolls (j/k, PgUp/PgDn, g/G) and says
//! which of its lines are shown; the help names the pane it is about. The real loop on an
//! 80×24 TestBackend against a reference server on 127.0.0.1:0.

mod common;

use common::TestServer;
use common::tui::{App, AppOptions, Frame, start_on};
use reqwest::Method;
use serde_json::json;

fn at_80x24() -> AppOptions {
    AppOptions {
        width: 80,
        height: 24,
        ..AppOptions::default()
    }
}

/// "lines 8–24 of 24" on screen, as (first, last, total).
fn position(frame: &Frame) -> Option<(usize, usize, usize)> {
    let at = frame.screen.find("lines ")?;
    let rest = &frame.screen[at + "lines ".len()..];
    let (range, rest) = rest.split_once(" of ")?;
    let (first, last) = range.split_once('–')?;
    let total: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((first.parse().ok()?, last.parse().ok()?, total.parse().ok()?))
}

async fn open_help(app: &mut App) -> Frame {
    app.wait_for("the keys listed", |f| f.visible_rows >= 1 && !f.busy)
        .await;
    app.send("?");
    app.wait_for("the help", |f| f.dialog.as_deref() == Some("Help"))
        .await
}

#[tokio::test]
async fn the_help_scrolls_to_renew_undo_and_delete_at_80x24() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, at_80x24());
    let top = open_help(&mut app).await;
    assert!(
        !top.screen.contains("undo renewal") && !top.screen.contains("delete key"),
        "at 80×24 the help's last bindings are below the fold:\n{}",
        top.screen
    );
    let (first, last, total) = position(&top).expect("the help says which lines it shows");
    assert_eq!(first, 1);
    assert!(last < total, "{last} of {total}");
    assert!(top.screen.contains("↓ lines"), "{}", top.screen);

    app.send("G");
    let bottom = app
        .wait_for("the filter's keys, last", |f| {
            f.screen.contains("In the filter (/)") && f.screen.contains("fuzzy on/off")
        })
        .await;
    let (_, last, end) = position(&bottom).expect("the position at the bottom");
    assert_eq!((last, end), (total, total));
    assert!(
        bottom.screen.contains("↑ lines") && !bottom.screen.contains("↓ lines"),
        "{}",
        bottom.screen
    );

    // Line by line back up to the pane's last bindings, above the filter's.
    let reaches_them = |f: &common::tui::Frame| {
        f.screen.contains("renew token")
            && f.screen.contains("undo renewal")
            && f.screen.contains("delete key")
    };
    let mut at = bottom.clone();
    for _ in 0..total {
        if reaches_them(&at) {
            break;
        }
        let first = position(&at).expect("a position").0;
        app.send("k");
        at = app
            .wait_for("one line up", |f| {
                position(f).is_some_and(|p| p.0 + 1 == first)
            })
            .await;
    }
    assert!(reaches_them(&at), "{}", at.screen);

    app.send("g");
    app.wait_for("back at the top", |f| position(f).is_some_and(|p| p.0 == 1))
        .await;
    app.send("j");
    app.wait_for("one line down", |f| position(f).is_some_and(|p| p.0 == 2))
        .await;
    app.send("k");
    app.wait_for("one line up", |f| position(f).is_some_and(|p| p.0 == 1))
        .await;
    app.send("<PgDn>");
    app.wait_for("a page down", |f| position(f).is_some_and(|p| p.0 > 2))
        .await;
    app.send("<PgUp>");
    app.wait_for("a page up", |f| position(f).is_some_and(|p| p.0 == 1))
        .await;
    app.send("<End>");
    app.wait_for("End", |f| position(f).is_some_and(|p| p.1 == total))
        .await;
    app.send("<Home>");
    app.wait_for("Home", |f| position(f).is_some_and(|p| p.0 == 1))
        .await;
    app.send("q");
    app.wait_for("closed", |f| f.dialog.is_none()).await;
    app.quit().await;
}

#[tokio::test]
async fn the_help_is_titled_by_its_pane() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("the keys listed", |f| f.visible_rows >= 1 && !f.busy)
        .await;
    for (pane, title) in [
        ("1", "Help: Settings"),
        ("2", "Help: Generated keys"),
        ("3", "Help: External keys"),
    ] {
        app.send(pane);
        app.send("?");
        app.wait_for(title, |f| f.screen.contains(title)).await;
        app.send("<Esc>");
        app.wait_for("help closed", |f| f.dialog.is_none()).await;
    }
    app.quit().await;
}

#[tokio::test]
async fn details_scroll_to_the_oldest_audit_entry_at_80x24() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Long history", &[]).await;
    // Twelve status changes after its creation: more audit lines than 24 rows hold.
    for n in 0..12 {
        let reply = server
            .admin_call(
                Method::PUT,
                &format!("/api/vlm/appkeys/{}", key.id),
                Some(json!({ "isActive": n % 2 == 1 })),
            )
            .await;
        assert!(reply.status.is_success(), "{}", reply.text);
    }
    let mut app = start_on(&server, &server.admin, at_80x24());
    app.wait_for("the keys listed", |f| f.visible_rows >= 2 && !f.busy)
        .await;
    app.send("/Long history<Enter>");
    app.wait_for("the key selected", |f| {
        f.selected_label.as_deref() == Some("Long history")
    })
    .await;
    app.send("<Enter>");
    let top = app
        .wait_for("the audit trail", |f| {
            f.dialog.as_deref() == Some("Details") && f.screen.contains("key.status")
        })
        .await;
    assert!(
        !top.screen.contains("key.create"),
        "the oldest entry is below the fold at 80×24:\n{}",
        top.screen
    );
    app.send("G");
    let bottom = app
        .wait_for("the oldest entry", |f| f.screen.contains("key.create"))
        .await;
    let (_, last, total) = position(&bottom).expect("the details say which lines they show");
    assert_eq!(last, total);
    app.send("<Esc>");
    app.wait_for("closed", |f| f.dialog.is_none()).await;
    app.quit().await;
}
