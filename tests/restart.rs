//! Everything written survives a stop and a start on the same file.

mod common;

use common::{Creds, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn state_survives_a_restart() {
    let server = TestServer::start().await;
    let erp = server
        .key_with_roles("ERP", &["Catalog editor", "API Keys Viewer"])
        .await;
    let legacy = server.key_with_roles("Legacy", &[]).await;
    let pending = server.key_with_roles("Pending", &[]).await;
    let deleted = server.key_with_roles("Deleted", &[]).await;

    server
        .admin_call(
            Method::PUT,
            &format!("/api/vlm/appkeys/{}", legacy.id),
            Some(json!({"isActive": false})),
        )
        .await;
    let renewed = server
        .admin_call(
            Method::PATCH,
            &format!(
                "/api/vtexid/apikey/{}/apitoken/renew",
                pending.creds.app_key
            ),
            None,
        )
        .await;
    let pending_new = Creds {
        app_key: pending.creds.app_key.clone(),
        token: renewed.body["newToken"].as_str().unwrap().to_string(),
    };
    server
        .admin_call(
            Method::DELETE,
            &format!("/api/vlm/appkeys/{}", deleted.id),
            None,
        )
        .await;
    server
        .admin_call(
            Method::PUT,
            "/api/vlm/appkeys-settings",
            Some(json!({"tokenDurationMonths": 6})),
        )
        .await;
    let external = server
        .admin_call(
            Method::POST,
            "/api/vlm/external-appkeys",
            Some(json!({"appKey": "vtexappkey-partner-QWERTY", "roles": [server.role_id("Catalog editor")]})),
        )
        .await;
    assert_eq!(external.status, StatusCode::OK, "{}", external.text);

    let admin = server.admin.clone();
    let before_keys = server
        .get(&admin, "/api/vlm/appkeys?expand=roles,token")
        .await
        .body;
    let before_external = server
        .get(&admin, "/api/vlm/external-appkeys?expand=roles")
        .await
        .body;
    let before_audit = server.get(&admin, "/api/vlm/audit?limit=1000").await.body;

    let server = server.restart().await;
    assert_eq!(
        server.admin.app_key, admin.app_key,
        "admin credentials are read back from the file"
    );

    assert_eq!(
        server
            .get(&admin, "/api/vlm/appkeys?expand=roles,token")
            .await
            .body,
        before_keys
    );
    assert_eq!(
        server
            .get(&admin, "/api/vlm/external-appkeys?expand=roles")
            .await
            .body,
        before_external
    );
    assert_eq!(
        server.get(&admin, "/api/vlm/audit?limit=1000").await.body,
        before_audit
    );
    let settings = server.get(&admin, "/api/vlm/appkeys-settings").await;
    assert_eq!(settings.body["tokenDurationMonths"], 6);

    // Tokens still authenticate as before: ERP's, both of the pending key's; not the inactive one.
    assert_eq!(
        server.get(&erp.creds, "/api/vlm/appkeys").await.status,
        StatusCode::OK
    );
    let roles_of_pending = format!("/api/license-manager/users/{}/roles", pending.id);
    assert_eq!(
        server.get(&admin, &roles_of_pending).await.status,
        StatusCode::OK
    );
    let finish = server
        .call(
            Some(&admin),
            Method::PATCH,
            &format!(
                "/api/vtexid/apikey/{}/apitoken/finish-renewal",
                pending_new.app_key
            ),
            None,
        )
        .await;
    assert_eq!(
        finish.status,
        StatusCode::OK,
        "the renewal is still pending after a restart"
    );
    assert_eq!(
        server.get(&legacy.creds, "/api/vlm/appkeys").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn first_start_writes_private_credentials_once() {
    let server = TestServer::start().await;
    let path = apikeys::server::bootstrap::credentials_path(&server.db);
    let text = std::fs::read_to_string(&path).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["account"], common::ACCOUNT);
    assert_eq!(file["appKey"], server.admin.app_key.as_str());
    assert_eq!(file["appToken"], server.admin.token.as_str());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // The admin key holds all four resources.
    let session = server.get(&server.admin.clone(), "/api/vlm/session").await;
    assert_eq!(
        session.body["resources"],
        json!([
            "ViewApiKeys",
            "EditApiKeys",
            "RenewApiToken",
            "EditApiKeysSettings"
        ])
    );
    // A restart neither bootstraps again nor rewrites the file.
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let server = server.restart().await;
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    let keys = server.get(&server.admin.clone(), "/api/vlm/appkeys").await;
    assert_eq!(
        keys.body.as_array().unwrap().len(),
        1,
        "one admin key, no second bootstrap"
    );
}
