//! Every answer of every operation VTEX documents, validated against VTEX's own published
//! schemas (tests/vtex-specs, vendored from vtex/openapi-schemas), on the demo seed: each
//! documented status the server can produce is provoked and its body checked.
//!
//! How the OpenAPI 3.0 schemas become JSON Schema: the whole spec document is the root, so its
//! `#/components/schemas/…` references resolve, with a `$ref` to the response schema under
//! test; OpenAPI's `nullable: true` (not JSON Schema) becomes `type: [T, "null"]`. The specs
//! never forbid additional properties, so our `expand=roles,token` fields are allowed while the
//! documented ones must still validate.

mod common;
#[path = "support/vtex_spec.rs"]
mod vtex_spec;

use std::collections::BTreeSet;

use common::{Creds, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use vtex_spec::Specs;

const CONTRACT: &str = include_str!("../assets/openapi.yaml");

async fn demo() -> (TestServer, Specs) {
    (TestServer::start_with(true).await, Specs::load())
}

/// A seeded key of the listing, chosen by whether a renewal is pending.
async fn seeded_key(server: &TestServer, pending: bool) -> Value {
    let listed = server
        .admin_call(Method::GET, "/api/vlm/appkeys?expand=roles,token", None)
        .await;
    listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|key| {
            key["appKey"] != json!(server.admin.app_key)
                && key["creationDateNewToken"].is_string() == pending
        })
        .cloned()
        .expect("the demo seed has keys with and without a pending renewal")
}

#[tokio::test]
async fn key_listing_and_creation_match_vtex() {
    let (server, specs) = demo().await;
    let listed = server.get(&server.admin, "/api/vlm/appkeys").await;
    specs.check("GET", "/api/vlm/appkeys", 200, &listed);
    assert!(listed.body.as_array().unwrap().len() > 60, "the demo seed");
    // Our expand=roles,token adds fields; VTEX's documented ones must still validate.
    let expanded = server
        .get(&server.admin, "/api/vlm/appkeys?expand=roles,token")
        .await;
    specs.check("GET", "/api/vlm/appkeys", 200, &expanded);
    assert!(
        expanded.body[0]["roles"].is_array() && expanded.body[0]["creationDateToken"].is_string()
    );

    let created = server
        .admin_call(
            Method::POST,
            "/api/vlm/appkeys",
            Some(json!({"label": "schema check"})),
        )
        .await;
    specs.check("POST", "/api/vlm/appkeys", 200, &created);
}

