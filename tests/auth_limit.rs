//! Failed authentication is limited per source address: past 20 a minute, that source gets
//! 429 with Retry-After (even with a correct token), others are unaffected; the limiting is
//! logged without any token. Login sessions are capped per key; expired ones are purged.

mod common;
#[path = "support/serve_process.rs"]
mod serve_process;

use std::net::IpAddr;

use common::{Creds, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// The server's limit: failed authentications per source per minute.
const LIMIT: usize = 20;
/// Live sessions one key may hold, and more logins than that.
const SESSION_CAP: i64 = 20;
const LOGINS: usize = 30;
/// A fixed fake token: wrong for every key, and easy to look for in a log.
const WRONG_TOKEN: &str = "WRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONGXX";

fn client_from(last_octet: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::from([127, 0, 0, last_octet]))
        .build()
        .unwrap()
}

async fn session(client: &reqwest::Client, base: &str, creds: &Creds) -> reqwest::Response {
    client
        .get(format!("{base}/api/vlm/session"))
        .header("X-VTEX-API-AppKey", &creds.app_key)
        .header("X-VTEX-API-AppToken", &creds.token)
        .send()
        .await
        .unwrap()
}

fn wrong(admin: &Creds) -> Creds {
    Creds {
        app_key: admin.app_key.clone(),
        token: WRONG_TOKEN.into(),
    }
}

fn retry_after(response: &reqwest::Response) -> Option<u64> {
    response
        .headers()
        .get("retry-after")?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

#[tokio::test]
async fn failed_authentication_is_limited_for_that_source_only() {
    let server = TestServer::start().await;
    let base = server.server.base_url();
    let (guesser, neighbour) = (client_from(1), client_from(2));
    let wrong = wrong(&server.admin);
    for attempt in 0..LIMIT {
        let status = session(&guesser, &base, &wrong).await.status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let limited = session(&guesser, &base, &wrong).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let secs = retry_after(&limited).expect("a 429 carries Retry-After");
    assert!((1..=60).contains(&secs), "Retry-After: {secs}");
    // Limited means limited: a right token from that source does not tell it apart.
    let right = session(&guesser, &base, &server.admin).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another source is unaffected, for right and wrong tokens alike.
    assert_eq!(
        session(&neighbour, &base, &server.admin).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        session(&neighbour, &base, &wrong).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn failed_logins_count_towards_the_limit() {
    let server = TestServer::start().await;
    let base = server.server.base_url();
    let guesser = client_from(1);
    let login = |token: &str| {
        guesser
            .post(format!("{base}/api/vtexid/apptoken/login"))
            .json(&json!({"appkey": server.admin.app_key, "apptoken": token}))
            .send()
    };
    for attempt in 0..LIMIT {
        let response = login(WRONG_TOKEN).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "attempt {attempt}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["authStatus"], "WrongCredentials");
    }
    let limited = login(&server.admin.token).await.unwrap();
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&limited).is_some());
}

fn session_rows(server: &TestServer) -> i64 {
    server
        .store()
        .blocking(|conn| Ok(conn.query_row("SELECT count(*) FROM sessions", [], |row| row.get(0))?))
        .unwrap()
}

async fn login(server: &TestServer) -> String {
    let reply = server
        .call(
            None,
            Method::POST,
            "/api/vtexid/apptoken/login",
            Some(json!({"appkey": server.admin.app_key, "apptoken": server.admin.token})),
        )
        .await;
    assert_eq!(reply.body["authStatus"], "Success", "{}", reply.text);
    reply.body["token"].as_str().unwrap().to_string()
}

async fn with_user_token(server: &TestServer, token: &str) -> StatusCode {
    reqwest::Client::new()
        .get(server.url("/api/vlm/session"))
        .header("VtexIdclientAutCookie", token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn live_sessions_are_capped_per_key_and_expired_ones_purged() {
    let server = TestServer::start().await;
    // An expired session, as a day-old login leaves it.
    server
        .store()
        .blocking(|conn| {
            let key_id: String = conn.query_row("SELECT id FROM app_keys LIMIT 1", [], |r| r.get(0))?;
            conn.execute(
                "INSERT INTO sessions (token_hash, key_id, expires_at, source_hash) VALUES (x'00', ?1, 1, x'00')",
                [key_id],
            )?;
            Ok(())
        })
        .unwrap();
    let mut tokens = Vec::new();
    for _ in 0..LOGINS {
        tokens.push(login(&server).await);
    }
    let rows = session_rows(&server);
    assert!(
        rows <= SESSION_CAP,
        "{rows} session rows after {LOGINS} logins"
    );
    let expired: i64 = server
        .store()
        .blocking(|conn| {
            Ok(conn.query_row(
                "SELECT count(*) FROM sessions WHERE expires_at <= 1",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(expired, 0, "the expired session is purged");
    assert_eq!(
        with_user_token(&server, &tokens[LOGINS - 1]).await,
        StatusCode::OK
    );
    assert_eq!(
        with_user_token(&server, &tokens[0]).await,
        StatusCode::UNAUTHORIZED,
        "the oldest session makes room for the newest"
    );
}

#[tokio::test]
async fn the_limiting_is_logged_without_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("limit.sqlite3");
    let serving = serve_process::serve(&db, &[]);
    let app_key = serde_json::from_str::<serde_json::Value>(
        &std::fs::read_to_string(dir.path().join("limit.sqlite3.admin.json")).unwrap(),
    )
    .unwrap()["appKey"]
        .as_str()
        .unwrap()
        .to_string();
    let creds = Creds {
        app_key,
        token: WRONG_TOKEN.into(),
    };
    let client = client_from(1);
    let mut statuses = Vec::new();
    for _ in 0..=LIMIT {
        statuses.push(session(&client, &serving.base_url, &creds).await.status());
    }
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    let log = serving.stop();
    assert!(log.contains("too many failed authentications"), "{log}");
    assert!(
        log.contains("127.0.0.1"),
        "the line names the source: {log}"
    );
    assert!(
        !log.contains(&WRONG_TOKEN[..20]),
        "a token reached the log: {log}"
    );
}
