//! The lockout rule: no change leaves the account without an active key holding Edit API
//! Keys, nor takes the caller's own means to manage keys; and authentication, authorization
//! and the change happen in one transaction, so two admins racing to deactivate or delete
//! each other never both succeed.

mod common;

use apikeys::server::bootstrap::ADMIN_ROLE;
use common::{Creds, TestKey, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

const ROUNDS: usize = 20;

async fn key_id_of(server: &TestServer, app_key: &str) -> String {
    let list = server
        .admin_call(Method::GET, "/api/vlm/appkeys", None)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    list.body
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["appKey"] == app_key)
        .map(|key| key["id"].as_str().unwrap().to_string())
        .expect("the key is listed")
}

/// A client on its own loopback address, so the 401s a round expects (the loser of a race)
/// do not add up to the failed-authentication limit of a single source.
struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    fn new(server: &TestServer, last_octet: u8) -> Client {
        let address = std::net::IpAddr::from([127, 0, 0, last_octet]);
        Client {
            http: reqwest::Client::builder()
                .local_address(address)
                .build()
                .unwrap(),
            base: server.server.base_url(),
        }
    }

    async fn call(
        &self,
        creds: &Creds,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, serde_json::Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("X-VTEX-API-AppKey", &creds.app_key)
            .header("X-VTEX-API-AppToken", &creds.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or_default())
    }

    /// Whether `creds` still signs in and may manage keys.
    async fn can_manage_keys(&self, creds: &Creds) -> bool {
        let (status, body) = self
            .call(creds, Method::GET, "/api/vlm/session", None)
            .await;
        status == StatusCode::OK
            && body["resources"]
                .as_array()
                .is_some_and(|resources| resources.iter().any(|r| r == "EditApiKeys"))
    }
}

/// Whether `creds` still signs in and may manage keys (from 127.0.0.1).
async fn can_manage_keys(server: &TestServer, creds: &Creds) -> bool {
    Client::new(server, 1).can_manage_keys(creds).await
}

#[tokio::test]
async fn the_sole_admin_cannot_remove_its_own_admin_role() {
    let server = TestServer::start().await;
    let admin_id = key_id_of(&server, &server.admin.app_key).await;
    let role = server.role_id(ADMIN_ROLE);
    let removed = server
        .admin_call(
            Method::DELETE,
            &format!("/api/license-manager/users/{admin_id}/roles/{role}"),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::CONFLICT, "{}", removed.text);
    assert!(
        removed.message().contains("Edit API Keys"),
        "the 409 says why: {}",
        removed.text
    );
    assert!(can_manage_keys(&server, &server.admin.clone()).await);
}

#[tokio::test]
async fn a_key_may_drop_one_of_two_roles_granting_edit() {
    let server = TestServer::start().await;
    let admin_id = key_id_of(&server, &server.admin.app_key).await;
    let owner = server.role_id("Owner (Admin Super)");
    let added = server
        .admin_call(
            Method::PUT,
            &format!("/api/license-manager/users/{admin_id}/roles"),
            Some(json!([owner])),
        )
        .await;
    assert_eq!(added.status, StatusCode::NO_CONTENT, "{}", added.text);
    let removed = server
        .admin_call(
            Method::DELETE,
            &format!(
                "/api/license-manager/users/{admin_id}/roles/{}",
                server.role_id(ADMIN_ROLE)
            ),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text);
    assert!(can_manage_keys(&server, &server.admin.clone()).await);
}

#[tokio::test]
async fn a_key_may_take_edit_from_another_while_one_holder_remains() {
    let server = TestServer::start().await;
    let other = server.key_with_roles("second admin", &[ADMIN_ROLE]).await;
    let removed = server
        .admin_call(
            Method::DELETE,
            &format!(
                "/api/license-manager/users/{}/roles/{}",
                other.id,
                server.role_id(ADMIN_ROLE)
            ),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text);
    assert!(!can_manage_keys(&server, &other.creds).await);
}

/// Sends `a`'s and `b`'s requests at the same instant, each on its own connection, from
/// addresses of their own for this round.
async fn race(
    server: &TestServer,
    round: usize,
    (a, a_path): (&Creds, String),
    (b, b_path): (&Creds, String),
    method: Method,
    body: Option<serde_json::Value>,
) -> (StatusCode, StatusCode, Client) {
    let octet = u8::try_from(10 + 2 * round).unwrap();
    let (a_client, b_client) = (Client::new(server, octet), Client::new(server, octet + 1));
    let (first, second) = tokio::join!(
        a_client.call(a, method.clone(), &a_path, body.clone()),
        b_client.call(b, method.clone(), &b_path, body.clone()),
    );
    (first.0, second.0, a_client)
}

