//! The binding table drives the keys: a walk over every table checks that each binding's keys
//! run its command, that what a binding shows names exactly the keys that run it, and that a
//! key no table holds does nothing — so the help, the bar and the dialog footers cannot drift
//! from what the app does.

use std::collections::BTreeSet;
use std::time::Duration;

use apikeys::tui::action::{Action, Outcome};
use apikeys::tui::keymap::{self, Binding, Key, command_for};
use apikeys::tui::state::Focus;
use apikeys::tui::state::{
    AddExternalDialog, Confirm, DeleteKeyDialog, DetailsDialog, Dialog, EditRolesDialog,
    HelpDialog, NewKeyDialog, NewKeyStep, RenewByKeyDialog, RenewDialog, RolePicker, State,
    StatusMessage, Tab, TokenDialog,
};
use apikeys::tui::update::update;
use apikeys::tui::view;
use apikeys::vtex::Capabilities;
use apikeys::vtex::model::{AppKey, RoleDetails, Session};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_input::Input;

#[path = "fixtures/tui_state.rs"]
mod fixtures;

fn keys(count: usize) -> Vec<AppKey> {
    (0..count)
        .map(|n| {
            serde_json::from_value(serde_json::json!({
                "id": format!("id-{n}"),
                "appKey": format!("vtexappkey-acme-{}", ["AAAAAA", "BBBBBB", "CCCCCC"][n % 3]),
                "label": format!("Integration {n}"),
                "isActive": n % 2 == 0,
                "roles": [],
            }))
            .unwrap()
        })
        .collect()
}

/// A state with everything loaded and every permission, on `tab`, with a row selected in the
/// middle and an information message showing.
fn loaded(tab: Tab) -> State {
    let (mut state, ids) = fixtures::fresh("acme", Duration::ZERO);
    let session = Session {
        account: "acme".into(),
        app_key: "vtexappkey-acme-ADMINK".into(),
        resources: [
            "ViewApiKeys",
            "EditApiKeys",
            "RenewApiToken",
            "EditApiKeysSettings",
        ]
        .map(String::from)
        .to_vec(),
    };
    update(
        &mut state,
        Action::Api {
            id: ids[0],
            outcome: Outcome::Capabilities(Ok(Capabilities {
                extensions: true,
                session: Some(session),
            })),
        },
    );
    update(
        &mut state,
        Action::Api {
            id: ids[1],
            outcome: Outcome::Keys(Ok(keys(30))),
        },
    );
    state.keys.selection.to(10, 30, state.page_rows);
    state.tab = tab;
    state.status = Some(StatusMessage {
        text: "hello".into(),
        kind: apikeys::tui::state::MessageKind::Info,
        expires: None,
        about: None,
    });
    state
}

fn roles() -> Vec<RoleDetails> {
    serde_json::from_value(serde_json::json!([
        {"id": 1, "name": "Owner", "resources": []},
        {"id": 2, "name": "Viewer", "resources": []},
    ]))
    .unwrap()
}

fn with_dialog(dialog: Dialog) -> State {
    let mut state = loaded(Tab::Keys);
    state.dialog = Some(dialog);
    state
}

fn picker() -> RolePicker {
    RolePicker::new(&roles(), BTreeSet::from([1]))
}

/// Builds a state in one context.
type Build = fn() -> State;

/// Whether a key did what it should.
type Reacted = fn(&State) -> bool;

