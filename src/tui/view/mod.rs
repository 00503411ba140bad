//! Drawing the state. Pure: `render` reads the `State` and writes the frame; it never mutates,
//! never blocks and never reads the clock (the spinner turns with `state.now`).
//!
//! The screen, top to bottom: the title bar (who, where, connection, spinner), the tab bar,
//! the pane of the current tab, the status line, and the key bar. Dialogs draw over the
//! middle of the screen, between the title bar and the key bar, which then shows the dialog's
//! own keys.

pub mod budget;
mod bulk;
mod buttons;
mod command_line;
mod details;
mod dialogs;
mod external;
mod help;
pub mod hit;
mod keys;
mod rotation;
mod scroll;
mod settings;
pub mod theme;
pub mod time;
mod widgets;

pub use dialogs::picker_page;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use self::hit::{Hits, Target};
use self::widgets::{clean, fit, put_line};
use super::state::{Connection, Dialog, Load, MessageKind, State, Tab};
use super::strings::panes as text;
use crate::listing::StatusFilter;

/// Below this size only a "terminal too small" message is drawn.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// Whether a terminal of this size shows the app (else only "terminal too small"). The one
/// judge for both the drawing and `update`, which then lets only quitting through: a key must
/// never act on what is not on screen.
pub fn fits(width: u16, height: u16) -> bool {
    width >= MIN_WIDTH && height >= MIN_HEIGHT
}

/// Rows a role picker shows at most; dialogs show fewer on short terminals (and then scroll
/// so the cursor stays visible).
pub const PICKER_ROWS: usize = 10;

/// Title bar, tab bar, status line (the key bar's rows depend on the width).
const CHROME_ROWS: u16 = 3;
/// The filter line and the header row above a table's rows.
const TABLE_CHROME_ROWS: u16 = 2;

/// How many table rows the pane shows at this terminal size (the loop stores it in
/// `state.page_rows` so PgUp/PgDn and the selection agree with the drawing).
pub fn page_rows(width: u16, height: u16) -> usize {
    let chrome = CHROME_ROWS + help::bar_rows(width) + TABLE_CHROME_ROWS;
    usize::from(height.saturating_sub(chrome).max(1))
}

pub fn render(state: &State, frame: &mut Frame) {
    render_clickable(state, frame);
}

/// Draws the state and says where what it drew can be clicked.
pub fn render_clickable(state: &State, frame: &mut Frame) -> Hits {
    let mut hits = Hits::default();
    let area = frame.area();
    if !fits(area.width, area.height) {
        too_small(frame, area);
    } else {
        hits = render_screen(state, frame, area);
    }
    if state.no_color {
        theme::strip_colours(frame.buffer_mut());
    }
    hits
}

fn render_screen(state: &State, frame: &mut Frame, area: Rect) -> Hits {
    let mut hits = Hits::default();
    let [title, tabs, pane, status, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(help::bar_rows(area.width)),
    ])
    .areas(area);
    title_bar(state, frame, title);
    tab_bar(state, frame, tabs, &mut hits);
    match state.tab {
        // Nothing works with a refused credential: every pane says which one and how to fix it.
        _ if state.connection == Connection::Unauthorized => unauthorized(state, frame, pane),
        Tab::Settings => settings::render(state, frame, pane),
        Tab::Keys => keys::render(state, frame, pane),
        Tab::External => external::render(state, frame, pane),
    }
    table_rows(state, pane, &mut hits);
    match &state.command_line {
        Some(open) => command_line::render(open, frame, pane, status),
        None => status_line(state, frame, status),
    }
    help::key_bar(state, frame, bar);
    if let Some(dialog) = &state.dialog {
        hits.clear();
        dialogs::render(state, dialog, frame, dialog_region(area), &mut hits);
    }
    hits
}

