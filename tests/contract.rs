//! The contract in assets/openapi.yaml against the server that implements it: same operations,
//! extensions marked, resources named, live answers in the documented shape, and the demo seed
//! holding what it promises.

mod common;

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDateTime, Utc};
use common::TestServer;
use reqwest::StatusCode;
use serde_json::{Value, json};
use serde_norway::Value as Yaml;

const CONTRACT: &str = include_str!("../assets/openapi.yaml");

const HTTP_METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// The operations VTEX documents (License Manager and VTEX ID references).
const VTEX_DOCUMENTED: [(&str, &str); 11] = [
    ("GET", "/api/vlm/appkeys"),
    ("POST", "/api/vlm/appkeys"),
    ("PUT", "/api/vlm/appkeys/{id}"),
    ("GET", "/api/license-manager/users/{userId}/roles"),
    ("PUT", "/api/license-manager/users/{userId}/roles"),
    (
        "DELETE",
        "/api/license-manager/users/{userId}/roles/{roleId}",
    ),
    ("GET", "/api/license-manager/site/pvt/roles/list/paged"),
    ("PATCH", "/api/vtexid/apikey/{apiKey}/apitoken/renew"),
    (
        "PATCH",
        "/api/vtexid/apikey/{apiKey}/apitoken/finish-renewal",
    ),
    ("POST", "/api/vtexid/apptoken/login"),
    ("GET", "/api/vlm/account"),
];

const RESOURCES: [&str; 4] = [
    "ViewApiKeys",
    "EditApiKeys",
    "RenewApiToken",
    "EditApiKeysSettings",
];

type Operation = (String, String);

fn contract() -> Yaml {
    serde_norway::from_str(CONTRACT).expect("assets/openapi.yaml is valid YAML")
}

/// Every operation of the contract: ((METHOD, path), its YAML object).
fn contract_operations(doc: &Yaml) -> Vec<(Operation, Yaml)> {
    let paths = doc
        .get("paths")
        .and_then(Yaml::as_mapping)
        .expect("the contract has paths");
    let mut out = Vec::new();
    for (path, item) in paths {
        let path = path.as_str().expect("paths are strings");
        let item = item.as_mapping().expect("a path item is a mapping");
        for (key, operation) in item {
            let key = key.as_str().expect("path item keys are strings");
            if HTTP_METHODS.contains(&key) {
                out.push((
                    (key.to_ascii_uppercase(), path.to_string()),
                    operation.clone(),
                ));
            }
        }
    }
    out
}

fn is_extension(operation: &Yaml) -> bool {
    operation.get("x-apikeys-extension").and_then(Yaml::as_bool) == Some(true)
}

/// An operation is anonymous only when it overrides the global security with `security: []`.
fn is_authenticated(operation: &Yaml) -> bool {
    match operation.get("security") {
        None => true,
        Some(security) => security.as_sequence().is_none_or(|s| !s.is_empty()),
    }
}

#[test]
fn routed_operations_are_exactly_the_documented_ones() {
    let doc = contract();
    let documented: BTreeSet<Operation> = contract_operations(&doc)
        .into_iter()
        .map(|(op, _)| op)
        .collect();
    let routed: BTreeSet<Operation> = apikeys::server::api::operations().into_iter().collect();
    assert_eq!(
        routed.len(),
        apikeys::server::api::operations().len(),
        "an operation is routed twice"
    );
    let only_routed: Vec<_> = routed.difference(&documented).collect();
    let only_documented: Vec<_> = documented.difference(&routed).collect();
    assert!(
        only_routed.is_empty() && only_documented.is_empty(),
        "routed but not in openapi.yaml: {only_routed:?}\nin openapi.yaml but not routed: {only_documented:?}"
    );
}