/// Every context the app has, built afresh each time (a key is tried on a fresh one).
fn contexts() -> Vec<(&'static str, Build)> {
    vec![
        ("keys pane", || loaded(Tab::Keys)),
        ("external pane", || loaded(Tab::External)),
        ("settings pane", || loaded(Tab::Settings)),
        ("keys pane, may not view", || {
            let mut state = loaded(Tab::Keys);
            state.keys.rows.clear();
            state.keys.visible.clear();
            state.keys.load =
                apikeys::tui::state::Load::Failed(apikeys::tui::action::Failure::new(
                    apikeys::tui::action::FailureKind::Forbidden { permission: None },
                    "forbidden (403)",
                ));
            state
        }),
        ("filter", || {
            let mut state = loaded(Tab::Keys);
            state.keys.filter.editing = true;
            state
        }),
        ("confirm", || {
            with_dialog(Dialog::Confirm(Confirm {
                title: "Deactivate key".into(),
                body: "Deactivate?".into(),
                accept: "Deactivate".into(),
                destructive: true,
                change: apikeys::tui::action::Change::SetKeyActive {
                    id: "id-0".into(),
                    active: false,
                },
                focus: Focus::Action,
            }))
        }),
        ("delete", || {
            with_dialog(Dialog::DeleteKey(DeleteKeyDialog {
                id: "id-0".into(),
                app_key: "vtexappkey-acme-AAAAAA".into(),
                label: "Integration 0".into(),
                understood: false,
                focus: Focus::Action,
            }))
        }),
        ("new key, label", || {
            with_dialog(Dialog::NewKey(NewKeyDialog {
                step: NewKeyStep::Label,
                label: Input::new("ERP".into()),
                picker: picker(),
                error: None,
            }))
        }),
        ("new key, roles", || {
            with_dialog(Dialog::NewKey(NewKeyDialog {
                step: NewKeyStep::Roles,
                label: Input::new("ERP".into()),
                picker: picker(),
                error: None,
            }))
        }),
        ("add external, roles", || {
            with_dialog(Dialog::AddExternal(AddExternalDialog {
                step: NewKeyStep::Roles,
                app_key: Input::new("vtexappkey-partner-QWERTY".into()),
                picker: picker(),
                error: None,
            }))
        }),
        ("edit roles", || {
            with_dialog(Dialog::EditRoles(EditRolesDialog {
                id: "id-0".into(),
                app_key: "vtexappkey-acme-AAAAAA".into(),
                picker: picker(),
                original: BTreeSet::from([1]),
            }))
        }),
        ("renew", || {
            with_dialog(Dialog::Renew(RenewDialog {
                app_key: "vtexappkey-acme-AAAAAA".into(),
                label: "Integration 0".into(),
                delete_now: false,
            }))
        }),
        ("renew by key", || {
            with_dialog(Dialog::RenewByKey(RenewByKeyDialog {
                app_key: Input::new("vtexappkey-acme-BBBBBB".into()),
                error: None,
            }))
        }),
        ("token", || {
            with_dialog(Dialog::Token(TokenDialog {
                app_key: "vtexappkey-acme-AAAAAA".into(),
                label: "Integration 0".into(),
                token: "FAKETOKENFAKETOKEN".to_string().into(),
                revealed: false,
                copied: None,
                old_token: None,
                seen: false,
                closing: false,
                after_close: None,
            }))
        }),
        ("details", || {
            with_dialog(Dialog::Details(DetailsDialog {
                key_id: "id-0".into(),
                audit: None,
                ..DetailsDialog::default()
            }))
        }),
        ("help", || with_dialog(Dialog::Help(HelpDialog::default()))),
        ("command line", || {
            let mut state = loaded(Tab::External);
            state.command_line = Some(Default::default());
            state
        }),
    ]
}

/// The tables that hold this state's keys, in the order they are consulted.
fn tables(state: &State) -> Vec<&'static [Binding]> {
    if let Some(dialog) = &state.dialog {
        return vec![keymap::for_dialog(dialog)];
    }
    if state.keys.filter.editing {
        return vec![keymap::FILTER_EDITING];
    }
    if state.command_line.is_some() {
        return vec![keymap::COMMAND_EDITING];
    }
    vec![
        keymap::GLOBAL,
        keymap::for_pane(state),
        keymap::for_tab(state.tab),
    ]
}

/// Whether keys not in the tables are typed into a field here.
fn takes_text(state: &State) -> bool {
    state.keys.filter.editing
        || state.command_line.is_some()
        || matches!(
            state.dialog,
            Some(Dialog::NewKey(NewKeyDialog {
                step: NewKeyStep::Label,
                ..
            })) | Some(Dialog::AddExternal(AddExternalDialog {
                step: NewKeyStep::Label,
                ..
            })) | Some(Dialog::RenewByKey(_))
        )
}

#[test]
fn every_binding_runs_its_command() {
    for (name, build) in contexts() {
        let state = build();
        let tables = tables(&state);
        for (index, table) in tables.iter().enumerate() {
            for binding in *table {
                for (key, command) in binding.runs {
                    // An earlier table wins (the global keys before the pane's).
                    let earlier = tables[..index]
                        .iter()
                        .find_map(|t| keymap::lookup(t, &key.event()));
                    let expected = earlier.unwrap_or(*command);
                    assert_eq!(
                        command_for(&state, &key.event()),
                        Some(expected),
                        "{name}: {} ({key:?})",
                        binding.keys
                    );
                }
            }
        }
    }
}

