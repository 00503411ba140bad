//! One set of status words: `keys list --help` shows the words `listing` has, the CLI parses
//! each of them (and the older spellings) to the same keys, against a real server.

mod common;

use std::process::{Output, Stdio};
use std::time::Duration;

use apikeys::listing::StatusFilter;
use common::TestServer;

/// The binary with `args`, its environment emptied of the developer's (no config, no profile).
async fn apikeys(server: Option<&TestServer>, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_apikeys"));
    command
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .stdin(Stdio::null())
        .kill_on_drop(true);
    if let Some(server) = server {
        command
            .arg("--base-url")
            .arg(server.url(""))
            .env("VTEX_APP_KEY", &server.admin.app_key)
            .env("VTEX_APP_TOKEN", &server.admin.token);
    }
    command.args(args);
    tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .expect("the binary ends")
        .unwrap()
}

fn words() -> String {
    StatusFilter::ALL.map(StatusFilter::word).join(", ")
}

#[tokio::test]
async fn help_lists_the_words_of_listing() {
    let out = apikeys(None, &["keys", "list", "--help"]).await;
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let expected = format!("[possible values: {}]", words());
    assert!(
        help.contains(&expected),
        "--help does not show {expected}:\n{help}"
    );
}

#[tokio::test]
async fn an_unknown_word_is_a_usage_error_naming_the_words() {
    let out = apikeys(None, &["keys", "list", "--status", "renewing"]).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("[possible values: {}]", words())),
        "{stderr}"
    );
}

#[tokio::test]
async fn every_word_and_old_spelling_parses_to_the_same_keys() {
    let server = TestServer::start_with(true).await;
    let listed = |status: &'static str| {
        let server = &server;
        async move {
            let out = apikeys(
                Some(server),
                &["keys", "list", "--status", status, "--output", "json"],
            )
            .await;
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            assert!(out.status.success(), "--status {status}: {stderr}");
            let keys: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            keys.as_array()
                .unwrap()
                .iter()
                .map(|k| k["appKey"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    let all = listed("all").await;
    assert!(all.len() > 10, "the demo seed has keys: {all:?}");
    let pending = listed("pending").await;
    assert!(
        !pending.is_empty() && pending.len() < all.len(),
        "{pending:?}"
    );
    assert_eq!(listed("pending-renewal").await, pending);
    assert_eq!(listed("renewal-pending").await, pending);
    let active = listed("active").await;
    let inactive = listed("inactive").await;
    assert_eq!(active.len() + inactive.len(), all.len());
    assert!(!listed("outdated").await.is_empty());
}

/// `external list ARGS --output json`: each key's owner account and status, in order.
async fn external_listed(server: &TestServer, args: &[&str]) -> Vec<(String, bool)> {
    let mut all_args = vec!["external", "list", "--output", "json"];
    all_args.extend_from_slice(args);
    let out = apikeys(Some(server), &all_args).await;
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{args:?}: {stderr}");
    let keys: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    keys.as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let account = k["account"].as_str().unwrap().to_string();
            (account, k["isActive"].as_bool().unwrap())
        })
        .collect()
}

#[tokio::test]
async fn external_keys_take_the_same_query() {
    let server = TestServer::start_with(true).await;
    let all = external_listed(&server, &[]).await;
    assert!(all.len() > 2, "the demo seed has external keys: {all:?}");
    let owners = |keys: &[(String, bool)]| keys.iter().map(|k| k.0.clone()).collect::<Vec<_>>();
    let mut sorted = owners(&all);
    sorted.sort();
    assert_eq!(owners(&all), sorted, "sorted by owner account");
    let active = external_listed(&server, &["--status", "active"]).await;
    assert!(active.iter().all(|(_, is_active)| *is_active), "{active:?}");
    let inactive = external_listed(&server, &["--status", "inactive"]).await;
    assert_eq!(active.len() + inactive.len(), all.len());
    let owner = all[0].0.to_uppercase();
    let filtered = external_listed(&server, &["--filter", &owner]).await;
    assert!(!filtered.is_empty());
    assert!(
        filtered
            .iter()
            .all(|(account, _)| account.to_uppercase().contains(&owner)),
        "{filtered:?}"
    );
}
