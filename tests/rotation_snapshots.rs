//! Snapshots of `:rotate` (issue 14): the confirmation (the keys, the sink command as it runs
//! for the first, the grace, what is skipped and why), the progress on the status line, the
//! summary (journal entries settled first, then each key's outcome and reason), and "rotation
//! due" in the list — drawn from states the real `update` made, on a `TestBackend`. Fake keys
//! and no token anywhere: none reaches the state.
//!
//! Update with `INSTA_UPDATE=always cargo test --test rotation_snapshots`, then read every change.

mod screen_fixture;

use std::time::Duration;

use apikeys::config::RotationConfig;
use apikeys::permissions::Resource;
use apikeys::rotation::{KeyReport, Outcome, Stage, Target};
use apikeys::tui::action::{Action, Effect};
use apikeys::tui::rotation::{Progress, Setup};
use apikeys::tui::state::{Dialog, State, Tab};
use apikeys::tui::update::update;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use screen_fixture::{all_but, all_permissions, at, draw, key, state_with};

fn press(state: &mut State, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    update(state, Action::Key(KeyEvent::new(code, modifiers)))
}

fn ch(state: &mut State, c: char) -> Vec<Effect> {
    press(state, KeyCode::Char(c), KeyModifiers::NONE)
}

fn screen(state: &mut State, width: u16, height: u16) -> String {
    let buffer = draw(state, width, height);
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn setup(grace: Option<&str>) -> Setup {
    Setup {
        config: RotationConfig {
            sink: Some("vault kv put secret/vtex/{appKey} token=-".into()),
            verify: None,
            grace: grace.map(str::to_string),
            timeout_secs: None,
        },
        profile: Some("test".into()),
        file: "~/.config/apikeys/config.toml".into(),
        server: "http://127.0.0.1:1/".into(),
        journal: Some("/nonexistent/rotation.jsonl".into()),
    }
}

/// Five keys: the caller's own, an inactive one, three to rotate; every one marked.
fn marked_state(grace: Option<&str>) -> State {
    let mut keys = vec![
        key("adminx", "apikeys admin", at(2026, 11, 1)),
        key("erp", "ERP integração", at(2026, 6, 1)),
        key("oms", "OMS bridge", at(2026, 6, 1)),
        key("old", "Legacy export", at(2025, 1, 1)),
        key("pay", "Payments gateway", at(2026, 10, 1)),
    ];
    keys[3].is_active = false;
    let mut state = state_with(keys, all_permissions());
    state.rotation.setup = setup(grace);
    draw(&mut state, 120, 30);
    press(&mut state, KeyCode::Char('a'), KeyModifiers::CONTROL);
    state
}

fn target(id: &str, label: &str) -> Target {
    Target {
        id: id.into(),
        app_key: format!("vtexappkey-acme-{}", id.to_uppercase()),
        label: label.into(),
        account: "acme".into(),
    }
}

fn report(target: Target, outcome: Outcome, from_journal: bool) -> KeyReport {
    KeyReport {
        target,
        steps: vec![(Stage::Renew, Duration::from_millis(40))],
        elapsed: Duration::from_millis(300),
        outcome,
        from_journal,
        journal_error: None,
    }
}

fn progress(state: &mut State, progress: Progress) -> Vec<Effect> {
    update(state, Action::Rotation(progress))
}

#[test]
fn the_confirmation_names_the_keys_the_sink_for_the_first_the_grace_and_what_is_skipped() {
    let mut state = marked_state(Some("24h"));
    ch(&mut state, 'o');
    assert!(matches!(state.dialog, Some(Dialog::Rotate(_))));
    insta::assert_snapshot!("rotate_confirm", screen(&mut state, 120, 30));
}

#[test]
fn the_progress_and_the_summary_say_each_key_and_the_failures_stay_marked() {
    let mut state = marked_state(None);
    ch(&mut state, 'o');
    let effects = ch(&mut state, 'y');
    let Some(Effect::Rotate(request)) = effects.first() else {
        panic!("no rotation started: {effects:?}");
    };
    assert_eq!(request.targets.len(), 3);
    assert_eq!(request.server, "http://127.0.0.1:1/");
    let settled = Outcome::Undone {
        stage: Stage::HandOff,
        reason: "apikeys stopped before the hand-off ended".into(),
    };
    progress(
        &mut state,
        Progress::Reconciled(vec![report(target("crm", "CRM flows"), settled, true)]),
    );
    progress(
        &mut state,
        Progress::Step {
            app_key: "vtexappkey-acme-ERP".into(),
            stage: Stage::HandOff,
        },
    );
    progress(
        &mut state,
        Progress::Done(report(target("oms", "OMS bridge"), Outcome::Rotated, false)),
    );
    insta::assert_snapshot!("rotate_progress", screen(&mut state, 120, 30));

    let failed = Outcome::Undone {
        stage: Stage::HandOff,
        reason: "the sink exited with status 3".into(),
    };
    progress(
        &mut state,
        Progress::Done(report(target("erp", "ERP integração"), failed, false)),
    );
    progress(
        &mut state,
        Progress::Done(report(
            target("pay", "Payments gateway"),
            Outcome::Rotated,
            false,
        )),
    );
    let effects = progress(&mut state, Progress::Finished);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::ReadRotationDue { .. })),
        "the journal is read again: {effects:?}"
    );
    assert!(state.rotation.run.is_none());
    let marked: Vec<String> = (state.keys.marks.rows())
        .map(|row| state.keys.rows[row].id.clone())
        .collect();
    assert_eq!(
        marked,
        vec!["erp".to_string()],
        "only the failure stays marked"
    );
    insta::assert_snapshot!("rotate_summary", screen(&mut state, 120, 30));
}

