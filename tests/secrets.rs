//! No token in clear: not in the database file (nor its WAL), not in the request log, not in
//! any answer except the one that issues it.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Creds, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test]
async fn tokens_never_rest_in_clear_nor_reach_the_log() {
    let log = Capture::default();
    let writer = log.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let mut tokens = vec![admin.token.clone()];
    let mut answers = String::new();

    for label in ["ERP", "Marketplace", "BI"] {
        let key = server.key_with_roles(label, &["API Keys Viewer"]).await;
        tokens.push(key.creds.token.clone());
        let renewed = server
            .admin_call(
                Method::PATCH,
                &format!("/api/vtexid/apikey/{}/apitoken/renew", key.creds.app_key),
                None,
            )
            .await;
        tokens.push(renewed.body["newToken"].as_str().unwrap().to_string());
        // Use both tokens, then finish: the old one is deleted from the table.
        for token in &tokens[tokens.len() - 2..] {
            let creds = Creds {
                app_key: key.creds.app_key.clone(),
                token: token.clone(),
            };
            answers += &server
                .get(&creds, "/api/vlm/appkeys?expand=roles,token")
                .await
                .text;
        }
        server
            .admin_call(
                Method::PATCH,
                &format!(
                    "/api/vtexid/apikey/{}/apitoken/finish-renewal",
                    key.creds.app_key
                ),
                None,
            )
            .await;
    }
    // A user token from login is a secret too.
    let login = server
        .call(
            None,
            Method::POST,
            "/api/vtexid/apptoken/login",
            Some(json!({"appkey": admin.app_key, "apptoken": admin.token})),
        )
        .await;
    assert_eq!(login.body["authStatus"], "Success");
    let session = login.body["token"].as_str().unwrap().to_string();
    tokens.push(session.clone());
    let by_session = reqwest::Client::new()
        .get(server.url("/api/vlm/session"))
        .header("VtexIdclientAutCookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(by_session.status(), StatusCode::OK);

    // Wrong and stale tokens are refused without being echoed.
    for token in &tokens {
        let wrong = Creds {
            app_key: "vtexappkey-acme-NOSUCH".into(),
            token: token.clone(),
        };
        answers += &server.get(&wrong, "/api/vlm/appkeys").await.text;
    }
    answers += &server.get(&admin, "/api/vlm/audit?limit=1000").await.text;

    let server_db = server.db.clone();
    let dir = server.dir;
    server.server.shutdown().await.unwrap();

    for token in &tokens {
        assert!(
            !answers.contains(token.as_str()),
            "a token came back in an answer"
        );
        assert!(
            !contains(&log.0.lock().unwrap(), token),
            "a token reached the log"
        );
    }
    let log_text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        log_text.contains("served"),
        "the request log is written: {log_text}"
    );
    assert!(
        log_text.contains(&admin.app_key),
        "the log names the calling key"
    );

    // The database, its WAL and shared-memory files: none holds a token.
    let mut scanned = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path == apikeys::server::bootstrap::credentials_path(&server_db) {
            // This file exists to hold the admin token: it shows the scan finds a token when there is one.
            assert!(contains(&std::fs::read(&path).unwrap(), &admin.token));
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        scanned += bytes.len();
        for token in &tokens {
            assert!(
                !contains(&bytes, token),
                "{} holds a token in clear",
                path.display()
            );
        }
    }
    assert!(scanned > 0);
}
