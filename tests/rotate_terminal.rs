//! `apikeys rotate` without a sink, on a terminal (a real pty): each new token is shown once,
//! the rotation waits for Enter, then verifies and finishes; the token leaves the screen.
//! "undo" instead of Enter takes the renewal back.

mod common;
mod pty_app;

use std::time::Duration;

use common::TestServer;
use pty_app::Pty;

/// `apikeys rotate ARGS…` in a pty, signed in as the server's admin.
fn rotate_in_pty(server: &TestServer, home: &std::path::Path, args: &[&str]) -> Pty {
    let url = server.url("");
    let mut all = vec!["rotate", "--base-url", url.as_str()];
    all.extend_from_slice(args);
    let state = home.join("state");
    Pty::spawn_full(
        &all,
        &home.join("data"),
        &home.join("config"),
        (120, 35),
        &[
            ("VTEX_APP_KEY", server.admin.app_key.as_str()),
            ("VTEX_APP_TOKEN", server.admin.token.as_str()),
            ("XDG_STATE_HOME", state.to_str().unwrap()),
        ],
    )
}

/// The 100-letter token on the line after "New token for".
fn token_on(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("New token for"))
        .unwrap();
    lines[at + 1].trim().to_string()
}

fn exit_status(pty: &mut Pty) -> portable_pty::ExitStatus {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = pty.child.try_wait().unwrap() {
            return status;
        }
        assert!(std::time::Instant::now() < deadline, "rotate did not end");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_shown_once_and_the_old_one_goes_after_enter() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Hand-rotated", &[]).await;
    let home = tempfile::tempdir().unwrap();
    let app_key = key.creds.app_key.clone();
    let mut pty = rotate_in_pty(&server, home.path(), &[&app_key]);
    let screen = tokio::task::block_in_place(|| {
        pty.wait_for("the prompt", |s| {
            s.contains("Press Enter once it is stored")
        })
    });
    let token = token_on(&screen);
    assert!(
        server.login_works(&app_key, &token).await,
        "the token shown works"
    );
    assert!(
        server.login_works(&app_key, &key.creds.token).await,
        "both do until Enter"
    );
    let after = tokio::task::block_in_place(|| {
        pty.send("\r");
        pty.wait_for("the report", |s| s.contains("rotated in"))
    });
    assert!(exit_status(&mut pty).success(), "{after}");
    assert!(
        !after.contains(&token),
        "the token left the screen:\n{after}"
    );
    assert!(
        !server.login_works(&app_key, &key.creds.token).await,
        "old token deleted"
    );
    assert!(server.login_works(&app_key, &token).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_undo_takes_the_renewal_back() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Changed my mind", &[]).await;
    let home = tempfile::tempdir().unwrap();
    let app_key = key.creds.app_key.clone();
    let mut pty = rotate_in_pty(&server, home.path(), &[&app_key]);
    let screen = tokio::task::block_in_place(|| {
        pty.wait_for("the prompt", |s| {
            s.contains("Press Enter once it is stored")
        })
    });
    let token = token_on(&screen);
    let after = tokio::task::block_in_place(|| {
        pty.send("undo\r");
        pty.wait_for("the report", |s| s.contains("undone"))
    });
    assert!(
        !exit_status(&mut pty).success(),
        "a taken-back key is not rotated"
    );
    assert!(
        after.contains("you asked to take this renewal back"),
        "{after}"
    );
    assert!(!server.renewal_pending(&app_key).await);
    assert!(
        server.login_works(&app_key, &key.creds.token).await,
        "old token works"
    );
    assert!(
        !server.login_works(&app_key, &token).await,
        "new token gone"
    );
}
