//! Timers come through `Tick` on the injected clock: the clipboard's timed clear is a deadline
//! in the state, so a test moves the clock and sees it happen — and with the clock standing
//! still it does not happen, however long the wall clock runs.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use apikeys::clipboard::Report;
use apikeys::tui::action::{Action, Call, Effect, Outcome};
use apikeys::tui::update::update;
use apikeys::vtex::model::Renewal;
use chrono::{DateTime, Utc};
use common::TestServer;
use common::tui::{AppOptions, start_on};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "fixtures/tui_state.rs"]
mod fixtures;

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn clears(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::ClearClipboard))
}

#[test]
fn the_clipboard_clear_is_due_on_the_injected_clock() {
    let (mut state, _) = fixtures::fresh("acme", Duration::ZERO);
    let id = state.requests.send(
        Call::Renew {
            app_key: "vtexappkey-acme-AAAAAA".into(),
            label: "x".into(),
            delete_old_now: false,
        },
        None,
    );
    let renewal: Renewal = serde_json::from_value(
        serde_json::json!({"id": "k", "keyName": "x", "newToken": "FAKETOKENA"}),
    )
    .unwrap();
    update(
        &mut state,
        Action::Api {
            id,
            outcome: Outcome::Renewed {
                app_key: "vtexappkey-acme-AAAAAA".into(),
                label: "x".into(),
                result: Ok(renewal),
                old_deleted: None,
            },
        },
    );
    let effects = update(&mut state, key('c'));
    assert!(effects.iter().any(|e| matches!(e, Effect::Copy(_))));
    update(
        &mut state,
        Action::Copied(Report {
            message: "copied (test)".into(),
            clear_in: Some(Duration::from_secs(45)),
            via: None,
        }),
    );
    match &state.dialog {
        Some(apikeys::tui::state::Dialog::Token(dialog)) => {
            assert_eq!(dialog.copied.as_deref(), Some("copied (test)"))
        }
        other => panic!("expected the token dialog, got {other:?}"),
    }
    let at = |secs| fixtures::fixed_now() + chrono::Duration::seconds(secs);
    assert!(!clears(&update(&mut state, Action::Tick(at(44)))));
    assert!(clears(&update(&mut state, Action::Tick(at(45)))));
    // Once.
    assert!(!clears(&update(&mut state, Action::Tick(at(90)))));
}

#[tokio::test]
async fn the_loop_clears_the_clipboard_when_the_clock_says_so_not_before() {
    let server = TestServer::start().await;
    let now = Arc::new(Mutex::new(Utc::now()));
    let clock_now = now.clone();
    let clock = Arc::new(move || -> DateTime<Utc> { *clock_now.lock().unwrap() });
    let mut app = start_on(
        &server,
        &server.admin,
        AppOptions {
            clock: Some(clock),
            clear_in: Some(Duration::from_millis(50)),
            ..AppOptions::default()
        },
    );
    app.wait_for("loaded", |f| f.visible_rows == 1 && !f.busy)
        .await;
    app.send("n");
    app.wait_for("new key dialog", |f| f.dialog.as_deref() == Some("NewKey"))
        .await;
    app.send("Timers<Enter>");
    app.wait_for("roles step", |f| f.screen.contains("API Keys Viewer"))
        .await;
    app.send("<Enter>");
    app.wait_for("token dialog", |f| f.dialog.as_deref() == Some("Token"))
        .await;
    app.send("c");
    app.wait_for("copied", |f| f.screen.contains("copied (test clipboard)"))
        .await;
    // Far longer than the 50 ms asked for, by the wall clock: the app's clock stands still.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(
        !app.frames.borrow().says("cleared (test clipboard)"),
        "cleared by a wall-clock sleep the test cannot drive"
    );
    app.send("<Esc>");
    // The dialog closes first: a tick seen before the Esc would clear, and the Esc's own
    // message would then replace "cleared" before a frame showed it.
    app.wait_for("the dialog closed", |f| f.dialog.is_none())
        .await;
    *now.lock().unwrap() += chrono::Duration::seconds(1);
    app.wait_for("the clear", |f| f.says("cleared (test clipboard)"))
        .await;
    app.quit().await;
}
