//! What a run settles from the journal of one that was killed: never someone else's renewal.

mod common;
#[path = "support/rotation.rs"]
mod rotation;

use reqwest::Method;
use serde_json::Value;

use rotation::{World, outcome_of};

/// Starts `rotate KEY` with the slow sink and kills it (SIGKILL) once the sink runs.
async fn killed_mid_sink(world: &World, app_key: &str) {
    let sink = world.sink();
    let mut child = world
        .command(&world.server.admin.clone(), &[app_key, "--sink", &sink])
        .spawn()
        .unwrap();
    let started = world.store_file(app_key, "started");
    rotation::wait_for_file(&started).await;
    child.kill().unwrap();
    let _ = child.wait();
}

/// Moves every journal record back by an hour, as if the run had been killed that long ago.
fn journal_an_hour_ago(world: &World) {
    let text = world.journal_text();
    let moved: Vec<String> = text
        .lines()
        .map(|line| {
            let mut record: Value = serde_json::from_str(line).unwrap();
            let at: chrono::DateTime<chrono::Utc> = record["at"].as_str().unwrap().parse().unwrap();
            record["at"] = (at - chrono::Duration::hours(1)).to_rfc3339().into();
            record.to_string()
        })
        .collect();
    std::fs::write(world.journal(), moved.join("\n") + "\n").unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_made_after_the_killed_run_is_someone_elses_and_stays() {
    let world = World::new().await;
    let key = world.key("A slow vault", 0).await;
    let app_key = key.creds.app_key.clone();
    killed_mid_sink(&world, &app_key).await;
    journal_an_hour_ago(&world);
    // Meanwhile an admin undid that renewal and renewed the key by hand, deploying its token.
    let path = |step: &str| format!("/api/vtexid/apikey/{app_key}/apitoken/{step}");
    let undone = world
        .server
        .admin_call(Method::PATCH, &path("undo-renewal"), None)
        .await;
    assert!(undone.status.is_success(), "{}", undone.text);
    let renewed = world
        .server
        .admin_call(Method::PATCH, &path("renew"), None)
        .await;
    let theirs = renewed.body["newToken"].as_str().unwrap().to_string();

    let run = world.rotate(&["--finish-due", "--output", "json"]).await;
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let entry = outcome_of(&report, &app_key);
    assert_eq!(entry["outcome"], "settled", "{entry}");
    assert!(
        entry["reason"].as_str().unwrap().contains("someone else's"),
        "{entry}"
    );
    assert!(
        world.server.renewal_pending(&app_key).await,
        "their renewal stays"
    );
    assert!(
        world.server.login_works(&app_key, &theirs).await,
        "their token works"
    );
    assert!(world.server.login_works(&app_key, &key.creds.token).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_already_undone_by_hand_is_settled_without_a_request_that_fails() {
    let world = World::new().await;
    let key = world.key("A slow vault too", 0).await;
    let app_key = key.creds.app_key.clone();
    killed_mid_sink(&world, &app_key).await;
    let undo = format!("/api/vtexid/apikey/{app_key}/apitoken/undo-renewal");
    let undone = world.server.admin_call(Method::PATCH, &undo, None).await;
    assert!(undone.status.is_success(), "{}", undone.text);
    let run = world.rotate(&["--finish-due", "--output", "json"]).await;
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome_of(&report, &app_key)["outcome"], "settled");
    assert!(
        !world.journal_text().contains(&app_key),
        "closed and compacted away next time"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_takes_back_the_key_under_way_and_starts_no_other() {
    let world = World::new().await;
    let mut keys = Vec::new();
    for n in 1..=3 {
        keys.push(world.key(&format!("pause {n}"), 0).await);
    }
    let names: Vec<&str> = keys.iter().map(|k| k.creds.app_key.as_str()).collect();
    let sink = world.sink();
    let mut args = names.clone();
    args.extend(["--sink", &sink, "--jobs", "1", "--output", "json"]);
    let child = world
        .command(&world.server.admin.clone(), &args)
        .spawn()
        .unwrap();
    let first_pid = world.store_file(names[0], "pid");
    rotation::wait_for_file(&first_pid).await;
    let sink_pid = rotation::pid_in(&first_pid);
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("Ctrl-C: stopping"), "{stderr}");
    assert!(!rotation::alive(sink_pid), "the sink under way was killed");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        outcome_of(&report, names[0])["outcome"],
        "undone",
        "{report}"
    );
    for (n, (key, name)) in keys.iter().zip(&names).enumerate() {
        if n > 0 {
            let entry = outcome_of(&report, name);
            assert_eq!(entry["outcome"], "skipped", "{entry}");
            assert!(entry["reason"].as_str().unwrap().starts_with("not started"));
        }
        assert!(
            !world.server.renewal_pending(name).await,
            "{name} left pending"
        );
        assert!(world.server.login_works(name, &key.creds.token).await);
    }
    assert!(
        !world.journal_text().contains(names[0]),
        "settled before exiting"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finish_due_with_nothing_due_asks_no_server_at_all() {
    let world = World::new().await;
    let key = world.key("Long grace", 0).await;
    let sink = world.sink();
    let run = world
        .rotate(&[&key.creds.app_key, "--sink", &sink, "--grace", "1h"])
        .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    // Cron runs it while the server is down: nothing is due, so nothing fails.
    let home = world.home.path();
    let admin = &world.server.admin;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args([
            "rotate",
            "--finish-due",
            "--base-url",
            "http://127.0.0.1:9/",
        ])
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("VTEX_APP_KEY", &admin.app_key)
        .env("VTEX_APP_TOKEN", &admin.token)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("1 key waits for its grace to end"),
        "{stderr}"
    );
}
