//! `apikeys serve --seed-keys N`: the built binary fills an empty database with N generated
//! keys that the real API serves, the same N gives the same keys, and a database that already
//! holds data is left alone with a warning. A seeded key's token is never shown to anyone, so
//! no test can sign in with it; the stored hashes are checked instead.

#[path = "support/serve_process.rs"]
mod serve_process;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

struct Admin {
    app_key: String,
    token: String,
}

fn admin_of(db: &Path) -> Admin {
    let path = format!("{}.admin.json", db.display());
    let credentials: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Admin {
        app_key: credentials["appKey"].as_str().unwrap().into(),
        token: credentials["appToken"].as_str().unwrap().into(),
    }
}

async fn get(base_url: &str, admin: &Admin, path: &str) -> Vec<Value> {
    let response = reqwest::Client::new()
        .get(format!("{base_url}{path}"))
        .header("X-VTEX-API-AppKey", &admin.app_key)
        .header("X-VTEX-API-AppToken", &admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.unwrap()
}

/// Serves `db` with `flags`, lists generated and external keys, stops; returns them and stderr.
async fn seed_and_list(db: &Path, flags: &[&str]) -> (Vec<Value>, Vec<Value>, String) {
    let serving = serve_process::serve(db, flags);
    let admin = admin_of(db);
    let keys = get(
        &serving.base_url,
        &admin,
        "/api/vlm/appkeys?expand=roles,token",
    )
    .await;
    let external = get(&serving.base_url, &admin, "/api/vlm/external-appkeys").await;
    (keys, external, serving.stop())
}

fn label(key: &Value) -> &str {
    key["label"].as_str().unwrap()
}

fn role_names(key: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = key["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["name"].as_str().unwrap())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn seeded_keys_are_served_with_labels_roles_statuses_and_renewals() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.sqlite3");
    let (keys, external, _) = seed_and_list(&db, &["--seed-keys", "500"]).await;
    assert_eq!(keys.len(), 501, "500 generated keys and the admin key");
    let admin = admin_of(&db);
    assert_eq!(
        keys.iter().filter(|k| k["appKey"] == admin.app_key).count(),
        1
    );

    let labels: Vec<&str> = keys.iter().map(label).collect();
    assert!(
        labels.iter().any(|l| l.contains("Integração")),
        "{labels:?}"
    );
    assert!(labels.iter().any(|l| l.contains('ã') || l.contains('ç')));
    assert!(labels.iter().any(|l| l.contains("ción")), "Spanish labels");
    assert!(labels.iter().any(|l| l.contains('ñ') || l.contains('Ñ')));

    let inactive = keys.iter().filter(|k| k["isActive"] == false).count();
    assert!((20..90).contains(&inactive), "{inactive} of 500 inactive");
    let pending = keys
        .iter()
        .filter(|k| k["creationDateNewToken"].is_string())
        .count();
    assert!((2..30).contains(&pending), "{pending} pending renewals");
    let counts: Vec<usize> = keys.iter().map(|k| role_names(k).len()).collect();
    for held in 0..=3 {
        assert!(counts.contains(&held), "no key holds {held} roles");
    }
    assert!(
        keys.iter()
            .flat_map(role_names)
            .any(|name| name == "Marketplace connector"),
        "the demo's roles are created and given"
    );
    assert_eq!(external.len(), 3, "at least three external keys");
}

#[tokio::test]
async fn the_same_count_seeds_the_same_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut accounts = Vec::new();
    for name in ["first.sqlite3", "second.sqlite3"] {
        let db = dir.path().join(name);
        let (keys, _, _) = seed_and_list(&db, &["--seed-keys", "300"]).await;
        let admin = admin_of(&db);
        // By appKey: the listing's order among keys created in the same instant is the ids'.
        let seeded: BTreeMap<String, (String, bool, bool, Vec<String>)> = keys
            .iter()
            .filter(|k| k["appKey"] != admin.app_key)
            .map(|k| {
                let roles = role_names(k).into_iter().map(String::from).collect();
                (
                    k["appKey"].as_str().unwrap().to_string(),
                    (
                        label(k).to_string(),
                        k["isActive"].as_bool().unwrap(),
                        k["creationDateNewToken"].is_string(),
                        roles,
                    ),
                )
            })
            .collect();
        accounts.push(seeded);
    }
    assert_eq!(accounts[0].len(), 300);
    assert_eq!(accounts[0], accounts[1]);
}

#[tokio::test]
async fn seed_keys_with_seed_demo_adds_the_generated_keys_to_the_demo_account() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("both.sqlite3");
    let (keys, external, _) = seed_and_list(&db, &["--seed-demo", "--seed-keys", "200"]).await;
    assert_eq!(
        keys.len(),
        261,
        "60 demo keys, 200 generated, the admin key"
    );
    assert!(
        keys.iter()
            .any(|k| label(k) == "SAP S/4HANA – order integration (prod)")
    );
    let (demo_keys, demo_external) = apikeys::server::seed::demo_counts();
    assert_eq!(demo_keys, 60);
    assert_eq!(external.len(), demo_external + 3);
}

#[tokio::test]
async fn a_database_with_data_is_left_alone_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("full.sqlite3");
    let (keys, _, _) = seed_and_list(&db, &[]).await;
    assert_eq!(keys.len(), 1);
    let (keys, external, stderr) = seed_and_list(&db, &["--seed-keys", "100"]).await;
    assert_eq!(
        keys.len(),
        1,
        "--seed-keys on a database with data adds nothing"
    );
    assert!(external.is_empty());
    assert!(
        stderr.contains("--seed-keys only fills an empty database"),
        "{stderr}"
    );
}

#[test]
fn every_seeded_key_has_a_hashed_token_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tokens.sqlite3");
    serve_process::serve(&db, &["--seed-keys", "400"]).stop();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM app_keys"), 401);
    assert_eq!(
        count("SELECT count(DISTINCT key_id) FROM app_tokens WHERE slot = 'current'"),
        401
    );
    let pending = count("SELECT count(*) FROM app_tokens WHERE slot = 'new'");
    assert!(pending > 0);
    // SHA-256 hashes, all different: tokens drawn from the CSPRNG, never a shared dummy.
    assert_eq!(
        count("SELECT count(DISTINCT token_hash) FROM app_tokens WHERE length(token_hash) = 32"),
        401 + pending
    );
}

#[test]
fn seed_keys_needs_a_positive_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.sqlite3");
    for bad in ["0", "-5", "lots", "1000001"] {
        let output = serve_process::command(&db, &["--seed-keys", bad])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "--seed-keys {bad}");
        assert!(!db.exists(), "a usage error creates no database");
    }
}
