//! Marking rows for the bulk actions: Space the selected row, Ctrl-Space the range from the
//! last mark, Ctrl-a every row the filter shows, Ctrl-\ none; `:mark` by status.

use super::*;
use crate::listing::TokenAge;
use crate::tui::command_line::MarkSet;
use crate::tui::marks::Marks;

/// The marks, the rows shown and the selected row of the list on screen.
fn pane_marks(state: &mut State) -> Option<(&mut Marks, &[usize], Option<usize>)> {
    match state.tab {
        Tab::Keys => {
            let pane = &mut state.keys;
            let selected = pane.visible.get(pane.selection.selected).copied();
            Some((&mut pane.marks, &pane.visible, selected))
        }
        Tab::External => {
            let pane = &mut state.external;
            let selected = pane.visible.get(pane.selection.selected).copied();
            Some((&mut pane.marks, &pane.visible, selected))
        }
        Tab::Settings => None,
    }
}

pub(super) fn run_mark_command(state: &mut State, command: Command) {
    let Some((marks, shown, selected)) = pane_marks(state) else {
        return;
    };
    match (command, selected) {
        (Command::Mark, Some(row)) => marks.toggle(row),
        (Command::MarkRange, Some(row)) => marks.mark_range(shown, row),
        (Command::MarkAll, _) => marks.mark_all(shown.iter().copied()),
        (Command::ClearMarks, _) => marks.clear(),
        _ => {}
    }
}

/// `:mark all|none|outdated|inactive|pending`, among the rows the filter shows.
pub(super) fn mark_set(state: &mut State, set: MarkSet) -> Vec<Effect> {
    if set == MarkSet::None {
        run_mark_command(state, Command::ClearMarks);
        return Vec::new();
    }
    let (months, now) = (state.token_months(), state.now);
    let chosen: Vec<usize> = match state.tab {
        Tab::Keys => {
            if matches!(set, MarkSet::Outdated | MarkSet::Pending) && !has_token_dates(state) {
                say(
                    state,
                    strings::cannot("mark by token", strings::NO_TOKEN_DATES),
                );
                return Vec::new();
            }
            let pane = &state.keys;
            let chosen = |key: &AppKey| match set {
                MarkSet::Outdated => key
                    .token_age(months, now)
                    .is_some_and(|age| age != TokenAge::Fresh),
                MarkSet::Inactive => !key.is_active,
                MarkSet::Pending => key.renewal_pending(),
                MarkSet::All | MarkSet::None => true,
            };
            let rows = pane.visible.iter().copied();
            rows.filter(|&row| chosen(&pane.rows[row])).collect()
        }
        Tab::External => {
            if matches!(set, MarkSet::Outdated | MarkSet::Pending) {
                say(
                    state,
                    strings::cannot("mark by token", strings::bulk::EXTERNAL_HAVE_NO_TOKEN),
                );
                return Vec::new();
            }
            let pane = &state.external;
            let rows = pane.visible.iter().copied();
            rows.filter(|&row| set == MarkSet::All || !pane.rows[row].is_active)
                .collect()
        }
        Tab::Settings => {
            say(state, strings::cannot("mark", strings::bulk::NOT_ON_A_LIST));
            return Vec::new();
        }
    };
    let count = chosen.len();
    if let Some((marks, _, _)) = pane_marks(state) {
        marks.mark_all(chosen);
    }
    say(state, strings::marked(count));
    Vec::new()
}
