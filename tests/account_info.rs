//! GET /api/vlm/account beyond its shape (tests/vtex_schemas.rs): who may read it, what an
//! account bootstrapped without names answers, and a database from before migration 3.

mod common;

use apikeys::vtex::{ClientOptions, Credentials, VtexClient};
use common::{ACCOUNT, Creds, TestServer};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;

fn client(server: &TestServer, creds: &Creds) -> VtexClient {
    VtexClient::new(
        url::Url::parse(&server.url("")).unwrap(),
        Credentials {
            app_key: creds.app_key.clone(),
            app_token: SecretString::from(creds.token.clone()),
        },
        ClientOptions::default(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_bootstrapped_account_is_named_after_itself_and_shows_no_trading_name() {
    let server = TestServer::start().await;
    let answer = server.get(&server.admin, "/api/vlm/account").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(answer.body["accountName"], ACCOUNT);
    assert_eq!(answer.body["tradingName"], ACCOUNT);
    assert_eq!(answer.body["companyName"], ACCOUNT);
    // The only key is the admin's, and its token is never in the answer.
    assert_eq!(
        answer.body["appKeys"][0]["appKey"],
        server.admin.app_key.as_str()
    );
    assert!(!answer.text.contains(&server.admin.token));

    // A trading name equal to the account name says nothing more: the header omits it.
    let account = client(&server, &server.admin).account().await.unwrap();
    assert_eq!(account.shown_name(), None);
}

#[tokio::test]
async fn account_information_needs_view_api_keys() {
    let server = TestServer::start().await;
    let renewer = server
        .key_with_roles("renewer", &["API Token Renewer"])
        .await;
    let answer = server.get(&renewer.creds, "/api/vlm/account").await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
    assert_eq!(answer.body["VLMErrorCode"], 1002);
    assert!(
        answer.message().contains("View API Keys"),
        "{}",
        answer.text
    );
}

#[tokio::test]
async fn a_database_from_before_migration_3_gains_the_names_and_falls_back_to_the_account() {
    let server = TestServer::start().await;
    // Turn the file back into schema version 2: no name columns.
    server
        .store()
        .blocking(|conn| {
            conn.execute_batch(
                "ALTER TABLE accounts DROP COLUMN company_name;
                 ALTER TABLE accounts DROP COLUMN trading_name;
                 PRAGMA user_version = 2;",
            )?;
            Ok(())
        })
        .unwrap();
    let server = server.restart().await;
    let version: i64 = server
        .store()
        .blocking(|conn| Ok(conn.query_row("PRAGMA user_version", [], |row| row.get(0))?))
        .unwrap();
    assert_eq!(version, 3);
    let answer = server.get(&server.admin, "/api/vlm/account").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(answer.body["tradingName"], ACCOUNT);
    assert_eq!(answer.body["companyName"], ACCOUNT);
    let listed = server
        .admin_call(Method::GET, "/api/vlm/appkeys", None)
        .await;
    assert_eq!(listed.status, StatusCode::OK, "the rest still works");
}