/// The table's rows, clickable: below the pane's info line and the header, from the offset
/// the table is drawn at.
fn table_rows(state: &State, pane: Rect, hits: &mut Hits) {
    let (visible, selection) = match state.tab {
        Tab::Keys if !state.keys.may_not_view() => (state.keys.visible.len(), state.keys.selection),
        Tab::External if state.access.extensions != Some(false) => {
            (state.external.visible.len(), state.external.selection)
        }
        _ => return,
    };
    let lines = usize::from(pane.height.saturating_sub(TABLE_CHROME_ROWS));
    if visible == 0 || lines == 0 {
        return;
    }
    let offset = widgets::visible_offset(selection.offset, selection.selected, visible, lines);
    for (row, position) in (offset..visible).take(lines).enumerate() {
        let y = pane.y + TABLE_CHROME_ROWS + row as u16;
        hits.add(
            Rect {
                y,
                height: 1,
                ..pane
            },
            Target::Row(position),
        );
    }
}

fn unauthorized(state: &State, frame: &mut Frame, area: Rect) {
    let block = crate::tui::strings::access::unauthorized(
        &clean(&state.header.caller_key),
        state.header.token_source.as_ref(),
    );
    keys::message(frame, area, &block, theme::error());
}

/// Dialogs cover the tab bar, the pane and the status line; the title and the key bar stay.
fn dialog_region(area: Rect) -> Rect {
    let top = area.y.saturating_add(1).min(area.bottom());
    let bottom = area
        .bottom()
        .saturating_sub(help::bar_rows(area.width))
        .max(top);
    Rect {
        y: top,
        height: bottom - top,
        ..area
    }
}

/// The open overlay's content height and the rows of it a terminal of `state.size` shows,
/// measured as it is drawn; `None` when no scrolling overlay is open.
pub fn overlay_window(state: &State) -> Option<crate::tui::overlay::Window> {
    let (width, height) = state.size;
    let region = dialog_region(Rect::new(0, 0, width, height));
    let dialog = state.dialog.as_ref()?;
    let hints = dialogs::hints(dialog);
    let overlay = match dialog {
        Dialog::Help(_) => help::overlay(state, &hints, region),
        Dialog::Details(details) => details::overlay(state, details, &hints, region),
        Dialog::BulkSummary(summary) => bulk::summary_overlay(summary, &hints, region),
        _ => return None,
    };
    Some(overlay.window(region))
}

fn too_small(frame: &mut Frame, area: Rect) {
    let notice = text::too_small(area.width, area.height, MIN_WIDTH, MIN_HEIGHT);
    let lines: Vec<Line> = widgets::wrap(&notice, usize::from(area.width))
        .into_iter()
        .map(|line| Line::from(line).centered())
        .collect();
    let height = (lines.len() as u16).min(area.height);
    let y = area.y + (area.height - height) / 2;
    frame.render_widget(Paragraph::new(lines), Rect { y, height, ..area });
}

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

fn spinner(state: &State) -> &'static str {
    SPINNER[(state.now.timestamp_millis() / 100).rem_euclid(SPINNER.len() as i64) as usize]
}

/// "apikeys · acme (Casa Demo) · profile · caller key", the key cut to fit `room`.
fn who(state: &State, trading_name: bool, room: usize) -> Vec<Span<'static>> {
    let account = match &state.header.trading_name {
        Some(name) if trading_name => format!("{} ({name})", state.header.account),
        _ => state.header.account.clone(),
    };
    let parts: Vec<String> = [&account, &state.header.profile]
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .map(|part| clean(part))
        .collect();
    let mut left = vec![Span::raw(" "), Span::styled("apikeys", theme::app_name())];
    for part in parts {
        left.push(Span::styled(" · ", theme::dim()));
        left.push(Span::raw(part));
    }
    if state.header.insecure_http {
        left.push(Span::styled(" · ", theme::dim()));
        left.push(Span::styled(text::INSECURE_HTTP, theme::error()));
    }
    let caller = clean(&state.header.caller_key);
    if !caller.trim().is_empty() {
        // The caller's key is cut in the middle so its distinctive end stays readable.
        let used: usize = left.iter().map(Span::width).sum::<usize>() + 3;
        let caller = widgets::fit_middle(&caller, room.saturating_sub(used).max(8));
        left.push(Span::styled(" · ", theme::dim()));
        left.push(Span::raw(caller));
    }
    left
}

