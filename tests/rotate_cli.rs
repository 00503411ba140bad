//! `apikeys rotate` as a user runs it: the built binary against the reference server over
//! 127.0.0.1, with real sink and verify scripts (tests/support/rotation.rs) that store each new
//! token in a 0600 file and record, from inside, the arguments and environment they got.

mod common;
#[path = "support/rotation.rs"]
mod rotation;

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;

use rotation::{World, alive, outcome_of, pid_in};

/// Days that make a token outdated under the default 3-month duration.
const OLD: i64 = 120;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outdated_keys_get_fresh_tokens_that_only_the_sink_ever_saw() {
    let world = World::new().await;
    let mut outdated = Vec::new();
    for label in ["ERP orders", "BI export", "Marketplace – estoque"] {
        outdated.push(world.key(label, OLD).await);
    }
    let fresh = world.key("Fresh key", 3).await;
    let sink = world.sink();
    let run = world
        .rotate(&["--outdated", "--sink", &sink, "--output", "json"])
        .await;
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("a JSON report");
    let journal = world.journal_text();
    for key in &outdated {
        let app_key = &key.creds.app_key;
        assert_eq!(
            outcome_of(&report, app_key)["outcome"],
            "rotated",
            "{report}"
        );
        let stored = world.stored(app_key).expect("the sink stored a token");
        assert!(
            world.server.login_works(app_key, &stored).await,
            "the stored token logs in"
        );
        assert!(
            !world.server.login_works(app_key, &key.creds.token).await,
            "the old token is deleted"
        );
        assert!(!world.server.renewal_pending(app_key).await);
        let mode = std::fs::metadata(world.store_file(app_key, "token")).unwrap();
        assert_eq!(mode.permissions().mode() & 0o777, 0o600);
        // The token reached the sink on stdin only: not in its arguments or environment, not
        // in anything apikeys printed or journaled.
        let args = std::fs::read_to_string(world.store_file(app_key, "args")).unwrap();
        let env = std::fs::read_to_string(world.store_file(app_key, "env")).unwrap();
        assert!(
            args.contains(app_key.as_str()),
            "the placeholders were replaced: {args}"
        );
        for (place, text) in [
            ("arguments", &args),
            ("environment", &env),
            ("stdout", &run.stdout),
            ("stderr", &run.stderr),
            ("journal", &journal),
        ] {
            assert!(
                !text.contains(stored.as_str()),
                "the new token is in the sink's {place}"
            );
        }
        // Nor the token apikeys itself signs in with.
        assert!(
            !env.contains(&world.server.admin.token),
            "VTEX_APP_TOKEN reached the sink"
        );
    }
    let listed = world.server.listed_key(&outdated[0].creds.app_key).await;
    let created: chrono::DateTime<chrono::Utc> = listed["creationDateToken"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(chrono::Utc::now() - created < chrono::Duration::minutes(5));
    assert!(
        world.stored(&fresh.creds.app_key).is_none(),
        "a fresh key is left alone"
    );
    assert!(
        world
            .server
            .login_works(&fresh.creds.app_key, &fresh.creds.token)
            .await
    );
    let mode = std::fs::metadata(world.journal())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the journal is private");
    for step in [
        "renew-started",
        "renewed",
        "hand-off-started",
        "handed-off",
        "verified",
        "finished",
    ] {
        assert!(
            journal.contains(&format!("\"step\":\"{step}\"")),
            "no {step} in {journal}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_a_hanging_sink_and_a_refused_verification_are_undone_the_rest_rotate() {
    let world = World::new().await;
    let failing = world.key("Sink will fail", OLD).await;
    let hanging = world.key("Sink will hang", OLD).await;
    let refused = world.key("Verify will refuse", OLD).await;
    let good = world.key("All good", OLD).await;
    let (sink, verify) = (world.sink(), world.verify());
    let run = world
        .rotate(&[
            "--outdated",
            "--sink",
            &sink,
            "--verify",
            &verify,
            "--sink-timeout",
            "2",
            "--output",
            "json",
        ])
        .await;
    assert_eq!(
        run.status, 1,
        "one failure is exit 1: {}\n{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains("3 of 4 keys were not rotated"),
        "{}",
        run.stderr
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    for (key, stage) in [
        (&failing, "hand-off"),
        (&hanging, "hand-off"),
        (&refused, "verify"),
    ] {
        let app_key = &key.creds.app_key;
        let entry = outcome_of(&report, app_key);
        assert_eq!(entry["outcome"], "undone", "{entry}");
        let reason = entry["reason"].as_str().unwrap();
        assert!(reason.starts_with(&format!("{stage} failed")), "{reason}");
        assert!(
            !world.server.renewal_pending(app_key).await,
            "{app_key} still pending"
        );
        assert!(
            world.server.login_works(app_key, &key.creds.token).await,
            "the old token of {app_key} still works"
        );
        if let Some(stored) = world.stored(app_key) {
            assert!(
                !world.server.login_works(app_key, &stored).await,
                "the new token is gone"
            );
        }
    }
    let failing_reason = outcome_of(&report, &failing.creds.app_key)["reason"]
        .as_str()
        .unwrap();
    assert!(
        failing_reason.contains("exit status 3") && failing_reason.contains("permission denied")
    );
    let hanging_reason = outcome_of(&report, &hanging.creds.app_key)["reason"]
        .as_str()
        .unwrap();
    assert!(
        hanging_reason.contains("did not finish within 2 s"),
        "{hanging_reason}"
    );
    let sleeper = pid_in(&world.store_file(&hanging.creds.app_key, "pid"));
    assert!(!alive(sleeper), "the hanging sink was killed");
    let refused_reason = outcome_of(&report, &refused.creds.app_key)["reason"]
        .as_str()
        .unwrap();
    assert!(
        refused_reason.contains("integration check failed"),
        "{refused_reason}"
    );
    assert_eq!(
        outcome_of(&report, &good.creds.app_key)["outcome"],
        "rotated"
    );
    let stored = world.stored(&good.creds.app_key).unwrap();
    assert!(world.server.login_works(&good.creds.app_key, &stored).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_tokens_die_only_when_finish_due_runs_after_the_grace() {
    let world = World::new().await;
    let short = world.key("Short grace", OLD).await;
    let sink = world.sink();
    let run = world
        .rotate(&[&short.creds.app_key, "--sink", &sink, "--grace", "1s"])
        .await;
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("grace"), "{}", run.stdout);
    let app_key = &short.creds.app_key;
    let stored = world.stored(app_key).unwrap();
    // However long that took, nothing deletes the old token but --finish-due.
    assert!(world.server.login_works(app_key, &short.creds.token).await);
    assert!(world.server.login_works(app_key, &stored).await);
    assert!(world.server.renewal_pending(app_key).await);

    let long = world.key("Long grace", OLD).await;
    let run = world
        .rotate(&[&long.creds.app_key, "--sink", &sink, "--grace", "1h"])
        .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let run = world.rotate(&["--finish-due", "--output", "json"]).await;
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        !world.server.login_works(app_key, &short.creds.token).await,
        "old token deleted"
    );
    assert!(world.server.login_works(app_key, &stored).await);
    assert!(!world.server.renewal_pending(app_key).await);
    assert!(
        world
            .server
            .login_works(&long.creds.app_key, &long.creds.token)
            .await,
        "a grace of an hour is not over"
    );
    assert!(
        run.stderr.contains("1 key waits for its grace to end"),
        "{}",
        run.stderr
    );
    // The journal now holds only what is still open: the long grace.
    let journal = world.journal_text();
    assert!(journal.contains(&long.creds.app_key) && !journal.contains(app_key.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_the_sink_runs_is_settled_by_the_next_run() {
    let world = World::new().await;
    let key = world.key("A slow vault", OLD).await;
    let app_key = key.creds.app_key.clone();
    let mut child = world
        .command(
            &world.server.admin.clone(),
            &[&app_key, "--sink", &world.sink()],
        )
        .spawn()
        .unwrap();
    let started = world.store_file(&app_key, "started");
    rotation::wait_for_file(&started).await;
    child.kill().unwrap(); // SIGKILL
    let _ = child.wait();
    assert!(
        world.server.renewal_pending(&app_key).await,
        "killed mid-rotation: pending"
    );
    let sink_pid = pid_in(&world.store_file(&app_key, "pid"));
    assert!(
        alive(sink_pid),
        "the sink outlived apikeys (its own session)"
    );

    let run = world.rotate(&["--finish-due", "--output", "json"]).await;
    assert_eq!(
        run.status, 1,
        "a taken-back rotation is not a success: {}",
        run.stderr
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let entry = outcome_of(&report, &app_key);
    assert_eq!(entry["outcome"], "undone", "{entry}");
    assert_eq!(entry["fromJournal"], true);
    assert!(
        !world.server.renewal_pending(&app_key).await,
        "no renewal is left pending"
    );
    assert!(
        world.server.login_works(&app_key, &key.creds.token).await,
        "old token works"
    );
    assert!(!alive(sink_pid), "the crashed run's sink was killed");
    // Settled once: the next run has nothing left.
    let run = world.rotate(&["--finish-due", "--output", "json"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!world.journal_text().contains(&app_key));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_sink_and_without_a_terminal_nothing_is_renewed() {
    let world = World::new().await;
    let key = world.key("Cron job", OLD).await;
    let run = world.rotate(&[&key.creds.app_key]).await;
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("needs a sink"), "{}", run.stderr);
    assert!(run.stderr.contains("Nothing was renewed"), "{}", run.stderr);
    assert!(!world.server.renewal_pending(&key.creds.app_key).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_shows_the_plan_and_changes_nothing() {
    let world = World::new().await;
    let key = world.key("ERP's \"main\" key; rm -rf ~", OLD).await;
    let inactive = world.key("Switched off", OLD).await;
    world
        .server
        .admin_call(
            reqwest::Method::PUT,
            &format!("/api/vlm/appkeys/{}", inactive.id),
            Some(serde_json::json!({ "isActive": false })),
        )
        .await;
    let run = world
        .rotate(&[
            "--outdated",
            "--dry-run",
            "--grace",
            "7d",
            "--output",
            "json",
            "--sink",
            "vault kv put secret/vtex/{appKey} label={label} token=-",
        ])
        .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let plan: Value = serde_json::from_str(&run.stdout).unwrap();
    let rotate = plan["rotate"].as_array().unwrap();
    assert_eq!(rotate.len(), 1, "{plan}");
    assert_eq!(
        rotate[0]["sink"],
        format!(
            "vault kv put secret/vtex/'{}' label='ERP'\\''s \"main\" key; rm -rf ~' token=-",
            key.creds.app_key
        )
    );
    assert!(
        rotate[0]["oldTokenGoes"]
            .as_str()
            .unwrap()
            .starts_with("7d after")
    );
    let skipped = plan["skipped"].as_array().unwrap();
    assert!(skipped.iter().any(|s| s["appKey"] == inactive.creds.app_key
        && s["reason"].as_str().unwrap().starts_with("inactive")));
    let run = world
        .rotate(&["--all", "--dry-run", "--output", "json", "--sink", "true"])
        .await;
    let plan: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        plan["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["appKey"] == world.server.admin.app_key
                && s["reason"].as_str().unwrap().contains("signs in with")),
        "the caller's own key is left out with the reason: {plan}"
    );
    assert!(!world.server.renewal_pending(&key.creds.app_key).await);
    assert!(!world.journal().exists(), "a dry run writes no journal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_key_that_cannot_be_rotated_is_a_failure_with_its_reason() {
    let world = World::new().await;
    let sink = world.sink();
    let admin = world.server.admin.app_key.clone();
    let run = world.rotate(&[&admin, "--sink", &sink]).await;
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("VTEX renews a key only from another key"),
        "{}",
        run.stdout
    );
    let run = world.rotate(&["no such key", "--sink", &sink]).await;
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("no key has the id, appKey or label"),
        "{}",
        run.stderr
    );
    let run = world.rotate(&["--all", "--sink", "put {appkey}"]).await;
    assert_eq!(run.status, 2, "a misspelt placeholder is a usage error");
    assert!(run.stderr.contains("{appKey}"), "{}", run.stderr);
    let run = world
        .rotate(&["--all", "--sink", &sink, "--grace", "1y"])
        .await;
    assert_eq!(run.status, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sink_that_exits_0_without_reading_the_token_does_not_cost_the_old_one() {
    let world = World::new().await;
    let key = world.key("A lazy sink", OLD).await;
    let sink = world.sink();
    let run = world
        .rotate(&[&key.creds.app_key, "--sink", &sink, "--output", "json"])
        .await;
    assert_eq!(run.status, 1, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let entry = outcome_of(&report, &key.creds.app_key);
    assert_eq!(entry["outcome"], "undone", "{entry}");
    assert!(
        entry["reason"]
            .as_str()
            .unwrap()
            .contains("without reading the token"),
        "{entry}"
    );
    assert!(
        world
            .server
            .login_works(&key.creds.app_key, &key.creds.token)
            .await
    );
    assert!(!world.server.renewal_pending(&key.creds.app_key).await);
}
