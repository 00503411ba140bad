//! The Generated keys pane: a filter line and the table of keys (only the rows on screen are
//! built), with the token-age alerts of the Admin page.

use chrono::{DateTime, Months, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::budget::KeysBudget;
use super::theme;
use super::time::{self, Zone};
use super::widgets::{self, Column, TableRow, clean, fit_middle, put_line};
use crate::listing::{SortBy, StatusFilter, TokenAge};
use crate::permissions::Resource;
use crate::tui::state::{Filter, KeysPane, Load, Op, State};
use crate::tui::strings::panes as text;
use crate::tui::strings::rotation::DUE_STATUS;
use crate::vtex::model::{AppKey, Role};

const KEY: usize = 0;
const NAME: usize = 1;
const ROLES: usize = 2;
const TOKEN: usize = 3;
const CREATED: usize = 4;
const STATUS: usize = 5;

/// What an empty list shows: loading, why it failed, or that there is nothing yet.
pub fn empty_list(frame: &mut Frame, body: Rect, load: &Load, loading: &str, nothing: &str) {
    match load {
        Load::NotLoaded | Load::Loading => message(frame, body, loading, theme::dim()),
        Load::Failed(failure) => message(
            frame,
            body,
            &text::load_failed(&clean(&failure.message)),
            theme::error(),
        ),
        Load::Loaded => message(frame, body, nothing, theme::dim()),
    }
}

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let [info, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let pane = &state.keys;
    info_line(state, frame, info);
    if placeholder(state, frame, body) {
        return;
    }
    let months = state.token_months();
    let rows = usize::from(body.height.saturating_sub(1));
    let shown: Vec<(usize, &AppKey)> =
        widgets::rows_on_screen(&pane.rows, &pane.visible, pane.selection, rows);
    let ages: Vec<Vec<Span<'static>>> = shown
        .iter()
        .map(|(_, key)| age_spans(key, months, state.now))
        .collect();
    let roles_text: Vec<Option<String>> = shown
        .iter()
        .map(|(_, key)| key.roles.as_deref().map(role_names))
        .collect();
    let own = |key: &AppKey| state.is_own_key(&key.app_key);
    let budget = pane.budget.get_or_init(|| {
        KeysBudget::of(&pane.rows, &state.header.caller_key, |key| {
            widgets::spans_width(&age_spans(key, months, state.now))
        })
    });
    let due = &state.rotation.due;
    let status_width = if pane.rows.iter().any(|key| due.contains_key(&key.app_key)) {
        widgets::width(DUE_STATUS) as u16
    } else {
        9
    };
    let columns = columns(pane, budget, status_width);
    let widths = widgets::allocate(&columns, body.width);
    let key_width = usize::from(widths[KEY].unwrap_or(0));
    let name_width = usize::from(widths[NAME].unwrap_or(0));
    let token_width = usize::from(widths[TOKEN].unwrap_or(0));
    let table_rows: Vec<TableRow> = shown
        .iter()
        .zip(ages)
        .zip(roles_text)
        .map(|(((at, key), age), roles)| {
            let token = token_cell(age, key.renewal_pending(), token_width);
            let mut cells = row_cells(pane, key, key_width, token, roles, state.zone);
            if key.is_active && due.contains_key(&key.app_key) {
                // Its old token goes when the grace ends (from the rotation journal).
                cells[STATUS] = vec![Span::styled(DUE_STATUS, theme::pending())];
            }
            if own(key) {
                cells[NAME] = own_name_cell(key, name_width);
            }
            TableRow {
                cells,
                selected: *at == pane.selection.selected,
                marked: pane
                    .visible
                    .get(*at)
                    .is_some_and(|&row| pane.marks.contains(row)),
            }
        })
        .collect();
    widgets::draw_table(frame, body, &columns, &table_rows);
}

/// Draws what stands in place of the table when there is no row to show; says whether it did.
fn placeholder(state: &State, frame: &mut Frame, body: Rect) -> bool {
    let pane = &state.keys;
    let may = |op| state.access.check(op).is_ok();
    if pane.may_not_view() {
        let refusal = text::may_not_view(Resource::ViewApiKeys.display_name(), may(Op::Renew));
        message(frame, body, &refusal, theme::plain());
    } else if pane.rows.is_empty() {
        let nothing = if may(Op::NewKey) {
            text::KEYS_NONE_CREATE
        } else {
            text::KEYS_NONE
        };
        empty_list(frame, body, &pane.load, text::KEYS_LOADING, nothing);
    } else if pane.visible.is_empty() {
        message(frame, body, text::KEYS_NO_MATCH, theme::dim());
    } else {
        return false;
    }
    true
}

/// The table's columns, sized for every row of the list (so they stay put while it scrolls).
/// Status, key and the token's age come first, then some of the name and roles; then the
/// token's "old token pending deletion" marker; then the rest of the name and roles.
fn columns(pane: &KeysPane, budget: &KeysBudget, status_width: u16) -> [Column; 6] {
    let (key_want, name_max, roles_max) = (budget.key, budget.name, budget.roles);
    let age_want = budget.age;
    // With a pending renewal in the list the token column wants room for the shortest
    // marker, and grows to the longest when there is room.
    let marker = |m: &str| {
        if budget.pending {
            widgets::width(m) as u16
        } else {
            0
        }
    };
    let token_want = age_want + marker(PENDING_MARKERS[PENDING_MARKERS.len() - 1]);
    let token_max = age_want + marker(PENDING_MARKERS[0]);
    // Ranked by a fuzzy pattern, the rows follow no column: no arrow claims they do.
    let ranked = pane.filter.ranks();
    let arrow = |by: SortBy| match (pane.sort == by && !ranked, pane.reverse) {
        (false, _) => "",
        (true, true) => " ▼",
        (true, false) => " ▲",
    };
    [
        Column::new(format!("Key{}", arrow(SortBy::Key)), 16, key_want).grow(1),
        Column::new(format!("Name{}", arrow(SortBy::Name)), 10, name_max.min(28))
            .fill_to(name_max)
            .grow(3),
        Column::new("Roles", 12, roles_max.min(20))
            .fill_to(roles_max)
            .grow(4)
            .hide_below(72),
        Column::new(format!("Token{}", arrow(SortBy::TokenAge)), 7, token_want)
            .fill_to(token_max)
            .fill_first()
            .grow(2),
        Column::new(format!("Created{}", arrow(SortBy::Created)), 10, 10)
            .grow(5)
            .hide_below(100),
        Column::new(
            format!("Status{}", arrow(SortBy::Status)),
            status_width,
            status_width,
        ),
    ]
}

/// One key's cells, in column order.
fn row_cells(
    pane: &KeysPane,
    key: &AppKey,
    key_width: usize,
    token: Vec<Span<'static>>,
    roles: Option<String>,
    zone: Zone,
) -> Vec<Vec<Span<'static>>> {
    let mut cells = vec![Vec::new(); 6];
    cells[KEY] = vec![Span::raw(fit_middle(&clean(&key.app_key), key_width))];
    cells[NAME] = if key.label.trim().is_empty() {
        vec![Span::styled(text::NO_LABEL, theme::dim())]
    } else {
        vec![Span::raw(clean(&key.label))]
    };
    cells[ROLES] = match roles {
        Some(names) if names.is_empty() => vec![Span::styled(text::NO_ROLES, theme::dim())],
        Some(names) => vec![Span::raw(names)],
        None => vec![Span::styled(text::ROLES_LOADING, theme::dim())],
    };
    cells[TOKEN] = token;
    cells[CREATED] = vec![date_span(key.created_in.map(|t| t.0), zone)];
    cells[STATUS] = status_cell(key.is_active, pane.pending_toggles.contains_key(&key.id));
    cells
}