fn key_name(key: &Key) -> String {
    if key.ctrl
        && let KeyCode::Char(c) = key.code
    {
        return match c {
            ' ' => "Ctrl-Space".into(),
            // Terminals send Ctrl-\ as the byte crossterm reads as Ctrl-4: one key, two names.
            '4' => "Ctrl-\\".into(),
            c => format!("Ctrl-{c}"),
        };
    }
    match key.code {
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "BS".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        other => format!("{other:?}"),
    }
}

#[test]
fn what_a_binding_shows_names_exactly_the_keys_that_run_it() {
    let mut all: Vec<&Binding> = Vec::new();
    for (_, build) in contexts() {
        for table in tables(&build()) {
            all.extend(table.iter());
        }
    }
    for binding in all {
        let shown: BTreeSet<String> = binding
            .keys
            .split(' ')
            // "Tab/S-Tab" names two keys; "/" alone is the key itself.
            .flat_map(|word| {
                if word.len() > 1 {
                    word.split('/').collect::<Vec<_>>()
                } else {
                    vec![word]
                }
            })
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let bound: BTreeSet<String> = binding.runs.iter().map(|(k, _)| key_name(k)).collect();
        assert_eq!(
            shown, bound,
            "binding {:?} ({})",
            binding.keys, binding.what
        );
    }
}

/// Every key a terminal sends that the app could care about.
fn universe() -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    for c in ' '..='~' {
        let modifiers = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        keys.push(KeyEvent::new(KeyCode::Char(c), modifiers));
        if c.is_ascii_lowercase() {
            keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        }
    }
    for code in [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Insert,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::F(1),
    ] {
        keys.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    keys
}

#[test]
fn a_key_no_table_holds_does_nothing() {
    for (name, build) in contexts() {
        if takes_text(&build()) {
            continue; // there such keys are typed into the field
        }
        for key in universe() {
            let mut state = build();
            if command_for(&state, &key).is_some() {
                continue;
            }
            let before = format!("{state:?}");
            let effects = update(&mut state, Action::Key(key));
            assert!(effects.is_empty(), "{name}: {key:?} sent {effects:?}");
            assert_eq!(
                format!("{state:?}"),
                before,
                "{name}: {key:?} changed the state"
            );
        }
    }
}

fn footer_text(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let frame = terminal.draw(|frame| view::render(state, frame)).unwrap();
    let area = frame.buffer.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| frame.buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The keys that were taken but never shown: each now does what it did, and is named on
/// screen (the bottom bar shows the open dialog's keys).
#[test]
fn dialogs_name_the_keys_they_take() {
    let find = |name: &str| contexts().into_iter().find(|(n, _)| *n == name).unwrap().1;
    let cases: [(&str, char, Reacted, &str); 4] = [
        (
            "delete",
            'x',
            |s| {
                matches!(
                    s.dialog,
                    Some(Dialog::DeleteKey(DeleteKeyDialog {
                        understood: true,
                        ..
                    }))
                )
            },
            "Space x",
        ),
        (
            "renew",
            'j',
            |s| {
                matches!(
                    s.dialog,
                    Some(Dialog::Renew(RenewDialog {
                        delete_now: true,
                        ..
                    }))
                )
            },
            "j k",
        ),
        ("confirm", 'y', |s| s.dialog.is_none(), "y"),
        ("confirm", 'n', |s| s.dialog.is_none(), "Esc n"),
    ];
    for (name, c, reacted, shown) in cases {
        let mut state = find(name)();
        let screen = footer_text(&state);
        update(
            &mut state,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
        assert!(reacted(&state), "{name}: {c} is taken");
        assert!(
            screen.contains(shown),
            "{name}: {c} is not named on screen:\n{screen}"
        );
    }
}

#[test]
fn the_walk_covers_every_renewal_key_of_a_pane_that_may_not_view() {
    // The renew-only pane's r opens the appKey prompt, not the (empty) table's renew dialog.
    let (_, build) = contexts()
        .into_iter()
        .find(|(n, _)| *n == "keys pane, may not view")
        .unwrap();
    let mut state = build();
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)),
    );
    assert!(matches!(state.dialog, Some(Dialog::RenewByKey(_))));
}
