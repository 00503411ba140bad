//! Bulk actions on the marked keys (issue 13), through the app's real loop against a
//! reference server on 127.0.0.1:0: one confirmation naming what is skipped, the run, partial
//! failure (a key the server refuses) and its summary, 429 and Retry-After, Esc half-way.

mod common;

use std::time::Duration;

use apikeys::server::{Limits, limits::RateLimit};
use common::tui::{App, AppOptions, Frame, start_on};
use common::{TestKey, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::Value;

async fn listed(server: &TestServer) -> Vec<Value> {
    let admin = server.admin.clone();
    let listed = server
        .get(&admin, "/api/vlm/appkeys?expand=roles,token")
        .await;
    listed.body.as_array().unwrap().clone()
}

async fn active_labels(server: &TestServer) -> Vec<String> {
    let mut labels: Vec<String> = listed(server)
        .await
        .into_iter()
        .filter(|k| k["isActive"] == true)
        .map(|k| k["label"].as_str().unwrap().to_string())
        .collect();
    labels.sort();
    labels
}

async fn keys(server: &TestServer, labels: &[&str]) -> Vec<TestKey> {
    let mut made = Vec::new();
    for label in labels {
        made.push(server.key_with_roles(label, &[]).await);
    }
    made
}

/// Sends `keys` and waits for the bulk confirmation they open.
async fn confirmation(app: &mut App, keys: &str) -> Frame {
    app.send(keys);
    app.wait_for("the confirmation", |f| f.dialog.is_some())
        .await
}

async fn loaded(app: &mut App, rows: usize) -> Frame {
    app.wait_for("the keys", |f| f.visible_rows == rows && !f.busy)
        .await
}

async fn renew(server: &TestServer, app_key: &str) {
    let path = format!("/api/vtexid/apikey/{app_key}/apitoken/renew");
    let renewed = server.admin_call(Method::PATCH, &path, None).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
}

const FIVE: [&str; 5] = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"];

#[tokio::test]
async fn deactivating_every_key_shown_skips_your_own_and_says_so_first() {
    let server = TestServer::start().await;
    keys(&server, &FIVE).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, 6).await;

    let asked = confirmation(&mut app, "<C-a>t").await;
    assert_eq!(asked.dialog.as_deref(), Some("Bulk: 5 keys"));
    assert!(
        asked.screen.contains("Deactivate 5 keys?"),
        "{}",
        asked.screen
    );
    assert!(
        asked.screen.contains("Skipped before sending (1)")
            && asked.screen.contains("your own key"),
        "{}",
        asked.screen
    );
    assert_eq!(active_labels(&server).await.len(), 6, "nothing sent yet");

    app.send("<Enter>");
    let done = app
        .wait_for("done", |f| f.says("Deactivated 5 keys.") && !f.busy)
        .await;
    assert!(done.says("1 key skipped"), "{:?}", done.status);
    assert!(
        done.marked_labels.is_empty(),
        "what went through is unmarked"
    );
    let active = active_labels(&server).await;
    assert_eq!(active.len(), 1, "only the admin key is active: {active:?}");
    // The list shows it after one refresh at the end.
    let shown = app
        .wait_for("the refreshed list", |f| {
            f.screen.matches("Inactive").count() == 5
        })
        .await;
    assert!(shown.bulk.is_none());

    // Activating them back: t on marks that are all inactive activates.
    let asked = confirmation(&mut app, "<C-a>t").await;
    assert!(
        asked.screen.contains("Activate 5 keys?"),
        "{}",
        asked.screen
    );
    app.send("y");
    app.wait_for("done", |f| f.says("Activated 5 keys.")).await;
    assert_eq!(active_labels(&server).await.len(), 6);
    app.quit().await;
}

