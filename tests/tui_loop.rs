//! The terminal app's real event loop, driven by scripted keys against a reference server on
//! 127.0.0.1:0: each journey checks the screen and then the server's state.

mod common;

use common::TestServer;
use common::tui::{AppOptions, start_on};
use reqwest::Method;
use serde_json::{Value, json};

async fn server_keys(server: &TestServer) -> Vec<Value> {
    let admin = server.admin.clone();
    server
        .get(&admin, "/api/vlm/appkeys?expand=roles,token")
        .await
        .body
        .as_array()
        .unwrap()
        .clone()
}

async fn key_by_label(server: &TestServer, label: &str) -> Option<Value> {
    server_keys(server)
        .await
        .into_iter()
        .find(|k| k["label"] == label)
}

#[tokio::test]
async fn filter_and_sort_narrow_and_order_the_table() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("61 keys", |f| f.visible_rows == 61 && !f.busy)
        .await;

    app.send("/sap");
    let frame = app.wait_for("filtered rows", |f| f.visible_rows < 61).await;
    assert!(frame.visible_rows >= 1);
    assert!(frame.screen.to_lowercase().contains("sap"));
    app.send("<Enter>"); // keeps the filter
    let kept = app
        .wait_for("filter kept", |f| f.visible_rows == frame.visible_rows)
        .await;
    assert!(kept.selected_label.unwrap().to_lowercase().contains("sap"));
    app.send("<Esc>"); // clears it
    app.wait_for("filter cleared", |f| f.visible_rows == 61)
        .await;

    // Status filter: inactive keys only.
    app.send("ff");
    let inactive = app
        .wait_for("inactive filter", |f| f.visible_rows == 8)
        .await;
    assert!(inactive.status.unwrap().contains("inactive"));
    app.send("<Esc>");
    app.wait_for("all keys again", |f| f.visible_rows == 61)
        .await;

    // Sort by name, then reversed: the first row changes to the last name.
    let mut labels: Vec<String> = server_keys(&server)
        .await
        .iter()
        .map(|k| k["label"].as_str().unwrap().to_lowercase())
        .collect();
    labels.sort();
    app.send("g");
    app.wait_for("the first name on top", |f| {
        f.selected_label.as_deref().map(str::to_lowercase).as_ref() == labels.first()
    })
    .await;
    app.send("S");
    app.send("g");
    app.wait_for("reversed", |f| {
        f.selected_label.as_deref().map(str::to_lowercase).as_ref() == labels.last()
    })
    .await;
    app.quit().await;
}

#[tokio::test]
async fn toggle_deactivates_after_confirmation_and_activates_directly() {
    let server = TestServer::start().await;
    server.key_with_roles("Toggle me", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_idle_with("Toggle me").await;
    app.send("/Toggle me<Enter>");
    app.wait_for("one row", |f| f.visible_rows == 1).await;

    app.send("t");
    app.wait_for("confirmation", |f| {
        f.dialog.as_deref() == Some("Confirm: Deactivate key")
    })
    .await;
    app.send("<Enter>");
    app.wait_for("deactivated", |f| {
        f.dialog.is_none() && !f.busy && f.says("inactive")
    })
    .await;
    assert_eq!(
        key_by_label(&server, "Toggle me").await.unwrap()["isActive"],
        false
    );

    app.send("t"); // activation asks nothing
    app.wait_for("activated", |f| !f.busy && f.says("is active"))
        .await;
    assert_eq!(
        key_by_label(&server, "Toggle me").await.unwrap()["isActive"],
        true
    );
    app.quit().await;
}

#[tokio::test]
async fn create_shows_the_token_once_and_the_key_exists() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 1 && !f.busy)
        .await;

    app.send("n");
    app.wait_for("new key dialog", |f| f.dialog.as_deref() == Some("NewKey"))
        .await;
    app.send("ERP from the TUI<Enter>");
    // Roles step: tick the first role in the list (sorted by name) and create.
    app.wait_for("roles step", |f| f.screen.contains("API Keys Viewer"))
        .await;
    app.send("<Space><Enter>");
    let token_frame = app
        .wait_for("token dialog", |f| f.dialog.as_deref() == Some("Token"))
        .await;
    assert!(
        token_frame.screen.contains("will not be shown again"),
        "{}",
        token_frame.screen
    );

    let created = key_by_label(&server, "ERP from the TUI")
        .await
        .expect("the key exists on the server");
    let roles: Vec<&str> = created["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["API Keys Viewer"]);

    // Masked until v; c copies the very token the server issued (it authenticates).
    app.send("c");
    app.wait_for("copied", |f| f.screen.contains("copied"))
        .await;
    let copied = app.clipboard.0.lock().unwrap().last().cloned().unwrap();
    assert!(
        !token_frame.screen.contains(&copied),
        "the token is masked until revealed"
    );
    app.send("v");
    app.wait_for("revealed", |f| f.screen.contains(&copied))
        .await;
    let creds = common::Creds {
        app_key: created["appKey"].as_str().unwrap().into(),
        token: copied.clone(),
    };
    assert_eq!(server.get(&creds, "/api/vlm/appkeys").await.status, 200);
    app.send("<Esc>");
    let closed = app.wait_for("dialog closed", |f| f.dialog.is_none()).await;
    assert!(!closed.screen.contains(&copied));
    app.quit().await;
}