#[test]
fn extensions_are_marked_and_vtex_operations_are_not() {
    let doc = contract();
    let vtex: BTreeSet<Operation> = VTEX_DOCUMENTED
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let operations = contract_operations(&doc);
    let present: BTreeSet<&Operation> = operations.iter().map(|(op, _)| op).collect();
    for op in &vtex {
        assert!(
            present.contains(op),
            "VTEX's {op:?} is missing from the contract"
        );
    }
    let mut wrong = Vec::new();
    for (op, operation) in &operations {
        let documented_by_vtex = vtex.contains(op);
        if documented_by_vtex == is_extension(operation) {
            wrong.push(format!(
                "{} {}: VTEX documents it: {documented_by_vtex}, x-apikeys-extension: {}",
                op.0,
                op.1,
                is_extension(operation)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        operations.len() > vtex.len(),
        "the contract documents extensions"
    );
}

#[test]
fn every_authenticated_operation_names_its_resource() {
    let doc = contract();
    let mut anonymous = Vec::new();
    let mut missing = Vec::new();
    for (op, operation) in contract_operations(&doc) {
        if !is_authenticated(&operation) {
            assert!(
                operation.get("x-apikeys-resource").is_none(),
                "{op:?} is anonymous yet names a resource"
            );
            anonymous.push(op);
            continue;
        }
        match operation.get("x-apikeys-resource").and_then(Yaml::as_str) {
            Some(resource) if RESOURCES.contains(&resource) => {}
            other => missing.push(format!("{} {}: {other:?}", op.0, op.1)),
        }
    }
    assert!(
        missing.is_empty(),
        "authenticated operations without a known x-apikeys-resource:\n{}",
        missing.join("\n")
    );
    assert_eq!(
        anonymous,
        vec![("POST".to_string(), "/api/vtexid/apptoken/login".to_string())],
        "only apptoken/login is anonymous"
    );
}

/// `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$`
fn is_vtex_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    let pattern = b"dddd-dd-ddTdd:dd:dd.dddddddZ";
    bytes.len() == pattern.len()
        && bytes.iter().zip(pattern).all(|(&b, &p)| match p {
            b'd' => b.is_ascii_digit(),
            literal => b == literal,
        })
}

fn parse_vtex_timestamp(text: &str) -> DateTime<Utc> {
    assert!(is_vtex_timestamp(text), "not a VTEX timestamp: {text:?}");
    NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f")
        .unwrap_or_else(|err| panic!("{text:?}: {err}"))
        .and_utc()
}

/// `^vtexappkey-acme-[A-Z]{6}$`
fn is_acme_app_key(app_key: &str) -> bool {
    app_key
        .strip_prefix("vtexappkey-acme-")
        .is_some_and(|suffix| suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_uppercase()))
}

#[test]
fn timestamp_pattern_matches_only_seven_digit_utc() {
    assert!(is_vtex_timestamp("2018-07-04T14:09:08.2718405Z"));
    assert!(!is_vtex_timestamp("2018-07-04T14:09:08.271840Z"));
    assert!(!is_vtex_timestamp("2018-07-04T14:09:08.2718405+00:00"));
    assert!(!is_vtex_timestamp("2018-07-04 14:09:08.2718405Z"));
    assert!(is_acme_app_key("vtexappkey-acme-ABCDEF"));
    assert!(!is_acme_app_key("vtexappkey-acme-ABCDEf"));
    assert!(!is_acme_app_key("vtexappkey-acme-ABCDEFG"));
    assert!(!is_acme_app_key("vtexappkey-other-ABCDEF"));
}

fn keys_of(object: &Value) -> BTreeSet<String> {
    object
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {object}"))
        .keys()
        .cloned()
        .collect()
}

fn yaml_names(node: Option<&Yaml>) -> BTreeSet<String> {
    match node {
        Some(Yaml::Sequence(items)) => items
            .iter()
            .map(|i| i.as_str().unwrap().to_string())
            .collect(),
        Some(Yaml::Mapping(map)) => map
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect(),
        other => panic!("expected a list or mapping, got {other:?}"),
    }
}

fn schema<'a>(doc: &'a Yaml, name: &str) -> &'a Yaml {
    doc.get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(|s| s.get(name))
        .unwrap_or_else(|| panic!("schema {name} is missing"))
}

