//! The profile picker: one line per profile, "›" at the cursor, "●" on the profile on screen
//! (marks, not only colours), with what each points at when known.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::footer;
use crate::tui::state::ProfilePicker;
use crate::tui::strings::profiles as text;
use crate::tui::view::theme;
use crate::tui::view::widgets::{self, DialogFrame, Hint, clean};

pub(super) fn render(picker: &ProfilePicker, hints: &[Hint], frame: &mut Frame, region: Rect) {
    let spec = DialogFrame {
        title: text::PICKER_TITLE.into(),
        destructive: false,
        width: 64,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let footer = footer(hints, max);
    // Short of room the footer's blank line goes first; the list scrolls with the cursor.
    let rows = widgets::dialog_inner_height(region)
        .saturating_sub(footer.len().saturating_sub(1))
        .max(1);
    let (from, to) = window(picker.entries.len(), picker.cursor, rows);
    let mut body: Vec<Line<'static>> = (from..to)
        .map(|at| {
            let (name, target) = &picker.entries[at];
            entry_line(picker, at, name, target.as_deref(), max)
        })
        .collect();
    if (from, to) != (0, picker.entries.len()) {
        body.push(more_line(from, picker.entries.len() - to));
    }
    widgets::draw_dialog(frame, region, &spec, body, footer);
}

/// The entries shown in `rows` lines: all when they fit, else a window holding the cursor
/// and one line left for "↑ n more · ↓ n more".
fn window(len: usize, cursor: usize, rows: usize) -> (usize, usize) {
    if len <= rows {
        return (0, len);
    }
    let shown = rows.saturating_sub(1).max(1);
    let from = cursor.saturating_sub(shown - 1).min(len - shown);
    (from, from + shown)
}

fn more_line(above: usize, below: usize) -> Line<'static> {
    use crate::tui::strings::dialogs::{more_above, more_below};
    let parts: Vec<String> = [
        (above > 0).then(|| more_above(above)),
        (below > 0).then(|| more_below(below)),
    ]
    .into_iter()
    .flatten()
    .collect();
    Line::styled(parts.join(" · "), theme::dim())
}

fn entry_line(
    picker: &ProfilePicker,
    at: usize,
    name: &str,
    target: Option<&str>,
    max: usize,
) -> Line<'static> {
    let here = at == picker.cursor;
    let current = picker.current.as_deref() == Some(name);
    let mut row = format!(
        "{}{}{}",
        if here { "› " } else { "  " },
        if current { "● " } else { "  " },
        clean(name)
    );
    if let Some(target) = target {
        row.push_str(" · ");
        row.push_str(&clean(target));
    }
    if current {
        row.push_str(&format!(" ({})", text::CURRENT));
    }
    let line = Line::from(Span::raw(widgets::pad(&row, max)));
    if here {
        line.style(theme::selected_row())
    } else {
        line
    }
}
