//! VTEX's rotation guide: a key is renewed while signed in with another key. The server refuses
//! a key renewing itself (400, VLMErrorCode 1007), the CLI and the app present it as that rule;
//! and `whoami` and the app's header show the account's trading name (GET /api/vlm/account).

mod common;

use common::TestServer;
use common::cli;
use common::tui::{AppOptions, start_on};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const RULE: &str = "renew this key while signed in with another key";

fn renew_path(app_key: &str) -> String {
    format!("/api/vtexid/apikey/{app_key}/apitoken/renew")
}

#[tokio::test]
async fn the_server_refuses_a_key_renewing_itself_and_lets_another_key_do_it() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let refused = server
        .admin_call(Method::PATCH, &renew_path(&admin.app_key), None)
        .await;
    // The message only: on the old code this answer holds a new token.
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{}",
        refused.message()
    );
    assert_eq!(refused.body["VLMErrorCode"], 1007);
    assert_eq!(
        refused.message(),
        "A key cannot renew its own token; renew it while signed in with another key."
    );
    assert!(!server.renewal_pending(&admin.app_key).await);

    // Signed in through a login token of the same key is still the same key.
    let login = server
        .call(
            None,
            Method::POST,
            "/api/vtexid/apptoken/login",
            Some(json!({"appkey": admin.app_key, "apptoken": admin.token})),
        )
        .await;
    let user_token = login.body["token"].as_str().unwrap().to_string();
    let through_login = reqwest::Client::new()
        .patch(server.url(&renew_path(&admin.app_key)))
        .header("VtexIdclientAutCookie", user_token)
        .send()
        .await
        .unwrap();
    assert_eq!(through_login.status(), StatusCode::BAD_REQUEST);

    // Another key holding Renew API Token renews the admin key.
    let renewer = server
        .key_with_roles("renewer", &["API Token Renewer"])
        .await;
    let renewed = server
        .call(
            Some(&renewer.creds),
            Method::PATCH,
            &renew_path(&admin.app_key),
            None,
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
    assert!(server.renewal_pending(&admin.app_key).await);
}

#[tokio::test]
async fn the_cli_states_the_rule_for_the_callers_own_key() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let run = cli::run(&server, &admin, &["keys", "renew", &admin.app_key]).await;
    // Found before any request: a usage error, like every check the CLI makes itself.
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains(RULE), "{}", run.stderr);
    assert!(
        !run.stderr.contains("400"),
        "a rule, not an error: {}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    assert!(!server.renewal_pending(&admin.app_key).await);
}

#[tokio::test]
async fn whoami_shows_the_trading_name() {
    let server = TestServer::start_with(true).await;
    let admin = server.admin.clone();
    let run = cli::run(&server, &admin, &["whoami", "--output", "json"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let whoami: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(whoami["tradingName"], "Casa Demo");
    let table = cli::run(&server, &admin, &["whoami"]).await;
    assert!(table.stdout.contains("Casa Demo"), "{}", table.stdout);
}

#[tokio::test]
async fn the_app_shows_the_trading_name_and_dims_renewing_its_own_key() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    let loaded = app
        .wait_for("keys and the account", |f| {
            f.visible_rows == 61 && !f.busy && f.screen.contains("acme (Casa Demo)")
        })
        .await;
    assert!(
        loaded.screen.contains("acme (Casa Demo)"),
        "{}",
        loaded.screen
    );

    app.send("/apikeys admin<Enter>");
    app.wait_for("the caller's own row", |f| {
        f.selected_label.as_deref() == Some("apikeys admin (created on first start)")
    })
    .await;
    app.send("r");
    let refused = app.wait_for("the rule", |f| f.says(RULE)).await;
    assert!(refused.dialog.is_none(), "{:?}", refused.dialog);
    assert!(!server.renewal_pending(&server.admin.app_key).await);
    // The help gives the same reason beside the dimmed binding.
    app.send("?");
    let help = app
        .wait_for("the help", |f| f.dialog.as_deref() == Some("Help"))
        .await;
    // (Wrapped where the help's width says: "signed in" ends one line.)
    assert!(
        help.screen.contains("renew this key while signed in"),
        "{}",
        help.screen
    );
    app.send("<Esc>");

    // Another row renews as before.
    app.send("<Esc>/ERP<Enter>r");
    app.wait_for("the renew dialog", |f| f.dialog.as_deref() == Some("Renew"))
        .await;
    app.send("<Esc>");
    app.wait_for("the dialog closed", |f| f.dialog.is_none())
        .await;
    app.quit().await;
}