#[tokio::test]
async fn key_listing_has_the_documented_shape() {
    let doc = contract();
    let listed = schema(&doc, "Getappkeysfromaccount");
    let required = yaml_names(listed.get("required"));
    let all_properties = yaml_names(listed.get("properties"));
    let plain: BTreeSet<String> = ["id", "appKey", "label", "createdIn", "isActive"]
        .map(String::from)
        .into();
    let expanded: BTreeSet<String> = plain
        .iter()
        .cloned()
        .chain(["roles", "creationDateToken", "creationDateNewToken"].map(String::from))
        .collect();
    assert_eq!(required, plain, "the contract's required fields");
    assert_eq!(all_properties, expanded, "the contract's properties");

    let server = TestServer::start().await;
    server
        .key_with_roles("Shape check", &["API Keys Viewer"])
        .await;
    let admin = server.admin.clone();

    let list = server.get(&admin, "/api/vlm/appkeys").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let items = list.body.as_array().expect("the listing is an array");
    assert_eq!(items.len(), 2);
    for item in items {
        assert_eq!(keys_of(item), plain, "{item}");
        assert!(
            item["id"].is_string() && item["label"].is_string(),
            "{item}"
        );
        assert!(item["isActive"].is_boolean(), "{item}");
        assert!(is_acme_app_key(item["appKey"].as_str().unwrap()), "{item}");
        let created = item["createdIn"].as_str().unwrap();
        assert!(is_vtex_timestamp(created), "createdIn {created:?}");
    }

    let list = server
        .get(&admin, "/api/vlm/appkeys?expand=roles,token")
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    for item in list.body.as_array().unwrap() {
        assert_eq!(keys_of(item), expanded, "{item}");
        let roles = item["roles"].as_array().expect("roles is an array");
        assert!(!roles.is_empty(), "{item}");
        for role in roles {
            assert_eq!(
                keys_of(role),
                yaml_names(schema(&doc, "UserRole").get("properties")),
                "{role}"
            );
            assert!(role["id"].is_i64() && role["name"].is_string(), "{role}");
        }
        assert!(is_vtex_timestamp(
            item["creationDateToken"].as_str().unwrap()
        ));
        assert_eq!(item["creationDateNewToken"], Value::Null, "{item}");
    }

    // Each expansion alone adds only its own fields.
    let roles_only = server.get(&admin, "/api/vlm/appkeys?expand=roles").await;
    for item in roles_only.body.as_array().unwrap() {
        let mut want = plain.clone();
        want.insert("roles".into());
        assert_eq!(keys_of(item), want, "{item}");
    }
    let token_only = server.get(&admin, "/api/vlm/appkeys?expand=token").await;
    for item in token_only.body.as_array().unwrap() {
        let mut want = plain.clone();
        want.extend(["creationDateToken".into(), "creationDateNewToken".into()]);
        assert_eq!(keys_of(item), want, "{item}");
    }

    // Errors carry the documented VLMError body.
    let error = server.get(&admin, "/api/vlm/appkeys?expand=bogus").await;
    assert_eq!(error.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        keys_of(&error.body),
        yaml_names(schema(&doc, "VLMError").get("required"))
    );
    assert_eq!(error.body["HttpStatusCode"], 400);
}

async fn seeded_keys(server: &TestServer) -> Vec<Value> {
    let list = server
        .get(&server.admin.clone(), "/api/vlm/appkeys?expand=roles,token")
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    list.body.as_array().unwrap().clone()
}

