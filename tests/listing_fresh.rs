//! The key listing (now read by table scans joined in Rust, and answered from its last body
//! while the database is unchanged) shows every change at once, keeps its order, and never
//! mixes in another account's keys, tokens or roles.

mod common;

use apikeys::server::store::{Store, accounts, keys, roles};
use common::{ACCOUNT, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const LISTING: &str = "/api/vlm/appkeys?expand=roles,token";

async fn listing(server: &TestServer) -> Vec<Value> {
    let reply = server.admin_call(Method::GET, LISTING, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body.as_array().unwrap().clone()
}

fn find<'a>(keys: &'a [Value], app_key: &str) -> Option<&'a Value> {
    keys.iter().find(|key| key["appKey"] == app_key)
}

fn role_names(key: &Value) -> Vec<&str> {
    key["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn every_change_shows_in_the_next_listing() {
    let server = TestServer::start().await;
    // Twice: the second answer may come from the cache, which the changes below must bust.
    assert_eq!(listing(&server).await.len(), 1);
    assert_eq!(listing(&server).await.len(), 1);

    let key = server
        .key_with_roles("Integração ERP – filial São Paulo", &[])
        .await;
    let app_key = key.creds.app_key.clone();
    let listed = listing(&server).await;
    assert_eq!(
        find(&listed, &app_key).unwrap()["label"],
        "Integração ERP – filial São Paulo"
    );
    assert!(role_names(find(&listed, &app_key).unwrap()).is_empty());

    let role = server.role_id("Catalog editor");
    let put = server
        .admin_call(
            Method::PUT,
            &format!("/api/license-manager/users/{}/roles", key.id),
            Some(json!([role])),
        )
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.text);
    assert_eq!(
        role_names(find(&listing(&server).await, &app_key).unwrap()),
        ["Catalog editor"]
    );

    let put = server
        .admin_call(
            Method::PUT,
            &format!("/api/vlm/appkeys/{}", key.id),
            Some(json!({ "isActive": false })),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    assert_eq!(
        find(&listing(&server).await, &app_key).unwrap()["isActive"],
        false
    );

    let renew = server
        .admin_call(
            Method::PATCH,
            &format!("/api/vtexid/apikey/{app_key}/apitoken/renew"),
            None,
        )
        .await;
    assert_eq!(renew.status, StatusCode::OK, "{}", renew.text);
    assert!(find(&listing(&server).await, &app_key).unwrap()["creationDateNewToken"].is_string());

    let gone = server
        .admin_call(
            Method::DELETE,
            &format!("/api/vlm/appkeys/{}", key.id),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.text);
    assert!(find(&listing(&server).await, &app_key).is_none());
}

#[tokio::test]
async fn a_write_by_another_connection_shows_in_the_next_listing() {
    let server = TestServer::start().await;
    assert_eq!(listing(&server).await.len(), 1);
    assert_eq!(listing(&server).await.len(), 1);
    // The sqlite3 shell or another tool writing the same file, through its own connection.
    let other = Store::open(&server.db).unwrap();
    let app_key = other
        .blocking(|conn| {
            let account_id = accounts::find(conn, ACCOUNT)?.unwrap();
            let now = apikeys::server::time::now_vtex();
            let new = keys::NewKey {
                label: "Written beside the server",
                created_in: &now,
                token_created: &now,
                is_active: true,
                suffix: None,
            };
            Ok(keys::insert(conn, account_id, ACCOUNT, &new)?.0.app_key)
        })
        .unwrap();
    let listed = listing(&server).await;
    assert_eq!(
        find(&listed, &app_key).unwrap()["label"],
        "Written beside the server"
    );
}

/// Inserts `labels` as keys of `account` created in the same instant, each holding `role_names`.
fn same_instant_keys(store: &Store, account: &str, labels: &[&str], role_names: &[&str]) {
    store
        .blocking(|conn| {
            let account_id = accounts::find(conn, account)?.unwrap();
            let held: Vec<_> = role_names
                .iter()
                .map(|name| roles::by_name(conn, account_id, name))
                .collect::<Result<_, _>>()?;
            for label in labels {
                let new = keys::NewKey {
                    label,
                    created_in: "2026-01-02T03:04:05.0000000Z",
                    token_created: "2026-01-02T03:04:05.0000000Z",
                    is_active: true,
                    suffix: None,
                };
                let (record, _) = keys::insert(conn, account_id, account, &new)?;
                let holder = roles::Holder::Generated {
                    id: record.id,
                    app_key: record.app_key,
                };
                roles::assign(conn, &holder, held.clone())?;
            }
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn the_listing_keeps_its_order_and_its_own_account() {
    let server = TestServer::start().await;
    let _other_admin = server.other_account("otherco");
    same_instant_keys(
        server.store(),
        ACCOUNT,
        &["first", "second", "third"],
        &["Marketing manager", "API Keys Viewer", "Catalog editor"],
    );
    same_instant_keys(
        server.store(),
        "otherco",
        &["not ours"],
        &["Catalog editor"],
    );

    let listed = listing(&server).await;
    assert_eq!(
        listed.len(),
        4,
        "the admin key and three of ours, none of otherco's"
    );
    assert!(listed.iter().all(|key| {
        key["appKey"]
            .as_str()
            .unwrap()
            .starts_with("vtexappkey-acme-")
    }));
    // Oldest first; keys of the same instant by id, as the SQL order was.
    let order: Vec<(&str, &str)> = listed
        .iter()
        .map(|key| {
            (
                key["createdIn"].as_str().unwrap(),
                key["id"].as_str().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert_eq!(listed[0]["createdIn"], "2026-01-02T03:04:05.0000000Z");
    for key in &listed[..3] {
        // Roles by name, token dates from this key's own tokens.
        assert_eq!(
            role_names(key),
            ["API Keys Viewer", "Catalog editor", "Marketing manager"]
        );
        assert_eq!(key["creationDateToken"], "2026-01-02T03:04:05.0000000Z");
        assert!(key["creationDateNewToken"].is_null());
    }
}

#[tokio::test]
async fn a_cached_listing_answers_only_the_same_expand() {
    let server = TestServer::start().await;
    // The expanded listing first, twice, so its body is the one kept.
    assert!(listing(&server).await[0].get("roles").is_some());
    assert!(listing(&server).await[0].get("roles").is_some());
    let plain = server
        .admin_call(Method::GET, "/api/vlm/appkeys", None)
        .await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.text);
    let first = &plain.body.as_array().unwrap()[0];
    assert!(
        first.get("roles").is_none() && first.get("creationDateToken").is_none(),
        "the plain listing must not be the expanded body: {first}"
    );
    // And the other order of the same expand is the same question.
    let swapped = server
        .admin_call(Method::GET, "/api/vlm/appkeys?expand=token,roles", None)
        .await;
    assert_eq!(
        swapped.text,
        server.admin_call(Method::GET, LISTING, None).await.text
    );
}
