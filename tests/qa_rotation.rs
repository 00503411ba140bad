//! Defects found using `apikeys rotate` as an admin would (QA of issue 14), each pinned by a
//! test against real parts: the built binary, the reference server (or the VTEX stand-in) on
//! 127.0.0.1, the real sink scripts of tests/support/rotation.rs, a real pty.

mod common;
mod pty_app;
#[path = "support/rotation.rs"]
mod rotation;

use serde_json::Value;

use common::TestServer;
use rotation::{World, outcome_of};

/// Against VTEX (no undo) a failed hand-off is left pending and the report says "Undo it in the
/// Admin … Do not finish it: only the old token is in use". Rotating that key again (the
/// obvious next try) must not then advise finishing the renewal: VTEX's listing shows no
/// pending renewal, the renew answers 409, and "finish or undo that renewal first" would have
/// the admin delete the only token the integration holds. The journal knows the key was left
/// pending; the second report should say so (or at least not suggest finishing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_left_pending_against_vtex_is_never_told_to_finish_its_renewal() {
    let world = World::on(TestServer::start_public_only().await);
    let key = world.key("Vault will fail", 0).await;
    let app_key = key.creds.app_key.clone();
    let sink = world.sink();
    let first = world
        .rotate(&[&app_key, "--sink", &sink, "--output", "json"])
        .await;
    let report: Value = serde_json::from_str(&first.stdout).expect("a JSON report");
    assert_eq!(
        outcome_of(&report, &app_key)["outcome"],
        "left-pending",
        "{report}"
    );
    let again = world
        .rotate(&[&app_key, "--sink", &sink, "--output", "json"])
        .await;
    assert_eq!(again.status, 1, "{}\n{}", again.stdout, again.stderr);
    let report: Value = serde_json::from_str(&again.stdout).expect("a JSON report");
    let reason = outcome_of(&report, &app_key)["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        !reason.contains("finish or undo") && !reason.contains("finish it"),
        "the second run advises finishing a renewal whose new token nobody holds: {reason}"
    );
    assert!(
        world.server.login_works(&app_key, &key.creds.token).await,
        "the old token still works"
    );
}

/// Ctrl-C during a hand-off: the run takes the renewal back itself, but its report blames "an
/// earlier run stopped during the hand-off", which is untrue (this run was stopped, by the
/// user) and sends the admin looking for a crash that never happened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_is_reported_as_this_run_being_stopped_not_as_an_earlier_run() {
    let world = World::new().await;
    let key = world.key("A slow vault", 0).await;
    let app_key = key.creds.app_key.clone();
    let admin = world.server.admin.clone();
    let sink = world.sink();
    let child = world
        .command(&admin, &[&app_key, "--sink", &sink, "--output", "json"])
        .spawn()
        .unwrap();
    let started = world.store_file(&app_key, "started");
    rotation::wait_for_file(&started).await;
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_str(&stdout).expect("a JSON report");
    let entry = outcome_of(&report, &app_key);
    assert_eq!(entry["outcome"], "undone", "{entry}\n{stderr}");
    let reason = entry["reason"].as_str().unwrap_or_default();
    assert!(
        !reason.contains("earlier run"),
        "the interrupted run blames an earlier one: {reason}"
    );
    assert!(
        world.server.login_works(&app_key, &key.creds.token).await,
        "the old token still works"
    );
}

/// Without a sink, on a terminal, typing `undo` at the prompt: there is no sink and nothing
/// failed, yet the report says "hand-off failed … If the sink stored the new token before
/// failing, that token no longer works" — a warning about a sink that does not exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_at_the_terminal_prompt_does_not_talk_of_a_failed_sink() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Changed my mind", &[]).await;
    let home = tempfile::tempdir().unwrap();
    let app_key = key.creds.app_key.clone();
    let url = server.url("");
    let state = home.path().join("state");
    // Wide enough that no sentence of the report wraps.
    let mut pty = pty_app::Pty::spawn_full(
        &["rotate", "--base-url", url.as_str(), &app_key],
        &home.path().join("data"),
        &home.path().join("config"),
        (400, 30),
        &[
            ("VTEX_APP_KEY", server.admin.app_key.as_str()),
            ("VTEX_APP_TOKEN", server.admin.token.as_str()),
            ("XDG_STATE_HOME", state.to_str().unwrap()),
        ],
    );
    let after = tokio::task::block_in_place(|| {
        pty.wait_for("the prompt", |s| {
            s.contains("Press Enter once it is stored")
        });
        pty.send("undo\r");
        pty.wait_for("the end", |s| s.contains("was not rotated"))
    });
    assert!(!server.renewal_pending(&app_key).await, "taken back");
    let progress = after
        .lines()
        .find(|l| l.contains(&app_key) && l.contains("undone in"))
        .unwrap_or_else(|| panic!("no progress line for the key:\n{after}"));
    assert!(
        !progress.contains("hand-off failed") && !progress.contains("the sink"),
        "the report speaks of a failed sink where the admin typed undo: {progress}"
    );
}

