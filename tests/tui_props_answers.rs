//! Random keys interleaved with API answers — late, out of order, failed, panicked, repeated,
//! for ids nobody waits for — and the invariants that must hold after every step: no list
//! stays loading once its answer arrived, the selection is on a visible row, no token text is
//! on screen outside the revealed token dialog, and a form whose request failed is restorable.

use std::collections::HashMap;
use std::time::Duration;

use apikeys::tui::action::{Action, Call, Failure, FailureKind, Outcome};
use apikeys::tui::state::{AddExternalDialog, Dialog, EditRolesDialog, Load, NewKeyDialog, State};
use apikeys::tui::{update, view};
use apikeys::vtex::Capabilities;
use apikeys::vtex::model::{AppKey, CreatedKey, Renewal, RoleDetails, Session, Settings};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "fixtures/tui_state.rs"]
mod fixtures;

#[derive(Debug, Clone)]
enum Step {
    Key(KeyCode),
    /// Answer the request at `pick` among those in flight (or, with `stale`, one already
    /// answered or never sent), with `result`: 0 ok, 1..=4 a failure of some kind, 5 a panic.
    Answer {
        pick: usize,
        result: u8,
        stale: bool,
    },
    Tick(u32),
    /// Open the new-key form, type a label, take the roles step and submit.
    SubmitNewKey(u8),
}

fn step_strategy() -> impl Strategy<Value = Step> {
    let keys = proptest::sample::select(vec![
        KeyCode::Char('j'),
        KeyCode::Char('k'),
        KeyCode::Char('n'),
        KeyCode::Char('e'),
        KeyCode::Char('r'),
        KeyCode::Char('d'),
        KeyCode::Char('a'),
        KeyCode::Char('x'),
        KeyCode::Char(' '),
        KeyCode::Char('v'),
        KeyCode::Char('c'),
        KeyCode::Char('R'),
        KeyCode::Char('1'),
        KeyCode::Char('2'),
        KeyCode::Char('3'),
        KeyCode::Char('Z'),
        KeyCode::Char('?'),
        KeyCode::Char('-'),
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Down,
    ]);
    prop_oneof![
        6 => keys.prop_map(Step::Key),
        4 => (0usize..16, 0u8..6, proptest::bool::weighted(0.15))
            .prop_map(|(pick, result, stale)| Step::Answer { pick, result, stale }),
        1 => (1u32..90).prop_map(Step::Tick),
        1 => (0u8..100).prop_map(Step::SubmitNewKey),
    ]
}

fn fake_keys(count: usize) -> Vec<AppKey> {
    (0..count)
        .map(|n| {
            serde_json::from_value(serde_json::json!({
                "id": format!("id-{n}"),
                "appKey": format!("vtexappkey-acme-{}", ["AAAAAA", "BBBBBB", "CCCCCC"][n % 3]),
                "label": format!("Integration {n}"),
                "isActive": n % 2 == 0,
                "roles": [],
                "creationDateToken": "2026-10-01T00:00:00Z",
            }))
            .unwrap()
        })
        .collect()
}

fn failure(result: u8) -> Failure {
    let kind = match result {
        1 => FailureKind::Offline,
        2 => FailureKind::Forbidden { permission: None },
        3 => FailureKind::Conflict,
        _ => FailureKind::Other,
    };
    Failure::new(kind, format!("failure {result}"))
}

/// A believable answer to `call`.
fn answer_to(call: &Call, result: u8, serial: usize) -> Outcome {
    if result == 5 {
        return Outcome::Crashed;
    }
    let ok = result == 0;
    let err = || failure(result);
    macro_rules! either {
        ($value:expr) => {
            if ok { Ok($value) } else { Err(err()) }
        };
    }
    match call {
        Call::Capabilities => Outcome::Capabilities(either!(Capabilities {
            extensions: true,
            session: Some(Session {
                account: "acme".into(),
                app_key: "vtexappkey-acme-ADMINK".into(),
                resources: [
                    "ViewApiKeys",
                    "EditApiKeys",
                    "RenewApiToken",
                    "EditApiKeysSettings"
                ]
                .map(String::from)
                .to_vec(),
            }),
        })),
        Call::Account => Outcome::Account(Err(err())),
        Call::ListKeys => Outcome::Keys(either!(fake_keys(5 + serial % 20))),
        Call::ListExternal => Outcome::External(either!(Vec::new())),
        Call::ListRoles => Outcome::Roles(either!(
            serde_json::from_value::<Vec<RoleDetails>>(serde_json::json!([
                {"id": 1, "name": "Owner", "resources": []},
                {"id": 2, "name": "Viewer", "resources": []},
            ]))
            .unwrap()
        )),
        Call::GetSettings => Outcome::Settings(either!(Settings {
            token_duration_months: 3
        })),
        Call::KeyRoles { .. } => Outcome::KeyRoles(either!(HashMap::new())),
        Call::Assess { .. } => Outcome::Assessed(either!(Box::default())),
        Call::Audit { key_id, .. } => Outcome::Audit {
            key_id: key_id.clone(),
            result: either!(Vec::new()),
        },
        Call::Change(change) => Outcome::Changed {
            change: change.clone(),
            result: either!(()),
        },
        Call::CreateKey { label, .. } => {
            let created: CreatedKey = serde_json::from_value(serde_json::json!({
                "id": format!("new-{serial}"), "appKey": "vtexappkey-acme-NEWKEY",
                "label": label, "appToken": format!("FAKETOKEN{serial:04}"),
            }))
            .unwrap();
            Outcome::Created(either!(created), Ok(()))
        }
        Call::Renew { app_key, label, .. } => {
            let renewal: Renewal = serde_json::from_value(serde_json::json!({
                "id": "k", "keyName": label, "newToken": format!("FAKETOKEN{serial:04}"),
            }))
            .unwrap();
            Outcome::Renewed {
                app_key: app_key.clone(),
                label: label.clone(),
                result: either!(renewal),
                old_deleted: None,
            }
        }
    }
}

