//! Every kind of change leaves an audit row naming the actor; no row ever holds a token.

mod common;

use common::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn each_change_writes_an_audit_row_without_tokens() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let mut tokens = vec![admin.token.clone()];

    let created = server
        .admin_call(
            Method::POST,
            "/api/vlm/appkeys",
            Some(json!({"label": "Audit me"})),
        )
        .await;
    let id = created.body["id"].as_str().unwrap().to_string();
    let app_key = created.body["appKey"].as_str().unwrap().to_string();
    tokens.push(created.body["appToken"].as_str().unwrap().to_string());
    let catalog = server.role_id("Catalog editor");

    let steps: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::PUT,
            format!("/api/vlm/appkeys/{id}"),
            Some(json!({"isActive": false})),
        ),
        (
            Method::PUT,
            format!("/api/license-manager/users/{id}/roles"),
            Some(json!([catalog])),
        ),
        (
            Method::DELETE,
            format!("/api/license-manager/users/{id}/roles/{catalog}"),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/vtexid/apikey/{app_key}/apitoken/renew"),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/vtexid/apikey/{app_key}/apitoken/finish-renewal"),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/vtexid/apikey/{app_key}/apitoken/renew"),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/vtexid/apikey/{app_key}/apitoken/undo-renewal"),
            None,
        ),
        (
            Method::PUT,
            "/api/vlm/appkeys-settings".into(),
            Some(json!({"tokenDurationMonths": 6})),
        ),
    ];
    for (method, path, body) in steps {
        let reply = server.admin_call(method.clone(), &path, body).await;
        assert!(reply.status.is_success(), "{method} {path}: {}", reply.text);
        if let Some(token) = reply.body["newToken"].as_str() {
            tokens.push(token.to_string());
        }
    }
    let external = server
        .admin_call(
            Method::POST,
            "/api/vlm/external-appkeys",
            Some(json!({"appKey": "vtexappkey-partner-ABCDEF", "roles": [catalog]})),
        )
        .await;
    let external_id = external.body["id"].as_str().unwrap().to_string();
    for (method, path, body) in [
        (
            Method::PUT,
            format!("/api/vlm/external-appkeys/{external_id}"),
            Some(json!({"isActive": false})),
        ),
        (
            Method::DELETE,
            format!("/api/license-manager/users/{external_id}/roles/{catalog}"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/vlm/external-appkeys/{external_id}"),
            None,
        ),
        (Method::DELETE, format!("/api/vlm/appkeys/{id}"), None),
    ] {
        let reply = server.admin_call(method.clone(), &path, body).await;
        assert!(reply.status.is_success(), "{method} {path}: {}", reply.text);
    }

    let audit = server.get(&admin, "/api/vlm/audit?limit=1000").await;
    assert_eq!(audit.status, StatusCode::OK);
    let rows = audit.body.as_array().unwrap();
    let actions: Vec<(&str, &str)> = rows
        .iter()
        .rev()
        .map(|row| {
            (
                row["action"].as_str().unwrap(),
                row["target"].as_str().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("key.create", admin.app_key.as_str()), // the bootstrap admin key
        ("key.create", app_key.as_str()),
        ("key.status", app_key.as_str()),
        ("key.roles.add", app_key.as_str()),
        ("key.roles.remove", app_key.as_str()),
        ("token.renew", app_key.as_str()),
        ("token.finish_renewal", app_key.as_str()),
        ("token.renew", app_key.as_str()),
        ("token.undo_renewal", app_key.as_str()),
        ("settings.update", "settings"),
        ("external.add", "vtexappkey-partner-ABCDEF"),
        ("external.roles.add", "vtexappkey-partner-ABCDEF"),
        ("external.status", "vtexappkey-partner-ABCDEF"),
        ("external.roles.remove", "vtexappkey-partner-ABCDEF"),
        ("external.remove", "vtexappkey-partner-ABCDEF"),
        ("key.delete", app_key.as_str()),
    ];
    assert_eq!(actions, expected);
    for row in &rows[..rows.len() - 1] {
        assert_eq!(row["actor"], admin.app_key.as_str(), "{row}");
        assert!(row["at"].as_str().unwrap().ends_with('Z'));
    }
    assert!(
        rows.iter()
            .any(|r| r["detail"] == "tokenDurationMonths 3 → 6")
    );

    // Newest first, paged by id, filtered by target.
    let newest = server.get(&admin, "/api/vlm/audit?limit=2").await.body;
    assert_eq!(newest.as_array().unwrap().len(), 2);
    let before = newest[1]["id"].as_i64().unwrap();
    let older = server
        .get(&admin, &format!("/api/vlm/audit?limit=1&before={before}"))
        .await
        .body;
    assert_eq!(older[0]["id"].as_i64().unwrap(), before - 1);
    let about_key = server
        .get(&admin, &format!("/api/vlm/audit?target={app_key}"))
        .await
        .body;
    assert_eq!(about_key.as_array().unwrap().len(), 9);

    let text = audit.text;
    for token in &tokens {
        assert!(
            !text.contains(token.as_str()),
            "a token leaked into the audit trail"
        );
    }
}

#[tokio::test]
async fn refused_changes_write_no_audit_row() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let count = |body: &Value| body.as_array().unwrap().len();
    let before = count(&server.get(&admin, "/api/vlm/audit").await.body);
    let bad = server
        .admin_call(Method::POST, "/api/vlm/appkeys", Some(json!({"label": ""})))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad = server
        .admin_call(
            Method::PUT,
            "/api/vlm/appkeys-settings",
            Some(json!({"tokenDurationMonths": 12})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // Deactivating a key that is already active, or removing a role it lacks, changes nothing.
    let key = server.key_with_roles("Idle", &[]).await;
    let after_create = count(&server.get(&admin, "/api/vlm/audit").await.body);
    assert_eq!(after_create, before + 1);
    server
        .admin_call(
            Method::PUT,
            &format!("/api/vlm/appkeys/{}", key.id),
            Some(json!({"isActive": true})),
        )
        .await;
    let catalog = server.role_id("Catalog editor");
    server
        .admin_call(
            Method::DELETE,
            &format!("/api/license-manager/users/{}/roles/{catalog}", key.id),
            None,
        )
        .await;
    assert_eq!(
        count(&server.get(&admin, "/api/vlm/audit").await.body),
        after_create
    );
}
