//! What trying issue 13 as a user found (QA pass), each through the real `update`: granting an
//! administrator role to marked keys warns and asks for the tick; your own key keeps the roles
//! that let it manage keys; Enter on the profile on screen changes nothing; a mistyped command
//! comes back with ↑; a range starts from a row still marked. Fake keys only.

mod screen_fixture;

use apikeys::tui::action::{Action, Effect};
use apikeys::tui::state::{Dialog, State};
use apikeys::tui::update::update;
use apikeys::vtex::model::RoleDetails;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use screen_fixture::{all_permissions, at, draw, key, state_with};

fn press(state: &mut State, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    update(state, Action::Key(KeyEvent::new(code, modifiers)))
}

fn typed(state: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        let shift = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        effects.extend(press(state, code, shift));
    }
    effects
}

fn role(id: i64, name: &str, admin: bool, resources: &[&str]) -> RoleDetails {
    RoleDetails {
        id,
        name: name.into(),
        is_admin: admin,
        role_type: 0,
        products: Vec::new(),
        api_key_resources: Some(resources.iter().map(|r| r.to_string()).collect()),
    }
}

/// Three keys (one the caller's own), every one holding role 1, "Catalog manager"; the
/// account's roles include an administrator one and the one that edits keys.
fn state() -> State {
    let keys = vec![
        key("admin", "apikeys admin", at(2026, 11, 1)),
        key("erp", "ERP", at(2026, 11, 1)),
        key("oms", "OMS", at(2026, 11, 1)),
    ];
    let mut state = state_with(keys, all_permissions());
    state.header.caller_key = "vtexappkey-acme-ADMIN".into();
    state.roles = Some(vec![
        role(1, "Catalog manager", false, &["EditApiKeys"]),
        role(2, "Owner (Admin Super)", true, &[]),
        role(3, "Marketing", false, &[]),
        role(4, "Catalog editor", false, &[]),
    ]);
    draw(&mut state, 120, 30);
    state
}

fn plan(state: &State) -> &apikeys::tui::bulk::Plan {
    match &state.dialog {
        Some(Dialog::Bulk(confirm)) => &confirm.plan,
        other => panic!("no bulk confirmation: {other:?}"),
    }
}

#[test]
fn granting_an_administrator_role_in_bulk_warns_and_waits_for_the_tick() {
    let mut state = state();
    press(&mut state, KeyCode::Char('a'), KeyModifiers::CONTROL);
    typed(&mut state, ":role add owner\n");
    assert_eq!(
        plan(&state).grants_admin.as_deref(),
        Some("Owner (Admin Super)")
    );
    let effects = press(&mut state, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Api { .. })),
        "Enter alone grants nothing"
    );
    assert!(
        matches!(state.dialog, Some(Dialog::Bulk(_))),
        "still asking"
    );
    press(&mut state, KeyCode::Char(' '), KeyModifiers::NONE);
    let effects = press(&mut state, KeyCode::Enter, KeyModifiers::NONE);
    let sent = effects
        .iter()
        .filter(|e| matches!(e, Effect::Api { .. }))
        .count();
    assert_eq!(sent, 3, "ticked: sent to the three keys");
}

#[test]
fn your_own_key_keeps_a_role_that_lets_it_manage_keys() {
    let mut state = state();
    press(&mut state, KeyCode::Char('a'), KeyModifiers::CONTROL);
    typed(&mut state, ":role remove catalog manager\n");
    let plan = plan(&state);
    assert_eq!(plan.items.len(), 2);
    assert_eq!(plan.skipped.len(), 1);
    assert_eq!(plan.skipped[0].app_key, "vtexappkey-acme-ADMIN");
    assert!(plan.skipped[0].reason.contains("lock you out"));
}

#[test]
fn enter_on_the_profile_on_screen_changes_nothing() {
    let mut state = state();
    state.profiles = vec!["prod".into(), "demo".into()];
    state.profile_switch.current = Some("prod".into());
    press(&mut state, KeyCode::Char(' '), KeyModifiers::NONE);
    typed(&mut state, "P");
    let effects = press(&mut state, KeyCode::Enter, KeyModifiers::NONE);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Connect { .. })),
        "no reconnection"
    );
    assert_eq!(state.keys.marks.len(), 1, "the marks stay");
    let said = state.status.as_ref().map(|s| s.text.clone()).unwrap();
    assert!(said.contains("Already on profile prod"), "{said}");
}

#[test]
fn a_mistyped_command_comes_back_with_up() {
    let mut state = state();
    typed(&mut state, ":sotr name\n");
    typed(&mut state, ":");
    press(&mut state, KeyCode::Up, KeyModifiers::NONE);
    let line = state
        .command_line
        .as_ref()
        .map(|l| l.input.value().to_string());
    assert_eq!(line.as_deref(), Some("sotr name"));
}

#[test]
fn a_range_starts_from_a_row_still_marked() {
    let mut state = state();
    // Mark row 0, mark then unmark row 2, Ctrl-Space there: the range runs from row 0, the
    // row still marked, not from row 2.
    press(&mut state, KeyCode::Char(' '), KeyModifiers::NONE);
    typed(&mut state, "jj  ");
    press(&mut state, KeyCode::Char(' '), KeyModifiers::CONTROL);
    let marked: Vec<usize> = state.keys.marks.rows().collect();
    assert_eq!(marked.len(), 3, "rows 0 to 2: {marked:?}");
}

#[test]
fn a_role_name_several_roles_begin_with_names_them() {
    let mut state = state();
    press(&mut state, KeyCode::Char('a'), KeyModifiers::CONTROL);
    typed(&mut state, ":role add catalog\n");
    assert!(state.dialog.is_none());
    let said = state.status.as_ref().map(|s| s.text.clone()).unwrap();
    assert!(said.contains("begins several roles"), "{said}");
    assert!(
        said.contains("Catalog manager") && said.contains("Catalog editor"),
        "{said}"
    );
}
