//! The External keys pane: keys of other accounts granted access to this one. Only servers
//! with the apikeys extension know them; VTEX's public API has no endpoint for them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::budget::ExternalBudget;
use super::keys::{
    date_span, empty_list, filter_spans, filter_tail, message, role_names, status_cell,
};
use super::theme;
use super::widgets::{self, Column, TableRow, clean, fit_middle, put_line};
use crate::listing::{SortBy, StatusFilter};
use crate::tui::state::{ExternalPane, Load, Op, State};
use crate::tui::strings::panes as text;
use crate::vtex::model::ExternalKey;

const KEY: usize = 0;
const OWNER: usize = 1;
const ROLES: usize = 2;
const ADDED: usize = 3;
const STATUS: usize = 4;

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let [info, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    if state.access.extensions == Some(false) {
        message(
            frame,
            info.union(body),
            text::EXTERNAL_UNAVAILABLE,
            theme::dim(),
        );
        return;
    }
    let pane = &state.external;
    info_line(state, frame, info);
    if pane.rows.is_empty() {
        // The hint names `a` only to a key that may add one.
        let nothing = match state.access.check(Op::AddExternal) {
            Ok(()) => text::EXTERNAL_NONE_ADD,
            Err(_) => text::EXTERNAL_NONE,
        };
        empty_list(frame, body, &pane.load, text::EXTERNAL_LOADING, nothing);
        return;
    }
    if pane.visible.is_empty() {
        message(frame, body, text::EXTERNAL_NO_MATCH, theme::dim());
        return;
    }

    let rows = usize::from(body.height.saturating_sub(1));
    let shown: Vec<(usize, &ExternalKey)> =
        widgets::rows_on_screen(&pane.rows, &pane.visible, pane.selection, rows);
    let roles_text: Vec<Option<String>> = shown
        .iter()
        .map(|(_, key)| key.roles.as_deref().map(role_names))
        .collect();
    let budget = pane.budget.get_or_init(|| ExternalBudget::of(&pane.rows));
    let columns = columns(pane, budget);
    let widths = widgets::allocate(&columns, body.width);
    let key_width = usize::from(widths[KEY].unwrap_or(0));
    let table_rows: Vec<TableRow> = shown
        .iter()
        .zip(roles_text)
        .map(|((at, key), roles)| {
            let cells = row_cells(pane, key, key_width, roles, state.zone);
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

/// The table's columns, sized for every row of the list (so they stay put while it
/// scrolls); the sorted one carries the arrow.
fn columns(pane: &ExternalPane, budget: &ExternalBudget) -> [Column; 5] {
    let (key_want, owner_max, roles_max) = (budget.key, budget.owner, budget.roles);
    let ranked = pane.filter.ranks();
    let arrow = |by: SortBy| match (sorted_by(pane.sort) == by && !ranked, pane.reverse) {
        (false, _) => "",
        (true, true) => " ▼",
        (true, false) => " ▲",
    };
    [
        Column::new(format!("Key{}", arrow(SortBy::Key)), 16, key_want).grow(1),
        Column::new(
            format!("Owner{}", arrow(SortBy::Name)),
            10,
            owner_max.min(14),
        )
        .fill_to(owner_max)
        .grow(2),
        Column::new("Roles", 12, roles_max.min(14))
            .fill_to(roles_max)
            .grow(3)
            .hide_below(70),
        Column::new(format!("Added on{}", arrow(SortBy::Created)), 10, 10)
            .grow(4)
            .hide_below(90),
        Column::new(format!("Status{}", arrow(SortBy::Status)), 9, 9),
    ]
}

/// One external key's cells, in column order.
fn row_cells(
    pane: &ExternalPane,
    key: &ExternalKey,
    key_width: usize,
    roles: Option<String>,
    zone: crate::tui::view::time::Zone,
) -> Vec<Vec<Span<'static>>> {
    let mut cells = vec![Vec::new(); 5];
    cells[KEY] = vec![Span::raw(fit_middle(&clean(&key.app_key), key_width))];
    cells[OWNER] = vec![Span::raw(clean(&key.account))];
    cells[ROLES] = match roles {
        Some(names) if names.is_empty() => vec![Span::styled("none", theme::dim())],
        Some(names) => vec![Span::raw(names)],
        None => vec![Span::styled("—", theme::dim())],
    };
    cells[ADDED] = vec![date_span(key.added_on.map(|t| t.0), zone)];
    cells[STATUS] = status_cell(key.is_active, pane.pending_toggles.contains_key(&key.id));
    cells
}

/// The sort as the external list applies it: by owner unless by key, date added or status.
fn sorted_by(sort: SortBy) -> SortBy {
    match sort {
        SortBy::TokenAge => SortBy::Name,
        other => other,
    }
}

fn sort_name(sort: SortBy) -> &'static str {
    match sorted_by(sort) {
        SortBy::Key => text::SORT_KEY,
        SortBy::Created => text::SORT_ADDED,
        SortBy::Status => text::SORT_STATUS,
        SortBy::Name | SortBy::TokenAge => text::SORT_OWNER,
    }
}

/// Above the table: the filters while one is active, else what is listed and how it is
/// sorted — as on the Generated keys pane.
fn info_line(state: &State, frame: &mut Frame, area: Rect) {
    let pane = &state.external;
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
        if text_filter {
            let room = total
                .saturating_sub(widgets::spans_width(&tail) + marked_width)
                .max(12);
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
            text::external_sorted(pane.rows.len(), sort_name(pane.sort), arrow),
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