/// The caller's own key: its label cut to leave room for the "(you)" tag, which always shows.
fn own_name_cell(key: &AppKey, width: usize) -> Vec<Span<'static>> {
    let tag = text::YOU_TAG;
    let room = width.saturating_sub(widgets::width(tag));
    let label = if key.label.trim().is_empty() {
        Span::styled(widgets::fit(text::NO_LABEL, room), theme::dim())
    } else {
        Span::raw(widgets::fit(&clean(&key.label), room))
    };
    vec![label, Span::styled(tag, theme::pending())]
}

/// A message in place of the table (loading, failure, nothing to show).
pub fn message(frame: &mut Frame, area: Rect, text: &str, style: Style) {
    let area = Rect {
        x: area.x.saturating_add(2),
        width: area.width.saturating_sub(3),
        y: area.y.saturating_add(1),
        height: area.height.saturating_sub(1),
    };
    let lines = widgets::wrapped(text, style, usize::from(area.width));
    frame.render_widget(Paragraph::new(lines), area.intersection(frame.area()));
}

pub fn role_names(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| clean(&r.name))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn date_span(at: Option<DateTime<Utc>>, zone: Zone) -> Span<'static> {
    match at {
        Some(at) => Span::raw(time::date(at, zone)),
        None => Span::styled("—", theme::dim()),
    }
}