/// Two keys that are the account's only Edit API Keys holders: the bootstrap admin is deleted.
async fn only_two_admins(server: &TestServer) -> (TestKey, TestKey) {
    let a = server.key_with_roles("admin A", &[ADMIN_ROLE]).await;
    let b = server.key_with_roles("admin B", &[ADMIN_ROLE]).await;
    let bootstrap = key_id_of(server, &server.admin.app_key).await;
    let deleted = server
        .call(
            Some(&a.creds),
            Method::DELETE,
            &format!("/api/vlm/appkeys/{bootstrap}"),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    (a, b)
}

#[tokio::test]
async fn two_admins_deactivating_each_other_never_both_succeed() {
    let server = TestServer::start().await;
    let (a, b) = only_two_admins(&server).await;
    let mut outcomes = Vec::new();
    for round in 0..ROUNDS {
        let (a_status, b_status, client) = race(
            &server,
            round,
            (&a.creds, format!("/api/vlm/appkeys/{}", b.id)),
            (&b.creds, format!("/api/vlm/appkeys/{}", a.id)),
            Method::PUT,
            Some(json!({"isActive": false})),
        )
        .await;
        outcomes.push((a_status.as_u16(), b_status.as_u16()));
        assert!(
            !(a_status.is_success() && b_status.is_success()),
            "round {round}: both deactivations succeeded"
        );
        let a_works = client.can_manage_keys(&a.creds).await;
        let b_works = client.can_manage_keys(&b.creds).await;
        assert!(a_works || b_works, "round {round}: no admin is left");
        // The survivor brings the other back for the next round.
        let (survivor, other) = if a_works { (&a, &b) } else { (&b, &a) };
        let (back, body) = client
            .call(
                &survivor.creds,
                Method::PUT,
                &format!("/api/vlm/appkeys/{}", other.id),
                Some(json!({"isActive": true})),
            )
            .await;
        assert_eq!(back, StatusCode::OK, "{body}");
    }
    eprintln!("deactivate races (A's status, B's status): {outcomes:?}");
}

#[tokio::test]
async fn two_admins_deleting_each_other_never_both_succeed() {
    let server = TestServer::start().await;
    let mut outcomes = Vec::new();
    for round in 0..ROUNDS {
        let a = server
            .key_with_roles(&format!("A{round}"), &[ADMIN_ROLE])
            .await;
        let b = server
            .key_with_roles(&format!("B{round}"), &[ADMIN_ROLE])
            .await;
        let (a_status, b_status, client) = race(
            &server,
            round,
            (&a.creds, format!("/api/vlm/appkeys/{}", b.id)),
            (&b.creds, format!("/api/vlm/appkeys/{}", a.id)),
            Method::DELETE,
            None,
        )
        .await;
        outcomes.push((a_status.as_u16(), b_status.as_u16()));
        assert!(
            !(a_status.is_success() && b_status.is_success()),
            "round {round}: both deletions succeeded"
        );
        let a_works = client.can_manage_keys(&a.creds).await;
        let b_works = client.can_manage_keys(&b.creds).await;
        assert!(
            a_works ^ b_works,
            "round {round}: exactly one of the two must remain"
        );
    }
    eprintln!("delete races (A's status, B's status): {outcomes:?}");
}

#[tokio::test]
async fn the_last_two_admins_deleting_each_other_keep_one() {
    for round in 0..ROUNDS {
        let server = TestServer::start().await;
        let (a, b) = only_two_admins(&server).await;
        let (a_status, b_status, client) = race(
            &server,
            round,
            (&a.creds, format!("/api/vlm/appkeys/{}", b.id)),
            (&b.creds, format!("/api/vlm/appkeys/{}", a.id)),
            Method::DELETE,
            None,
        )
        .await;
        assert!(
            !(a_status.is_success() && b_status.is_success()),
            "round {round}: both deletions succeeded"
        );
        let a_works = client.can_manage_keys(&a.creds).await;
        let b_works = client.can_manage_keys(&b.creds).await;
        assert!(a_works || b_works, "round {round}: no admin is left");
    }
}
