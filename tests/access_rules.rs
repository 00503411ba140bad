//! What the app tells a user it may do, against a real server: the caller's own key is marked
//! "(you)" and its deactivation, deletion and renewal are refused with the reason before any
//! dialog; hints name only what the key's permissions allow; counts say "1 key"; a key deleted
//! elsewhere is named by its appKey and label, not its id.

mod common;

use std::sync::Arc;

use common::TestServer;
use common::tui::{AppOptions, Clock, start_on};
use reqwest::{Method, StatusCode};

/// The screen's words with every run of spaces and line breaks as one space.
fn flat(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A clock 200 days ahead: every token the test server just made is long outdated.
fn months_later() -> Clock {
    Arc::new(|| chrono::Utc::now() + chrono::Duration::days(200))
}

#[tokio::test]
async fn the_own_key_is_marked_and_what_the_server_refuses_is_refused_before_any_dialog() {
    let server = TestServer::start().await;
    server.key_with_roles("Another key", &[]).await;
    let admin = server.admin.clone();
    let mut app = start_on(&server, &admin, AppOptions::default());
    app.wait_idle_with("Another key").await;
    app.send("/apikeys admin<Enter>");
    let own = app
        .wait_for("the own row selected", |f| {
            f.visible_rows == 1
                && f.selected_label
                    .as_deref()
                    .is_some_and(|l| l.contains("admin"))
        })
        .await;
    assert!(own.screen.contains("(you)"), "{}", own.screen);

    let refusals = [
        ("t", "deactivating your own key locks you out"),
        ("d", "deleting your own key locks you out"),
        ("r", "renew this key while signed in with another key"),
    ];
    for (key, reason) in refusals {
        app.send(key);
        let frame = app
            .wait_for(reason, |f| f.says(reason) || f.dialog.is_some())
            .await;
        assert_eq!(frame.dialog, None, "{key} opened a dialog on the own key");
        assert!(frame.says_first("Cannot"), "{:?}", frame.status);
    }
    app.send("?");
    let help = app.wait_for("the help", |f| f.dialog.is_some()).await;
    // The help is taller than the terminal: its next page holds the rest of the pane's keys.
    app.send("<PgDn>");
    let rest = app
        .wait_for("the help's next page", |f| f.screen != help.screen)
        .await;
    let help_text = flat(&help.screen) + &flat(&rest.screen);
    assert!(
        help_text.contains("deactivating your own key"),
        "{help_text}"
    );
    assert!(help_text.contains("deleting your own key"), "{help_text}");
    app.send("<Esc>");
    app.quit().await;

    let listed = server.listed_key(&admin.app_key).await;
    assert_eq!(listed["isActive"], true, "nothing was sent");
}

#[tokio::test]
async fn another_keys_row_is_not_marked_and_offers_the_renewal() {
    let server = TestServer::start().await;
    server.key_with_roles("Old integration", &[]).await;
    let options = AppOptions {
        clock: Some(months_later()),
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    app.wait_idle_with("Old integration").await;
    app.send("/Old integration<Enter>");
    let frame = app
        .wait_for("its hint", |f| {
            f.visible_rows == 1 && f.screen.contains("days old")
        })
        .await;
    assert!(!frame.screen.contains("(you)"), "{}", frame.screen);
    assert!(frame.screen.contains("r renews it"), "{}", frame.screen);
    app.quit().await;
}

#[tokio::test]
async fn a_view_only_key_is_not_told_to_renew_or_add() {
    let server = TestServer::start().await;
    server.key_with_roles("Old integration", &[]).await;
    let viewer = server.key_with_roles("Viewer", &["API Keys Viewer"]).await;
    let options = AppOptions {
        clock: Some(months_later()),
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &viewer.creds, options);
    app.wait_idle_with("Old integration").await;
    app.send("/Old integration<Enter>");
    let frame = app
        .wait_for("its hint", |f| {
            f.visible_rows == 1 && f.screen.contains("days old")
        })
        .await;
    assert!(!frame.screen.contains("renews it"), "{}", frame.screen);

    app.send("3");
    let external = app
        .wait_idle_with("No other account's key has access")
        .await;
    assert!(
        !external.screen.contains("a adds one"),
        "{}",
        external.screen
    );
    app.quit().await;
}

#[tokio::test]
async fn one_key_is_counted_as_one_key() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    let frame = app.wait_idle_with("sorted by").await;
    assert!(
        frame.screen.contains("1 key · sorted by"),
        "{}",
        frame.screen
    );
    assert!(!frame.screen.contains("1 keys"), "{}", frame.screen);
    app.quit().await;
}

#[tokio::test]
async fn a_key_deleted_elsewhere_is_named_by_its_app_key_and_label() {
    let server = TestServer::start().await;
    let doomed = server.key_with_roles("Doomed", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_idle_with("Doomed").await;
    app.send("/Doomed<Enter>");
    app.wait_for("the row", |f| f.visible_rows == 1).await;
    let deleted = server
        .admin_call(
            Method::DELETE,
            &format!("/api/vlm/appkeys/{}", doomed.id),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);

    app.send("t");
    app.wait_for("the confirmation", |f| f.dialog.is_some())
        .await;
    app.send("<Enter>");
    let expected = format!(
        "{} (\"Doomed\") no longer exists — it was deleted elsewhere; the list was refreshed.",
        doomed.creds.app_key
    );
    let frame = app
        .wait_for("the refreshed list", |f| {
            !f.busy && f.dialog.is_none() && f.visible_rows == 0 && f.status.is_some()
        })
        .await;
    assert_eq!(frame.status.as_deref(), Some(expected.as_str()));
    app.quit().await;
}

#[tokio::test]
async fn a_renewal_of_a_key_deleted_elsewhere_is_named_by_its_app_key_and_label() {
    let server = TestServer::start().await;
    let doomed = server.key_with_roles("Doomed", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_idle_with("Doomed").await;
    app.send("/Doomed<Enter>");
    app.wait_for("the row", |f| f.visible_rows == 1).await;
    let deleted = server
        .admin_call(
            Method::DELETE,
            &format!("/api/vlm/appkeys/{}", doomed.id),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);

    app.send("r");
    app.wait_for("the renew dialog", |f| f.dialog.as_deref() == Some("Renew"))
        .await;
    app.send("<Enter>");
    let frame = app
        .wait_for("the refreshed list", |f| {
            !f.busy && f.dialog.is_none() && f.visible_rows == 0 && f.status.is_some()
        })
        .await;
    let status = frame.status.unwrap_or_default();
    assert!(
        status.starts_with(&format!(
            "{} (\"Doomed\") no longer exists",
            doomed.creds.app_key
        )),
        "{status}"
    );
    app.quit().await;
}
