//! 429 and Retry-After: the client's failure carries the wait the server asked for, so a bulk
//! runner can wait and resend (a 429 means the server did not act on the request).

mod common;
#[path = "support/serve_process.rs"]
mod serve_process;

use std::collections::HashMap;
use std::time::Duration;

use apikeys::server::bootstrap::AdminCredentials;
use apikeys::server::limits::{Limits, RateLimit};
use apikeys::server::store::accounts;
use apikeys::server::store::keys::{self, Expand};
use apikeys::tui::action::{Failure, FailureKind};
use apikeys::vtex::retry::RetryPolicy;
use apikeys::vtex::{ClientError, ClientOptions, Credentials, VtexClient};
use common::{ACCOUNT, Creds, TestServer};
use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::json;

/// Deactivations sent at once: well past any burst used here.
const BURST: usize = 8;

/// `burst` requests at once per key, then one per `every`.
async fn limited_server(burst: u32, every: Duration) -> TestServer {
    let limits = Limits {
        rate_limit: Some(RateLimit {
            burst,
            refill_every: every,
        }),
        ..Limits::default()
    };
    TestServer::start_with_limits(true, limits).await
}

fn client(base_url: &str, creds: &Creds, retry: RetryPolicy) -> VtexClient {
    VtexClient::new(
        url::Url::parse(base_url).unwrap(),
        Credentials {
            app_key: creds.app_key.clone(),
            app_token: SecretString::from(creds.token.clone()),
        },
        ClientOptions {
            retry,
            ..ClientOptions::default()
        },
    )
    .unwrap()
}

/// Whether each key of the account is active, read from the SQLite file (not rate-limited).
fn active_by_id(server: &TestServer) -> HashMap<String, bool> {
    server
        .store()
        .blocking(|conn| {
            let account = accounts::find(conn, ACCOUNT)?.unwrap();
            keys::list(conn, account, Expand::default())
        })
        .unwrap()
        .into_iter()
        .map(|key| (key.id, key.is_active))
        .collect()
}

/// Active keys other than `admin`'s, which the burst may deactivate without a lockout.
fn targets(active: &HashMap<String, bool>, admin_id: &str, count: usize) -> Vec<String> {
    let mut ids: Vec<String> = active
        .iter()
        .filter(|(id, active)| **active && id.as_str() != admin_id)
        .map(|(id, _)| id.clone())
        .collect();
    ids.sort();
    assert!(ids.len() >= count, "the demo seed has too few active keys");
    ids.truncate(count);
    ids
}

/// The Retry-After seconds of an answer, which a 429 must carry.
fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .unwrap_or_else(|| panic!("a {} without Retry-After", response.status()))
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn deactivate(
    http: &reqwest::Client,
    base: &str,
    creds: &Creds,
    id: &str,
) -> reqwest::Response {
    http.put(format!("{base}/api/vlm/appkeys/{id}"))
        .header("X-VTEX-API-AppKey", &creds.app_key)
        .header("X-VTEX-API-AppToken", &creds.token)
        .json(&json!({ "isActive": false }))
        .send()
        .await
        .unwrap()
}

/// What a burst of deactivations got: (id, status, Retry-After) for each.
async fn burst_of_deactivations(
    base: &str,
    creds: &Creds,
    ids: &[String],
) -> Vec<(String, StatusCode, Option<u64>)> {
    let http = reqwest::Client::new();
    let sends = ids.iter().map(|id| {
        let http = &http;
        async move {
            let response = deactivate(http, base, creds, id).await;
            let status = response.status();
            let wait = (status == StatusCode::TOO_MANY_REQUESTS).then(|| retry_after(&response));
            if status == StatusCode::TOO_MANY_REQUESTS {
                let body: serde_json::Value = response.json().await.unwrap();
                assert_vtex_429(&body);
            }
            (id.clone(), status, wait)
        }
    });
    join_all(sends).await
}

/// VTEX's error shape, with our code for the rate limit.
fn assert_vtex_429(body: &serde_json::Value) {
    assert_eq!(body["HttpStatusCode"], 429, "{body}");
    assert_eq!(body["VLMErrorCode"], 1010, "{body}");
    assert!(body["Details"].is_null(), "{body}");
    let message = body["Message"].as_str().unwrap();
    assert!(
        message.contains("nothing was done") && message.contains("Try again in"),
        "{message}"
    );
}

