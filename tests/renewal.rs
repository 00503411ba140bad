//! The renewal state machine, as VTEX runs it, over real HTTP.

mod common;

use common::{Creds, TestServer};
use reqwest::{Method, StatusCode};

fn renew_path(app_key: &str, step: &str) -> String {
    format!("/api/vtexid/apikey/{app_key}/apitoken/{step}")
}

/// One renewal step, as the admin.
async fn step(server: &TestServer, app_key: &str, step: &str) -> common::Reply {
    server
        .admin_call(Method::PATCH, &renew_path(app_key, step), None)
        .await
}

/// Starts the admin key's renewal signed in with another key: a key never renews itself.
async fn renew_admin(server: &TestServer) -> Creds {
    let renewer = server
        .key_with_roles("renewer", &["API Token Renewer"])
        .await;
    let renewed = server
        .call(
            Some(&renewer.creds),
            Method::PATCH,
            &renew_path(&server.admin.app_key, "renew"),
            None,
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
    Creds {
        app_key: server.admin.app_key.clone(),
        token: renewed.body["newToken"].as_str().unwrap().to_string(),
    }
}

async fn works(server: &TestServer, creds: &Creds) -> bool {
    server.get(creds, "/api/vlm/appkeys").await.status == StatusCode::OK
}

async fn token_dates(server: &TestServer, id: &str) -> (String, Option<String>) {
    let list = server
        .get(&server.admin.clone(), "/api/vlm/appkeys?expand=token")
        .await;
    let item = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id)
        .unwrap()
        .clone();
    (
        item["creationDateToken"].as_str().unwrap().to_string(),
        item["creationDateNewToken"].as_str().map(str::to_string),
    )
}

#[tokio::test]
async fn renew_then_finish_keeps_both_tokens_until_the_old_one_is_deleted() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("ERP", &["API Keys Viewer"]).await;
    let (first_created, pending) = token_dates(&server, &key.id).await;
    assert_eq!(pending, None);

    let renewed = step(&server, &key.creds.app_key, "renew").await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
    assert_eq!(renewed.body["id"], key.id.as_str());
    assert_eq!(renewed.body["keyName"], "ERP");
    assert_eq!(renewed.body["creationDateToken"], first_created.as_str());
    assert_eq!(renewed.body["expirationPeriod"], 90);
    let new_token = renewed.body["newToken"].as_str().unwrap().to_string();
    assert_eq!(new_token.len(), 100);
    assert!(new_token.chars().all(|c| c.is_ascii_uppercase()));
    assert_ne!(new_token, key.creds.token);
    let new_creds = Creds {
        app_key: key.creds.app_key.clone(),
        token: new_token,
    };

    // Both tokens work while the renewal is pending, and the listing says so.
    assert!(works(&server, &key.creds).await);
    assert!(works(&server, &new_creds).await);
    let (current, pending) = token_dates(&server, &key.id).await;
    assert_eq!(current, first_created);
    assert_eq!(
        pending.as_deref(),
        renewed.body["creationDateNewToken"].as_str()
    );

    // A second renewal while one is pending is refused.
    let again = step(&server, &key.creds.app_key, "renew").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.message().contains("pending"), "{}", again.text);

    let finished = step(&server, &key.creds.app_key, "finish-renewal").await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.text);
    assert_eq!(
        finished.body["creationDateNewToken"],
        serde_json::Value::Null
    );
    // The token's age now counts from the new token's creation.
    assert_eq!(
        finished.body["creationDateToken"],
        renewed.body["creationDateNewToken"]
    );
    assert!(
        !works(&server, &key.creds).await,
        "the old token must stop working"
    );
    assert!(works(&server, &new_creds).await);
    let (current, pending) = token_dates(&server, &key.id).await;
    assert_eq!(
        Some(current.as_str()),
        renewed.body["creationDateNewToken"].as_str()
    );
    assert_eq!(pending, None);

    // Nothing pending any more: finish and undo are 404, a new renewal is allowed.
    for step in ["finish-renewal", "undo-renewal"] {
        let reply = server
            .admin_call(Method::PATCH, &renew_path(&key.creds.app_key, step), None)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{step}: {}",
            reply.text
        );
    }
    let third = step(&server, &key.creds.app_key, "renew").await;
    assert_eq!(third.status, StatusCode::OK);
}

