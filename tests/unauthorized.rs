//! A refused credential (401) is a state of its own: the header says "Unauthorized" and every
//! pane says which app key was refused, where its token came from and how to fix that source,
//! instead of "Connecting…" (and Settings' "checking…") for ever. A later success clears it.

mod common;
mod pty_app;
#[path = "support/serve_process.rs"]
mod serve_process;

use apikeys::tui::state::TokenSource;
use common::tui::{AppOptions, start_on};
use common::{Creds, TestServer};
use reqwest::Method;
use serde_json::json;

/// A fixed fake token: it must never appear on screen.
const WRONG_TOKEN: &str = "WRONGTOKENZZZZ0123456789";

/// The screen's words with every run of spaces and line breaks as one space: a sentence
/// wrapped over two lines still reads as one.
fn flat(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn a_refused_token_names_the_key_and_its_source_in_every_pane() {
    let server = TestServer::start().await;
    let creds = Creds {
        app_key: server.admin.app_key.clone(),
        token: WRONG_TOKEN.into(),
    };
    let options = AppOptions {
        token_source: Some(TokenSource::TokenCommand {
            profile: "shop".into(),
            file: "/home/me/.config/apikeys/config.toml".into(),
        }),
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &creds, options);
    let keys = app
        .wait_for("the unauthorized block", |f| {
            !f.busy && f.screen.contains("Unauthorized")
        })
        .await;
    assert!(keys.screen.contains(&creds.app_key), "{}", keys.screen);
    assert!(
        flat(&keys.screen)
            .contains("token_command of profile \"shop\" in /home/me/.config/apikeys/config.toml"),
        "{}",
        keys.screen
    );
    assert!(keys.screen.contains("R retries"), "{}", keys.screen);
    assert!(!keys.screen.contains("Connecting"), "{}", keys.screen);
    assert!(!keys.screen.contains(WRONG_TOKEN), "{}", keys.screen);

    // Every change would be refused as well: none opens a dialog.
    app.send("n");
    let refused = app
        .wait_for("the refusal", |f| {
            f.says("Cannot create a key") || f.dialog.is_some()
        })
        .await;
    assert_eq!(refused.dialog, None);
    assert!(
        refused.says("the server refused the app key"),
        "{:?}",
        refused.status
    );

    app.send("1");
    let settings = app
        .wait_for("the Settings pane", |f| {
            f.tab == Some(apikeys::tui::state::Tab::Settings)
        })
        .await;
    assert!(
        settings.screen.contains("token_command"),
        "{}",
        settings.screen
    );
    assert!(!settings.screen.contains("checking"), "{}", settings.screen);
    app.send("3");
    let external = app
        .wait_for("the External keys pane", |f| {
            f.tab == Some(apikeys::tui::state::Tab::External)
        })
        .await;
    assert!(
        external.screen.contains("token_command"),
        "{}",
        external.screen
    );
    assert!(!external.screen.contains("Loading"), "{}", external.screen);
    app.quit().await;
}

#[tokio::test]
async fn a_later_success_clears_the_unauthorized_state() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Sleeper", &["API Keys Viewer"]).await;
    let deactivate = server
        .admin_call(
            Method::PUT,
            &format!("/api/vlm/appkeys/{}", key.id),
            Some(json!({ "isActive": false })),
        )
        .await;
    assert!(deactivate.status.is_success(), "{}", deactivate.text);
    let options = AppOptions {
        token_source: Some(TokenSource::Environment),
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &key.creds, options);
    let refused = app
        .wait_for("the unauthorized block", |f| {
            !f.busy && f.screen.contains("Unauthorized")
        })
        .await;
    assert!(
        refused.screen.contains("VTEX_APP_TOKEN"),
        "{}",
        refused.screen
    );

    let activate = server
        .admin_call(
            Method::PUT,
            &format!("/api/vlm/appkeys/{}", key.id),
            Some(json!({ "isActive": true })),
        )
        .await;
    assert!(activate.status.is_success(), "{}", activate.text);
    app.send("R");
    let back = app
        .wait_for("the listing", |f| !f.busy && f.screen.contains("Sleeper"))
        .await;
    assert!(back.screen.contains("Online"), "{}", back.screen);
    assert!(!back.screen.contains("Unauthorized"), "{}", back.screen);
    app.quit().await;
}

