//! `apikeys export` on a terminal against the stand-in for VTEX's public API: while each
//! key's roles are fetched, a progress bar is drawn in place on stderr, and cleared before the
//! closing sentence (the built binary in a real pty).

mod common;
mod pty_app;

use common::TestServer;
use pty_app::Pty;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_progress_bar_counts_the_keys_whose_roles_are_fetched() {
    let server = TestServer::start_public_only().await;
    let listed = server
        .admin_call(reqwest::Method::GET, "/api/vlm/appkeys", None)
        .await;
    let total = listed.body.as_array().unwrap().len();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("keys.xlsx");
    let base_url = server.url("");
    let admin = server.admin.clone();
    let screen = tokio::task::spawn_blocking(move || {
        let out = out.display().to_string();
        let args = ["export", "--base-url", &base_url, "-o", &out];
        let env = [
            ("VTEX_APP_KEY", admin.app_key.as_str()),
            ("VTEX_APP_TOKEN", admin.token.as_str()),
        ];
        let data = dir.path().join("data");
        let config = dir.path().join("config");
        let mut pty = Pty::spawn_full(&args, &data, &config, (100, 10), &env);
        let screen = pty.wait_for("the closing sentence", |screen| screen.contains("Exported"));
        pty.expect_clean_exit();
        let raw = String::from_utf8_lossy(&pty.raw.lock().unwrap()).into_owned();
        (screen, raw)
    })
    .await
    .unwrap();
    let (screen, raw) = screen;
    assert!(
        raw.contains(&format!("Fetching roles: {total}/{total} keys [")),
        "the bar reached the end: {raw:?}"
    );
    assert!(raw.contains("\r\x1b[2KFetching roles: "), "drawn in place");
    assert!(
        !screen.contains("Fetching roles"),
        "cleared before the sentence:\n{screen}"
    );
    assert!(
        screen.contains(&format!("Exported {total} generated keys")),
        "{screen}"
    );
}
