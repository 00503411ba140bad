//! The role picker inside the new-key, add-external and role-editing dialogs: as tall as the
//! dialog's region allows, held roles first, a `/` filter, and the question asked before an
//! administrator role is granted.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::footer;
use crate::tui::state::{RolePicker, State};
use crate::tui::strings::dialogs as text;
use crate::tui::view::theme;
use crate::tui::view::widgets::{self, DialogFrame, Hint, clean};

/// Lines a role list keeps before the dialog drops its other parts: three roles and the
/// "↓ n more" line.
const MIN_PICKER_LINES: usize = 4;

/// The rows a role picker's page keys move on a terminal `height` rows high: about what the
/// picker shows there (the view keeps the cursor visible whatever the page).
pub fn picker_page(height: u16) -> usize {
    usize::from(height.saturating_sub(14)).max(MIN_PICKER_LINES - 1)
}

/// The role list in `rows` lines: "[x] name" per role the filter shows, the cursor marked,
/// scrolled so the cursor is visible, with a "↑ n more · ↓ n more" line when it scrolls.
fn picker_lines(state: &State, picker: &RolePicker, rows: usize, max: usize) -> Vec<Line<'static>> {
    if picker.roles.is_empty() {
        let placeholder = if state.roles.is_none() {
            text::ROLES_LOADING
        } else {
            text::NO_ROLES
        };
        return vec![Line::styled(placeholder, theme::dim())];
    }
    let shown = picker.shown();
    if shown.is_empty() {
        let none = text::no_role_matches(&clean(picker.filter.value()));
        return widgets::wrapped(&none, theme::dim(), max);
    }
    let len = shown.len();
    // A list that does not fit gives its last line to "↓ n more".
    let rows = if len <= rows { len } else { rows.max(2) - 1 };
    let cursor = picker.cursor.min(len - 1);
    let offset = widgets::visible_offset(picker.offset, cursor, len, rows);
    let end = (offset + rows).min(len);
    let mut lines = Vec::new();
    for (at, &index) in shown.iter().enumerate().take(end).skip(offset) {
        let (id, name) = &picker.roles[index];
        let mark = if picker.chosen.contains(id) {
            "[x] "
        } else {
            "[ ] "
        };
        let here = at == cursor;
        let row = widgets::pad(
            &format!("{}{mark}{}", if here { "› " } else { "  " }, clean(name)),
            max,
        );
        let line = Line::raw(row);
        lines.push(if here {
            line.style(theme::selected_row())
        } else {
            line
        });
    }
    let above = offset;
    let below = len - end;
    if above > 0 || below > 0 {
        let mut parts = Vec::new();
        if above > 0 {
            parts.push(text::more_above(above));
        }
        if below > 0 {
            parts.push(text::more_below(below));
        }
        lines.push(Line::styled(
            format!("  {}", parts.join(" · ")),
            theme::dim(),
        ));
    }
    lines
}

/// "Filter: text▏", while the filter is typed or kept.
fn filter_line(picker: &RolePicker, max: usize) -> Option<Line<'static>> {
    if !picker.filtering && picker.filter.value().is_empty() {
        return None;
    }
    let label = text::PICKER_FILTER_LABEL;
    let room = max.saturating_sub(widgets::width(label));
    Some(Line::from(vec![
        Span::styled(label, theme::heading()),
        Span::styled(
            widgets::input_text(&picker.filter, room, picker.filtering),
            theme::field(),
        ),
    ]))
}

pub(super) fn chosen_count(picker: &RolePicker, max: usize) -> Vec<Line<'static>> {
    let n = picker.chosen.len();
    let count = match n {
        0 => text::NO_ROLE_CHOSEN.to_string(),
        1 => text::ONE_ROLE_CHOSEN.to_string(),
        n => text::roles_chosen(n),
    };
    widgets::wrapped(&count, theme::dim(), max)
}

/// Step two of new key / add external key, and role editing: the picker, as tall as the
/// dialog's region allows. Short of room the other parts go, in this order: the footer (the
/// key bar shows the same keys), then, to keep a few rows of the list, the intro and the summary.
#[allow(clippy::too_many_arguments)]
pub(super) fn roles_step(
    state: &State,
    spec: &DialogFrame,
    intro: Vec<Line<'static>>,
    picker: &RolePicker,
    summary: Vec<Line<'static>>,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
) {
    let max = widgets::dialog_inner_width(region, spec.width);
    if picker.asking_admin {
        return admin_question(spec, picker, hints, frame, region);
    }
    let mut footer = footer(hints, max);
    let mut intro = intro;
    intro.push(Line::raw(""));
    let mut summary = [vec![Line::raw("")], summary, declined(picker, max)].concat();
    let filter = filter_line(picker, max);
    let inner = widgets::dialog_inner_height(region).saturating_sub(usize::from(filter.is_some()));
    let wanted = picker.shown().len().clamp(1, MIN_PICKER_LINES);
    let parts = [&mut footer, &mut intro, &mut summary];
    let room = |parts: &[&mut Vec<Line>; 3]| {
        inner.saturating_sub(parts.iter().map(|part| part.len()).sum())
    };
    // The footer goes as soon as the list does not fit whole; the intro and the summary
    // only to keep the list's few rows.
    if room(&parts) < picker.shown().len() {
        parts[0].clear();
    }
    for part in 1..parts.len() {
        if room(&parts) >= wanted {
            break;
        }
        parts[part].clear();
    }
    let rows = room(&parts);
    let mut body = intro;
    body.extend(filter);
    body.extend(picker_lines(state, picker, rows, max));
    body.extend(summary);
    widgets::draw_dialog(frame, region, spec, body, footer);
}

/// After "n" to the administrator question: which roles were unticked, not granted.
fn declined(picker: &RolePicker, max: usize) -> Vec<Line<'static>> {
    if picker.declined_admin.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = picker
        .declined_admin
        .iter()
        .map(|name| clean(name))
        .collect();
    widgets::wrapped(
        &text::admin_not_granted(&names.join(", ")),
        theme::dim(),
        max,
    )
}

/// Accepting with an administrator role newly ticked asks first, naming the role.
fn admin_question(
    spec: &DialogFrame,
    picker: &RolePicker,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
) {
    let max = widgets::dialog_inner_width(region, spec.width);
    let role = picker.granted_admin(&BTreeSet::new()).unwrap_or_default();
    let body = widgets::wrapped(
        &text::grant_admin_question(&clean(role)),
        theme::bold(),
        max,
    );
    let spec = DialogFrame {
        title: spec.title.clone(),
        destructive: true,
        width: spec.width,
    };
    widgets::draw_dialog(frame, region, &spec, body, footer(hints, max));
}