/// `apikeys serve` on a fresh database, and a config dir whose profile "shop" points at it
/// with its admin key, plus `extra` lines; returns the server, the admin key and the dirs.
fn serve_with_profile(
    dir: &std::path::Path,
    extra: &str,
) -> (
    serve_process::Serving,
    String,
    std::path::PathBuf,
    std::path::PathBuf,
) {
    let db = dir.join("shop.sqlite3");
    let serving = serve_process::serve(&db, &[]);
    let admin = apikeys::server::AdminCredentials::read(&db).unwrap();
    let (data, config) = (dir.join("data"), dir.join("config"));
    std::fs::create_dir_all(config.join("apikeys")).unwrap();
    std::fs::write(
        config.join("apikeys/config.toml"),
        format!(
            "[profiles.shop]\nbase_url = \"{}\"\napp_key = \"{}\"\n{extra}",
            serving.base_url, admin.app_key
        ),
    )
    .unwrap();
    (serving, admin.app_key, data, config)
}

#[test]
fn the_binary_with_a_refused_token_command_names_its_profile() {
    let dir = tempfile::tempdir().unwrap();
    let command = format!("token_command = \"echo {WRONG_TOKEN}\"\n");
    let (serving, app_key, data, config) = serve_with_profile(dir.path(), &command);
    let mut pty = pty_app::Pty::spawn(&[], &data, &config);
    let screen = pty.wait_for("the unauthorized block", |s| {
        s.contains("Unauthorized") && s.contains("R retries")
    });
    let text = flat(&screen);
    assert!(
        text.contains("token_command of profile \"shop\""),
        "{screen}"
    );
    assert!(text.contains(&app_key), "{screen}");
    let raw = String::from_utf8_lossy(&pty.raw.lock().unwrap()).to_string();
    assert!(!raw.contains(WRONG_TOKEN), "the token reached the terminal");
    pty.send("q");
    pty.expect_clean_exit();
    serving.stop();
}

#[test]
fn the_binary_with_a_wrong_vtex_app_token_says_unauthorized_and_names_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let (serving, app_key, data, config) = serve_with_profile(dir.path(), "");
    let admin_key = app_key;
    let mut pty =
        pty_app::Pty::spawn_with_env(&[], &data, &config, &[("VTEX_APP_TOKEN", WRONG_TOKEN)]);
    let screen = pty.wait_for("the unauthorized block", |s| {
        s.contains("Unauthorized") && s.contains("R retries")
    });
    assert!(screen.contains("VTEX_APP_TOKEN"), "{screen}");
    assert!(
        screen.contains(&admin_key[admin_key.len() - 6..]),
        "{screen}"
    );
    assert!(!screen.contains("Connecting"), "{screen}");
    let raw = String::from_utf8_lossy(&pty.raw.lock().unwrap()).to_string();
    assert!(!raw.contains(WRONG_TOKEN), "the token reached the terminal");
    pty.send("q");
    pty.expect_clean_exit();
    serving.stop();
}

#[tokio::test]
async fn settings_without_an_answer_say_so_instead_of_checking() {
    // A loopback port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let creds = Creds {
        app_key: "vtexappkey-acme-ABCDEF".into(),
        token: WRONG_TOKEN.into(),
    };
    let mut app = common::tui::start(
        &format!("http://127.0.0.1:{port}/"),
        &creds,
        AppOptions::default(),
    );
    app.send("1");
    let settings = app
        .wait_for("offline", |f| !f.busy && f.screen.contains("Offline"))
        .await;
    assert!(!settings.screen.contains("checking"), "{}", settings.screen);
    assert!(
        settings.screen.contains("not answered"),
        "{}",
        settings.screen
    );
    app.quit().await;
}
