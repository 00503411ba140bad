//! A fixed state drawn on a `TestBackend`, for tests that read cells and their styles.
//! Fake keys only; no real key or token anywhere.
#![allow(dead_code)]

use std::time::Duration;

use apikeys::permissions::{Resource, ResourceSet};
use apikeys::tui::state::{Access, Connection, Header, Load, State};
use apikeys::tui::view;
use apikeys::vtex::model::{AppKey, Role};
use apikeys::vtex::time::Timestamp;
use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
}

pub fn at(y: i32, m: u32, d: u32) -> Option<Timestamp> {
    Some(Timestamp(Utc.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap()))
}

/// A key with one role and a token created on `token`.
pub fn key(id: &str, label: &str, token: Option<Timestamp>) -> AppKey {
    AppKey {
        id: id.to_string(),
        app_key: format!("vtexappkey-acme-{}", id.to_uppercase()),
        label: label.to_string(),
        created_in: at(2024, 1, 10),
        is_active: true,
        roles: Some(vec![Role {
            id: 1,
            name: "Catalog manager".into(),
        }]),
        creation_date_token: token,
        creation_date_new_token: None,
    }
}

pub fn all_permissions() -> ResourceSet {
    ResourceSet::all()
}

/// Every permission but `lacking`.
pub fn all_but(lacking: &[Resource]) -> ResourceSet {
    Resource::ALL
        .into_iter()
        .filter(|resource| !lacking.contains(resource))
        .collect()
}

/// A connected session on "acme" (3-month token duration) listing `keys`.
pub fn state_with(keys: Vec<AppKey>, permissions: ResourceSet) -> State {
    let header = Header {
        account: "acme".into(),
        profile: "test".into(),
        caller_key: "vtexappkey-acme-ADMINX".into(),
        trading_name: None,
        insecure_http: false,
        token_source: None,
    };
    let mut state = State::new(header, now(), false, Duration::from_secs(60));
    state.connection = Connection::Online;
    state.access = Access {
        extensions: Some(true),
        permissions: Some(permissions),
        read_only: false,
    };
    state.settings.token_duration = Some(3);
    state.settings.load = Load::Loaded;
    state.keys.rows = keys;
    state.keys.load = Load::Loaded;
    state.external.load = Load::Loaded;
    state
}

/// Draws the state as the loop would at this size (page rows and views refreshed first).
pub fn draw(state: &mut State, width: u16, height: u16) -> Buffer {
    state.size = (width, height);
    state.page_rows = view::page_rows(width, height);
    let months = state.token_months();
    state.keys.refresh_view(months, state.now, state.page_rows);
    state.external.refresh_view(state.page_rows);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::render(state, frame)).unwrap();
    terminal.backend().buffer().clone()
}

/// Row `y` as text, wide characters once (their hidden trailing cells skipped).
pub fn row_text(buffer: &Buffer, y: u16) -> String {
    row_text_from(buffer, 0, y)
}

/// The first row containing `text`.
pub fn find_row(buffer: &Buffer, text: &str) -> Option<u16> {
    (0..buffer.area.height).find(|&y| row_text(buffer, y).contains(text))
}

/// The column where `text` starts on row `y` (counted in cells).
pub fn find_column(buffer: &Buffer, y: u16, text: &str) -> Option<u16> {
    let first = text.chars().next()?;
    (0..buffer.area.width).find(|&x| {
        buffer[(x, y)].symbol().starts_with(first) && row_text_from(buffer, x, y).starts_with(text)
    })
}

fn row_text_from(buffer: &Buffer, from: u16, y: u16) -> String {
    let mut out = String::new();
    let mut x = from;
    while x < buffer.area.width {
        let symbol = buffer[(x, y)].symbol();
        out.push_str(symbol);
        x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
    }
    out
}
