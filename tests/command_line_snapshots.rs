//! Issue 13: the `:` command line drawn from fixed states through the real `update` and
//! `view`: its completion candidates, its key bar, the help's Commands section, narrow
//! terminals. Fake keys only.
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test --test command_line_snapshots`,
//! then read every changed `.snap` file before committing it.

mod screen_fixture;

use apikeys::tui::action::Action;
use apikeys::tui::command_line::table::COMMANDS;
use apikeys::tui::state::State;
use apikeys::tui::update::update;
use apikeys::tui::view;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use screen_fixture::{all_permissions, at, key, state_with};

fn press(state: &mut State, code: KeyCode) {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        KeyCode::BackTab => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    update(state, Action::Key(KeyEvent::new(code, modifiers)));
}

fn typed(state: &mut State, text: &str) {
    for c in text.chars() {
        press(state, KeyCode::Char(c));
    }
}

fn screen(state: &State) -> String {
    let (width, height) = state.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::render(state, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn at_size(width: u16, height: u16) -> State {
    let keys = vec![
        key("aa", "ERP integration", at(2026, 10, 1)),
        key("bb", "Storefront", at(2026, 6, 1)),
        key("cc", "Warehouse sync", at(2026, 11, 1)),
    ];
    let mut state = state_with(keys, all_permissions());
    update(&mut state, Action::Resize { width, height });
    let months = state.token_months();
    state.keys.refresh_view(months, state.now, state.page_rows);
    state
}

#[test]
fn candidates_are_shown_above_the_command_line() {
    let mut state = at_size(80, 16);
    typed(&mut state, ":sort ");
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Tab);
    let shown = screen(&state);
    assert!(shown.contains(":sort key"), "{shown}");
    insta::assert_snapshot!("command_line_sort_candidates", shown);
}

#[test]
fn the_key_bar_is_the_command_lines_table() {
    let mut state = at_size(80, 16);
    typed(&mut state, ":");
    let shown = screen(&state);
    for binding in apikeys::tui::keymap::COMMAND_EDITING {
        let hint = format!("{} {}", binding.keys, binding.what);
        assert!(shown.contains(&hint), "{hint} missing in {shown}");
    }
}

#[test]
fn the_help_lists_every_command() {
    let mut state = at_size(120, 80);
    press(&mut state, KeyCode::Char('?'));
    let shown = screen(&state);
    assert!(shown.contains("Commands (:)"), "{shown}");
    for spec in COMMANDS {
        assert!(shown.contains(spec.syntax), "{} missing", spec.syntax);
    }
}

#[test]
fn narrow_and_short_terminals_do_not_panic() {
    for width in [1u16, 20, 30, 49, 50, 51, 60] {
        for height in [1u16, 5, 12, 13] {
            let mut state = at_size(width, height);
            typed(
                &mut state,
                ":role add Owner (Admin Super) and a very long tail",
            );
            press(&mut state, KeyCode::Tab);
            let _ = screen(&state);
            let mut state = at_size(80, 16);
            typed(&mut state, ":mark ");
            press(&mut state, KeyCode::Tab);
            update(&mut state, Action::Resize { width, height });
            let _ = screen(&state);
        }
    }
}
