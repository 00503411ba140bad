//! The Insights overlay in the real loop against a reference server on 127.0.0.1 seeded with
//! the demo: `I` (or `:insights`) opens it with the token-age chart and the findings; Enter on
//! a finding shows exactly its keys in their list, Esc shows every key again; the Settings
//! pane sums the alerts and warnings up in one line.

mod common;
#[path = "support/insights.rs"]
mod insights;

use std::collections::BTreeSet;

use serde_json::Value;

use common::TestServer;
use common::tui::{App, AppOptions, Frame, start_on};
use insights::choose;

fn seed() -> Value {
    serde_json::from_str(include_str!("../assets/demo-seed.json")).unwrap()
}

/// The seed's keys with no role, by label.
fn no_role_labels() -> BTreeSet<String> {
    seed()["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["roles"].as_array().unwrap().is_empty())
        .map(|k| k["label"].as_str().unwrap().to_string())
        .collect()
}

/// The seed's inactive external keys, by appKey.
fn inactive_external() -> Vec<String> {
    seed()["externalKeys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| !k["isActive"].as_bool().unwrap())
        .map(|k| k["appKey"].as_str().unwrap().to_string())
        .collect()
}

async fn open_overlay(app: &mut App, keys: &str) -> Frame {
    app.send(keys);
    app.wait_for("the findings", |f| {
        f.dialog.as_deref() == Some("Insights") && f.screen.contains("Keys with no role")
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finding_chosen_in_insights_filters_its_list_to_exactly_its_keys() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    let all = app
        .wait_for("the keys listed", |f| f.visible_rows > 50 && !f.busy)
        .await
        .visible_rows;
    let overlay = open_overlay(&mut app, "I").await;
    for words in [
        "Token ages",
        "▲ duration",
        "ALERT",
        "WARNING",
        "INFO",
        "Why:",
    ] {
        assert!(
            overlay.screen.contains(words),
            "{words}:\n{}",
            overlay.screen
        );
    }
    choose(&mut app, "Keys with no role").await;
    let wanted = no_role_labels();
    let filtered = app
        .wait_for("only the keys with no role", |f| {
            f.dialog.is_none() && f.visible_rows == wanted.len()
        })
        .await;
    let shown: BTreeSet<String> = filtered.visible_labels.iter().cloned().collect();
    assert_eq!(shown, wanted);
    assert!(filtered.says("Keys with no role"), "{:?}", filtered.status);
    assert!(filtered.screen.contains("Insight: Keys with no role (5)"));
    app.send("<Esc>");
    app.wait_for("every key again", |f| f.visible_rows == all)
        .await;

    // External keys: the command line opens it too, and the External keys pane is shown.
    open_overlay(&mut app, ":insights<Enter>").await;
    choose(&mut app, "Inactive external keys").await;
    let external = app
        .wait_for("the inactive external keys", |f| {
            f.tab == Some(apikeys::tui::state::Tab::External) && f.dialog.is_none()
        })
        .await;
    assert_eq!(external.visible_external, inactive_external());
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_sum_up_the_posture_and_small_terminals_do_not_panic() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("the keys listed", |f| f.visible_rows > 50 && !f.busy)
        .await;
    app.send("1");
    // Alerts: tokens 3 months past the duration, the renewal pending 9 days; warnings:
    // tokens past the duration, the admin keys. (Inactive keys are info, not counted.)
    app.wait_for("the posture line", |f| {
        f.screen.contains("2 alerts, 2 warnings — I for insights")
    })
    .await;
    for (width, height) in [(50, 12), (60, 16), (100, 30)] {
        app.resize(width, height);
        open_overlay_small(&mut app).await;
        app.send("<Esc>");
        app.wait_for("closed", |f| f.dialog.is_none()).await;
    }
    app.quit().await;
}

async fn open_overlay_small(app: &mut App) {
    app.send("I");
    app.wait_for("the overlay", |f| {
        f.dialog.as_deref() == Some("Insights") && !f.busy
    })
    .await;
}
