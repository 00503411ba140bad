//! The embedded default: with nothing configured, commands run against an in-process demo
//! server over `$XDG_DATA_HOME/apikeys/demo.sqlite3`, seeded on first use and kept after.

use std::process::Output;

use apikeys::vtex::ClientOptions;

fn run(data: &std::path::Path, config: &std::path::Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args(args)
        .env("XDG_DATA_HOME", data)
        .env("XDG_CONFIG_HOME", config)
        .env_remove("VTEX_APP_KEY")
        .env_remove("VTEX_APP_TOKEN")
        .env_remove("VTEX_ACCOUNT")
        .env_remove("APIKEYS_PROFILE")
        .output()
        .unwrap()
}

fn keys(output: &Output) -> Vec<serde_json::Value> {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn nothing_configured_means_the_demo_server() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));

    let first = keys(&run(&data, &config, &["keys", "list", "--output", "json"]));
    assert_eq!(first.len(), 61, "60 demo keys and the admin key");
    let db = data.join("apikeys/demo.sqlite3");
    assert!(db.exists());
    assert!(data.join("apikeys/demo.sqlite3.admin.json").exists());

    // A change persists to the next run: the same database, not a new seed.
    let target = first
        .iter()
        .find(|k| k["isActive"] == true && k["label"] != "apikeys admin (created on first start)")
        .unwrap();
    let app_key = target["appKey"].as_str().unwrap();
    let deactivated = run(&data, &config, &["keys", "deactivate", app_key]);
    assert!(
        deactivated.status.success(),
        "{}",
        String::from_utf8_lossy(&deactivated.stderr)
    );
    let second = keys(&run(&data, &config, &["keys", "list", "--output", "json"]));
    assert_eq!(second.len(), 61);
    let again = second.iter().find(|k| k["appKey"] == app_key).unwrap();
    assert_eq!(again["isActive"], false);

    // --demo wins over a configured profile.
    std::fs::create_dir_all(config.join("apikeys")).unwrap();
    std::fs::write(
        config.join("apikeys/config.toml"),
        "[profiles.shop]\naccount = \"shop\"\nbase_url = \"http://127.0.0.1:9\"\napp_key = \"vtexappkey-shop-ABCDEF\"\ntoken_command = \"echo FAKETOKEN\"\n",
    )
    .unwrap();
    let demo = keys(&run(
        &data,
        &config,
        &["--demo", "keys", "list", "--output", "json"],
    ));
    assert_eq!(demo.len(), 61);
    let whoami = run(&data, &config, &["--demo", "whoami", "--output", "json"]);
    let who: serde_json::Value = serde_json::from_slice(&whoami.stdout).unwrap();
    assert_eq!(who["account"], "demo");
    assert_eq!(who["extensions"], true);
}

#[tokio::test]
async fn the_embedded_client_is_ready_to_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    let embedded = apikeys::embedded::start_at(db.clone(), ClientOptions::default())
        .await
        .unwrap();
    assert!(embedded.server.addr.ip().is_loopback());
    let capabilities = embedded.client.capabilities().await.unwrap();
    assert_eq!(capabilities.session.unwrap().account, "demo");
    assert_eq!(embedded.client.list_keys().await.unwrap().len(), 61);
    assert_eq!(embedded.client.list_external().await.unwrap().len(), 8);
    embedded.server.shutdown().await.unwrap();

    // A second start reads the saved admin credentials instead of bootstrapping.
    let again = apikeys::embedded::start_at(db.clone(), ClientOptions::default())
        .await
        .unwrap();
    assert_eq!(again.client.list_keys().await.unwrap().len(), 61);
    again.server.shutdown().await.unwrap();

    // Without them, the error says how to start over.
    std::fs::remove_file(apikeys::server::bootstrap::credentials_path(&db)).unwrap();
    let err = match apikeys::embedded::start_at(db, ClientOptions::default()).await {
        Ok(_) => panic!("must fail without credentials"),
        Err(err) => format!("{err:#}"),
    };
    assert!(err.contains("delete it"), "{err}");
}
