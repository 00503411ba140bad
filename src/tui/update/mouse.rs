//! The mouse, with `--mouse`: the wheel moves the selection; a click selects a tab or a row
//! (a second click on the selected key opens its details) or presses a dialog's button. The
//! loop has already turned a click into its target (`view::hit`), so no geometry is here.

use crossterm::event::{MouseEvent, MouseEventKind};

use super::*;
use crate::tui::view::hit::Target;

/// Whether the mouse may act now: enabled, and the screen shows the app.
fn mouse_acts(state: &State) -> bool {
    state.mouse && !too_small(state)
}

pub(super) fn on_mouse(state: &mut State, mouse: MouseEvent) -> Vec<Effect> {
    if mouse_acts(state) && state.dialog.is_none() {
        match mouse.kind {
            MouseEventKind::ScrollDown => move_selection(state, 3),
            MouseEventKind::ScrollUp => move_selection(state, -3),
            _ => {}
        }
    }
    Vec::new()
}

pub(super) fn on_click(state: &mut State, target: Target) -> Vec<Effect> {
    if !mouse_acts(state) {
        return Vec::new();
    }
    match (target, state.dialog.is_some()) {
        (Target::Button(focus), true) => {
            let effects = press_button(state, focus);
            open_next_dialog(state);
            effects
        }
        (Target::Tab(tab), false) => {
            switch_pane(state, tab);
            lazy_roles(state)
        }
        (Target::Row(position), false) => click_row(state, position),
        _ => Vec::new(),
    }
}

fn click_row(state: &mut State, position: usize) -> Vec<Effect> {
    let page = state.page_rows;
    match state.tab {
        Tab::Keys if state.keys.selection.selected == position => {
            run_keys_command(state, Command::Details)
        }
        Tab::Keys => {
            let len = state.keys.visible.len();
            state.keys.selection.to(position, len, page);
            lazy_roles(state)
        }
        Tab::External => {
            let len = state.external.visible.len();
            state.external.selection.to(position, len, page);
            Vec::new()
        }
        Tab::Settings => Vec::new(),
    }
}
