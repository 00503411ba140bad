//! An agency signed in to its client's account with its own key, which the client lists as an
//! external key (review of issue 13): bulk actions skip it, and the single actions refuse to
//! remove or deactivate it, as for one's own generated key. Fake keys only.

mod screen_fixture;

use apikeys::tui::action::{Action, Effect};
use apikeys::tui::state::{Dialog, State, Tab};
use apikeys::tui::update::update;
use apikeys::vtex::model::ExternalKey;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use screen_fixture::{all_permissions, at, draw, state_with};

const OWN: &str = "vtexappkey-agency-OWNKEY";

fn external(id: &str, app_key: &str) -> ExternalKey {
    ExternalKey {
        id: id.into(),
        app_key: app_key.into(),
        account: app_key.split('-').nth(1).unwrap_or_default().into(),
        added_on: at(2026, 1, 5),
        is_active: true,
        roles: Some(Vec::new()),
    }
}

fn agency_state() -> State {
    let mut state = state_with(Vec::new(), all_permissions());
    state.header.caller_key = OWN.into();
    state.external.rows = vec![
        external("e1", OWN),
        external("e2", "vtexappkey-partner-OTHERX"),
    ];
    state.tab = Tab::External;
    draw(&mut state, 120, 30);
    state
}

fn press(state: &mut State, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    update(state, Action::Key(KeyEvent::new(code, modifiers)))
}

fn plan_of(state: &State) -> (usize, Vec<String>) {
    match &state.dialog {
        Some(Dialog::Bulk(confirm)) => (
            confirm.plan.items.len(),
            confirm
                .plan
                .skipped
                .iter()
                .map(|s| s.app_key.clone())
                .collect(),
        ),
        other => panic!("no bulk confirmation: {other:?}"),
    }
}

#[test]
fn bulk_remove_and_deactivate_skip_the_key_you_are_signed_in_with() {
    for key in ['x', 't'] {
        let mut state = agency_state();
        press(&mut state, KeyCode::Char('a'), KeyModifiers::CONTROL);
        assert_eq!(state.external.marks.len(), 2);
        press(&mut state, KeyCode::Char(key), KeyModifiers::NONE);
        assert_eq!(plan_of(&state), (1, vec![OWN.to_string()]), "{key}");
    }
}

#[test]
fn the_single_actions_refuse_your_own_external_key() {
    for key in ['x', 't'] {
        let mut state = agency_state();
        assert_eq!(
            state.external.selected_key().map(|k| k.app_key.as_str()),
            Some(OWN)
        );
        let effects = press(&mut state, KeyCode::Char(key), KeyModifiers::NONE);
        assert!(effects.is_empty(), "{key} sent something");
        assert!(state.dialog.is_none(), "{key} opened {:?}", state.dialog);
        let said = state.status.as_ref().map(|s| s.text.clone()).unwrap();
        assert!(said.contains("locks you out"), "{key}: {said}");
    }
}

/// Review: removing a role that may carry key rights skips your own external key too.
#[test]
fn removing_a_key_rights_role_skips_your_own_external_key() {
    let mut state = agency_state();
    state.roles = Some(vec![apikeys::vtex::model::RoleDetails {
        id: 7,
        name: "Key manager".into(),
        is_admin: false,
        role_type: 0,
        products: Vec::new(),
        api_key_resources: Some(vec!["EditApiKeys".into()]),
    }]);
    for key in &mut state.external.rows {
        key.roles = Some(vec![apikeys::vtex::model::Role {
            id: 7,
            name: "Key manager".into(),
        }]);
    }
    press(&mut state, KeyCode::Char('a'), KeyModifiers::CONTROL);
    for c in ":role remove key manager".chars() {
        press(&mut state, KeyCode::Char(c), KeyModifiers::NONE);
    }
    press(&mut state, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(plan_of(&state), (1, vec![OWN.to_string()]));
}
