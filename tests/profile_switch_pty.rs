//! Issue 13: a profile switched to inside the app runs its token command while the app owns
//! the screen. The command must not draw over the app (nor read its keys): it runs detached
//! from the terminal, so a prompt it writes to /dev/tty goes nowhere, and the switch still
//! works with the token it prints. The built binary in a real pseudo-terminal, two reference
//! servers on 127.0.0.1:0 and the environment's credentials set to the start account's,
//! which a switch must not send to the other server.

mod common;
mod pty_app;

use std::time::Duration;

use common::TestServer;
use pty_app::Pty;
use reqwest::Method;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn a_token_command_run_by_a_switch_cannot_draw_over_the_app() {
    let a = TestServer::start().await;
    let b = TestServer::start().await;
    let created = a
        .admin_call(
            Method::POST,
            "/api/vlm/appkeys",
            Some(json!({"label": "alpha-only"})),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.text);
    let globex = b.other_account("globex");
    let created = b
        .call(
            Some(&globex),
            Method::POST,
            "/api/vlm/appkeys",
            Some(json!({"label": "beta-only"})),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.text);

    let home = tempfile::tempdir().unwrap();
    let (data, config) = (home.path().join("data"), home.path().join("config"));
    std::fs::create_dir_all(config.join("apikeys")).unwrap();
    let script = home.path().join("token.sh");
    // Asks on the terminal (as `op` or a `read </dev/tty` would), then prints the token anyway.
    std::fs::write(
        &script,
        format!(
            "printf 'PASSPHRASE PLEASE ' >/dev/tty 2>/dev/null\nprintf '%s\\n' '{}'\n",
            globex.token
        ),
    )
    .unwrap();
    std::fs::write(
        config.join("apikeys").join("config.toml"),
        format!(
            "default_profile = \"a\"\n\n[profiles.a]\naccount = \"acme\"\nbase_url = \"{}\"\n\
             app_key = \"{}\"\n\n[profiles.b]\naccount = \"globex\"\nbase_url = \"{}\"\n\
             app_key = \"{}\"\ntoken_command = \"sh '{}'\"\n",
            a.server.base_url(),
            a.admin.app_key,
            b.server.base_url(),
            globex.app_key,
            script.display()
        ),
    )
    .unwrap();
    // The start account's token comes from the environment, as many users set it.
    let env = [("VTEX_APP_TOKEN", a.admin.token.as_str())];
    let mut app = Pty::spawn_with_env(&[], &data, &config, &env);
    app.wait_for("A's keys", |s| s.contains("alpha-only"));
    app.send("P");
    app.wait_for("the picker", |s| s.contains("Switch profile"));
    app.send("j\r");
    let screen = app.wait_for("B's keys", |s| s.contains("beta-only"));
    app.settle(Duration::from_millis(300));
    let screen = app.screen().to_string() + &screen;
    assert!(
        !screen.contains("PASSPHRASE"),
        "the token command drew over the app:\n{screen}"
    );
    assert!(screen.contains("globex"), "{screen}");
    app.send("q");
    app.expect_clean_exit();
}