/// The seeded keys' (appKey, label), the admin key (random on every bootstrap) left out.
fn seeded_names(server: &TestServer, keys: &[Value]) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = keys
        .iter()
        .filter(|k| k["appKey"] != server.admin.app_key.as_str())
        .map(|k| {
            (
                k["appKey"].as_str().unwrap().to_string(),
                k["label"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn demo_seed_holds_the_documented_mix_and_is_deterministic() {
    let server = TestServer::start_with(true).await;
    let admin = server.admin.clone();
    let (generated, external) = apikeys::server::seed::demo_counts();
    assert_eq!((generated, external), (60, 8));

    let keys = seeded_keys(&server).await;
    assert_eq!(keys.len(), 61, "60 seeded keys plus the admin");
    assert!(
        keys.iter().any(|k| k["appKey"] == admin.app_key.as_str()),
        "the admin key is listed"
    );

    let settings = server.get(&admin, "/api/vlm/appkeys-settings").await;
    assert_eq!(settings.body, json!({ "tokenDurationMonths": 3 }));

    // Token age buckets with the default 3-month duration: fresh while under ~3 months,
    // outdated (orange) once past it, red once 3 months past the expiry.
    let now = Utc::now();
    let (mut fresh, mut orange, mut red) = (0, 0, 0);
    for key in &keys {
        assert!(
            is_acme_app_key(key["appKey"].as_str().unwrap()),
            "{}",
            key["appKey"]
        );
        assert!(is_vtex_timestamp(key["createdIn"].as_str().unwrap()));
        let token = parse_vtex_timestamp(key["creationDateToken"].as_str().unwrap());
        let created = parse_vtex_timestamp(key["createdIn"].as_str().unwrap());
        assert!(token >= created, "token older than its key: {key}");
        let days = (now - token).num_seconds() as f64 / 86_400.0;
        assert!(days >= 0.0, "token created in the future: {key}");
        if days < 91.0 {
            fresh += 1;
        } else if days < 182.0 {
            orange += 1;
        } else {
            red += 1;
        }
    }
    assert!(
        fresh >= 10 && orange >= 10 && red >= 10,
        "fresh {fresh}, orange {orange}, red {red}"
    );
    let inactive = keys.iter().filter(|k| k["isActive"] == false).count();
    assert!(inactive > 0, "some seeded keys are inactive");
    assert!(inactive < keys.len() / 2, "{inactive} inactive keys");
    let pending = keys
        .iter()
        .filter(|k| !k["creationDateNewToken"].is_null())
        .count();
    assert_eq!(pending, 2, "keys with a renewal pending");
    for key in keys.iter().filter(|k| !k["creationDateNewToken"].is_null()) {
        let new = parse_vtex_timestamp(key["creationDateNewToken"].as_str().unwrap());
        let current = parse_vtex_timestamp(key["creationDateToken"].as_str().unwrap());
        assert!(new > current, "{key}");
    }
    let labels: BTreeSet<&str> = keys.iter().map(|k| k["label"].as_str().unwrap()).collect();
    assert_eq!(labels.len(), keys.len(), "labels are distinct");

    let externals = server.get(&admin, "/api/vlm/external-appkeys").await;
    assert_eq!(externals.status, StatusCode::OK, "{}", externals.text);
    assert_eq!(externals.body.as_array().unwrap().len(), 8);
    for ext in externals.body.as_array().unwrap() {
        let app_key = ext["appKey"].as_str().unwrap();
        assert!(!app_key.starts_with("vtexappkey-acme-"), "{app_key}");
        assert_eq!(
            app_key,
            format!(
                "vtexappkey-{}-{}",
                ext["account"].as_str().unwrap(),
                &app_key[app_key.len() - 6..]
            ),
        );
    }

    // A second seeded server names its keys the same way.
    let other = TestServer::start_with(true).await;
    let other_keys = seeded_keys(&other).await;
    let first = seeded_names(&server, &keys);
    let second = seeded_names(&other, &other_keys);
    assert_eq!(first.len(), 60);
    assert_eq!(first, second, "the demo seed is deterministic");
}