/// "Active" / "Inactive", with "…" while an optimistic change awaits the server.
pub fn status_cell(active: bool, pending: bool) -> Vec<Span<'static>> {
    let (text, style) = if active {
        ("Active", theme::active())
    } else {
        ("Inactive", theme::inactive())
    };
    let mut spans = vec![Span::styled(text, style)];
    if pending {
        spans.push(Span::styled("…", theme::pending()));
    }
    spans
}

/// Whole days since `from`.
pub fn days_since(from: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - from).num_days().max(0)
}

pub fn age_style(age: TokenAge) -> Style {
    match age {
        TokenAge::Fresh => theme::plain(),
        TokenAge::Outdated => theme::outdated(),
        TokenAge::LongOutdated => theme::long_outdated(),
    }
}

/// The Admin's marker for a renewal that kept the old token, shorter when room is short.
const PENDING_MARKERS: [&str; 3] = text::PENDING_MARKERS;

/// The token's age in days with its alert ("118d !" orange, "230d !!" red); "—" when the
/// server reports no token dates.
fn age_spans(key: &AppKey, months: u32, now: DateTime<Utc>) -> Vec<Span<'static>> {
    match (key.creation_date_token, key.token_age(months, now)) {
        (Some(created), Some(age)) => {
            let mark = match age {
                TokenAge::Fresh => "",
                TokenAge::Outdated => " !",
                TokenAge::LongOutdated => " !!",
            };
            vec![Span::styled(
                format!("{}d{mark}", days_since(created.0, now)),
                age_style(age),
            )]
        }
        _ => vec![Span::styled("—", theme::dim())],
    }
}

/// The age, then the pending-deletion marker in the longest form that fits `width`.
fn token_cell(mut age: Vec<Span<'static>>, pending: bool, width: usize) -> Vec<Span<'static>> {
    if pending {
        let used = widgets::spans_width(&age);
        let marker = PENDING_MARKERS
            .iter()
            .find(|m| used + widgets::width(m) <= width)
            .unwrap_or(&PENDING_MARKERS[PENDING_MARKERS.len() - 1]);
        age.push(Span::styled(*marker, theme::pending()));
    }
    age
}

fn sort_name(by: SortBy) -> &'static str {
    match by {
        SortBy::Name => text::SORT_NAME,
        SortBy::Key => text::SORT_KEY,
        SortBy::Created => text::SORT_CREATED,
        SortBy::TokenAge => text::SORT_TOKEN_AGE,
        SortBy::Status => text::SORT_STATUS,
    }
}

/// "/ erp▏" with the text being typed: `max` columns at most.
pub fn filter_spans(filter: &Filter, max: usize) -> Vec<Span<'static>> {
    vec![
        Span::styled("/ ", theme::key()),
        Span::raw(widgets::input_text(
            &filter.input,
            max.saturating_sub(2),
            filter.editing,
        )),
    ]
}

