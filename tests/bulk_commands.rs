//! The `:` commands that act on marks (issue 13), through the real loop against a reference
//! server: `:mark inactive|pending|outdated|none`, `:deactivate` on the selected key when
//! nothing is marked, `:role add NAME` / `:role remove NAME` across the marked keys (those that
//! hold it, or not, are skipped with the reason).

mod common;

use apikeys::vtex::model::AppKey;
use common::TestServer;
use common::tui::{App, AppOptions, Frame, start_on};
use serde_json::Value;

async fn listing(server: &TestServer) -> Vec<Value> {
    let admin = server.admin.clone();
    let listed = server
        .get(&admin, "/api/vlm/appkeys?expand=roles,token")
        .await;
    listed.body.as_array().unwrap().clone()
}

fn roles_of(listing: &[Value], label: &str) -> Vec<String> {
    let key = listing.iter().find(|k| k["label"] == label).unwrap();
    key["roles"]
        .as_array()
        .map(|roles| {
            roles
                .iter()
                .map(|r| r["name"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Sends `keys` and waits for the bulk confirmation they open.
async fn confirmation(app: &mut App, keys: &str) -> Frame {
    app.send(keys);
    app.wait_for("the confirmation", |f| f.dialog.is_some())
        .await
}

async fn loaded(app: &mut App, rows: usize) -> Frame {
    app.wait_for("the keys", |f| f.visible_rows == rows && !f.busy)
        .await
}

fn sorted(mut labels: Vec<String>) -> Vec<String> {
    labels.sort();
    labels
}

#[tokio::test]
async fn role_add_and_remove_act_on_the_marked_keys_and_skip_what_is_already_so() {
    let server = TestServer::start().await;
    server.key_with_roles("Alpha", &[]).await;
    server.key_with_roles("Bravo", &["API Keys Viewer"]).await;
    server.key_with_roles("Charlie", &[]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, 4).await;
    app.send("/!admin<Enter><C-a>");
    app.wait_for("three marked", |f| f.marked_labels.len() == 3)
        .await;

    // Completion of a role name, spaces and all.
    app.send(":role add API Keys V<Tab>");
    app.wait_for("completed", |f| {
        f.screen.contains(":role add API Keys Viewer")
    })
    .await;
    let asked = confirmation(&mut app, "<Enter>").await;
    assert!(
        asked.screen.contains("Add API Keys Viewer to 2 keys?"),
        "{}",
        asked.screen
    );
    assert!(
        asked.screen.contains("with API Keys Viewer already"),
        "{}",
        asked.screen
    );
    app.send("y");
    app.wait_for("done", |f| f.says("Added API Keys Viewer to 2 keys."))
        .await;
    let after = listing(&server).await;
    for label in ["Alpha", "Bravo", "Charlie"] {
        assert_eq!(roles_of(&after, label), ["API Keys Viewer"], "{label}");
    }

    // Remove it from the same keys (the marks went with the successes: mark again).
    app.send("<C-a>:role remove api keys viewer<Enter>");
    app.wait_for("the confirmation", |f| f.dialog.is_some())
        .await;
    app.send("y");
    app.wait_for("done", |f| f.says("Removed API Keys Viewer from 3 keys."))
        .await;
    let after = listing(&server).await;
    for label in ["Alpha", "Bravo", "Charlie"] {
        assert!(roles_of(&after, label).is_empty(), "{label}");
    }

    // A role that does not exist says which do.
    app.send("<C-a>:role add Nope<Enter>");
    let refused = app
        .wait_for("refused", |f| f.says("No role is named"))
        .await;
    assert!(refused.says("API Keys Viewer"), "{:?}", refused.status);
    assert!(refused.dialog.is_none());
    app.quit().await;
}

#[tokio::test]
async fn mark_by_status_and_deactivate_the_selected_key_without_marks() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, 61).await;
    let keys: Vec<AppKey> = serde_json::from_value(Value::Array(listing(&server).await)).unwrap();
    let now = chrono::Utc::now();

    let labels = |pick: &dyn Fn(&AppKey) -> bool| {
        sorted(
            keys.iter()
                .filter(|k| pick(k))
                .map(|k| k.label.clone())
                .collect(),
        )
    };
    let inactive = labels(&|k| !k.is_active);
    let pending = labels(&|k| k.renewal_pending());
    let outdated = labels(&|k| {
        k.token_age(3, now)
            .is_some_and(|age| age != apikeys::listing::TokenAge::Fresh)
    });
    assert!(!inactive.is_empty() && !pending.is_empty() && outdated.len() > 3);
    for (set, expected) in [
        ("inactive", inactive),
        ("pending", pending),
        ("outdated", outdated),
    ] {
        app.send(&format!(":mark none<Enter>:mark {set}<Enter>"));
        app.wait_for(set, |f| sorted(f.marked_labels.clone()) == expected)
            .await;
    }

    // Without marks, :deactivate acts on the selected key, after the same confirmation.
    app.send(":mark none<Enter>");
    let frame = app
        .wait_for("no marks", |f| f.marked_labels.is_empty())
        .await;
    let selected = frame.selected_label.clone().unwrap();
    let asked = confirmation(&mut app, ":deactivate<Enter>").await;
    assert_eq!(asked.dialog.as_deref(), Some("Bulk: 1 keys"));
    app.send("y");
    app.wait_for("done", |f| f.says("Deactivated 1 key.")).await;
    let after = listing(&server).await;
    let key = after.iter().find(|k| k["label"] == selected).unwrap();
    assert_eq!(key["isActive"], false, "{selected}");
    app.quit().await;
}

#[tokio::test]
async fn e_with_marks_adds_or_removes_the_role_under_the_cursor() {
    let server = TestServer::start().await;
    server.key_with_roles("Alpha", &["API Keys Viewer"]).await;
    server.key_with_roles("Bravo", &["API Keys Viewer"]).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, 3).await;
    app.send("/!admin<Enter><C-a>e");
    let dialog = app
        .wait_for("the roles dialog", |f| {
            f.dialog.as_deref() == Some("BulkRoles: 2 keys")
                && f.screen.contains("[x] API Keys Viewer")
        })
        .await;
    assert!(
        dialog.screen.contains("A role for 2 marked keys"),
        "{}",
        dialog.screen
    );

    // The role every marked key holds is ticked; x removes it from both, after the confirmation.
    app.send("/API Keys V<Enter>x");
    let asked = app
        .wait_for("the confirmation", |f| {
            f.dialog.as_deref() == Some("Bulk: 2 keys")
        })
        .await;
    assert!(
        asked.screen.contains("Remove API Keys Viewer from 2 keys?"),
        "{}",
        asked.screen
    );
    app.send("y");
    app.wait_for("done", |f| f.says("Removed API Keys Viewer from 2 keys."))
        .await;
    let after = listing(&server).await;
    assert!(roles_of(&after, "Alpha").is_empty() && roles_of(&after, "Bravo").is_empty());

    // Enter adds the role under the cursor.
    app.send("<C-a>e/API Token R<Enter><Enter>");
    app.wait_for("the confirmation", |f| {
        f.dialog.as_deref() == Some("Bulk: 2 keys")
    })
    .await;
    app.send("y");
    app.wait_for("done", |f| f.says("Added API Token Renewer to 2 keys."))
        .await;
    let after = listing(&server).await;
    assert_eq!(roles_of(&after, "Alpha"), ["API Token Renewer"]);
    assert_eq!(roles_of(&after, "Bravo"), ["API Token Renewer"]);
    app.quit().await;
}
