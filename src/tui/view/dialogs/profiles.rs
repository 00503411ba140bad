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
    let body = picker
        .entries
        .iter()
        .enumerate()
        .map(|(at, (name, target))| entry_line(picker, at, name, target.as_deref(), max))
        .collect();
    widgets::draw_dialog(frame, region, &spec, body, footer(hints, max));
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
