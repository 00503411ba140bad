//! The Insights overlay's list filter: a finding chosen there shows exactly its keys, until
//! Esc. A dedicated filter rather than marks, so the list shows what was chosen (marks would
//! leave every other key on screen), and the text filter and status filter still narrow it.

use std::collections::HashSet;

/// The keys of one finding, by id, and its title for the line above the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightFilter {
    pub title: &'static str,
    pub ids: HashSet<String>,
}

/// Keeps in `visible` only the rows the chosen finding concerns (all when none is chosen).
pub fn keep_chosen<T>(
    chosen: &Option<InsightFilter>,
    visible: &mut Vec<usize>,
    rows: &[T],
    id: impl Fn(&T) -> &String,
) {
    if let Some(chosen) = chosen {
        visible.retain(|&at| rows.get(at).is_some_and(|row| chosen.ids.contains(id(row))));
    }
}

/// The Settings pane's summary: the alerts and warnings, and which of them could not be
/// checked (no token dates from the server, roles not read), so no all-clear is given for
/// what was never looked at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub alerts: usize,
    pub warnings: usize,
    pub no_token_dates: bool,
    pub no_roles: bool,
}

impl Summary {
    /// Nothing found and everything checked.
    pub fn all_clear(self) -> bool {
        self.alerts == 0 && self.warnings == 0 && !self.no_token_dates && !self.no_roles
    }
}

/// The Settings pane's posture summary, kept between frames (see [`super::memo`]).
pub type SummaryMemo = super::memo::Memo<Summary>;