/// The refused deactivations left their keys active; the accepted ones did not.
fn assert_only_accepted_changed(
    outcomes: &[(String, StatusCode, Option<u64>)],
    active: &HashMap<String, bool>,
) {
    for (id, status, _) in outcomes {
        match *status {
            StatusCode::NO_CONTENT | StatusCode::OK => {
                assert!(!active[id], "{id} was accepted but is still active")
            }
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(active[id], "{id} was refused with 429 but was deactivated")
            }
            other => panic!("{id}: unexpected {other}"),
        }
    }
}

fn admin_id(server: &TestServer) -> String {
    let active = server.store().blocking(|conn| {
        let account = accounts::find(conn, ACCOUNT)?.unwrap();
        keys::list(conn, account, Expand::default())
    });
    active
        .unwrap()
        .into_iter()
        .find(|key| key.app_key == server.admin.app_key)
        .unwrap()
        .id
}

#[test]
fn a_429_maps_to_rate_limited_with_its_wait() {
    let named = Failure::from(ClientError::RateLimited {
        retry_after: Some(Duration::from_secs(3)),
        message: "Too many requests.".into(),
    });
    assert_eq!(
        named.kind,
        FailureKind::RateLimited {
            retry_after: Some(Duration::from_secs(3))
        }
    );
    assert!(named.rate_limited());
    assert!(
        named.message.contains("Retry after 3s"),
        "{}",
        named.message
    );

    let unnamed = Failure::from(ClientError::RateLimited {
        retry_after: None,
        message: "Too many requests.".into(),
    });
    assert_eq!(unnamed.kind, FailureKind::RateLimited { retry_after: None });
    assert!(!unnamed.offline() && !unnamed.forbidden() && !unnamed.unavailable());
}

