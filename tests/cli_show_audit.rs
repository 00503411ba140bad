//! `apikeys keys show KEY` (the key's fields and its audit trail, newest first) and
//! `apikeys audit --key KEY` (only that key's entries), through the built binary against a
//! real server.

mod common;

use common::TestServer;
use common::cli::run;
use serde_json::Value;

/// A key with a role, deactivated: three audit entries about it, and others about the admin.
async fn key_with_history(server: &TestServer) -> common::TestKey {
    let key = server
        .key_with_roles("ERP orders", &["Catalog editor"])
        .await;
    server.key_with_roles("Someone else", &[]).await;
    let done = run(
        server,
        &server.admin,
        &["keys", "deactivate", &key.creds.app_key],
    )
    .await;
    assert_eq!(done.status, 0, "{}", done.stderr);
    key
}

#[tokio::test]
async fn keys_show_prints_the_fields_then_the_trail_newest_first() {
    let server = TestServer::start().await;
    let key = key_with_history(&server).await;

    let shown = run(&server, &server.admin, &["keys", "show", "ERP orders"]).await;
    assert_eq!(shown.status, 0, "{}", shown.stderr);
    let out = &shown.stdout;
    for expected in [
        key.id.as_str(),
        key.creds.app_key.as_str(),
        "ERP orders",
        "Inactive",
        "Catalog editor",
        "token created",
        "owner",
        "Audit trail, newest first",
    ] {
        assert!(out.contains(expected), "{expected:?} missing:\n{out}");
    }
    let at = |action: &str| {
        out.find(action)
            .unwrap_or_else(|| panic!("{action} missing:\n{out}"))
    };
    assert!(
        at("key.status") < at("key.roles.add"),
        "newest first:\n{out}"
    );
    assert!(
        at("key.roles.add") < at("key.create"),
        "newest first:\n{out}"
    );
    assert!(
        !out.contains("Someone else"),
        "another key's entries are not shown:\n{out}"
    );
    assert!(!out.contains(&key.creds.token), "a token in the output");
}

#[tokio::test]
async fn keys_show_json_is_the_key_and_its_audit_entries() {
    let server = TestServer::start().await;
    let key = key_with_history(&server).await;

    let shown = run(
        &server,
        &server.admin,
        &["keys", "show", &key.id, "--output", "json"],
    )
    .await;
    assert_eq!(shown.status, 0, "{}", shown.stderr);
    let value: Value = serde_json::from_str(&shown.stdout).expect("JSON");
    assert_eq!(value["key"]["appKey"], key.creds.app_key.as_str());
    assert_eq!(value["key"]["isActive"], false);
    assert_eq!(value["key"]["roles"][0]["name"], "Catalog editor");
    let audit = value["audit"].as_array().expect("an audit array");
    let actions: Vec<&str> = audit
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["key.status", "key.roles.add", "key.create"]);
    assert!(
        audit
            .iter()
            .all(|e| e["target"] == key.creds.app_key.as_str())
    );
}

#[tokio::test]
async fn audit_key_keeps_only_that_key_even_after_it_is_deleted() {
    let server = TestServer::start().await;
    let key = key_with_history(&server).await;

    let by_label = run(
        &server,
        &server.admin,
        &["audit", "--key", "ERP orders", "--output", "json"],
    )
    .await;
    assert_eq!(by_label.status, 0, "{}", by_label.stderr);
    let entries: Vec<Value> = serde_json::from_str(&by_label.stdout).unwrap();
    assert_eq!(entries.len(), 3, "{}", by_label.stdout);
    assert!(
        entries
            .iter()
            .all(|e| e["target"] == key.creds.app_key.as_str())
    );

    let deleted = run(
        &server,
        &server.admin,
        &["keys", "delete", &key.id, "--yes"],
    )
    .await;
    assert_eq!(deleted.status, 0, "{}", deleted.stderr);
    let by_app_key = run(
        &server,
        &server.admin,
        &["audit", "--key", &key.creds.app_key],
    )
    .await;
    assert_eq!(by_app_key.status, 0, "{}", by_app_key.stderr);
    let lines: Vec<&str> = by_app_key.stdout.lines().skip(1).collect();
    assert_eq!(lines.len(), 4, "{}", by_app_key.stdout);
    assert!(lines[0].contains("key.delete"), "{}", by_app_key.stdout);
    assert!(lines.iter().all(|l| l.contains(&key.creds.app_key)));

    let unknown = run(&server, &server.admin, &["audit", "--key", "no such key"]).await;
    assert_eq!(unknown.status, 1, "{}", unknown.stderr);
    assert!(
        unknown
            .stderr
            .contains("no key has the id, appKey or label"),
        "{}",
        unknown.stderr
    );
}
