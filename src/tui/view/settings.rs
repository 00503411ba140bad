//! The Settings pane: the token duration (3 or 6 months) and what it means, the caller's four
//! permissions, and what the server can do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use super::widgets::{self, clean, pad};
use crate::permissions::Resource;
use crate::tui::state::{Connection, Load, Op, State};
use crate::tui::strings::settings as text;

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let area = Rect {
        x: area.x.saturating_add(1),
        width: area.width.saturating_sub(2),
        ..area
    };
    let max = usize::from(area.width);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if state.access.read_only {
        lines.extend(widgets::wrapped(text::READ_ONLY, theme::pending(), max));
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(text::DURATION, theme::heading()));

    lines.extend(duration_lines(state, max));
    lines.push(Line::raw(""));
    lines.extend(widgets::wrapped(text::MEANING, theme::plain(), max));

    lines.push(Line::raw(""));
    lines.push(Line::styled(text::PERMISSIONS, theme::heading()));
    lines.extend(permissions(state, max));

    lines.push(Line::raw(""));
    lines.extend(extensions_lines(state, max));
    lines.extend(rotation_lines(state, max));

    lines.extend(posture_lines(state));

    frame.render_widget(Paragraph::new(lines), area.intersection(frame.area()));
}

/// The 3 / 6 months choice, or why it cannot be made here.
fn duration_lines(state: &State, max: usize) -> Vec<Line<'static>> {
    let settings = &state.settings;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if state.access.extensions == Some(false) {
        lines.extend(widgets::wrapped(
            text::DURATION_UNAVAILABLE,
            theme::dim(),
            max,
        ));
    } else {
        for (months, option) in [(3, text::THREE_MONTHS), (6, text::SIX_MONTHS)] {
            let chosen = settings.token_duration == Some(months);
            let under_cursor = settings.cursor_months == months;
            let mark = if chosen { "(•)" } else { "( )" };
            let cursor = if under_cursor { "› " } else { "  " };
            let mut spans = vec![Span::raw(cursor), Span::raw(format!("{mark} {option}"))];
            if chosen {
                spans.push(Span::styled(text::IN_EFFECT, theme::good()));
            }
            let mut line = Line::from(spans);
            if under_cursor {
                line = line.style(theme::selected_row());
            }
            lines.push(line);
        }
        match (&settings.load, settings.token_duration) {
            (Load::Failed(failure), _) => lines.extend(widgets::wrapped(
                &text::duration_unreadable(&clean(&failure.message)),
                theme::error(),
                max,
            )),
            (_, None) => lines.push(Line::styled(text::DURATION_LOADING, theme::dim())),
            _ => match state.access.check(Op::SetDuration) {
                Ok(()) => lines.push(Line::styled(text::ENTER_APPLIES, theme::dim())),
                Err(reason) => lines.extend(widgets::wrapped(
                    &text::cannot_change(&reason),
                    theme::dim(),
                    max,
                )),
            },
        }
    }
    lines
}

/// How many keys are outdated, and how many of those `o` rotates (the plan's own rule,
/// `rotation::skip_of`), kept between frames: a walk over every key's token dates.
fn outdated_counts(state: &State) -> (usize, usize) {
    use crate::listing::TokenAge;
    let (months, now) = (state.token_months(), state.now);
    let own = state.header.caller_key.as_str();
    let key = crate::tui::memo::key_of((
        state.keys.rows.len(),
        state.last_listed,
        months,
        // Token ages move with the clock; by the hour is close enough for a count.
        now.timestamp() / 3600,
        own,
        state.rotation.due.len(),
    ));
    state.rotation.outdated_memo.get_or_compute(key, || {
        let due = &state.rotation.due;
        let outdated = state.keys.rows.iter().filter(|key| {
            matches!(
                key.token_age(months, now),
                Some(TokenAge::Outdated | TokenAge::LongOutdated)
            )
        });
        outdated.fold((0, 0), |(all, rotatable), key| {
            let can = crate::rotation::skip_of(key, own, due).is_none();
            (all + 1, rotatable + usize::from(can))
        })
    })
}

