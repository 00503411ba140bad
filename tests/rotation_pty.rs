//! Issue 14: the built binary rotates with the profile's own `[profiles.NAME.rotation]` table
//! (read at start, before the profile switcher takes the config file over) and its journal in
//! `$XDG_STATE_HOME`: in a real pseudo-terminal, against a reference server on 127.0.0.1:0,
//! with a real sink script. Nothing the terminal received holds a token.

mod common;
mod pty_app;

use common::TestServer;
use pty_app::{COLS, Pty, ROWS};

#[tokio::test(flavor = "multi_thread")]
async fn the_app_rotates_with_the_profiles_sink_and_never_writes_a_token_to_the_terminal() {
    let server = TestServer::start().await;
    let erp = server.key_with_roles("ERP", &[]).await;
    let home = tempfile::tempdir().unwrap();
    let (data, config, state) = (
        home.path().join("data"),
        home.path().join("config"),
        home.path().join("state"),
    );
    let store = home.path().join("store");
    std::fs::create_dir_all(config.join("apikeys")).unwrap();
    std::fs::create_dir_all(&store).unwrap();
    let file = config.join("apikeys").join("config.toml");
    std::fs::write(
        &file,
        format!(
            "default_profile = \"a\"\n\n[profiles.a]\naccount = \"acme\"\nbase_url = \"{}\"\n\
             app_key = \"{}\"\napp_token = \"{}\"\n\n[profiles.a.rotation]\n\
             sink = \"umask 077; cat > {}/{{appKey}}\"\n",
            server.server.base_url(),
            server.admin.app_key,
            server.admin.token,
            store.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let state_dir = state.display().to_string();
    let env = [("XDG_STATE_HOME", state_dir.as_str())];
    let mut app = Pty::spawn_full(&[], &data, &config, (COLS, ROWS), &env);
    app.wait_for("the keys", |s| s.contains("ERP"));
    app.send("/ERP\r");
    app.wait_for("ERP alone", |s| s.contains("1 of 2 keys"));
    app.send("o");
    let asked = app.wait_for("the confirmation", |s| {
        s.contains("Rotate 1 key?") || s.contains("Cannot rotate")
    });
    assert!(
        asked.contains("Sink (for the first key): umask 077; cat >"),
        "the profile's sink is used:\n{asked}"
    );
    app.send("y");
    app.wait_for("the summary", |s| {
        s.contains("Rotation: 1 of 1 key rotated")
    });

    let stored = std::fs::read_to_string(store.join(&erp.creds.app_key)).unwrap();
    assert!(server.login_works(&erp.creds.app_key, &stored).await);
    assert!(
        !server
            .login_works(&erp.creds.app_key, &erp.creds.token)
            .await
    );
    assert!(!server.renewal_pending(&erp.creds.app_key).await);
    let journal = state.join("apikeys").join("rotation.jsonl");
    let journaled = std::fs::read_to_string(&journal).expect("the journal in XDG_STATE_HOME");
    assert!(journaled.contains("\"finished\""), "{journaled}");
    assert!(!journaled.contains(&stored));

    app.send("\x1b");
    app.send("q");
    app.expect_clean_exit();
    let received = String::from_utf8_lossy(&app.raw.lock().unwrap()).to_string();
    for token in [&stored, &erp.creds.token, &server.admin.token] {
        assert!(
            !received.contains(&token[..16]),
            "a token reached the terminal"
        );
    }
}