#[tokio::test]
async fn a_key_the_server_refuses_is_in_the_summary_and_stays_marked() {
    let server = TestServer::start().await;
    let made = keys(&server, &["Alpha", "Bravo", "Charlie"]).await;
    for key in &made {
        renew(&server, &key.creds.app_key).await;
    }
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, 4).await;
    app.send("<C-a>");
    app.wait_for("all marked", |f| f.marked_labels.len() == 4)
        .await;
    // Bravo's renewal is finished elsewhere: the app still shows it pending.
    let bravo = &made[1].creds.app_key;
    let path = format!("/api/vtexid/apikey/{bravo}/apitoken/finish-renewal");
    let finished = server.admin_call(Method::PATCH, &path, None).await;
    assert_eq!(finished.status, StatusCode::OK, "{}", finished.text);

    let asked = confirmation(&mut app, "F").await;
    assert!(
        asked.screen.contains("Delete the old tokens of 3 keys?"),
        "{}",
        asked.screen
    );
    assert!(
        asked.screen.contains("no renewal pending"),
        "the admin key is skipped: {}",
        asked.screen
    );
    // It cannot be undone: the acknowledgement comes first.
    app.send("<Enter>");
    app.wait_for("asked to tick", |f| f.says("I understand"))
        .await;
    app.send("<Space><Enter>");
    let summary = app
        .wait_for("the summary", |f| {
            f.dialog
                .as_deref()
                .is_some_and(|d| d.starts_with("BulkSummary"))
        })
        .await;
    assert_eq!(
        summary.dialog.as_deref(),
        Some("BulkSummary: Delete the old tokens of 3 keys: 2 done")
    );
    assert!(summary.screen.contains("Failed (1):"), "{}", summary.screen);
    assert!(
        summary.screen.contains(bravo.as_str()),
        "{}",
        summary.screen
    );
    assert_eq!(summary.marked_labels, ["Bravo"], "the failure stays marked");
    for key in &made {
        assert!(!server.renewal_pending(&key.creds.app_key).await);
    }
    app.send("<Esc>");
    app.wait_for("closed", |f| f.dialog.is_none()).await;
    app.quit().await;
}

/// A server whose keys were made first, restarted under a rate limit, and the key the app
/// signs in with (an Owner: the limit counts per key, so the test's own calls as the admin
/// do not spend the app's budget).
async fn limited(labels: &[&str], burst: u32, refill: Duration) -> (TestServer, common::Creds) {
    let server = TestServer::start().await;
    keys(&server, labels).await;
    let operator = server
        .key_with_roles("Operator", &["Owner (Admin Super)"])
        .await
        .creds;
    let limits = Limits {
        rate_limit: Some(RateLimit {
            burst,
            refill_every: refill,
        }),
        ..Limits::default()
    };
    (server.restart_with_limits(limits).await, operator)
}

const EIGHT: [&str; 8] = [
    "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel",
];

/// Eight keys deactivated in bulk under a rate limit (`burst`, then one per `refill`), by an
/// app on its own key; the admin key, with which the test checks the server, stays out of it.
async fn deactivating_eight(burst: u32, refill: Duration) -> (TestServer, App) {
    let (server, operator) = limited(&EIGHT, burst, refill).await;
    let mut app = start_on(&server, &operator, AppOptions::default());
    loaded(&mut app, 10).await;
    app.send("/!admin<Enter><C-a>t");
    app.wait_for("the confirmation", |f| f.dialog.is_some())
        .await;
    app.send("<Enter>");
    (server, app)
}

#[tokio::test]
async fn a_429_is_waited_out_and_every_key_goes_through() {
    // A burst of 6, then one request every 400 ms: the listing and the first keys pass, the
    // rest meet 429s with Retry-After 1.
    let (server, mut app) = deactivating_eight(6, Duration::from_millis(400)).await;
    let done = app
        .wait_for("done", |f| f.says("Deactivated 8 keys."))
        .await;
    assert!(done.says("asked to slow down"), "{:?}", done.status);
    let active = active_labels(&server).await;
    assert_eq!(active.len(), 2, "the admin and the operator: {active:?}");
    app.quit().await;
}

