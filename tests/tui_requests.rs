//! The request table: every answer is matched to its request — a panic included — so a list
//! never stays loading, two forms in flight each come back with their own text, refreshes do
//! not stack up behind a slow server, and quitting cancels what is in flight.

use std::time::Duration;

use apikeys::tui::action::{Action, Call, Effect, Failure, FailureKind, Outcome};
use apikeys::tui::state::{Dialog, Load, NewKeyDialog, State};
use apikeys::tui::update::update;
use apikeys::vtex::Capabilities;
use apikeys::vtex::model::{AppKey, CreatedKey};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "fixtures/tui_state.rs"]
mod fixtures;

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(state: &mut State, text: &str) {
    for c in text.chars() {
        update(state, key(KeyCode::Char(c)));
    }
}

fn sent(effects: &[Effect]) -> Vec<(u64, Call)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Api { id, call } => Some((*id, call.clone())),
            _ => None,
        })
        .collect()
}

fn failure(message: &str) -> Failure {
    Failure::new(FailureKind::Other, message)
}

fn answer(state: &mut State, id: u64, outcome: Outcome) -> Vec<Effect> {
    update(state, Action::Api { id, outcome })
}

/// A state whose server has the extensions and whose (empty) key list has loaded.
fn loaded(refresh: Duration) -> State {
    let (mut state, ids) = fixtures::fresh("acme", refresh);
    answer(
        &mut state,
        ids[0],
        Outcome::Capabilities(Ok(Capabilities {
            extensions: true,
            session: None,
        })),
    );
    answer(&mut state, ids[1], Outcome::Keys(Ok(Vec::<AppKey>::new())));
    state
}

/// Fills the new-key form with `label` and submits it; returns the request's id.
fn submit_new_key(state: &mut State, label: &str) -> u64 {
    update(state, key(KeyCode::Char('n')));
    typed(state, label);
    update(state, key(KeyCode::Enter));
    let effects = update(state, key(KeyCode::Enter));
    match sent(&effects).as_slice() {
        [(id, Call::CreateKey { .. })] => *id,
        other => panic!("expected one CreateKey, got {other:?}"),
    }
}

fn form_label(state: &State) -> String {
    match &state.dialog {
        Some(Dialog::NewKey(NewKeyDialog { label, .. })) => label.value().to_string(),
        other => panic!("expected the new-key form, got {other:?}"),
    }
}

#[test]
fn a_panicked_listing_stops_loading_and_the_refresh_comes_back() {
    let (mut state, ids) = fixtures::fresh("acme", Duration::from_secs(30));
    assert_eq!(state.keys.load, Load::Loading);
    answer(&mut state, ids[1], Outcome::Crashed);
    assert!(
        !matches!(state.keys.load, Load::Loading),
        "the listing's request is over: {:?}",
        state.keys.load
    );
    let later = fixtures::fixed_now() + chrono::Duration::seconds(31);
    let effects = update(&mut state, Action::Tick(later));
    assert!(
        sent(&effects)
            .iter()
            .any(|(_, call)| *call == Call::ListKeys),
        "the automatic refresh asks for the keys again: {:?}",
        sent(&effects)
    );
}

#[test]
fn two_forms_in_flight_each_come_back_with_their_own_text() {
    let mut state = loaded(Duration::ZERO);
    let first = submit_new_key(&mut state, "ERP orders");
    let second = submit_new_key(&mut state, "Marketplace feed");
    answer(
        &mut state,
        first,
        Outcome::Created(Err(failure("conflict (409): taken")), Ok(())),
    );
    assert_eq!(form_label(&state), "ERP orders");
    // Esc on the roles step goes back to the label; a second Esc closes the form.
    update(&mut state, key(KeyCode::Esc));
    update(&mut state, key(KeyCode::Esc));
    answer(
        &mut state,
        second,
        Outcome::Created(Err(failure("conflict (409): taken")), Ok(())),
    );
    assert_eq!(form_label(&state), "Marketplace feed");
}

#[test]
fn a_success_does_not_drop_the_form_of_another_request() {
    let mut state = loaded(Duration::ZERO);
    let first = submit_new_key(&mut state, "ERP orders");
    let second = submit_new_key(&mut state, "Marketplace feed");
    // The first succeeds without a token (nothing to show), the second then fails.
    let created: CreatedKey =
        serde_json::from_value(serde_json::json!({"id": "i", "appKey": "vtexappkey-acme-NEWKEY"}))
            .unwrap();
    answer(&mut state, first, Outcome::Created(Ok(created), Ok(())));
    answer(
        &mut state,
        second,
        Outcome::Created(Err(failure("conflict (409): taken")), Ok(())),
    );
    assert_eq!(form_label(&state), "Marketplace feed");
}

#[test]
fn a_panicked_create_brings_its_form_back() {
    let mut state = loaded(Duration::ZERO);
    let id = submit_new_key(&mut state, "ERP orders");
    answer(&mut state, id, Outcome::Crashed);
    assert_eq!(form_label(&state), "ERP orders");
}

#[test]
fn refreshes_do_not_stack_up_behind_a_slow_server() {
    let mut state = loaded(Duration::from_secs(30));
    let lists = |effects: &[Effect]| {
        sent(effects)
            .into_iter()
            .filter(|(_, call)| *call == Call::ListKeys)
            .count()
    };
    assert_eq!(lists(&update(&mut state, key(KeyCode::Char('R')))), 1);
    // The server has not answered: neither another R nor the timer sends it again.
    assert_eq!(lists(&update(&mut state, key(KeyCode::Char('R')))), 0);
    let mut now = fixtures::fixed_now();
    for _ in 0..3 {
        now += chrono::Duration::seconds(31);
        assert_eq!(lists(&update(&mut state, Action::Tick(now))), 0);
    }
}

#[test]
fn an_answer_to_a_superseded_listing_is_dropped() {
    let mut state = loaded(Duration::ZERO);
    let older = state.keys.request.unwrap();
    let effects = update(&mut state, key(KeyCode::Char('R')));
    let newer = sent(&effects)
        .into_iter()
        .find(|(_, call)| *call == Call::ListKeys)
        .map(|(id, _)| id)
        .unwrap();
    answer(&mut state, newer, Outcome::Keys(Ok(Vec::new())));
    // The first listing was answered long ago; its id is no longer in flight.
    let effects = answer(&mut state, older, Outcome::Keys(Err(failure("late"))));
    assert!(effects.is_empty());
    assert_eq!(state.keys.load, Load::Loaded);
    assert!(
        state
            .status
            .as_ref()
            .is_none_or(|s| !s.text.contains("late"))
    );
}