/// "read-only · refreshed 14:05:09 · ", before the connection; the time only `with_time`.
fn marks(state: &State, with_time: bool) -> Vec<Span<'static>> {
    let mut marks = Vec::new();
    if state.access.read_only {
        marks.push(Span::styled(text::READ_ONLY_MARK, theme::read_only_mark()));
        marks.push(Span::styled(" · ", theme::dim()));
    }
    if let Some(at) = state.last_listed.filter(|_| with_time) {
        let clock = time::clock(at, state.zone);
        marks.push(Span::styled(text::refreshed_at(&clock), theme::dim()));
        marks.push(Span::styled(" · ", theme::dim()));
    }
    marks
}

fn title_bar(state: &State, frame: &mut Frame, area: Rect) {
    let total = usize::from(area.width);
    let mut right = marks(state, true);
    let connection = connection_spans(state);
    let width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    if width(&right) + width(&connection) > total / 2 {
        // Narrow: the time of the refresh goes first, the read-only mark stays.
        right = marks(state, false);
    }
    right.extend(connection);
    // The connection may take at most half the bar; who you are takes the rest.
    let right = widgets::fit_spans(right, total / 2);
    let right_width: usize = right.iter().map(Span::width).sum();

    let room = total.saturating_sub(right_width + 1);
    // The trading name only when everything else still fits whole: on a narrow terminal the
    // profile and the caller's key matter more.
    let with_name = who(state, true, usize::MAX);
    let left = if with_name.iter().map(Span::width).sum::<usize>() <= room {
        with_name
    } else {
        who(state, false, room)
    };
    let mut spans = widgets::pad_spans(left, room);
    spans.push(Span::raw(" "));
    spans.extend(right);
    put_line(frame, area, 0, &Line::from(spans));
}

/// The spinner while busy, then the connection's state.
fn connection_spans(state: &State) -> Vec<Span<'static>> {
    let mut right: Vec<Span<'static>> = Vec::new();
    if state.busy() {
        right.push(Span::styled(spinner(state), theme::pending()));
        right.push(Span::raw(" "));
    }
    match &state.connection {
        Connection::Connecting => right.push(Span::styled(text::CONNECTING, theme::pending())),
        Connection::Online => right.push(Span::styled(text::ONLINE, theme::good())),
        Connection::Unauthorized => right.push(Span::styled(text::UNAUTHORIZED, theme::error())),
        Connection::Offline(reason) => {
            right.push(Span::styled(text::offline(&clean(reason)), theme::error()))
        }
    }
    right.push(Span::raw(" "));
    right
}

/// "(61)", or "(12/61)" while a filter hides some; nothing until the list is known.
fn count(load: &Load, shown: usize, total: usize, filtered: bool) -> String {
    if total == 0 && !matches!(load, Load::Loaded) {
        return String::new();
    }
    if filtered {
        format!(" ({shown}/{total})")
    } else {
        format!(" ({total})")
    }
}

fn tab_bar(state: &State, frame: &mut Frame, area: Rect, hits: &mut Hits) {
    let keys = &state.keys;
    // A finding chosen in Insights narrows the list as a filter does.
    let keys_filtered = keys.filter.is_active()
        || keys.status_filter != StatusFilter::All
        || keys.insight.is_some();
    let external = &state.external;
    let counts: Vec<String> = Tab::ALL
        .into_iter()
        .map(|tab| match tab {
            Tab::Settings => String::new(),
            Tab::Keys => count(
                &keys.load,
                keys.visible.len(),
                keys.rows.len(),
                keys_filtered,
            ),
            Tab::External if state.access.extensions == Some(false) => String::new(),
            Tab::External => count(
                &external.load,
                external.visible.len(),
                external.rows.len(),
                external.filter.is_active()
                    || external.status_filter != StatusFilter::All
                    || external.insight.is_some(),
            ),
        })
        .collect();
    let build = |short: bool| {
        let mut spans = vec![Span::raw(" ")];
        for (index, tab) in Tab::ALL.into_iter().enumerate() {
            if index > 0 {
                spans.push(Span::styled("│", theme::dim()));
            }
            let title = match (short, tab) {
                (true, Tab::Keys) => "Generated",
                (true, Tab::External) => "External",
                _ => tab.title(),
            };
            let text = format!(" {} {title}{} ", index + 1, counts[index]);
            spans.push(if tab == state.tab {
                Span::styled(text, theme::tab_selected())
            } else {
                Span::raw(text)
            });
        }
        spans
    };
    let total = usize::from(area.width);
    let full = build(false);
    let spans = if full.iter().map(Span::width).sum::<usize>() <= total {
        full
    } else {
        build(true)
    };
    let spans = widgets::fit_spans(spans, total);
    // Spans: " ", tab 1, "│", tab 2, "│", tab 3.
    let mut x = area.x;
    for (index, span) in spans.iter().enumerate() {
        let width = span.width() as u16;
        if index % 2 == 1
            && let Some(tab) = Tab::ALL.get(index / 2)
        {
            let width = width.min(area.right().saturating_sub(x));
            hits.add(Rect::new(x, area.y, width, 1), Target::Tab(*tab));
        }
        x = x.saturating_add(width);
    }
    put_line(frame, area, 0, &Line::from(spans));
}