/// What names a form: its text, or the key whose roles it edits.
fn form_name(dialog: &Dialog) -> Option<String> {
    match dialog {
        Dialog::NewKey(NewKeyDialog { label, .. }) => Some(format!("new {}", label.value())),
        Dialog::AddExternal(AddExternalDialog { app_key, .. }) => {
            Some(format!("external {}", app_key.value()))
        }
        Dialog::EditRoles(EditRolesDialog { id, .. }) => Some(format!("roles {id}")),
        _ => None,
    }
}

fn screen(terminal: &mut Terminal<TestBackend>, state: &State) -> String {
    let frame = terminal.draw(|frame| view::render(state, frame)).unwrap();
    let area = frame.buffer.area;
    let mut text = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            text.push_str(frame.buffer[(x, y)].symbol());
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn answers_in_any_order_keep_the_invariants(
        steps in proptest::collection::vec(step_strategy(), 1..160),
    ) {
        let (mut state, _) = fixtures::fresh("acme", Duration::from_secs(30));
        update::update(&mut state, Action::Resize { width: 100, height: 30 });
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        let mut answered: Vec<u64> = Vec::new();
        let mut now = fixtures::fixed_now();
        for (serial, step) in steps.into_iter().enumerate() {
            let mut failed_form: Option<String> = None;
            match step {
                Step::Key(code) => {
                    let modifiers = if matches!(code, KeyCode::Char(c) if c.is_ascii_uppercase()) {
                        KeyModifiers::SHIFT
                    } else {
                        KeyModifiers::NONE
                    };
                    update::update(&mut state, Action::Key(KeyEvent::new(code, modifiers)));
                }
                Step::SubmitNewKey(n) => {
                    let press = |state: &mut State, code| {
                        update::update(state, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
                    };
                    press(&mut state, KeyCode::Char('n'));
                    for c in format!("Form {n}").chars() {
                        press(&mut state, KeyCode::Char(c));
                    }
                    press(&mut state, KeyCode::Enter);
                    press(&mut state, KeyCode::Enter);
                }
                Step::Tick(seconds) => {
                    now += chrono::Duration::seconds(i64::from(seconds));
                    update::update(&mut state, Action::Tick(now));
                }
                Step::Answer { pick, result, stale } => {
                    let open: Vec<u64> = state.requests.ids().collect();
                    let id = if stale || open.is_empty() {
                        answered.get(pick).copied().unwrap_or(10_000 + pick as u64)
                    } else {
                        open[pick % open.len()]
                    };
                    let (call, form) = match state.requests.get(id) {
                        Some(sent) => (sent.call.clone(), sent.form.as_ref().and_then(form_name)),
                        // Nobody waits for it: any answer of the right shape.
                        None => (Call::ListKeys, None),
                    };
                    if result != 0 {
                        failed_form = form;
                    }
                    let outcome = answer_to(&call, result, serial);
                    update::update(&mut state, Action::Api { id, outcome });
                    answered.push(id);
                }
            }
            if state.quit {
                break;
            }

            // No list stays loading once its answer arrived.
            for (load, call) in [
                (&state.keys.load, Call::ListKeys),
                (&state.external.load, Call::ListExternal),
                (&state.settings.load, Call::GetSettings),
            ] {
                if *load == Load::Loading {
                    prop_assert!(state.requests.asking(&call), "{call:?} loading, none in flight");
                }
            }
            // The selection is on a visible row.
            let page = state.page_rows.max(1);
            let (len, selection) = (state.keys.visible.len(), state.keys.selection);
            if len > 0 {
                prop_assert!(selection.selected < len);
                prop_assert!(selection.offset <= selection.selected);
                prop_assert!(selection.selected < selection.offset + page);
            }
            // No token on screen outside the revealed token dialog.
            let shown = screen(&mut terminal, &state);
            let revealed = matches!(&state.dialog, Some(Dialog::Token(t)) if t.revealed);
            if !revealed {
                prop_assert!(!shown.contains("FAKETOKEN"), "a token on screen:\n{shown}");
            }
            // A form that failed is open, or waits to be.
            if let Some(name) = failed_form {
                let open = state.dialog.as_ref().and_then(form_name);
                let waiting = state.waiting_forms.iter().filter_map(form_name).any(|n| n == name);
                prop_assert!(open.as_deref() == Some(name.as_str()) || waiting, "lost the form {name}");
            }
        }
    }
}
