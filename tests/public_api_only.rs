//! `apikeys serve --public-api-only`: a stand-in for VTEX whose tokens really work. Against it,
//! over real HTTP: VTEX's documented operations behave as on the full server (renew → both
//! tokens log in, finish → only the new one), every extension answers VTEX's empty 404, the
//! `expand` extension is ignored, the client and the CLI see "no extensions", and VTEX's own
//! specs still accept the answers. Which operations are extensions is read from
//! assets/openapi.yaml, never from a list kept here.

mod common;
#[path = "support/serve_process.rs"]
mod serve_process;
#[path = "support/vtex_spec.rs"]
mod vtex_spec;

use std::collections::BTreeSet;

use apikeys::server::bootstrap::AdminCredentials;
use apikeys::vtex::{ClientError, ClientOptions, Credentials, VtexClient};
use common::{Creds, TestKey, TestServer};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use serde_norway::Value as Yaml;
use vtex_spec::Specs;

const CONTRACT: &str = include_str!("../assets/openapi.yaml");

/// The fields of a listed key in VTEX's own shape (its spec's Getappkeysfromaccount).
const VTEX_LISTING_FIELDS: [&str; 5] = ["id", "appKey", "label", "createdIn", "isActive"];

/// Every (METHOD, path) of the contract, with whether it is marked `x-apikeys-extension`.
fn contract_operations() -> Vec<((String, String), bool)> {
    let doc: Yaml = serde_norway::from_str(CONTRACT).expect("assets/openapi.yaml is YAML");
    let paths = doc["paths"].as_mapping().expect("the contract has paths");
    let mut operations = Vec::new();
    for (path, item) in paths {
        let path = path.as_str().unwrap().to_string();
        for (method, operation) in item.as_mapping().unwrap() {
            let method = method.as_str().unwrap();
            if ["get", "put", "post", "patch", "delete"].contains(&method) {
                let extension =
                    operation.get("x-apikeys-extension").and_then(Yaml::as_bool) == Some(true);
                operations.push(((method.to_ascii_uppercase(), path.clone()), extension));
            }
        }
    }
    operations
}

fn client(base_url: &str, creds: &Creds) -> VtexClient {
    VtexClient::new(
        url::Url::parse(base_url).unwrap(),
        Credentials {
            app_key: creds.app_key.clone(),
            app_token: SecretString::from(creds.token.clone()),
        },
        ClientOptions::default(),
    )
    .unwrap()
}

/// A key of this test's own, with a renewal pending (so undo-renewal would have work to do).
async fn key_pending_renewal(server: &TestServer) -> TestKey {
    let key = server.key_with_roles("stand-in", &[]).await;
    let renewed = server
        .admin_call(
            Method::PATCH,
            &format!("/api/vtexid/apikey/{}/apitoken/renew", key.creds.app_key),
            None,
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "renew: {}", renewed.status);
    key
}

/// A contract path with its parameters filled in for `key`.
fn concrete(path: &str, key: &TestKey) -> String {
    path.replace("{id}", &key.id)
        .replace("{apiKey}", &key.creds.app_key)
        .replace("{userId}", &key.id)
}

#[test]
fn the_public_operations_are_the_ones_the_contract_does_not_mark() {
    let from_contract: BTreeSet<(String, String)> = contract_operations()
        .into_iter()
        .filter(|(_, extension)| !extension)
        .map(|(operation, _)| operation)
        .collect();
    let served: BTreeSet<(String, String)> = apikeys::server::api::public_operations()
        .into_iter()
        .collect();
    assert_eq!(served, from_contract);
    assert!(
        served.len() < apikeys::server::api::operations().len(),
        "the full server has extensions the public one lacks"
    );
}

