//! `apikeys rotate` against the VTEX stand-in (`serve --public-api-only`: real tokens, only
//! VTEX's documented operations). VTEX's public API cannot undo a renewal: a failed hand-off
//! leaves it pending, the old token working, and the report says exactly what to do.

mod common;
#[path = "support/rotation.rs"]
mod rotation;

use serde_json::Value;

use common::TestServer;
use rotation::{World, outcome_of};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_hand_off_is_left_pending_with_what_to_do() {
    let world = World::on(TestServer::start_public_only().await);
    let failing = world.key("Vault will fail", 0).await;
    let good = world.key("Vault works", 0).await;
    let sink = world.sink();
    let run = world
        .rotate(&[
            &failing.creds.app_key,
            &good.creds.app_key,
            "--sink",
            &sink,
            "--output",
            "json",
        ])
        .await;
    assert_eq!(run.status, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("cannot undo a renewal"),
        "said up front: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 renewal is left pending"),
        "{}",
        run.stderr
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let entry = outcome_of(&report, &failing.creds.app_key);
    assert_eq!(entry["outcome"], "left-pending", "{entry}");
    let reason = entry["reason"].as_str().unwrap();
    for said in [
        "hand-off failed",
        "VTEX's public API cannot undo a renewal",
        "the old token still works",
        "Undo renewal",
        &format!("apikeys rotate {}", failing.creds.app_key),
    ] {
        assert!(reason.contains(said), "{said:?} missing from: {reason}");
    }
    let app_key = &failing.creds.app_key;
    assert!(
        world.server.renewal_pending(app_key).await,
        "pending: no undo here"
    );
    assert!(
        world
            .server
            .login_works(app_key, &failing.creds.token)
            .await
    );
    // Everything VTEX documents works for the other key: renew, login, finish.
    assert_eq!(
        outcome_of(&report, &good.creds.app_key)["outcome"],
        "rotated"
    );
    let stored = world.stored(&good.creds.app_key).unwrap();
    assert!(world.server.login_works(&good.creds.app_key, &stored).await);
    assert!(
        !world
            .server
            .login_works(&good.creds.app_key, &good.creds.token)
            .await
    );
    // Every later run reminds (exit 1, the key named) and takes nothing back on its own.
    let run = world.rotate(&["--finish-due", "--output", "json"]).await;
    assert_eq!(run.status, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let entry = outcome_of(&report, app_key);
    assert_eq!(entry["outcome"], "left-pending", "{entry}");
    assert!(
        entry["reason"]
            .as_str()
            .unwrap()
            .contains("still waiting since")
    );
    assert!(world.server.renewal_pending(app_key).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outdated_needs_token_dates_the_public_listing_lacks() {
    let world = World::on(TestServer::start_public_only().await);
    let sink = world.sink();
    let run = world.rotate(&["--outdated", "--sink", &sink]).await;
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no token dates"), "{}", run.stderr);
}