/// The demo (`apikeys --demo`, or no config at all) refuses `o` with "no sink is configured.
/// Set `sink` in [profiles.local.rotation] of …/config.toml". Doing exactly that changes
/// nothing: the demo ignores the table and repeats the same advice (and without `--demo`, a
/// config holding only that table stops apikeys from starting: "No VTEX account is set").
#[test]
fn the_demo_does_not_repeat_a_sink_advice_that_was_followed() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    std::fs::create_dir_all(config.join("apikeys")).unwrap();
    let file = config.join("apikeys/config.toml");
    std::fs::write(
        &file,
        "[profiles.local.rotation]\nsink = \"cat > /dev/null\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let state = home.path().join("state");
    let mut pty = pty_app::Pty::spawn_full(
        &["--demo"],
        &home.path().join("data"),
        &config,
        (200, 35),
        &[("XDG_STATE_HOME", state.to_str().unwrap())],
    );
    pty.wait_for("the key list", |s| s.contains("keys · sorted by"));
    pty.send("o");
    let screen = pty.wait_for("a confirmation or a refusal", |s| {
        s.contains("Cannot rotate") || s.contains("Rotate 1 key")
    });
    let _ = pty.child.kill();
    assert!(
        !screen.contains("[profiles.local.rotation]"),
        "the advice was followed and is given again:\n{screen}"
    );
}

/// Against VTEX a failed hand-off leaves the renewal pending, to be undone in the Admin. The
/// cron job's next `rotate --finish-due` then says "nothing was left open in the journal": the
/// one place an admin reads every day says all is well while a renewal still waits for them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finish_due_does_not_say_all_is_settled_while_a_renewal_is_left_pending() {
    let world = World::on(TestServer::start_public_only().await);
    let key = world.key("Vault will fail", 0).await;
    let app_key = key.creds.app_key.clone();
    let sink = world.sink();
    let first = world.rotate(&[&app_key, "--sink", &sink]).await;
    assert!(
        first.stderr.contains("left pending"),
        "{}\n{}",
        first.stdout,
        first.stderr
    );
    let cron = world.rotate(&["--finish-due"]).await;
    assert!(
        !cron.stderr.contains("nothing was left open"),
        "a pending renewal is open, yet: {}",
        cron.stderr
    );
}

/// A rotation killed during its hand-off leaves the renewal pending: the new token exists but
/// no sink stored it. The listing then reads "old token pending deletion", and someone deletes
/// the old token (the Admin's button, or `apikeys keys finish-renewal`, which does not consult
/// the journal). The integration now holds a dead token and nobody holds the live one. The
/// next `rotate` sees the key's token dated as the journal's never-handed-off new token, yet
/// reports "✓ settled — no renewal is pending" and exits 0: cron mails say all is well while
/// the integration is down.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_finished_behind_a_crashed_hand_off_is_reported_as_a_broken_key() {
    let world = World::new().await;
    let key = world.key("A slow vault", 0).await;
    let app_key = key.creds.app_key.clone();
    let admin = world.server.admin.clone();
    let sink = world.sink();
    let mut child = world
        .command(&admin, &[&app_key, "--sink", &sink])
        .spawn()
        .unwrap();
    let started = world.store_file(&app_key, "started");
    rotation::wait_for_file(&started).await;
    child.kill().unwrap(); // SIGKILL, as a crash
    let _ = child.wait();
    let sink_pid = rotation::pid_in(&world.store_file(&app_key, "pid"));
    // SAFETY: the test's own sink (it would sleep a minute more); it never stored the token.
    unsafe { libc::kill(sink_pid as i32, libc::SIGKILL) };
    assert!(world.server.renewal_pending(&app_key).await);
    let path = format!("/api/vtexid/apikey/{app_key}/apitoken/finish-renewal");
    let finished = world
        .server
        .admin_call(reqwest::Method::PATCH, &path, None)
        .await;
    assert!(finished.status.is_success(), "{:?}", finished.body);
    assert!(
        !world.server.login_works(&app_key, &key.creds.token).await,
        "the integration's token is dead"
    );
    let run = world.rotate(&["--finish-due", "--output", "json"]).await;
    let report: Value = serde_json::from_str(&run.stdout).expect("a JSON report");
    let entry = outcome_of(&report, &app_key);
    assert!(
        run.status == 1 && entry["succeeded"] == false,
        "a key whose only live token nobody holds is reported as fine (exit {}): {entry}",
        run.status
    );
}