#[tokio::test]
async fn every_extension_and_unknown_path_answers_an_empty_404() {
    let server = TestServer::start_public_only().await;
    let key = key_pending_renewal(&server).await;
    let extensions: Vec<(String, String)> = contract_operations()
        .into_iter()
        .filter(|(_, extension)| *extension)
        .map(|(operation, _)| operation)
        .collect();
    assert!(extensions.len() >= 10, "{extensions:?}");
    let mut unknown = vec![
        ("GET".to_string(), "/api/vlm/no-such-thing".to_string()),
        ("GET".to_string(), "/".to_string()),
    ];
    unknown.extend(extensions);
    for (method, path) in unknown {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        // A body the full server would accept, so only the missing route can refuse it.
        let body = matches!(method, Method::PUT | Method::POST).then(|| json!({"enabled": true}));
        let answer = server
            .admin_call(method.clone(), &concrete(&path, &key), body)
            .await;
        assert_eq!(
            (answer.status, answer.text.as_str()),
            (StatusCode::NOT_FOUND, ""),
            "{method} {path} must answer VTEX's empty 404"
        );
    }
    // Nothing happened: the key is still there and its renewal still pending.
    assert!(server.renewal_pending(&key.creds.app_key).await);
    assert!(
        server
            .login_works(&key.creds.app_key, &key.creds.token)
            .await
    );
}

#[tokio::test]
async fn renew_then_finish_with_real_tokens() {
    let server = TestServer::start_public_only().await;
    let key = server.key_with_roles("integration", &[]).await;
    let admin = client(&server.url(""), &server.admin);
    let renewal = admin.renew(&key.creds.app_key).await.unwrap();
    let new_token = renewal.new_token.expect("renew hands out the new token");
    let (app_key, old_token) = (&key.creds.app_key, &key.creds.token);
    assert!(server.login_works(app_key, old_token).await, "old token");
    assert!(
        server.login_works(app_key, new_token.expose_secret()).await,
        "new token"
    );
    assert!(server.renewal_pending(app_key).await);

    admin.finish_renewal(app_key).await.unwrap();
    assert!(!server.login_works(app_key, old_token).await, "old token");
    assert!(
        server.login_works(app_key, new_token.expose_secret()).await,
        "new token"
    );
    assert!(!server.renewal_pending(app_key).await);
}

#[tokio::test]
async fn expand_is_ignored_as_vtex_ignores_it() {
    let server = TestServer::start_public_only().await;
    key_pending_renewal(&server).await;
    for query in [
        "",
        "?expand=roles,token",
        "?expand=roles",
        "?expand=nonsense",
    ] {
        let listed = server
            .get(&server.admin, &format!("/api/vlm/appkeys{query}"))
            .await;
        assert_eq!(listed.status, StatusCode::OK, "{query}: {}", listed.text);
        let keys = listed.body.as_array().expect("a listing");
        assert!(keys.len() > 60, "the demo seed");
        for key in keys {
            let fields: BTreeSet<&str> = key
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(fields, BTreeSet::from(VTEX_LISTING_FIELDS), "{query}");
        }
    }
    let roles = server
        .get(
            &server.admin,
            "/api/license-manager/site/pvt/roles/list/paged?expand=resources",
        )
        .await;
    assert_eq!(roles.status, StatusCode::OK, "{}", roles.text);
    let items = roles.body["items"].as_array().expect("a page of roles");
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|role| role.get("apiKeyResources").is_none()),
        "{}",
        roles.text
    );
}

#[tokio::test]
async fn the_client_sees_no_extensions_and_cannot_undo() {
    let server = TestServer::start_public_only().await;
    let key = key_pending_renewal(&server).await;
    let admin = client(&server.url(""), &server.admin);
    let capabilities = admin.capabilities().await.unwrap();
    assert!(!capabilities.extensions);
    assert!(capabilities.session.is_none());
    match admin.undo_renewal(&key.creds.app_key).await {
        Err(ClientError::ExtensionUnavailable { .. }) => {}
        other => panic!("undo must be unavailable, got {other:?}"),
    }
    // The documented listing still works, without roles or token dates.
    let keys = admin.list_keys().await.unwrap();
    assert!(
        keys.iter()
            .any(|listed| listed.app_key == key.creds.app_key)
    );
    assert!(server.renewal_pending(&key.creds.app_key).await);
}

