//! The key bar and the help overlay, both drawn from the bindings table in `keymap`: a binding
//! whose operation `Access::check` refuses is dimmed, and the help says why.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::dialogs;
use super::scroll::{self, Overlay};
use super::theme;
use super::widgets::{self, DialogFrame, Hint, pad, put_line};
use crate::tui::keymap::{self, Binding};
use crate::tui::state::{HelpDialog, State, Tab};
use crate::tui::strings::dialogs as text;

fn refusal(state: &State, binding: &Binding) -> Option<String> {
    binding.op.and_then(|op| state.check_selected(op).err())
}

fn bar_hints(state: &State, bindings: &[Binding]) -> Vec<Hint> {
    bindings
        .iter()
        .filter(|b| b.in_bar)
        .map(|b| Hint::new(b.keys, b.short).enabled(refusal(state, b).is_none()))
        .collect()
}

/// "status filter" → "status": the bar's compact form when the full one does not fit.
fn short(hints: &[Hint]) -> Vec<Hint> {
    hints
        .iter()
        .map(|hint| Hint {
            what: hint.what.split(' ').next().unwrap_or_default().to_string(),
            ..hint.clone()
        })
        .collect()
}

/// Columns a bar of these bindings takes on one line.
fn one_line_width(bindings: &[Binding]) -> usize {
    let shown: Vec<&Binding> = bindings.iter().filter(|b| b.in_bar).collect();
    let pairs: usize = shown
        .iter()
        .map(|b| widgets::width(b.keys) + 1 + widgets::width(b.short))
        .sum();
    pairs + 2 * shown.len().saturating_sub(1)
}

/// Rows the key bar takes at this width: one when every tab's bar fits on a line, else two.
/// It depends on the width alone, so `page_rows` can know it.
pub fn bar_rows(width: u16) -> u16 {
    let global = one_line_width(keymap::GLOBAL);
    let widest = Tab::ALL
        .into_iter()
        .map(|tab| one_line_width(keymap::for_tab(tab)))
        .max()
        .unwrap_or(0);
    if widest + global + 4 <= usize::from(width) {
        1
    } else {
        2
    }
}

/// Lays hints out on `rows` lines of `width` columns, `right` at the end of the last line.
/// `None` when they do not fit, unless `force`, which cuts the overflow with "…".
fn flow(
    left: &[Hint],
    right: &[Hint],
    width: usize,
    rows: usize,
    force: bool,
) -> Option<Vec<Line<'static>>> {
    let rows = rows.max(1);
    let right = widgets::hint_spans(right);
    let right_width: usize = right.iter().map(Span::width).sum();
    let room = |row: usize| {
        let reserved = if row + 1 == rows && right_width > 0 {
            right_width + 2
        } else {
            0
        };
        width.saturating_sub(2 + reserved)
    };
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new(); rows];
    let mut used = vec![0usize; rows];
    let mut row = 0;
    'hints: for hint in left {
        let spans = hint.spans();
        let w: usize = spans.iter().map(Span::width).sum();
        loop {
            let sep = if used[row] > 0 { 2 } else { 0 };
            if used[row] + sep + w <= room(row) {
                if sep > 0 {
                    lines[row].push(Span::raw("  "));
                }
                lines[row].extend(spans);
                used[row] += sep + w;
                break;
            }
            if row + 1 < rows {
                row += 1;
                continue;
            }
            if !force {
                return None;
            }
            let left_over = room(row).saturating_sub(used[row] + sep);
            if left_over >= 1 {
                if sep > 0 {
                    lines[row].push(Span::raw("  "));
                }
                let cut = widgets::fit_spans(spans, left_over);
                used[row] += sep + cut.iter().map(Span::width).sum::<usize>();
                lines[row].extend(cut);
            }
            break 'hints;
        }
    }
    let last = rows - 1;
    Some(
        lines
            .into_iter()
            .zip(used)
            .enumerate()
            .map(|(index, (spans, used))| {
                let mut line = vec![Span::raw(" ")];
                line.extend(spans);
                if index == last && right_width > 0 {
                    let gap = width.saturating_sub(2 + used + right_width);
                    line.push(Span::raw(" ".repeat(gap)));
                    line.extend(right.clone());
                }
                Line::from(widgets::fit_spans(line, width))
            })
            .collect(),
    )
}

/// The keys that work right here: a dialog's own, the filter's while typing, else the tab's
/// bindings, then the global ones at the right end of the last line.
pub fn key_bar(state: &State, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let rows = usize::from(area.height);
    let filter_editing = match state.tab {
        Tab::Keys => state.keys.filter.editing,
        Tab::External => state.external.filter.editing,
        Tab::Settings => false,
    };
    let lines = match &state.dialog {
        Some(dialog) => flow(&dialogs::hints(dialog), &[], width, rows, true),
        None if state.command_line.is_some() => flow(
            &bar_hints(state, keymap::COMMAND_EDITING),
            &[],
            width,
            rows,
            true,
        ),
        None if filter_editing => flow(
            &bar_hints(state, keymap::FILTER_EDITING),
            &[],
            width,
            rows,
            true,
        ),
        None => {
            let left = bar_hints(state, keymap::for_pane(state));
            let right = bar_hints(state, keymap::GLOBAL);
            let (short_left, short_right) = (short(&left), short(&right));
            // The fewest rows that hold everything (full texts, else compact ones), the rest
            // of the bar left empty; else the compact texts cut with "…".
            (1..=rows)
                .find_map(|used| flow(&left, &right, width, used, false))
                .or_else(|| {
                    (1..=rows).find_map(|used| flow(&short_left, &short_right, width, used, false))
                })
                .or_else(|| flow(&short_left, &short_right, width, rows, true))
        }
    };
    for (y, line) in lines.unwrap_or_default().iter().enumerate() {
        put_line(frame, area, y as u16, line);
    }
}