/// The Settings pane says "1 key is outdated — o rotates it" when the only outdated key is
/// inactive; `o` then answers "Nothing to rotate: … skipped (inactive …)". The promise should
/// count the keys `o` would rotate (or say why none would be).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_does_not_promise_to_rotate_keys_that_o_skips() {
    let world = World::new().await;
    let key = world.key("Legacy export (off)", 200).await;
    let path = format!("/api/vlm/appkeys/{}", key.id);
    let off = world
        .server
        .admin_call(
            reqwest::Method::PUT,
            &path,
            Some(serde_json::json!({"isActive": false})),
        )
        .await;
    assert!(off.status.is_success(), "{:?}", off.body);
    let url = world.server.url("");
    let home = world.home.path();
    let state = home.join("state");
    // A profile with a sink, so that o answers for the keys rather than for the missing sink.
    std::fs::create_dir_all(home.join("config/apikeys")).unwrap();
    let config = format!(
        "[profiles.qa]\naccount = \"acme\"\nbase_url = \"{url}\"\napp_key = \"{}\"\n\n\
         [profiles.qa.rotation]\nsink = \"{}\"\n",
        world.server.admin.app_key,
        world.sink()
    );
    std::fs::write(home.join("config/apikeys/config.toml"), config).unwrap();
    let mut pty = pty_app::Pty::spawn_full(
        &["--profile", "qa"],
        &home.join("data"),
        &home.join("config"),
        (160, 35),
        &[
            ("VTEX_APP_KEY", world.server.admin.app_key.as_str()),
            ("VTEX_APP_TOKEN", world.server.admin.token.as_str()),
            ("XDG_STATE_HOME", state.to_str().unwrap()),
        ],
    );
    let settings = tokio::task::block_in_place(|| {
        pty.wait_for("the key list", |s| s.contains("Legacy export (off)"));
        pty.send("1");
        pty.wait_for("the Settings pane", |s| s.contains("Server extensions"));
        // The answer to o: by then the pane shows what it says about outdated keys.
        pty.send("o");
        pty.wait_for("the answer to o", |s| {
            s.contains("Nothing to rotate") || s.contains("Rotate 1")
        })
    });
    let _ = pty.child.kill();
    assert!(
        !settings.contains("o rotates"),
        "Settings promises a rotation of an inactive key that o skips:\n{settings}"
    );
}

/// Signed in without a profile (`--base-url` and VTEX_APP_KEY/VTEX_APP_TOKEN), `o` answers
/// "Set `sink` in [profiles.http://127.0.0.1:PORT/.rotation] of …": a URL taken for a profile
/// name, a table header TOML cannot even parse unquoted. Advice must name a table that exists
/// or can be written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_no_sink_advice_does_not_take_a_url_for_a_profile_name() {
    let world = World::new().await;
    world.key("Some integration", 0).await;
    let url = world.server.url("");
    let home = world.home.path();
    let state = home.join("state");
    let mut pty = pty_app::Pty::spawn_full(
        &["--base-url", url.as_str()],
        &home.join("data"),
        &home.join("config"),
        (250, 35),
        &[
            ("VTEX_APP_KEY", world.server.admin.app_key.as_str()),
            ("VTEX_APP_TOKEN", world.server.admin.token.as_str()),
            ("XDG_STATE_HOME", state.to_str().unwrap()),
        ],
    );
    let screen = tokio::task::block_in_place(|| {
        pty.wait_for("the key list", |s| s.contains("Some integration"));
        pty.send("o");
        pty.wait_for("the refusal", |s| s.contains("Cannot rotate"))
    });
    let _ = pty.child.kill();
    assert!(
        !screen.contains("[profiles.http"),
        "the advice names a URL as a profile:\n{screen}"
    );
}
