//! Issue 11: `y` copies the selected key's appKey — in the Generated and External keys lists,
//! and in the token dialog (where `c` still copies the token). Through the clipboard the loop
//! is given (a recording fake here), against a reference server on 127.0.0.1:0.

mod common;

use common::TestServer;
use common::tui::{AppOptions, start_on};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn y_copies_the_selected_app_key_in_both_lists_and_y_still_accepts_a_confirmation() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Copy me", &[]).await;
    let catalog = server.role_id("Catalog editor");
    let added = server
        .admin_call(
            Method::POST,
            "/api/vlm/external-appkeys",
            Some(json!({"appKey": "vtexappkey-partner-QWERTY", "roles": [catalog]})),
        )
        .await;
    assert!(added.status.is_success(), "{}", added.text);

    let mut app = start_on(&server, &server.admin, AppOptions::default());
    let copies = app.clipboard.0.clone();
    app.wait_for("the keys listed", |f| f.visible_rows >= 2 && !f.busy)
        .await;
    app.send("/Copy me<Enter>");
    app.wait_for("the key selected", |f| {
        f.selected_label.as_deref() == Some("Copy me")
    })
    .await;
    app.send("y");
    app.wait_for("the copy reported", |f| f.says("(test clipboard)"))
        .await;
    assert_eq!(*copies.lock().unwrap(), [key.creds.app_key.as_str()]);

    app.send("3");
    app.wait_for("the external key", |f| {
        f.screen.contains("vtexappkey-partner-QWERTY") && !f.busy
    })
    .await;
    app.send("y");
    app.wait_for("the second copy", |_| count(&copies) == 2)
        .await;
    assert_eq!(
        app.clipboard.0.lock().unwrap().last().map(String::as_str),
        Some("vtexappkey-partner-QWERTY")
    );

    // In a confirmation `y` is still "yes": it deactivates, and copies nothing.
    app.send("2<Space>");
    app.wait_for("the confirmation", |f| {
        f.dialog
            .as_deref()
            .is_some_and(|d| d.starts_with("Confirm"))
    })
    .await;
    app.send("y");
    app.wait_for("deactivated", |f| {
        f.dialog.is_none() && !f.busy && f.says("is inactive")
    })
    .await;
    assert_eq!(count(&copies), 2);
    assert_eq!(
        server.listed_key(&key.creds.app_key).await["isActive"],
        false
    );
    app.quit().await;
}

type Copies = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

fn count(copies: &Copies) -> usize {
    copies.lock().unwrap().len()
}

#[tokio::test]
async fn in_the_token_dialog_y_copies_the_app_key_and_c_the_token() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Renew me", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    let copies = app.clipboard.0.clone();
    app.wait_for("the keys listed", |f| f.visible_rows >= 2 && !f.busy)
        .await;
    app.send("/Renew me<Enter>");
    app.wait_for("the key selected", |f| {
        f.selected_label.as_deref() == Some("Renew me")
    })
    .await;
    app.send("r");
    app.wait_for("the renew dialog", |f| f.dialog.as_deref() == Some("Renew"))
        .await;
    app.send("<Enter>");
    app.wait_for("the new token", |f| f.dialog.as_deref() == Some("Token"))
        .await;
    app.send("y");
    app.wait_for("the appKey copied", |_| count(&copies) == 1)
        .await;
    app.send("c");
    app.wait_for("the token copied", |_| count(&copies) == 2)
        .await;
    let copies = copies.lock().unwrap().clone();
    assert_eq!(copies[0], key.creds.app_key, "y copies the appKey");
    assert!(
        copies[1] != key.creds.app_key && !copies[1].is_empty(),
        "c copies the token"
    );
    assert!(
        server.login_works(&key.creds.app_key, &copies[1]).await,
        "what c copied is the key's new token"
    );
    app.send("<Esc>");
    app.wait_for("the token dialog closed", |f| f.dialog.is_none())
        .await;
    app.quit().await;
}