#[tokio::test]
async fn key_status_answers_match_vtex_including_its_400() {
    let (server, specs) = demo().await;
    let key = seeded_key(&server, false).await;
    let path = format!("/api/vlm/appkeys/{}", key["id"].as_str().unwrap());
    let done = server
        .admin_call(Method::PUT, &path, Some(json!({"isActive": false})))
        .await;
    specs.check("PUT", "/api/vlm/appkeys/{id}", 200, &done);

    // VTEX's VLMError makes VLMErrorCode an integer: a null code is a deviation.
    let refused = server
        .admin_call(Method::PUT, &path, Some(json!({"isActive": "no"})))
        .await;
    specs.check("PUT", "/api/vlm/appkeys/{id}", 400, &refused);
    assert!(refused.body["VLMErrorCode"].is_u64(), "{}", refused.text);
    // A key this account does not have: VTEX's own code 17 (the status stays our 404).
    let unknown = server
        .admin_call(
            Method::PUT,
            "/api/vlm/appkeys/no-such-key",
            Some(json!({"isActive": false})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);
    assert_eq!(unknown.body["VLMErrorCode"], 17);
}

/// Every error the server writes is a VLMError by VTEX's schema, with the code of its kind.
#[tokio::test]
async fn every_kind_of_error_carries_an_integer_code() {
    let (server, specs) = demo().await;
    let viewer = server.key_with_roles("viewer", &["API Keys Viewer"]).await;
    let big = json!({ "label": "x".repeat(70 * 1024) });
    let cases = [
        (None, Method::GET, "/api/vlm/appkeys", None, 401, 1001),
        (
            Some(&viewer.creds),
            Method::POST,
            "/api/vlm/appkeys",
            Some(json!({"label": "x"})),
            403,
            1002,
        ),
        (
            Some(&server.admin),
            Method::GET,
            "/api/vlm/nothing-here",
            None,
            404,
            1003,
        ),
        (
            Some(&server.admin),
            Method::PATCH,
            "/api/vlm/appkeys",
            None,
            405,
            1004,
        ),
        (
            Some(&server.admin),
            Method::POST,
            "/api/vlm/appkeys",
            Some(big),
            413,
            1006,
        ),
        (
            Some(&server.admin),
            Method::GET,
            "/api/vlm/appkeys?expand=nope",
            None,
            400,
            1000,
        ),
    ];
    let vlm = specs.license_manager.document["components"]["schemas"]["VLMError"].clone();
    for (creds, method, path, body, status, code) in cases {
        let answer = server.call(creds, method.clone(), path, body).await;
        assert_eq!(
            answer.status.as_u16(),
            status,
            "{method} {path}: {}",
            answer.text
        );
        assert_eq!(
            answer.body["VLMErrorCode"], code,
            "{method} {path}: {}",
            answer.text
        );
        assert_eq!(answer.body["HttpStatusCode"], status);
        let errors = specs.license_manager.errors(vlm.clone(), &answer.body);
        assert!(errors.is_empty(), "{method} {path}: {errors:?}");
    }
}

#[tokio::test]
async fn role_answers_match_vtex() {
    let (server, specs) = demo().await;
    let key = seeded_key(&server, false).await;
    let id = key["id"].as_str().unwrap();
    let roles_path = format!("/api/license-manager/users/{id}/roles");
    let template = "/api/license-manager/users/{userId}/roles";

    let of_key = server.get(&server.admin, &roles_path).await;
    specs.check("GET", template, 200, &of_key);

    let role = server.role_id("API Keys Viewer");
    let added = server
        .admin_call(Method::PUT, &roles_path, Some(json!([role])))
        .await;
    specs.check("PUT", template, 204, &added);
    let unknown = server
        .admin_call(Method::PUT, &roles_path, Some(json!([999_999])))
        .await;
    specs.check("PUT", template, 400, &unknown);
    // VTEX documents a 500 for an unknown user; this server must never answer 500, and
    // answers an unknown key with 404.
    let no_such_user = server
        .admin_call(
            Method::PUT,
            "/api/license-manager/users/no-such-key/roles",
            Some(json!([role])),
        )
        .await;
    assert_eq!(
        no_such_user.status,
        StatusCode::NOT_FOUND,
        "{}",
        no_such_user.text
    );

    let remove = "/api/license-manager/users/{userId}/roles/{roleId}";
    let removed = server
        .admin_call(Method::DELETE, &format!("{roles_path}/{role}"), None)
        .await;
    specs.check("DELETE", remove, 204, &removed);
    let bad_role = server
        .admin_call(Method::DELETE, &format!("{roles_path}/not-a-number"), None)
        .await;
    specs.check("DELETE", remove, 400, &bad_role);
    // VTEX's 405 for this DELETE cannot happen here: the method is routed.

    let paged = server
        .get(
            &server.admin,
            "/api/license-manager/site/pvt/roles/list/paged?numItems=5&pageNumber=2&sort=name&sortType=DSC",
        )
        .await;
    specs.check(
        "GET",
        "/api/license-manager/site/pvt/roles/list/paged",
        200,
        &paged,
    );
}

#[tokio::test]
async fn account_information_matches_vtex_account_response() {
    let (server, specs) = demo().await;
    let account = server.get(&server.admin, "/api/vlm/account").await;
    specs.check("GET", "/api/vlm/account", 200, &account);
    assert_eq!(account.body["accountName"], common::ACCOUNT);
    assert_eq!(account.body["tradingName"], "Casa Demo");
    assert_eq!(
        account.body["companyName"],
        "Casa Demo Comércio Eletrônico Ltda."
    );
    assert_eq!(account.body["isActive"], true);
    let products: Vec<&str> = account.body["licenses"][0]["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        products.contains(&"License Manager") && products.contains(&"OMS"),
        "{products:?}"
    );
    let keys = account.body["appKeys"].as_array().unwrap();
    assert!(keys.len() > 60 && keys.iter().all(|key| key["appToken"].is_null()));
}

#[tokio::test]
async fn renewal_answers_match_vtex_id() {
    let (server, specs) = demo().await;
    let renew = "/api/vtexid/apikey/{apiKey}/apitoken/renew";
    let finish = "/api/vtexid/apikey/{apiKey}/apitoken/finish-renewal";
    let path = |key: &Value, action: &str| {
        format!(
            "/api/vtexid/apikey/{}/apitoken/{action}",
            key["appKey"].as_str().unwrap()
        )
    };
    let fresh = seeded_key(&server, false).await;
    let renewed = server
        .admin_call(Method::PATCH, &path(&fresh, "renew"), None)
        .await;
    specs.check("PATCH", renew, 200, &renewed);
    let again = server
        .admin_call(Method::PATCH, &path(&fresh, "renew"), None)
        .await;
    specs.check("PATCH", renew, 409, &again);
    // VTEX's rotation guide: a key is renewed with another key, never by itself.
    let own = json!({ "appKey": server.admin.app_key });
    let itself = server
        .admin_call(Method::PATCH, &path(&own, "renew"), None)
        .await;
    specs.check("PATCH", renew, 400, &itself);

    let pending = seeded_key(&server, true).await;
    let finished = server
        .admin_call(Method::PATCH, &path(&pending, "finish-renewal"), None)
        .await;
    specs.check("PATCH", finish, 200, &finished);
    let none_pending = server
        .admin_call(Method::PATCH, &path(&pending, "finish-renewal"), None)
        .await;
    specs.check("PATCH", finish, 404, &none_pending);
    // VTEX's 400 ("invalid API key or not owned by tenant") is a 404 here, and its 500s must
    // never happen: an unknown key is refused plainly.
    let unknown = json!({ "appKey": "vtexappkey-acme-NOSUCH" });
    for action in ["renew", "finish-renewal"] {
        let answer = server
            .admin_call(Method::PATCH, &path(&unknown, action), None)
            .await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{action}: {}",
            answer.text
        );
    }
}

