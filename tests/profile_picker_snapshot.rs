//! Issue 13: the profile picker as drawn (P): every profile with what it points at, the one
//! on screen marked with "●" (a mark, not only a colour), the cursor "›" on it, and the
//! picker's keys in its footer. Keys move the cursor; Esc closes it without switching.

mod screen_fixture;

use apikeys::tui::action::Action;
use apikeys::tui::update::update;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use screen_fixture::{all_permissions, at, draw, key, row_text, state_with};

fn press(state: &mut apikeys::tui::state::State, c: char) -> Vec<apikeys::tui::action::Effect> {
    let modifiers = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    update(
        state,
        Action::Key(KeyEvent::new(KeyCode::Char(c), modifiers)),
    )
}

fn screen(state: &mut apikeys::tui::state::State) -> String {
    let (width, height) = state.size;
    let buffer = draw(state, width, height);
    (0..height)
        .map(|y| row_text(&buffer, y))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_picker_lists_the_profiles_and_marks_the_current_one() {
    let mut state = state_with(
        vec![key("id-1", "ERP integration", at(2026, 1, 5))],
        all_permissions(),
    );
    update(
        &mut state,
        Action::Resize {
            width: 90,
            height: 20,
        },
    );
    state.profiles = vec!["production".into(), "staging".into(), "demo".into()];
    let targets = &mut state.profile_switch.targets;
    targets.insert("production".into(), "acme".into());
    targets.insert("staging".into(), "https://staging.example".into());
    targets.insert("demo".into(), "embedded demo server on this machine".into());
    state.profile_switch.current = Some("staging".into());

    assert!(
        press(&mut state, 'P').is_empty(),
        "opening the picker sends nothing"
    );
    insta::assert_snapshot!("profile_picker", screen(&mut state));

    press(&mut state, 'j');
    let Some(apikeys::tui::state::Dialog::Profiles(picker)) = &state.dialog else {
        panic!("the picker is open");
    };
    assert_eq!(picker.cursor, 2, "j moves to demo");
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    assert!(state.dialog.is_none());
    assert!(
        state.profile_switch.pending.is_none(),
        "Esc switches nothing"
    );
}

/// Review of issue 13: with more profiles than the dialog holds, the list follows the cursor,
/// so the profile Enter switches to is always on screen.
#[test]
fn a_long_list_of_profiles_scrolls_with_the_cursor() {
    let mut state = state_with(
        vec![key("id-1", "ERP integration", at(2026, 1, 5))],
        all_permissions(),
    );
    update(
        &mut state,
        Action::Resize {
            width: 100,
            height: 24,
        },
    );
    state.profiles = (0..40).map(|n| format!("store-{n:02}")).collect();
    press(&mut state, 'P');
    for _ in 0..30 {
        press(&mut state, 'j');
    }
    let shown = screen(&mut state);
    let cursor_row = shown
        .lines()
        .find(|line| line.contains("│ › "))
        .unwrap_or_else(|| panic!("the cursor is off screen:\n{shown}"));
    assert!(cursor_row.contains("store-30"), "{shown}");
    assert!(shown.contains("↑ ") && shown.contains("↓ "), "{shown}");
    for _ in 0..20 {
        press(&mut state, 'j');
    }
    let bottom = screen(&mut state);
    let cursor_row = bottom.lines().find(|line| line.contains("│ › "));
    assert!(
        cursor_row.is_some_and(|row| row.contains("store-39")),
        "{bottom}"
    );
    // g and G jump, as in the other lists.
    for (key, wanted) in [('g', "store-00"), ('G', "store-39")] {
        press(&mut state, key);
        let shown = screen(&mut state);
        let cursor_row = shown.lines().find(|line| line.contains("│ › "));
        assert!(
            cursor_row.is_some_and(|row| row.contains(wanted)),
            "{key}: {shown}"
        );
    }
}