/// The end of a filtered list's info line: the status filter, if any, and how many rows show.
pub fn filter_tail(status: StatusFilter, visible: usize, total: usize) -> Vec<Span<'static>> {
    let mut tail = Vec::new();
    if status != StatusFilter::All {
        tail.push(Span::styled(text::FILTER_STATUS, theme::dim()));
        tail.push(Span::styled(status.word(), theme::pending()));
    }
    if total > 0 {
        tail.push(Span::styled(text::shown_of(visible, total), theme::dim()));
    }
    tail
}

/// Above the table: the filter while one is active, else what is listed and how it is sorted.
fn info_line(state: &State, frame: &mut Frame, area: Rect) {
    let pane = &state.keys;
    let total = usize::from(area.width.saturating_sub(1));
    let text_filter = pane.filter.editing || !pane.filter.input.value().is_empty();
    let status_filter = pane.status_filter != StatusFilter::All;
    let mut spans = vec![Span::raw(" ")];
    let marked = super::bulk::marked_spans(&pane.marks, &pane.visible);
    // A finding chosen in Insights is named first, then the marks.
    let mut notes = super::dialogs::insight_spans(pane.insight.as_ref(), pane.visible.len());
    notes.extend(marked);
    let marked_width = widgets::spans_width(&notes);
    spans.extend(notes);
    if text_filter || status_filter {
        let tail = filter_tail(pane.status_filter, pane.visible.len(), pane.rows.len());
        let tail_width = widgets::spans_width(&tail);
        if text_filter {
            let room = total.saturating_sub(tail_width + marked_width).max(12);
            spans.extend(widgets::pad_spans(
                filter_spans(&pane.filter, room),
                room.min(total),
            ));
        }
        spans.extend(tail);
    } else if let (Load::Failed(failure), false) = (&pane.load, pane.rows.is_empty()) {
        spans.push(Span::styled(
            text::could_not_refresh(&clean(&failure.message)),
            theme::error(),
        ));
    } else if !pane.rows.is_empty() {
        let arrow = if pane.reverse { "▼" } else { "▲" };
        spans.push(Span::styled(
            text::keys_sorted(pane.rows.len(), sort_name(pane.sort), arrow),
            theme::dim(),
        ));
    }
    put_line(
        frame,
        area,
        0,
        &Line::from(widgets::fit_spans(spans, total + 1)),
    );
}

/// The status line's hint for the selected key: its token situation, then only what the key
/// may do about it (on the caller's own row, why the server refuses the rest).
pub fn selected_hint(state: &State, key: &AppKey) -> String {
    let may = |op| state.check_selected(op).is_ok();
    let mut actions: Vec<&str> = Vec::new();
    let sentence = if key.renewal_pending() {
        if may(Op::FinishRenewal) {
            actions.push(text::HINT_FINISH_RENEWAL);
        }
        if may(Op::UndoRenewal) {
            actions.push(text::HINT_UNDO_RENEWAL);
        }
        text::hint_with(text::HINT_RENEWAL_PENDING, &actions)
    } else {
        let (situation, outdated) =
            token_situation(key, state.token_months(), state.now, state.zone);
        if outdated && may(Op::Renew) {
            format!("{situation} {}", text::HINT_RENEWS_IT)
        } else {
            situation
        }
    };
    if state.is_own_key(&key.app_key) {
        // First: it explains the dimmed keys, and a narrow status line cuts the end.
        return format!("{} {sentence}", text::HINT_OWN_KEY);
    }
    sentence
}

/// How old the key's token is, and whether it is outdated.
fn token_situation(key: &AppKey, months: u32, now: DateTime<Utc>, zone: Zone) -> (String, bool) {
    let Some(created) = key.creation_date_token else {
        return (text::HINT_NO_TOKEN_DATE.into(), false);
    };
    let days = days_since(created.0, now);
    let due = created
        .0
        .checked_add_months(Months::new(months))
        .unwrap_or(created.0);
    match key.token_age(months, now) {
        Some(TokenAge::LongOutdated) => (text::hint_long_outdated(days, months), true),
        Some(TokenAge::Outdated) => (text::hint_outdated(days, months), true),
        _ => (text::hint_fresh(days, &time::date(due, zone)), false),
    }
}
