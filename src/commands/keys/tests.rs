//! A copy that passes the up-front check and still fails: what was made is taken back. Against
//! a real reference server on 127.0.0.1:0; the one stand-in is the terminal, which is absent.
//! (The binary's refusals before any change are tested end to end in
//! tests/copy_without_terminal.rs; a late failure cannot be caused from outside.)

use apikeys::clipboard::{self, Clipboard, Environment, Mode};
use apikeys::output::Format;
use apikeys::server::{self, Prepared, RunningServer, ServerConfig};
use apikeys::vtex::{ClientError, ClientOptions, Credentials, VtexClient};
use secrecy::SecretString;

use super::Delivery;
use crate::cli::DeleteOld;
use crate::commands::Failure;

async fn server() -> (RunningServer, VtexClient, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = ServerConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        db_path: dir.path().join("apikeys.sqlite3"),
        account: "acme".into(),
        seed_demo: false,
        seed_keys: 0,
        limits: apikeys::server::Limits::default(),
    };
    let (running, prepared) = server::start(&config).await.unwrap();
    let Prepared::Bootstrapped(admin) = prepared else {
        panic!("a new database is bootstrapped");
    };
    let client = client_as(&running, &admin.app_key, admin.app_token);
    (running, client, dir)
}

fn client_as(running: &RunningServer, app_key: &str, token: SecretString) -> VtexClient {
    VtexClient::new(
        url::Url::parse(&running.base_url()).unwrap(),
        Credentials {
            app_key: app_key.into(),
            app_token: token,
        },
        ClientOptions::default(),
    )
    .unwrap()
}

/// Copying by OSC 52 with no terminal: every copy fails.
fn failing_copy() -> Delivery {
    let settings = clipboard::Settings {
        mode: Mode::Osc52,
        ..clipboard::Settings::default()
    };
    Delivery::Copy(Clipboard::new(
        settings,
        Environment::default(),
        Err("the terminal went away (test)".into()),
        Box::new(|| Err("no desktop clipboard (test)".into())),
    ))
}

fn failed_message(outcome: Result<(), Failure>) -> String {
    match outcome {
        Err(Failure::Failed(message)) => message,
        Err(Failure::Usage(message)) => panic!("a usage error after the fact: {message}"),
        Ok(()) => panic!("a failed copy must fail the command"),
    }
}

#[tokio::test]
async fn a_late_copy_failure_on_create_deletes_the_key_again() {
    let (_server, client, _dir) = server().await;
    let outcome = super::create(&client, failing_copy(), "Lost", &[], Format::Json).await;
    let message = failed_message(outcome);
    assert!(message.contains("deleted again"), "{message}");
    assert!(message.contains("the terminal went away"), "{message}");
    let keys = client.list_keys().await.unwrap();
    assert!(
        keys.iter().all(|key| key.label != "Lost"),
        "no key is left behind"
    );
}

#[tokio::test]
async fn a_late_copy_failure_on_renew_undoes_it_and_keeps_the_old_token() {
    let (server, client, _dir) = server().await;
    let target = client.create_key("ERP").await.unwrap();
    let old_token = target.app_token.clone().unwrap();
    let outcome = super::renewal::renew(
        &client,
        failing_copy(),
        &target.app_key,
        DeleteOld::Now,
        Format::Json,
    )
    .await;
    let message = failed_message(outcome);
    assert!(message.contains("undone"), "{message}");
    let keys = client.list_keys().await.unwrap();
    let key = keys.iter().find(|key| key.id == target.id).unwrap();
    assert!(!key.renewal_pending(), "nothing stays pending");
    // The old token still authenticates: a key without roles is refused (403), not unknown (401).
    let as_target = client_as(&server, &target.app_key, old_token);
    assert!(
        matches!(
            as_target.list_keys().await,
            Err(ClientError::Forbidden { .. })
        ),
        "the old token was deleted before the new one was in hand"
    );
}
