//! The overlays that only show (help, details): their scroll keys move them, any other of
//! their keys closes them; a resize keeps their scroll within what is drawn.

use super::*;
use crate::tui::overlay::{Scroll, Window};

/// Moves `scroll` by a scroll command; `None` for any other command (it closes).
fn scrolled(scroll: &mut Scroll, command: Command, window: Option<Window>) -> Option<Next> {
    let Command::Scroll(step) = command else {
        return None;
    };
    if let Some(window) = window {
        scroll.step(step, window);
    }
    Some(Next::Stay)
}

impl HelpDialog {
    pub(super) fn on_command(&mut self, command: Command, window: Option<Window>) -> Next {
        scrolled(&mut self.scroll, command, window).unwrap_or(Next::Close)
    }
}

impl BulkSummary {
    pub(super) fn on_command(&mut self, command: Command, window: Option<Window>) -> Next {
        scrolled(&mut self.scroll, command, window).unwrap_or(Next::Close)
    }
}

impl DetailsDialog {
    pub(super) fn on_command(&mut self, command: Command, window: Option<Window>) -> Next {
        scrolled(&mut self.scroll, command, window).unwrap_or(Next::Close)
    }
}

/// After a resize: the open overlay's offset within its new window, so the next key moves
/// what is on screen at once.
pub(in crate::tui::update) fn clamp_overlay(state: &mut State) {
    let Some(window) = crate::tui::view::overlay_window(state) else {
        return;
    };
    match &mut state.dialog {
        Some(Dialog::Help(HelpDialog { scroll }))
        | Some(Dialog::Details(DetailsDialog { scroll, .. }))
        | Some(Dialog::BulkSummary(BulkSummary { scroll, .. })) => scroll.clamp(window),
        _ => {}
    }
}