#[tokio::test]
async fn esc_half_way_stops_what_is_not_sent_and_keeps_it_marked() {
    // One request a second: the run is slow enough to stop half-way.
    let (server, mut app) = deactivating_eight(3, Duration::from_secs(1)).await;
    app.wait_for("the run going on", |f| {
        f.bulk.is_some_and(|(done, _, _)| done >= 1)
    })
    .await;
    app.send("<Esc>");
    let summary = app
        .wait_for("the summary", |f| {
            f.dialog
                .as_deref()
                .is_some_and(|d| d.starts_with("BulkSummary"))
        })
        .await;
    assert!(
        summary.screen.contains("Stopped before the end"),
        "{}",
        summary.screen
    );
    assert!(summary.screen.contains("Not sent ("), "{}", summary.screen);
    let still_active = active_labels(&server).await;
    let unsent: Vec<String> = still_active
        .iter()
        .filter(|label| !label.starts_with("apikeys") && *label != "Operator")
        .cloned()
        .collect();
    assert!(!unsent.is_empty(), "some keys were not sent");
    assert!(unsent.len() < 8, "some were sent before Esc");
    let mut marked = summary.marked_labels.clone();
    marked.sort();
    assert_eq!(
        marked, unsent,
        "what was not sent stays marked, and only that"
    );
    // Sent is sent: the deactivated keys stay deactivated.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(active_labels(&server).await, still_active);
    app.send("<Esc>");
    app.wait_for("closed", |f| f.dialog.is_none()).await;
    app.quit().await;
}

#[tokio::test]
async fn external_keys_are_removed_in_bulk() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, 61).await;
    app.send("3");
    let external = app
        .wait_for("the external keys", |f| f.visible_external.len() == 8)
        .await;
    let asked = confirmation(&mut app, "<Space>j<Space>x").await;
    assert!(
        asked.screen.contains("Remove 2 external keys?"),
        "{}",
        asked.screen
    );
    app.send("<Space><Enter>");
    app.wait_for("removed", |f| f.says("Removed 2 external keys."))
        .await;
    let left = app
        .wait_for("the refreshed list", |f| f.visible_external.len() == 6)
        .await;
    for gone in &external.visible_external[..2] {
        assert!(!left.visible_external.contains(gone), "{gone} still listed");
    }
    app.quit().await;
}

#[tokio::test]
async fn deleting_and_undoing_renewals_in_bulk() {
    let server = TestServer::start().await;
    let made = keys(&server, &FIVE).await;
    for key in &made[..2] {
        renew(&server, &key.creds.app_key).await;
    }
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, 6).await;

    // Undo the two pending renewals: the others are skipped (no renewal pending).
    let asked = confirmation(&mut app, "<C-a>u").await;
    assert!(
        asked.screen.contains("Undo the renewals of 2 keys?"),
        "{}",
        asked.screen
    );
    app.send("<Space><Enter>");
    app.wait_for("undone", |f| f.says("Undid the renewals of 2 keys."))
        .await;
    for key in &made[..2] {
        assert!(!server.renewal_pending(&key.creds.app_key).await);
        assert!(
            server
                .login_works(&key.creds.app_key, &key.creds.token)
                .await,
            "the old token still works"
        );
    }

    // Delete three of them, the acknowledgement first.
    let asked = confirmation(&mut app, "<C-\\>/!admin !delta !echo<Enter><C-a>d").await;
    assert!(asked.screen.contains("Delete 3 keys?"), "{}", asked.screen);
    app.send("<Enter>");
    app.wait_for("asked to tick", |f| f.says("I understand"))
        .await;
    assert_eq!(active_labels(&server).await.len(), 6, "nothing deleted yet");
    app.send("<Space><Enter>");
    app.wait_for("deleted", |f| f.says("Deleted 3 keys.")).await;
    let left = active_labels(&server).await;
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(left.iter().any(|l| l == "Delta") && left.iter().any(|l| l == "Echo"));
    app.quit().await;
}

#[tokio::test]
async fn external_keys_are_deactivated_in_bulk() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    loaded(&mut app, 61).await;
    app.send("3");
    app.wait_for("the external keys", |f| f.visible_external.len() == 8)
        .await;
    app.send("f"); // active only
    let active = app
        .wait_for("the active ones", |f| f.visible_external.len() < 8)
        .await;
    let count = active.visible_external.len();
    let asked = confirmation(&mut app, "<C-a>t").await;
    assert!(
        asked
            .screen
            .contains(&format!("Deactivate {count} external keys?")),
        "{}",
        asked.screen
    );
    app.send("y");
    app.wait_for("done", |f| {
        f.says(&format!("Deactivated {count} external keys."))
    })
    .await;
    let admin = server.admin.clone();
    let listed = server.get(&admin, "/api/vlm/external-appkeys").await;
    let still_active = listed
        .body
        .as_array()
        .map(|keys| keys.iter().filter(|k| k["isActive"] == true).count());
    assert_eq!(still_active, Some(0), "{}", listed.text);
    app.quit().await;
}