/// Every binding, global and of the current tab, with the reason a disabled one is refused;
/// scrolled as the dialog says.
pub fn render(state: &State, dialog: &HelpDialog, hints: &[Hint], frame: &mut Frame, region: Rect) {
    scroll::draw(frame, region, overlay(state, hints, region), dialog.scroll);
}

/// The help as an overlay for `region`: titled by its pane, the global keys, then the pane's.
pub fn overlay(state: &State, hints: &[Hint], region: Rect) -> Overlay {
    let spec = DialogFrame {
        title: text::help_title(state.tab.title()),
        destructive: false,
        width: 90,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let mut sections = vec![
        (text::HELP_EVERYWHERE, keymap::GLOBAL),
        (state.tab.title(), keymap::for_pane(state)),
    ];
    let filters = state.tab != Tab::Settings;
    if filters {
        sections.push((text::HELP_FILTER_TITLE, keymap::FILTER_EDITING));
    }
    let keys_width = sections
        .iter()
        .flat_map(|(_, bindings)| bindings.iter())
        .map(|b| widgets::width(b.keys))
        .max()
        .unwrap_or(0)
        .min(max / 3);
    let mut body = Vec::new();
    for (index, (title, bindings)) in sections.iter().enumerate() {
        if index > 0 {
            body.push(Line::raw(""));
        }
        // The `:` commands follow the pane's keys; the filter's come last, with their syntax.
        if index == 2 {
            body.extend(command_lines(keys_width, max));
            body.push(Line::raw(""));
        }
        body.push(Line::styled(title.to_string(), theme::heading()));
        for binding in bindings.iter() {
            body.extend(binding_lines(state, binding, keys_width, max));
        }
    }
    if filters {
        body.extend(widgets::wrapped(text::HELP_FILTER, theme::dim(), max));
    }
    if !filters {
        body.push(Line::raw(""));
        body.extend(command_lines(keys_width, max));
    }
    body.push(Line::raw(""));
    body.extend(widgets::wrapped(text::HELP_DIALOGS, theme::dim(), max));
    let mut footer = vec![Line::raw("")];
    footer.extend(widgets::hint_lines(hints, max));
    Overlay { spec, body, footer }
}

/// The "Commands (:)" section, from the table completion and parsing read too.
fn command_lines(keys_width: usize, max: usize) -> Vec<Line<'static>> {
    use crate::tui::command_line::table::COMMANDS;
    use crate::tui::strings::commands as cmd;
    let mut lines = vec![Line::styled(cmd::HELP_TITLE.to_string(), theme::heading())];
    let syntax_width = COMMANDS
        .iter()
        .map(|spec| widgets::width(spec.syntax))
        .max()
        .unwrap_or(0)
        .clamp(keys_width, max / 2);
    for spec in COMMANDS {
        let lead = format!("  {}  ", pad(spec.syntax, syntax_width));
        let lead_width = widgets::width(&lead);
        for (index, chunk) in widgets::wrap(spec.what, max.saturating_sub(lead_width))
            .into_iter()
            .enumerate()
        {
            let lead = if index == 0 {
                Span::styled(lead.clone(), theme::key())
            } else {
                Span::raw(" ".repeat(lead_width))
            };
            lines.push(Line::from(vec![lead, Span::styled(chunk, theme::plain())]));
        }
    }
    lines.extend(widgets::wrapped(cmd::HELP_HOW, theme::dim(), max));
    lines
}

fn binding_lines(
    state: &State,
    binding: &Binding,
    keys_width: usize,
    max: usize,
) -> Vec<Line<'static>> {
    let refused = refusal(state, binding);
    let (key_style, what_style) = if refused.is_some() {
        (theme::dim(), theme::dim())
    } else {
        (theme::key(), theme::plain())
    };
    let lead = format!("  {}  ", pad(binding.keys, keys_width));
    let lead_width = widgets::width(&lead);
    let mut what = binding.what.to_string();
    if let Some(reason) = &refused {
        what = text::unavailable(&what, reason);
    }
    let mut lines = Vec::new();
    for (index, chunk) in widgets::wrap(&what, max.saturating_sub(lead_width))
        .into_iter()
        .enumerate()
    {
        let lead = if index == 0 {
            Span::styled(lead.clone(), key_style)
        } else {
            Span::raw(" ".repeat(lead_width))
        };
        lines.push(Line::from(vec![lead, Span::styled(chunk, what_style)]));
    }
    lines
}
