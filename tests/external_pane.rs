//! Issue 11: External keys work like Generated keys — a status filter (`f`), a sort and its
//! reverse (`s`/`S`) shown in the table's header, and details with the key's own audit trail
//! (Enter). The real loop against a reference server on 127.0.0.1:0.

mod common;

use common::TestServer;
use common::tui::{AppOptions, Frame, start_on};
use reqwest::Method;
use serde_json::json;

/// The seed's external keys, by owner account.
const SEEDED: [&str; 8] = [
    "agenciaxyz",
    "bipartners2",
    "digitalstudio",
    "lojafranquia01",
    "lojafranquia02",
    "marketplacehub",
    "oldagency2022",
    "sellerbrasil",
];

/// The owner accounts of the external keys on screen, top to bottom.
fn owners_shown(frame: &Frame) -> Vec<&'static str> {
    frame
        .screen
        .lines()
        .filter_map(|line| {
            SEEDED
                .iter()
                .find(|owner| line.contains(&format!("vtexappkey-{owner}-")))
                .copied()
        })
        .collect()
}

#[tokio::test]
async fn external_keys_filter_by_status_and_sort_by_a_column_shown_in_the_header() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("the keys listed", |f| f.visible_rows >= 1 && !f.busy)
        .await;
    app.send("3");
    let listed = app
        .wait_for("the external keys", |f| owners_shown(f).len() == 8)
        .await;
    assert_eq!(owners_shown(&listed), SEEDED, "by owner at first");
    assert!(
        listed.screen.contains("sorted by owner ▲"),
        "{}",
        listed.screen
    );

    // s: by key, then by date added (the oldest first); S reverses.
    app.send("s");
    app.wait_for("sorted by key", |f| f.screen.contains("sorted by key ▲"))
        .await;
    app.send("s");
    let by_date = app
        .wait_for("sorted by date added", |f| {
            f.screen.contains("sorted by added date ▲")
        })
        .await;
    assert_eq!(owners_shown(&by_date).first(), Some(&"oldagency2022"));
    assert_eq!(owners_shown(&by_date).last(), Some(&"bipartners2"));
    app.send("S");
    let reversed = app
        .wait_for("reversed", |f| f.screen.contains("sorted by added date ▼"))
        .await;
    assert_eq!(owners_shown(&reversed).first(), Some(&"bipartners2"));

    // f: active, inactive, then all again (outdated and pending mean nothing here).
    app.send("f");
    let active = app
        .wait_for("active only", |f| {
            f.says("Showing active keys") && owners_shown(f).len() == 7
        })
        .await
        .screen;
    assert!(!active.contains("vtexappkey-oldagency2022-"));
    assert!(active.contains("status: active"), "{active}");
    app.send("f");
    let inactive = app
        .wait_for("inactive only", |f| owners_shown(f) == ["oldagency2022"])
        .await;
    assert!(inactive.says("Showing inactive keys"));
    app.send("f");
    app.wait_for("all again", |f| {
        f.says("Showing all keys") && owners_shown(f).len() == 8
    })
    .await;
    // Esc clears a status filter here too.
    app.send("f");
    app.wait_for("active only", |f| owners_shown(f).len() == 7)
        .await;
    app.send("<Esc>");
    app.wait_for("cleared", |f| owners_shown(f).len() == 8)
        .await;
    app.quit().await;
}

#[tokio::test]
async fn external_key_details_show_its_own_audit_trail() {
    let server = TestServer::start().await;
    // A generated key's entries must stay out of the external key's trail.
    server.key_with_roles("Not this one", &[]).await;
    let catalog = server.role_id("Catalog editor");
    let added = server
        .admin_call(
            Method::POST,
            "/api/vlm/external-appkeys",
            Some(json!({"appKey": "vtexappkey-partner-QWERTY", "roles": [catalog]})),
        )
        .await;
    assert!(added.status.is_success(), "{}", added.text);
    let id = added.body["id"].as_str().unwrap().to_string();
    let paused = server
        .admin_call(
            Method::PUT,
            &format!("/api/vlm/external-appkeys/{id}"),
            Some(json!({"isActive": false})),
        )
        .await;
    assert!(paused.status.is_success(), "{}", paused.text);

    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("the keys listed", |f| f.visible_rows >= 1 && !f.busy)
        .await;
    app.send("3");
    app.wait_for("the external key", |f| {
        f.screen.contains("vtexappkey-partner-QWERTY") && !f.busy
    })
    .await;
    app.send("<Enter>");
    let details = app
        .wait_for("its audit trail", |f| {
            f.dialog.as_deref() == Some("Details")
                && f.screen.contains("external.add")
                && f.screen.contains("external.status")
        })
        .await;
    for field in [
        "vtexappkey-partner-QWERTY",
        "partner",
        "Catalog editor",
        "Inactive",
    ] {
        assert!(
            details.screen.contains(field),
            "{field}:\n{}",
            details.screen
        );
    }
    assert!(
        !details.screen.contains("key.create"),
        "only the external key's entries:\n{}",
        details.screen
    );
    app.send("<Esc>");
    app.wait_for("closed", |f| f.dialog.is_none()).await;
    app.quit().await;
}