#[tokio::test]
async fn the_cli_says_undo_needs_the_extension_and_exits_1() {
    let server = TestServer::start_public_only().await;
    let key = key_pending_renewal(&server).await;
    let run = common::cli::run(
        &server,
        &server.admin,
        &["keys", "undo-renewal", &key.creds.app_key],
    )
    .await;
    assert_eq!(run.status, 1, "stderr: {}", run.stderr);
    assert!(
        run.stderr
            .contains("needs the apikeys server extension, which this server does not offer"),
        "stderr: {}",
        run.stderr
    );
    assert!(server.renewal_pending(&key.creds.app_key).await);
}

/// The documented answers of the stand-in, checked against VTEX's published schemas.
#[tokio::test]
async fn documented_answers_still_match_vtex_specs() {
    let server = TestServer::start_public_only().await;
    let specs = Specs::load();
    let listed = server
        .get(&server.admin, "/api/vlm/appkeys?expand=roles,token")
        .await;
    specs.check("GET", "/api/vlm/appkeys", 200, &listed);
    let key = server.key_with_roles("schema", &["API Keys Viewer"]).await;
    let roles = "/api/license-manager/users/{userId}/roles";
    let of_key = server.get(&server.admin, &concrete(roles, &key)).await;
    specs.check("GET", roles, 200, &of_key);
    let paged = "/api/license-manager/site/pvt/roles/list/paged";
    let page = server
        .get(&server.admin, &format!("{paged}?expand=resources"))
        .await;
    specs.check("GET", paged, 200, &page);
    let account = server.get(&server.admin, "/api/vlm/account").await;
    specs.check("GET", "/api/vlm/account", 200, &account);

    let renew = "/api/vtexid/apikey/{apiKey}/apitoken/renew";
    let renewed = server
        .admin_call(Method::PATCH, &concrete(renew, &key), None)
        .await;
    specs.check("PATCH", renew, 200, &renewed);
    let finish = "/api/vtexid/apikey/{apiKey}/apitoken/finish-renewal";
    let finished = server
        .admin_call(Method::PATCH, &concrete(finish, &key), None)
        .await;
    specs.check("PATCH", finish, 200, &finished);
    let none_pending = server
        .admin_call(Method::PATCH, &concrete(finish, &key), None)
        .await;
    specs.check("PATCH", finish, 404, &none_pending);
}

/// The real binary with the flag: its startup line says so, and it serves the public API only.
#[tokio::test]
async fn the_binary_serves_the_public_api_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("standin.sqlite3");
    let serving = serve_process::serve(&db, &["--public-api-only"]);
    assert!(
        serving.listening_line.contains("(VTEX's public API only)"),
        "{}",
        serving.listening_line
    );
    let admin: Creds = AdminCredentials::read(&db).unwrap().into();
    let http = reqwest::Client::new();
    let get = |path: &str| {
        http.get(format!("{}{path}", serving.base_url))
            .header("X-VTEX-API-AppKey", &admin.app_key)
            .header("X-VTEX-API-AppToken", &admin.token)
            .send()
    };
    let session = get("/api/vlm/session").await.unwrap();
    assert_eq!(session.status(), StatusCode::NOT_FOUND);
    assert_eq!(session.text().await.unwrap(), "");
    let listed = get("/api/vlm/appkeys?expand=roles,token").await.unwrap();
    assert_eq!(listed.status(), StatusCode::OK);
    let keys: Value = listed.json().await.unwrap();
    assert!(keys[0].get("creationDateToken").is_none(), "{keys}");
    let capabilities = client(&serving.base_url, &admin)
        .capabilities()
        .await
        .unwrap();
    assert!(!capabilities.extensions);
    serving.stop();
}