#[tokio::test]
async fn a_burst_of_writes_is_refused_past_the_limit_and_the_refused_ones_change_nothing() {
    let server = limited_server(2, Duration::from_secs(1)).await;
    let ids = targets(&active_by_id(&server), &admin_id(&server), BURST);

    let outcomes = burst_of_deactivations(&server.url(""), &server.admin, &ids).await;

    let refused: Vec<_> = outcomes
        .iter()
        .filter(|(_, status, _)| *status == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert!(!refused.is_empty(), "{outcomes:?}");
    assert!(
        refused
            .iter()
            .all(|(_, _, wait)| wait.is_some_and(|secs| secs >= 1))
    );
    assert_only_accepted_changed(&outcomes, &active_by_id(&server));

    // After the wait the server names, the next request passes.
    let (id, _, wait) = refused[0];
    tokio::time::sleep(Duration::from_secs(wait.unwrap())).await;
    let again = deactivate(&reqwest::Client::new(), &server.url(""), &server.admin, id).await;
    assert_eq!(again.status(), StatusCode::OK, "{:?}", again.text().await);
    assert!(!active_by_id(&server)[id]);
}

#[tokio::test]
async fn each_key_has_its_own_budget() {
    let server = limited_server(1, Duration::from_secs(30)).await;
    let first = server
        .admin_call(Method::GET, "/api/vlm/session", None)
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let second = server
        .admin_call(Method::GET, "/api/vlm/session", None)
        .await;
    assert_eq!(
        second.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        second.text
    );
    // Another key of the account (made in the store: the admin's budget is spent).
    let other = server.other_account("other");
    let answered = server.get(&other, "/api/vlm/session").await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.text);
    // A wrong token for the limited key is refused as such (401), not with its 429.
    let wrong = Creds {
        app_key: server.admin.app_key.clone(),
        token: "WRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONG".into(),
    };
    assert_eq!(
        server.get(&wrong, "/api/vlm/session").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_client_reports_a_refused_write_as_rate_limited_with_the_wait_and_does_not_resend_it() {
    let server = limited_server(1, Duration::from_secs(30)).await;
    let ids = targets(&active_by_id(&server), &admin_id(&server), 1);
    let spent = server
        .admin_call(Method::GET, "/api/vlm/session", None)
        .await;
    assert_eq!(spent.status, StatusCode::OK);

    // The default policy retries reads; a write must still come back at once, not resent.
    let client = client(&server.url(""), &server.admin, RetryPolicy::default());
    let err = client.set_key_active(&ids[0], false).await.unwrap_err();
    let failure = Failure::from(err);
    let FailureKind::RateLimited {
        retry_after: Some(wait),
    } = failure.kind
    else {
        panic!("{failure:?}");
    };
    assert!(
        (Duration::from_secs(1)..=Duration::from_secs(30)).contains(&wait),
        "{wait:?}"
    );
    assert!(failure.message.contains("429"), "{}", failure.message);
    assert!(
        active_by_id(&server)[&ids[0]],
        "the refused write changed the key"
    );
}

#[tokio::test]
async fn the_client_retries_a_refused_read_after_retry_after() {
    let server = limited_server(1, Duration::from_secs(2)).await;
    let spent = server
        .admin_call(Method::GET, "/api/vlm/session", None)
        .await;
    assert_eq!(spent.status, StatusCode::OK);

    // Without retries the read is refused: the budget is spent.
    let once = client(&server.url(""), &server.admin, RetryPolicy::never());
    let refused = once.list_keys().await.unwrap_err();
    assert!(
        matches!(
            refused,
            ClientError::RateLimited {
                retry_after: Some(_),
                ..
            }
        ),
        "{refused:?}"
    );
    // With the default policy the same read waits for Retry-After and succeeds.
    let patient = client(&server.url(""), &server.admin, RetryPolicy::default());
    let keys = patient.list_keys().await.unwrap();
    assert!(keys.iter().any(|key| key.app_key == server.admin.app_key));
}

#[tokio::test]
async fn without_a_rate_limit_a_burst_passes() {
    let server = TestServer::start_with(true).await;
    let ids = targets(&active_by_id(&server), &admin_id(&server), BURST);
    let outcomes = burst_of_deactivations(&server.url(""), &server.admin, &ids).await;
    assert!(
        outcomes
            .iter()
            .all(|(_, status, _)| *status == StatusCode::OK),
        "{outcomes:?}"
    );
}

#[test]
fn the_binary_with_rate_limit_2_refuses_a_burst_and_then_lets_requests_pass() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let serving = serve_process::serve(&db, &["--seed-demo", "--rate-limit", "2"]);
    let admin = Creds::from(AdminCredentials::read(&db).unwrap());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let base = serving.base_url.as_str();
        let listing = |creds: Creds| async move {
            let http = reqwest::Client::new();
            http.get(format!("{base}/api/vlm/appkeys"))
                .header("X-VTEX-API-AppKey", &creds.app_key)
                .header("X-VTEX-API-AppToken", &creds.token)
                .send()
                .await
                .unwrap()
        };
        let before: Vec<serde_json::Value> = listing(admin.clone()).await.json().await.unwrap();
        let active: HashMap<String, bool> = before
            .iter()
            .map(|key| {
                (
                    key["id"].as_str().unwrap().to_string(),
                    key["isActive"] == true,
                )
            })
            .collect();
        let admin_id = before
            .iter()
            .find(|key| key["appKey"] == admin.app_key.as_str())
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let ids = targets(&active, &admin_id, BURST);

        let outcomes = burst_of_deactivations(base, &admin, &ids).await;
        let longest = outcomes.iter().filter_map(|(_, _, wait)| *wait).max();
        let Some(wait) = longest else {
            panic!("no 429 in a burst of {BURST} at --rate-limit 2: {outcomes:?}");
        };
        assert!(wait >= 1, "Retry-After {wait}");

        tokio::time::sleep(Duration::from_secs(wait)).await;
        let after = listing(admin.clone()).await;
        assert_eq!(after.status(), StatusCode::OK, "the wait was not enough");
        let after: Vec<serde_json::Value> = after.json().await.unwrap();
        let active: HashMap<String, bool> = after
            .iter()
            .map(|key| {
                (
                    key["id"].as_str().unwrap().to_string(),
                    key["isActive"] == true,
                )
            })
            .collect();
        assert_only_accepted_changed(&outcomes, &active);
    });
    serving.stop();
}