#[tokio::test]
async fn renew_later_then_delete_the_old_token() {
    let server = TestServer::start().await;
    let key = server
        .key_with_roles("Renew me", &["API Keys Viewer"])
        .await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_idle_with("Renew me").await;
    app.send("/Renew me<Enter>");
    app.wait_for("one row", |f| f.visible_rows == 1).await;

    app.send("r");
    app.wait_for("renew dialog", |f| f.dialog.as_deref() == Some("Renew"))
        .await;
    app.send("<Enter>"); // "later" is the default choice
    app.wait_for("token dialog", |f| f.dialog.as_deref() == Some("Token"))
        .await;
    app.send("c<Esc>");
    app.wait_for("closed", |f| f.dialog.is_none() && !f.busy)
        .await;
    let new_token = app.clipboard.0.lock().unwrap().last().cloned().unwrap();
    let new_creds = common::Creds {
        app_key: key.creds.app_key.clone(),
        token: new_token,
    };
    assert_eq!(
        server.get(&key.creds, "/api/vlm/appkeys").await.status,
        200,
        "old token still works"
    );
    assert_eq!(server.get(&new_creds, "/api/vlm/appkeys").await.status, 200);
    app.wait_for("pending marker", |f| f.screen.contains("pending"))
        .await;

    app.send("F");
    app.wait_for("confirm", |f| {
        f.dialog.as_deref() == Some("Confirm: Delete the old token")
    })
    .await;
    app.send("<Enter>");
    app.wait_for("old token deleted", |f| !f.busy && f.says("old token"))
        .await;
    assert_eq!(server.get(&key.creds, "/api/vlm/appkeys").await.status, 401);
    assert_eq!(server.get(&new_creds, "/api/vlm/appkeys").await.status, 200);
    app.quit().await;
}

#[tokio::test]
async fn undo_a_renewal() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Undo me", &["API Keys Viewer"]).await;
    let renewed = server
        .admin_call(
            Method::PATCH,
            &format!("/api/vtexid/apikey/{}/apitoken/renew", key.creds.app_key),
            None,
        )
        .await;
    let new_creds = common::Creds {
        app_key: key.creds.app_key.clone(),
        token: renewed.body["newToken"].as_str().unwrap().into(),
    };
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_idle_with("Undo me").await;
    app.send("/Undo me<Enter>u");
    app.wait_for("confirm", |f| {
        f.dialog.as_deref() == Some("Confirm: Undo the renewal")
    })
    .await;
    app.send("<Enter>");
    app.wait_for("undone", |f| !f.busy && f.says("undone"))
        .await;
    assert_eq!(server.get(&key.creds, "/api/vlm/appkeys").await.status, 200);
    assert_eq!(server.get(&new_creds, "/api/vlm/appkeys").await.status, 401);
    app.quit().await;
}

