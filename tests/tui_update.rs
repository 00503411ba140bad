//! The pure update, on its own: answers that arrive in awkward orders and settings at their
//! limits lose nothing and never panic.

use std::time::Duration;

use apikeys::tui::action::{Action, Call, Effect, Failure, FailureKind, Outcome};
use apikeys::tui::state::{Dialog, NewKeyDialog, State};
use apikeys::tui::update::update;
use apikeys::vtex::model::{AppKey, CreatedKey, Renewal};
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use secrecy::ExposeSecret;

#[path = "fixtures/tui_state.rs"]
mod fixtures;

fn fresh(refresh: Duration) -> (State, Vec<u64>) {
    fixtures::fresh("acme", refresh)
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(state: &mut State, text: &str) {
    for c in text.chars() {
        update(state, key(KeyCode::Char(c)));
    }
}

fn calls(effects: &[Effect]) -> Vec<Call> {
    effects
        .iter()
        .filter_map(|e| {
            if let Effect::Api { call, .. } = e {
                Some(call.clone())
            } else {
                None
            }
        })
        .collect()
}

fn api_ids(effects: &[Effect]) -> Vec<u64> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Api { id, .. } => Some(*id),
            _ => None,
        })
        .collect()
}

fn renewal(token: &str) -> Renewal {
    serde_json::from_value(serde_json::json!({ "id": "k", "keyName": "x", "newToken": token }))
        .unwrap()
}

fn failure(message: &str) -> Failure {
    Failure::new(FailureKind::Other, message)
}

#[test]
fn an_enormous_refresh_period_never_overflows() {
    let (mut state, _) = fresh(Duration::from_secs(u64::MAX));
    let later = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    assert!(
        calls(&update(&mut state, Action::Tick(later))).is_empty(),
        "never due"
    );
}

#[test]
fn a_second_token_waits_for_the_first_to_be_closed() {
    let (mut state, _) = fresh(Duration::ZERO);
    for (app_key, token) in [
        ("vtexappkey-acme-AAAAAA", "FAKETOKENA"),
        ("vtexappkey-acme-BBBBBB", "FAKETOKENB"),
    ] {
        let id = state.requests.send(
            Call::Renew {
                app_key: app_key.into(),
                label: "x".into(),
                delete_old_now: false,
            },
            None,
        );
        update(
            &mut state,
            Action::Api {
                id,
                outcome: Outcome::Renewed {
                    app_key: app_key.into(),
                    label: "x".into(),
                    result: Ok(renewal(token)),
                    old_deleted: None,
                },
            },
        );
    }
    let shown = |state: &State| match &state.dialog {
        Some(Dialog::Token(dialog)) => dialog.token.expose_secret().to_string(),
        other => panic!("expected a token dialog, got {other:?}"),
    };
    assert_eq!(shown(&state), "FAKETOKENA");
    // Never revealed nor copied: closing asks once, and y closes anyway.
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, key(KeyCode::Char('y')));
    assert_eq!(
        shown(&state),
        "FAKETOKENB",
        "the second token was kept, not dropped"
    );
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, key(KeyCode::Char('y')));
    assert!(state.dialog.is_none());
}

#[test]
fn a_failed_create_reopens_the_form_with_what_was_typed() {
    let (mut state, ids) = fresh(Duration::ZERO);
    // Capabilities: the server has the extensions and says nothing of permissions.
    update(
        &mut state,
        Action::Api {
            id: ids[0],
            outcome: Outcome::Capabilities(Ok(apikeys::vtex::Capabilities {
                extensions: true,
                session: None,
            })),
        },
    );
    update(
        &mut state,
        Action::Api {
            id: ids[1],
            outcome: Outcome::Keys(Ok(Vec::<AppKey>::new())),
        },
    );
    update(&mut state, key(KeyCode::Char('n')));
    typed(&mut state, "ERP orders");
    update(&mut state, key(KeyCode::Enter));
    let effects = update(&mut state, key(KeyCode::Enter));
    let sent = calls(&effects);
    let create_id = api_ids(&effects)[0];
    assert_eq!(
        sent,
        [Call::CreateKey {
            label: "ERP orders".into(),
            roles: vec![]
        }]
    );
    assert!(state.dialog.is_none());
    update(
        &mut state,
        Action::Api {
            id: create_id,
            outcome: Outcome::Created(
                Err(failure("cannot reach http://127.0.0.1:9: refused")),
                Ok(()),
            ),
        },
    );
    match &state.dialog {
        Some(Dialog::NewKey(NewKeyDialog { label, error, .. })) => {
            assert_eq!(label.value(), "ERP orders");
            assert!(error.as_deref().unwrap().contains("cannot reach"));
        }
        other => panic!("the form should be back, got {other:?}"),
    }
    // A later success does not bring it back. (Esc on the roles step goes back to the label;
    // a second Esc closes the form.)
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, key(KeyCode::Esc));
    assert!(state.dialog.is_none());
    let again = state.requests.send(
        Call::CreateKey {
            label: "ERP orders".into(),
            roles: vec![],
        },
        None,
    );
    let created: CreatedKey = serde_json::from_value(
        serde_json::json!({"id": "i", "appKey": "vtexappkey-acme-NEWKEY", "appToken": "FAKETOKEN"}),
    )
    .unwrap();
    update(
        &mut state,
        Action::Api {
            id: again,
            outcome: Outcome::Created(Ok(created), Ok(())),
        },
    );
    assert!(matches!(state.dialog, Some(Dialog::Token(_))));
}

#[test]
fn a_failed_probe_is_retried_on_refresh() {
    let (mut state, ids) = fresh(Duration::ZERO);
    update(
        &mut state,
        Action::Api {
            id: ids[0],
            outcome: Outcome::Capabilities(Err(failure("cannot reach the server"))),
        },
    );
    let effects = update(&mut state, key(KeyCode::Char('R')));
    assert!(
        calls(&effects).contains(&Call::Capabilities),
        "{:?}",
        calls(&effects)
    );
    // Once known, a refresh does not ask again.
    let probe = api_ids(&effects)
        .into_iter()
        .find(|id| state.requests.get(*id).unwrap().call == Call::Capabilities)
        .unwrap();
    update(
        &mut state,
        Action::Api {
            id: probe,
            outcome: Outcome::Capabilities(Ok(apikeys::vtex::Capabilities {
                extensions: false,
                session: None,
            })),
        },
    );
    let effects = update(&mut state, key(KeyCode::Char('R')));
    let sent = calls(&effects);
    assert!(!sent.contains(&Call::Capabilities), "{sent:?}");
    // VTEX's public API: the keys again, and none of the extension lists.
    assert!(
        !sent.contains(&Call::ListExternal) && !sent.contains(&Call::GetSettings),
        "{sent:?}"
    );
}

#[test]
fn a_crashed_call_is_reported_and_not_left_spinning() {
    let (mut state, ids) = fresh(Duration::ZERO);
    assert!(state.busy());
    for id in ids {
        update(
            &mut state,
            Action::Api {
                id,
                outcome: Outcome::Crashed,
            },
        );
    }
    assert!(!state.busy());
    // The listing is over too: not "Loading keys…" for ever.
    assert_ne!(state.keys.load, apikeys::tui::state::Load::Loading);
    assert!(state.status.unwrap().text.contains("bug"));
}