#[tokio::test]
async fn login_matches_vtex_id() {
    let (server, specs) = demo().await;
    let Creds { app_key, token } = server.admin.clone();
    let login = server
        .call(
            None,
            Method::POST,
            "/api/vtexid/apptoken/login",
            Some(json!({"appkey": app_key, "apptoken": token})),
        )
        .await;
    specs.check("POST", "/api/vtexid/apptoken/login", 200, &login);
    assert_eq!(login.body["authStatus"], "Success");
}

/// The codes our VLMError bodies carry are exactly the ones assets/openapi.yaml lists.
#[test]
fn vlm_error_codes_are_listed_in_the_contract() {
    let doc: serde_norway::Value = serde_norway::from_str(CONTRACT).unwrap();
    let listed: BTreeSet<u64> =
        doc["components"]["schemas"]["VLMError"]["x-apikeys-vlm-error-codes"]
            .as_mapping()
            .expect("VLMError lists its codes")
            .keys()
            .map(|code| code.as_u64().unwrap())
            .collect();
    let used: BTreeSet<u64> = apikeys::server::error::VlmCode::ALL
        .iter()
        .map(|code| u64::from(code.value()))
        .collect();
    assert_eq!(listed, used);
}

/// The translation of `nullable` is what lets VTEX's own null examples validate; without it a
/// null `appToken` (as VTEX sends) would be refused.
#[test]
fn nullable_fields_accept_null_and_their_type_only() {
    let specs = Specs::load();
    let spec = &specs.license_manager;
    let schema = json!({"$ref": "#/components/schemas/CreatenewappkeyResponse"});
    let key = json!({"id": "1", "appKey": "vtexappkey-acme-ABCDEF", "label": "x",
        "createdIn": "2018-07-04T14:09:08.2718405Z", "isActive": true, "appToken": null});
    assert!(spec.errors(schema.clone(), &key).is_empty());
    let mut wrong = key.clone();
    wrong["appToken"] = json!(17);
    assert!(!spec.errors(schema.clone(), &wrong).is_empty());
    let mut missing = key;
    missing.as_object_mut().unwrap().remove("label");
    assert!(!spec.errors(schema, &missing).is_empty());
}