/// "12 keys are outdated — o rotates them", once the keys are loaded (nothing when the server
/// reports no token dates: no key could be called outdated).
fn rotation_lines(state: &State, max: usize) -> Vec<Line<'static>> {
    use crate::tui::strings::rotation as rotation_text;
    let dated = state
        .keys
        .rows
        .iter()
        .any(|k| k.creation_date_token.is_some());
    if state.keys.load != Load::Loaded || !dated {
        return Vec::new();
    }
    let (outdated, rotatable) = outdated_counts(state);
    let style = if rotatable > 0 {
        theme::outdated()
    } else {
        theme::dim()
    };
    let mut lines = vec![Line::raw("")];
    lines.extend(widgets::wrapped(
        &rotation_text::outdated_summary(outdated, rotatable),
        style,
        max,
    ));
    lines
}

/// Whether the server offers the apikeys extensions, the verdict coloured.
fn extensions_lines(state: &State, max: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let (verdict, style, rest) = match state.access.extensions {
        Some(true) => (
            text::EXTENSIONS_AVAILABLE,
            theme::good(),
            text::EXTENSIONS_AVAILABLE_REST,
        ),
        Some(false) => (
            text::EXTENSIONS_MISSING,
            theme::pending(),
            text::EXTENSIONS_MISSING_REST,
        ),
        // Offline: the probe failed, so nothing is being checked until a retry.
        None if unanswered(state) => (
            text::EXTENSIONS_UNANSWERED,
            theme::pending(),
            text::EXTENSIONS_UNANSWERED_REST,
        ),
        None => (text::EXTENSIONS_CHECKING, theme::dim(), ""),
    };
    let label = text::EXTENSIONS;
    // Wrap the whole sentence, then colour the verdict on the first line.
    let sentence = format!("{label}{verdict}{rest}");
    for (index, row) in widgets::wrap(&sentence, max).into_iter().enumerate() {
        if index == 0 && row.starts_with(label) {
            let after = &row[label.len()..];
            let cut = after.len().min(verdict.len());
            let (colored, plain) =
                after.split_at(if after.is_char_boundary(cut) { cut } else { 0 });
            lines.push(Line::from(vec![
                Span::styled(label, theme::heading()),
                Span::styled(colored.to_string(), style),
                Span::raw(plain.to_string()),
            ]));
        } else {
            lines.push(Line::raw(row));
        }
    }
    lines
}

/// The server could not be reached: what is not known yet is not being checked either.
fn unanswered(state: &State) -> bool {
    matches!(state.connection, Connection::Offline(_))
}

fn permissions(state: &State, max: usize) -> Vec<Line<'static>> {
    let Some(held) = &state.access.permissions else {
        let unknown = if state.access.extensions.is_some() {
            text::PERMISSIONS_UNKNOWN
        } else if unanswered(state) {
            text::PERMISSIONS_UNANSWERED
        } else {
            text::PERMISSIONS_CHECKING
        };
        return widgets::wrapped(unknown, theme::dim(), max);
    };
    let items = Resource::ALL.map(|resource| (held.contains(resource), resource.display_name()));
    let item = |(yes, name): (bool, &str), width: usize| -> Vec<Span<'static>> {
        let (mark, style) = if yes {
            ("✓ ", theme::good())
        } else {
            ("✗ ", theme::error())
        };
        let name_style = if yes { theme::plain() } else { theme::dim() };
        vec![
            Span::styled(mark, style),
            Span::styled(pad(name, width), name_style),
        ]
    };
    let column = 26;
    if max >= 2 + 2 * column {
        items
            .chunks(2)
            .map(|pair| {
                let mut spans = vec![Span::raw("  ")];
                for &entry in pair {
                    spans.extend(item(entry, column - 2));
                }
                Line::from(spans)
            })
            .collect()
    } else {
        items
            .iter()
            .map(|&entry| {
                let mut spans = vec![Span::raw("  ")];
                spans.extend(item(entry, max.saturating_sub(4)));
                Line::from(spans)
            })
            .collect()
    }
}

/// The account's key posture in one line ("2 alerts, 3 warnings — I for insights").
fn posture_lines(state: &State) -> Vec<Line<'static>> {
    use crate::tui::strings::insights;
    vec![
        Line::raw(""),
        Line::styled(insights::SUMMARY_HEADING, theme::heading()),
        super::dialogs::posture_summary(state),
    ]
}
