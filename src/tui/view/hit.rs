//! Where the last frame drew what a click can hit: the tabs, the table's rows, a dialog's
//! buttons. The view records the rectangles as it draws them and the loop turns a left click
//! into `Action::Click(target)`, so `update` never needs the geometry and no layout is
//! computed twice.

use ratatui::layout::{Position, Rect};

use crate::tui::action::Action;
use crate::tui::state::{Focus, Tab};
use crossterm::event::{MouseButton, MouseEventKind};

/// What a click landed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Tab(Tab),
    /// A table row, by its position in the pane's visible rows.
    Row(usize),
    /// A button of the open dialog.
    Button(Focus),
}

/// The clickable rectangles of one frame.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hits {
    regions: Vec<(Rect, Target)>,
}

impl Hits {
    pub fn add(&mut self, area: Rect, target: Target) {
        if !area.is_empty() {
            self.regions.push((area, target));
        }
    }

    /// A dialog covers what is under it: nothing drawn before it can be clicked.
    pub fn clear(&mut self) {
        self.regions.clear();
    }

    /// What is at this cell, if anything.
    pub fn at(&self, column: u16, row: u16) -> Option<Target> {
        let cell = Position::new(column, row);
        self.regions
            .iter()
            .rev()
            .find(|(area, _)| area.contains(cell))
            .map(|(_, target)| *target)
    }

    /// A left-button press on something clickable becomes a click on it; every other action
    /// (the wheel, a click on nothing) passes unchanged.
    pub fn resolve(&self, action: Action) -> Action {
        if let Action::Mouse(mouse) = &action
            && mouse.kind == MouseEventKind::Down(MouseButton::Left)
            && let Some(target) = self.at(mouse.column, mouse.row)
        {
            return Action::Click(target);
        }
        action
    }
}