#[tokio::test]
async fn delete_needs_the_explicit_acknowledgement() {
    let server = TestServer::start().await;
    server.key_with_roles("Delete me", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_idle_with("Delete me").await;
    app.send("/Delete me<Enter>d");
    app.wait_for("delete dialog", |f| {
        f.dialog.as_deref() == Some("DeleteKey")
    })
    .await;
    app.send("<Enter>"); // not ticked: nothing happens
    app.wait_for("still open", |f| {
        f.dialog.as_deref() == Some("DeleteKey") && f.status.is_some()
    })
    .await;
    assert!(key_by_label(&server, "Delete me").await.is_some());
    app.send("<Space><Enter>");
    app.wait_for("deleted", |f| !f.busy && f.says_first("Deleted"))
        .await;
    assert!(key_by_label(&server, "Delete me").await.is_none());
    app.quit().await;
}

#[tokio::test]
async fn external_keys_are_added_and_removed() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 1 && !f.busy)
        .await;
    app.send("3a");
    app.wait_for("add dialog", |f| f.dialog.as_deref() == Some("AddExternal"))
        .await;
    app.paste(" vtexappkey-partner-QWERTY \n");
    app.send("<Enter>");
    app.wait_for("roles step", |f| f.screen.contains("Catalog editor"))
        .await;
    app.send("<Enter>");
    app.wait_for("added", |f| {
        f.dialog.is_none() && !f.busy && f.says_first("Added")
    })
    .await;
    app.wait_for("listed", |f| {
        !f.busy && f.screen.contains("vtexappkey-partner-QWERTY")
    })
    .await;
    let admin = server.admin.clone();
    let external = server.get(&admin, "/api/vlm/external-appkeys").await.body;
    assert_eq!(external[0]["appKey"], "vtexappkey-partner-QWERTY");

    app.send("x");
    app.wait_for("confirm", |f| {
        f.dialog.as_deref() == Some("Confirm: Remove external key")
    })
    .await;
    app.send("<Enter>");
    app.wait_for("removed", |f| !f.busy && f.says_first("Removed"))
        .await;
    assert_eq!(
        server.get(&admin, "/api/vlm/external-appkeys").await.body,
        json!([])
    );
    app.quit().await;
}

#[tokio::test]
async fn settings_change_after_confirmation() {
    let server = TestServer::start().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("loaded", |f| f.visible_rows == 1 && !f.busy)
        .await;
    app.send("1j<Enter>");
    app.wait_for("confirm", |f| {
        f.dialog.as_deref() == Some("Confirm: Change token duration")
    })
    .await;
    app.send("<Enter>");
    app.wait_for("applied", |f| !f.busy && f.says("6 months"))
        .await;
    let admin = server.admin.clone();
    assert_eq!(
        server.get(&admin, "/api/vlm/appkeys-settings").await.body["tokenDurationMonths"],
        6
    );
    app.quit().await;
}

#[tokio::test]
async fn read_only_refuses_every_change() {
    let server = TestServer::start().await;
    server.key_with_roles("Untouchable", &[]).await;
    let mut app = start_on(
        &server,
        &server.admin,
        AppOptions {
            read_only: true,
            ..AppOptions::default()
        },
    );
    app.wait_idle_with("Untouchable").await;
    app.send("/Untouchable<Enter>");
    app.wait_for("one row", |f| f.visible_rows == 1).await;
    for key in ["t", "n", "e", "r", "d"] {
        app.send(key);
        let frame = app.wait_for("refusal", |f| f.says("read-only")).await;
        assert!(frame.dialog.is_none(), "{key} opened {:?}", frame.dialog);
        app.send("<Esc>");
    }
    assert_eq!(
        key_by_label(&server, "Untouchable").await.unwrap()["isActive"],
        true
    );
    app.quit().await;
}

#[tokio::test]
async fn a_403_is_explained_and_changes_nothing() {
    let server = TestServer::start().await;
    // A viewer cannot edit: the session says so, the app dims the action and never sends it.
    let viewer = server.key_with_roles("Viewer", &["API Keys Viewer"]).await;
    let mut app = start_on(&server, &viewer.creds, AppOptions::default());
    app.wait_idle_with("Viewer").await;
    app.send("n");
    let frame = app.wait_for("refused", |f| f.says("Edit API Keys")).await;
    assert!(frame.dialog.is_none());
    app.quit().await;

    // A renew-only key cannot list keys: the pane says why, and what it can still do
    // (tests/renew_only.rs follows that through).
    let renewer = server
        .key_with_roles("Renewer", &["API Token Renewer"])
        .await;
    let mut app = start_on(&server, &renewer.creds, AppOptions::default());
    let frame = app
        .wait_for("the refusal explained", |f| {
            !f.busy && f.screen.contains("may not view keys")
        })
        .await;
    assert!(frame.screen.contains("View API Keys"), "{}", frame.screen);
    app.quit().await;
}
