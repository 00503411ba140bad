//! The role picker drawn at the minimum terminal size: it must show roles, held ones first,
//! and its filter. Fake keys and roles only.
//!
//! Update with `INSTA_UPDATE=always cargo test --test ui_picker_snapshots`, then read every
//! changed `.snap` file before committing it.

mod screen_fixture;

use std::collections::BTreeSet;

use apikeys::tui::action::Action;
use apikeys::tui::state::{Dialog, EditRolesDialog, NewKeyDialog, NewKeyStep, RolePicker, State};
use apikeys::tui::update::update;
use apikeys::tui::view::{MIN_HEIGHT, MIN_WIDTH};
use apikeys::vtex::model::RoleDetails;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use screen_fixture::{all_permissions, at, draw, key, row_text, state_with};
use tui_input::Input;

const ROLE_NAMES: [&str; 12] = [
    "Owner (Admin Super)",
    "User Administrator - RESTRICTED",
    "call center operator",
    "Catalog manager",
    "OMS - Full access",
    "Logistics",
    "Checkout admin",
    "Store Front",
    "Marketing",
    "Finance reports",
    "Pricing",
    "promotions",
];

fn roles() -> Vec<RoleDetails> {
    ROLE_NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| RoleDetails {
            id: i as i64 + 1,
            name: name.to_string(),
            is_admin: i == 0,
            role_type: 0,
            products: Vec::new(),
            api_key_resources: None,
        })
        .collect()
}

fn with_dialog(dialog: Dialog) -> State {
    let mut state = state_with(
        vec![key("k01", "ERP orders", at(2026, 10, 1))],
        all_permissions(),
    );
    state.roles = Some(roles());
    state.dialog = Some(dialog);
    state
}

fn screen(state: &mut State) -> String {
    let buffer = draw(state, MIN_WIDTH, MIN_HEIGHT);
    (0..buffer.area.height)
        .map(|y| row_text(&buffer, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The roles on screen, in order ("[x] name" or "[ ] name").
fn role_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|line| {
            let at = line.find("[x] ").or_else(|| line.find("[ ] "))?;
            Some(line[at..].split('│').next()?.trim().to_string())
        })
        .collect()
}

fn press(state: &mut State, keys: &str) {
    for c in keys.chars() {
        update(
            state,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
}

#[test]
fn new_key_roles_at_the_minimum_size() {
    let mut state = with_dialog(Dialog::NewKey(NewKeyDialog {
        step: NewKeyStep::Roles,
        label: Input::new("ERP orders".into()),
        picker: RolePicker::new(&roles(), BTreeSet::new()),
        error: None,
    }));
    let screen = screen(&mut state);
    let rows = role_rows(&screen);
    assert!(rows.len() >= 3, "roles shown:\n{screen}");
    // Sorted regardless of case: "call center…" before "Catalog…" (a plain sort puts
    // every capital first).
    assert_eq!(
        rows[..3],
        [
            "[ ] call center operator",
            "[ ] Catalog manager",
            "[ ] Checkout admin"
        ]
    );
    insta::assert_snapshot!("picker_new_key_min_size", screen);
}

#[test]
fn edit_roles_at_the_minimum_size_lists_held_roles_first() {
    let held: BTreeSet<i64> = [12, 9].into_iter().collect();
    let mut state = with_dialog(Dialog::EditRoles(EditRolesDialog {
        id: "k01".into(),
        app_key: "vtexappkey-acme-K01".into(),
        picker: RolePicker::new(&roles(), held.clone()),
        original: held,
    }));
    let screen = screen(&mut state);
    let rows = role_rows(&screen);
    assert!(rows.len() >= 3, "roles shown:\n{screen}");
    assert_eq!(rows[..2], ["[x] Marketing", "[x] promotions"]);
    insta::assert_snapshot!("picker_edit_roles_min_size", screen);
}

#[test]
fn the_filter_at_the_minimum_size() {
    let mut state = with_dialog(Dialog::EditRoles(EditRolesDialog {
        id: "k01".into(),
        app_key: "vtexappkey-acme-K01".into(),
        picker: RolePicker::new(&roles(), BTreeSet::new()),
        original: BTreeSet::new(),
    }));
    state.size = (MIN_WIDTH, MIN_HEIGHT);
    press(&mut state, "/ADMIN");
    let screen = screen(&mut state);
    assert_eq!(
        role_rows(&screen),
        [
            "[ ] Checkout admin",
            "[ ] Owner (Admin Super)",
            "[ ] User Administrator - RESTRICTED"
        ],
        "{screen}"
    );
    insta::assert_snapshot!("picker_filter_min_size", screen);
}
