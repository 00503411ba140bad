//! Issue 11: scrolled overlays and the External keys pane, drawn from fixed states through the
//! real `update` and `view` (a `TestBackend` of the size each case names). Fake keys only.
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test --test overlay_snapshots`, then
//! read every changed `.snap` file before committing it.

mod screen_fixture;

use std::time::Duration;

use apikeys::clipboard::Report;
use apikeys::listing::{SortBy, StatusFilter};
use apikeys::tui::action::Action;
use apikeys::tui::state::{DetailsDialog, Dialog, KeyList, State, Tab, TokenDialog};
use apikeys::tui::update::update;
use apikeys::tui::view;
use apikeys::vtex::model::{AuditEntry, ExternalKey, Role};
use apikeys::vtex::time::Timestamp;
use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use screen_fixture::{all_permissions, at, key, now, state_with};

fn press(state: &mut State, code: KeyCode) {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    update(state, Action::Key(KeyEvent::new(code, modifiers)));
}

fn resize(state: &mut State, width: u16, height: u16) {
    update(state, Action::Resize { width, height });
}

/// The screen as text, one line per row (the state's size).
fn screen(state: &State) -> String {
    let (width, height) = state.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::render(state, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// "lines 8–24 of 24" on screen, as (first, last, total).
fn position(screen: &str) -> Option<(usize, usize, usize)> {
    let at = screen.find("lines ")?;
    let rest = &screen[at + "lines ".len()..];
    let (range, rest) = rest.split_once(" of ")?;
    let (first, last) = range.split_once('–')?;
    let total: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((first.parse().ok()?, last.parse().ok()?, total.parse().ok()?))
}

fn populated() -> State {
    let keys = (1..=12)
        .map(|n| {
            key(
                &format!("k{n:02}"),
                &format!("Integration {n}"),
                at(2026, 11, 1),
            )
        })
        .collect();
    state_with(keys, all_permissions())
}

fn external(id: &str, owner: &str, suffix: &str, days_ago: i64, active: bool) -> ExternalKey {
    ExternalKey {
        id: id.into(),
        app_key: format!("vtexappkey-{owner}-{suffix}"),
        account: owner.into(),
        added_on: Some(Timestamp(now() - chrono::Duration::days(days_ago))),
        is_active: active,
        roles: Some(vec![Role {
            id: 1,
            name: "Catalog manager".into(),
        }]),
    }
}

fn with_external(mut state: State) -> State {
    state.external.rows = vec![
        external("x1", "agenciaxyz", "QWTRZM", 420, true),
        external("x2", "bipartners2", "TXGAHL", 45, true),
        external("x3", "oldagency2022", "ZRMCYO", 600, false),
        external("x4", "sellerbrasil", "KDZUNB", 60, true),
    ];
    state.external.refresh_view(state.page_rows);
    state
}

/// Newest first, as the server answers: a creation, then many status changes.
fn long_trail(app_key: &str) -> Vec<AuditEntry> {
    let start = chrono::Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap();
    let mut entries: Vec<AuditEntry> = (0..16)
        .map(|n| AuditEntry {
            id: Some(n),
            at: Some(Timestamp(start + chrono::Duration::hours(n))),
            actor: "vtexappkey-acme-ADMINX".into(),
            action: if n == 0 {
                "external.add".into()
            } else {
                "external.status".into()
            },
            target: app_key.into(),
            detail: if n % 2 == 1 {
                "deactivated"
            } else {
                "activated"
            }
            .into(),
        })
        .collect();
    entries.reverse();
    entries
}

#[test]
fn a_grown_terminal_clamps_the_scroll_so_the_next_key_moves_at_once() {
    let mut state = populated();
    resize(&mut state, 80, 24);
    press(&mut state, KeyCode::Char('?'));
    press(&mut state, KeyCode::Char('G'));
    let (first_at_24, last, total) = position(&screen(&state)).expect("the help scrolls");
    assert_eq!(last, total);

    resize(&mut state, 80, 28);
    let (first, last, _) = position(&screen(&state)).expect("still taller than 28 rows");
    assert!(first < first_at_24, "more lines shown");
    assert_eq!(last, total, "still at the bottom");
    // One line up from the new bottom, not from where the bottom was on the smaller screen.
    press(&mut state, KeyCode::Char('k'));
    assert_eq!(
        position(&screen(&state)),
        Some((first - 1, total - 1, total))
    );

    // Grown until it fits: drawn whole, and back at the top when the terminal shrinks again.
    // (90 rows: the help holds the `:` commands too.)
    resize(&mut state, 100, 90);
    assert_eq!(position(&screen(&state)), None);
    resize(&mut state, 80, 24);
    assert_eq!(position(&screen(&state)).map(|p| p.0), Some(1));
}

#[test]
fn help_at_80x24_scrolled_to_its_end() {
    let mut state = populated();
    resize(&mut state, 80, 24);
    press(&mut state, KeyCode::Char('?'));
    press(&mut state, KeyCode::End);
    insta::assert_snapshot!("help_80x24_end", screen(&state));
}

#[test]
fn external_pane_sorted_by_date_added_reversed_with_a_status_filter() {
    let mut state = with_external(populated());
    resize(&mut state, 100, 16);
    press(&mut state, KeyCode::Char('3'));
    press(&mut state, KeyCode::Char('s'));
    press(&mut state, KeyCode::Char('s'));
    press(&mut state, KeyCode::Char('S'));
    assert_eq!(
        (state.external.sort, state.external.reverse),
        (SortBy::Created, true)
    );
    insta::assert_snapshot!("external_sorted_by_added_reversed", screen(&state));
    press(&mut state, KeyCode::Char('f'));
    assert_eq!(state.external.status_filter, StatusFilter::Active);
    insta::assert_snapshot!("external_active_only", screen(&state));
}

#[test]
fn external_key_details_at_80x24_scrolled_one_page() {
    let mut state = with_external(populated());
    resize(&mut state, 80, 24);
    press(&mut state, KeyCode::Char('3'));
    press(&mut state, KeyCode::Enter);
    match &mut state.dialog {
        Some(Dialog::Details(DetailsDialog {
            list: KeyList::External,
            key_id,
            audit,
            ..
        })) => {
            assert_eq!(key_id, "x1");
            *audit = Some(Ok(long_trail("vtexappkey-agenciaxyz-QWTRZM")));
        }
        other => panic!("expected an external key's details, got {other:?}"),
    }
    press(&mut state, KeyCode::PageDown);
    insta::assert_snapshot!("external_details_80x24_page_down", screen(&state));
}

#[test]
fn copying_an_app_key_keeps_the_token_s_timed_clear() {
    let mut state = populated();
    state.dialog = Some(Dialog::Token(TokenDialog::new(
        "vtexappkey-acme-K01".into(),
        "Integration 1".into(),
        "FAKETOKENFAKETOKEN".to_string().into(),
        None,
    )));
    update(
        &mut state,
        Action::Copied(Report {
            message: "token copied (test)".into(),
            clear_in: Some(Duration::from_secs(45)),
            via: None,
        }),
    );
    let due = state.clipboard_clear_at;
    assert!(due.is_some());
    update(
        &mut state,
        Action::CopiedAppKey(Report {
            message: "appKey copied (test)".into(),
            clear_in: None,
            via: None,
        }),
    );
    assert_eq!(state.clipboard_clear_at, due, "the token's clear stays due");
    match &state.dialog {
        Some(Dialog::Token(dialog)) => {
            assert_eq!(dialog.copied.as_deref(), Some("appKey copied (test)"))
        }
        other => panic!("expected the token dialog, got {other:?}"),
    }
    // In a list the copy is said on the status line.
    state.dialog = None;
    state.tab = Tab::Keys;
    update(
        &mut state,
        Action::CopiedAppKey(Report {
            message: "appKey copied (test)".into(),
            clear_in: None,
            via: None,
        }),
    );
    assert_eq!(
        state.status.as_ref().map(|s| s.text.as_str()),
        Some("appKey copied (test)")
    );
}
