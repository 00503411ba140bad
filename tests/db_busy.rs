//! Another process on the database file: a write waits for a brief lock and succeeds, is
//! answered 503 with Retry-After (never 500) past the busy timeout, and a second `serve` on the
//! same file refuses to start.

mod common;
#[path = "support/serve_process.rs"]
mod serve_process;

use std::time::Duration;

use common::TestServer;
use reqwest::StatusCode;
use rusqlite::Connection;
use serde_json::json;

/// The server's busy timeout is 5 s: held 1 s the write waits, held 9 s it gives up.
const BRIEF: Duration = Duration::from_secs(1);
const PAST_THE_TIMEOUT: Duration = Duration::from_secs(9);

/// Holds the database's write lock from another connection (as the `sqlite3` shell or a
/// backup would) for `hold`, on a thread of its own.
fn hold_write_lock(db: &std::path::Path, hold: Duration) -> std::thread::JoinHandle<()> {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(hold);
        conn.execute_batch("COMMIT").unwrap();
    })
}

async fn create_key(server: &TestServer, label: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url("/api/vlm/appkeys"))
        .header("X-VTEX-API-AppKey", &server.admin.app_key)
        .header("X-VTEX-API-AppToken", &server.admin.token)
        .json(&json!({ "label": label }))
        .send()
        .await
        .unwrap()
}

async fn labels(server: &TestServer) -> Vec<String> {
    let list = server
        .admin_call(reqwest::Method::GET, "/api/vlm/appkeys", None)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    list.body
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["label"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_write_waits_for_a_brief_lock_and_succeeds() {
    let server = TestServer::start().await;
    let holder = hold_write_lock(&server.db, BRIEF);
    let response = create_key(&server, "made while locked").await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    holder.join().unwrap();
    assert!(
        labels(&server)
            .await
            .contains(&"made while locked".to_string())
    );
}

#[tokio::test]
async fn a_write_past_the_busy_timeout_is_503_with_retry_after() {
    let server = TestServer::start().await;
    let holder = hold_write_lock(&server.db, PAST_THE_TIMEOUT);
    let response = create_key(&server, "never made").await;
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        retry_after.is_some_and(|secs| secs >= 1),
        "Retry-After: {retry_after:?}"
    );
    assert!(body["Message"].as_str().unwrap().contains("busy"), "{body}");
    holder.join().unwrap();
    assert!(!labels(&server).await.contains(&"never made".to_string()));
}

#[tokio::test]
async fn a_second_serve_on_the_same_database_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.sqlite3");
    let first = serve_process::serve(&db, &[]);
    let mut second = serve_process::command(&db, &[]).spawn().unwrap();
    let (status, stderr) = serve_process::wait(&mut second, Duration::from_secs(30));
    let status = status.expect("the second server must exit on its own, not serve");
    assert!(!status.success(), "{stderr}");
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The first one still serves.
    let creds: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("shared.sqlite3.admin.json")).unwrap(),
    )
    .unwrap();
    let session = reqwest::Client::new()
        .get(format!("{}/api/vlm/session", first.base_url))
        .header("X-VTEX-API-AppKey", creds["appKey"].as_str().unwrap())
        .header("X-VTEX-API-AppToken", creds["appToken"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), StatusCode::OK);
    first.stop();
}