fn status_line(state: &State, frame: &mut Frame, area: Rect) {
    let max = usize::from(area.width.saturating_sub(1));
    let message = state
        .status
        .as_ref()
        .filter(|m| m.expires.is_none_or(|at| at > state.now));
    // A run's progress (bulk or rotation) stays on the line while it runs; only an error
    // goes over it.
    let running = state.bulk.is_some() || state.rotation.run.is_some();
    let message = message.filter(|m| !running || m.kind == MessageKind::Error);
    let line = match (message, &state.bulk) {
        (None, Some(run)) => Line::styled(
            format!(" {}", fit(&bulk::progress(state, run), max)),
            theme::pending(),
        ),
        (None, None) if let Some(run) = &state.rotation.run => Line::styled(
            format!(" {}", fit(&rotation::progress(run), max)),
            theme::pending(),
        ),
        (Some(message), _) => {
            let (mark, style) = match message.kind {
                MessageKind::Error => ("✗ ", theme::error()),
                MessageKind::Info => ("", theme::plain()),
            };
            let text = format!("{mark}{}", clean(&message.text));
            let text = fit(&text, max);
            Line::styled(format!(" {text}"), style)
        }
        (None, None) => match state.profile_switch.switching_to() {
            // Said until the switch happens or is given up, not only for a few seconds.
            Some(name) => {
                let said = match state.profile_switch.ready {
                    Some(_) => crate::tui::strings::profiles::switch_waits(name),
                    None => crate::tui::strings::profiles::connecting(name),
                };
                Line::styled(format!(" {}", fit(&said, max)), theme::pending())
            }
            None => Line::styled(format!(" {}", fit(&hint(state), max)), theme::dim()),
        },
    };
    put_line(frame, area, 0, &line);
}

/// While a filter is typed: the query as understood when it is more than one word, else how
/// to write one.
fn filter_hint(filter: &crate::tui::state::Filter, how: &str) -> String {
    let parsed = crate::search::parse(filter.input.value());
    match crate::search::describe(&parsed) {
        Some(description) => text::filter_understood(&description),
        None => how.to_string(),
    }
}

/// What the status line says when there is no message: something useful about here.
fn hint(state: &State) -> String {
    if state.connection == Connection::Unauthorized {
        return text::HINT_UNAUTHORIZED.into();
    }
    match state.tab {
        Tab::Settings => text::HINT_SETTINGS.into(),
        Tab::Keys => {
            if state.keys.filter.editing {
                return filter_hint(&state.keys.filter, text::HINT_KEYS_FILTER);
            }
            match state.keys.selected_key() {
                Some(key) => keys::selected_hint(state, key),
                None => text::HINT_KEYS.into(),
            }
        }
        Tab::External => {
            if state.external.filter.editing {
                filter_hint(&state.external.filter, text::HINT_EXTERNAL_FILTER)
            } else {
                text::HINT_EXTERNAL.into()
            }
        }
    }
}