#[test]
fn keys_in_their_grace_say_rotation_due_in_the_list() {
    let mut state = marked_state(None);
    press(&mut state, KeyCode::Char('\\'), KeyModifiers::CONTROL);
    let due = [(
        "vtexappkey-acme-OMS".to_string(),
        chrono::DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
            .unwrap()
            .to_utc(),
    )];
    update(
        &mut state,
        Action::RotationDue {
            server: "http://127.0.0.1:1/".into(),
            due: due.into_iter().collect(),
        },
    );
    insta::assert_snapshot!("rotate_due_list", screen(&mut state, 120, 14));

    // The journal of another server's run says nothing about this one's keys.
    update(
        &mut state,
        Action::RotationDue {
            server: "http://127.0.0.1:2/".into(),
            due: Default::default(),
        },
    );
    assert_eq!(state.rotation.due.len(), 1);
}

#[test]
fn q_during_a_rotation_is_refused_and_ctrl_c_quits_at_once() {
    let mut state = marked_state(None);
    ch(&mut state, 'o');
    ch(&mut state, 'y');
    let effects = ch(&mut state, 'q');
    assert!(!state.quit && !effects.iter().any(|e| matches!(e, Effect::Quit)));
    let said = state.status.as_ref().map(|s| s.text.clone()).unwrap();
    assert!(said.contains("A rotation is running"), "{said}");
    // A second run, a bulk action and a profile switch wait for it too.
    ch(&mut state, 'o');
    assert!(state.dialog.is_none());
    let effects = press(&mut state, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(state.quit && effects.iter().any(|e| matches!(e, Effect::Quit)));
}

#[test]
fn the_settings_pane_rotates_every_outdated_key() {
    let mut state = marked_state(None);
    press(&mut state, KeyCode::Char('\\'), KeyModifiers::CONTROL);
    state.tab = Tab::Settings;
    let shown = screen(&mut state, 120, 30);
    assert!(
        shown.contains("3 keys are outdated — o rotates the 2 that can be"),
        "{shown}"
    );
    ch(&mut state, 'o');
    let Some(Dialog::Rotate(confirm)) = &state.dialog else {
        panic!("no confirmation");
    };
    // ERP and OMS are outdated; the legacy key is too, but inactive: skipped with its reason.
    let ids: Vec<&str> = confirm.plan.targets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, vec!["erp", "oms"]);
    assert_eq!(confirm.plan.skipped.len(), 1);
    assert!(confirm.plan.skipped[0].1.contains("inactive"));
}

#[test]
fn no_size_breaks_the_confirmation_or_the_progress() {
    let mut confirming = marked_state(Some("7d"));
    ch(&mut confirming, 'o');
    let mut running = marked_state(None);
    ch(&mut running, 'o');
    ch(&mut running, 'y');
    for width in [1u16, 10, 20, 33, 40, 50, 80, 200] {
        for height in [1u16, 5, 12, 24, 60] {
            screen(&mut confirming, width, height);
            screen(&mut running, width, height);
        }
    }
    let shown = screen(&mut confirming, 50, 12);
    assert!(shown.contains("[ Rotate ]"), "{shown}");
}

#[test]
fn a_wrong_setting_is_refused_with_what_to_fix_before_anything_is_sent() {
    let mut state = marked_state(Some("soon"));
    let effects = ch(&mut state, 'o');
    assert!(effects.is_empty() && state.dialog.is_none());
    let said = state.status.as_ref().map(|s| s.text.clone()).unwrap();
    assert!(
        said.starts_with("Cannot rotate: the rotation settings are wrong (grace:"),
        "{said}"
    );

    let mut state = marked_state(None);
    state.rotation.setup.journal = None;
    ch(&mut state, 'o');
    let said = state.status.as_ref().map(|s| s.text.clone()).unwrap();
    assert!(said.contains("no state directory"), "{said}");
}

#[test]
fn without_renew_api_token_nothing_is_asked() {
    let keys = vec![key("erp", "ERP", at(2026, 6, 1))];
    let mut state = state_with(keys, all_but(&[Resource::RenewApiToken]));
    state.rotation.setup = setup(None);
    draw(&mut state, 120, 30);
    let effects = ch(&mut state, 'o');
    assert!(effects.is_empty() && state.dialog.is_none());
    let said = state.status.as_ref().map(|s| s.text.clone()).unwrap();
    assert!(
        said.starts_with("Cannot rotate tokens:") && said.contains("Renew API Token"),
        "{said}"
    );
}
