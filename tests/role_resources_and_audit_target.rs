//! Two extensions over real HTTP: the role list with `expand=resources` says which API-key
//! resources each role grants (and `apikeys roles list` shows them), and the audit trail's
//! `target` takes a key's id as the contract says, not only its appKey.

mod common;

use common::TestServer;
use common::cli::run;
use reqwest::{Method, StatusCode};
use serde_json::Value;

const ROLES: &str = "/api/license-manager/site/pvt/roles/list/paged?numItems=100";

fn role<'a>(page: &'a Value, name: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|role| role["name"] == name)
        .unwrap_or_else(|| panic!("no role {name}"))
}

#[tokio::test]
async fn the_role_list_says_which_api_key_resources_each_role_grants() {
    let server = TestServer::start().await;
    let plain = server.admin_call(Method::GET, ROLES, None).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.text);
    assert!(
        !plain.text.contains("apiKeyResources"),
        "without expand the answer is VTEX's shape"
    );

    let expanded = server
        .admin_call(Method::GET, &format!("{ROLES}&expand=resources"), None)
        .await;
    assert_eq!(expanded.status, StatusCode::OK, "{}", expanded.text);
    let all = [
        "ViewApiKeys",
        "EditApiKeys",
        "RenewApiToken",
        "EditApiKeysSettings",
    ];
    assert_eq!(
        role(&expanded.body, "Owner (Admin Super)")["apiKeyResources"],
        serde_json::json!(all)
    );
    assert_eq!(
        role(&expanded.body, "User Administrator - RESTRICTED")["apiKeyResources"],
        serde_json::json!(all)
    );
    assert_eq!(
        role(&expanded.body, "API Token Renewer")["apiKeyResources"],
        serde_json::json!(["RenewApiToken"])
    );
    assert_eq!(
        role(&expanded.body, "Catalog editor")["apiKeyResources"],
        serde_json::json!([])
    );

    let unknown = server
        .admin_call(Method::GET, &format!("{ROLES}&expand=everything"), None)
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn roles_list_shows_the_four_permissions_per_role() {
    let server = TestServer::start().await;
    let table = run(&server, &server.admin, &["roles", "list"]).await;
    assert_eq!(table.status, 0, "{}", table.stderr);
    assert!(
        table.stdout.lines().next().unwrap().contains("API KEYS"),
        "{}",
        table.stdout
    );
    let line = |name: &str| {
        table
            .stdout
            .lines()
            .find(|line| line.contains(name))
            .unwrap_or_else(|| panic!("{name} missing:\n{}", table.stdout))
            .to_string()
    };
    assert!(
        line("API Keys Viewer").contains(" View "),
        "{}",
        table.stdout
    );
    assert!(
        line("API Token Renewer").contains(" Renew "),
        "{}",
        table.stdout
    );
    assert!(
        line("User Administrator").contains("View, Edit, Renew, Edit settings"),
        "{}",
        table.stdout
    );

    let json = run(
        &server,
        &server.admin,
        &["roles", "list", "--output", "json"],
    )
    .await;
    let roles: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
    let viewer = roles
        .iter()
        .find(|r| r["name"] == "API Keys Viewer")
        .unwrap();
    assert_eq!(
        viewer["apiKeyResources"],
        serde_json::json!(["ViewApiKeys"])
    );
    assert!(
        viewer.get("products").is_some(),
        "VTEX's fields stay as they are"
    );

    let csv = run(
        &server,
        &server.admin,
        &["roles", "list", "--output", "csv"],
    )
    .await;
    assert!(
        csv.stdout
            .lines()
            .next()
            .unwrap()
            .contains("apiKeyResources"),
        "{}",
        csv.stdout
    );
    assert!(csv.stdout.contains(",RenewApiToken,"), "{}", csv.stdout);
}

#[tokio::test]
async fn the_audit_target_takes_a_key_id_as_well_as_its_app_key() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Targeted", &["Catalog editor"]).await;
    let by = |target: String| {
        let server = &server;
        async move {
            let reply = server
                .admin_call(
                    Method::GET,
                    &format!("/api/vlm/audit?target={target}"),
                    None,
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
            reply.body.as_array().unwrap().clone()
        }
    };
    let by_app_key = by(key.creds.app_key.clone()).await;
    assert_eq!(by_app_key.len(), 2, "create and roles.add");
    let by_id = by(key.id.clone()).await;
    assert_eq!(by_id, by_app_key);
    assert!(by("no-such-id".into()).await.is_empty());
}