#[tokio::test]
async fn undo_drops_the_new_token_and_keeps_the_old() {
    let server = TestServer::start().await;
    let key = server
        .key_with_roles("Marketplace", &["API Keys Viewer"])
        .await;
    let (first_created, _) = token_dates(&server, &key.id).await;

    let renewed = step(&server, &key.creds.app_key, "renew").await;
    let new_creds = Creds {
        app_key: key.creds.app_key.clone(),
        token: renewed.body["newToken"].as_str().unwrap().to_string(),
    };
    assert!(works(&server, &new_creds).await);

    let undone = step(&server, &key.creds.app_key, "undo-renewal").await;
    assert_eq!(undone.status, StatusCode::OK, "{}", undone.text);
    assert_eq!(undone.body["creationDateToken"], first_created.as_str());
    assert_eq!(undone.body["creationDateNewToken"], serde_json::Value::Null);
    assert!(
        works(&server, &key.creds).await,
        "the old token must keep working"
    );
    assert!(
        !works(&server, &new_creds).await,
        "the new token must be gone"
    );
    assert_eq!(token_dates(&server, &key.id).await, (first_created, None));

    let again = step(&server, &key.creds.app_key, "undo-renewal").await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_keys_are_404_and_another_key_renews_the_admin_key() {
    let server = TestServer::start().await;
    let missing = step(&server, "vtexappkey-acme-ZZZZZZ", "renew").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // Another key renews the admin's token: both work until finish, then only the new one.
    let admin = server.admin.clone();
    let new_admin = renew_admin(&server).await;
    assert!(works(&server, &admin).await && works(&server, &new_admin).await);
    let finished = server
        .call(
            Some(&new_admin),
            Method::PATCH,
            &renew_path(&admin.app_key, "finish-renewal"),
            None,
        )
        .await;
    assert_eq!(finished.status, StatusCode::OK);
    assert!(!works(&server, &admin).await);
    assert!(works(&server, &new_admin).await);
}

#[tokio::test]
async fn token_duration_sets_the_expiration_period() {
    let server = TestServer::start().await;
    let set = server
        .admin_call(
            Method::PUT,
            "/api/vlm/appkeys-settings",
            Some(serde_json::json!({ "tokenDurationMonths": 6 })),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK);
    let key = server.key_with_roles("BI", &[]).await;
    let renewed = step(&server, &key.creds.app_key, "renew").await;
    assert_eq!(renewed.body["expirationPeriod"], 180);
}

#[tokio::test]
async fn a_key_cannot_delete_the_token_it_signs_in_with() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let new_admin = renew_admin(&server).await;
    // Old token: finishing would lock the caller out.
    let finish = step(&server, &admin.app_key, "finish-renewal").await;
    assert_eq!(finish.status, StatusCode::CONFLICT, "{}", finish.text);
    assert!(finish.message().contains("Sign in with the new token"));
    // New token: undoing would lock the caller out.
    let undo = server
        .call(
            Some(&new_admin),
            Method::PATCH,
            &renew_path(&admin.app_key, "undo-renewal"),
            None,
        )
        .await;
    assert_eq!(undo.status, StatusCode::CONFLICT, "{}", undo.text);
    assert!(
        works(&server, &admin).await && works(&server, &new_admin).await,
        "nothing changed"
    );
    // The other way round each is allowed.
    let undo = step(&server, &admin.app_key, "undo-renewal").await;
    assert_eq!(undo.status, StatusCode::OK);
}

#[tokio::test]
async fn a_user_token_ends_with_the_app_token_it_came_from() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Session", &["API Keys Viewer"]).await;
    let login = server
        .call(
            None,
            Method::POST,
            "/api/vtexid/apptoken/login",
            Some(serde_json::json!({"appkey": key.creds.app_key, "apptoken": key.creds.token})),
        )
        .await;
    let session = login.body["token"].as_str().unwrap().to_string();
    let by_session = |token: String| {
        let url = server.url("/api/vlm/appkeys");
        async move {
            reqwest::Client::new()
                .get(url)
                .header("VtexIdclientAutCookie", token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(by_session(session.clone()).await, StatusCode::OK);
    step(&server, &key.creds.app_key, "renew").await;
    assert_eq!(
        by_session(session.clone()).await,
        StatusCode::OK,
        "both tokens work while pending"
    );
    let finished = step(&server, &key.creds.app_key, "finish-renewal").await;
    assert_eq!(finished.status, StatusCode::OK);
    assert_eq!(
        by_session(session).await,
        StatusCode::UNAUTHORIZED,
        "its app token is gone"
    );
}
