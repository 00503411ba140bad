//! Snapshots of a bulk run (issue 13): the confirmation (action, count, first labels, skipped
//! keys and why), the progress on the status line, and the summary with a failure — drawn from
//! states the real `update` made out of keys and answers, on a `TestBackend`; and no panic at
//! any size with them open. Fake keys only.
//!
//! Update with `INSTA_UPDATE=always cargo test --test bulk_snapshots`, then read every change.

mod screen_fixture;

use apikeys::tui::action::{Action, Effect, Failure, FailureKind, Outcome};
use apikeys::tui::state::{Dialog, State};
use apikeys::tui::update::update;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use screen_fixture::{all_permissions, at, draw, key, state_with};

fn press(state: &mut State, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    update(state, Action::Key(KeyEvent::new(code, modifiers)))
}

fn ch(state: &mut State, c: char) -> Vec<Effect> {
    press(state, KeyCode::Char(c), KeyModifiers::NONE)
}

fn screen(state: &mut State, width: u16, height: u16) -> String {
    let buffer = draw(state, width, height);
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Nine keys, one of them the caller's own and one already inactive; the first label is
/// 10 000 characters long.
fn marked_state() -> State {
    let mut keys = vec![
        key("admin", "apikeys admin", at(2026, 11, 1)),
        key("erp", &"ERP integração ".repeat(700), at(2026, 6, 1)),
        key("oms", "OMS bridge", at(2026, 6, 1)),
        key("old", "Legacy export", at(2025, 1, 1)),
        key("pay", "Payments gateway", at(2026, 10, 1)),
        key("cat", "Catalog sync", at(2026, 9, 1)),
        key("frt", "Freight quotes", at(2026, 8, 1)),
        key("crm", "CRM flows", at(2026, 7, 1)),
        key("ana", "Analytics export", at(2026, 5, 1)),
    ];
    keys[3].is_active = false;
    let mut state = state_with(keys, all_permissions());
    state.header.caller_key = "vtexappkey-acme-ADMIN".into();
    draw(&mut state, 120, 30);
    press(&mut state, KeyCode::Char('a'), KeyModifiers::CONTROL);
    state
}

/// The Api effects' request ids, in order.
fn sent(effects: &[Effect]) -> Vec<u64> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Api { id, .. } => Some(*id),
            _ => None,
        })
        .collect()
}

fn answer(state: &mut State, id: u64, result: Result<(), Failure>) -> Vec<Effect> {
    let change = state.requests.get(id).map(|sent| sent.call.clone());
    let Some(apikeys::tui::action::Call::Change(change)) = change else {
        panic!("request {id} is not a change");
    };
    update(
        state,
        Action::Api {
            id,
            outcome: Outcome::Changed { change, result },
        },
    )
}

#[test]
fn the_confirmation_names_the_count_the_first_labels_and_what_is_skipped() {
    let mut state = marked_state();
    assert_eq!(state.keys.marks.len(), 9);
    ch(&mut state, 't');
    assert!(matches!(state.dialog, Some(Dialog::Bulk(_))));
    insta::assert_snapshot!("bulk_confirm_deactivate", screen(&mut state, 120, 30));

    // Deleting asks for the acknowledgement, with the count.
    press(&mut state, KeyCode::Esc, KeyModifiers::NONE);
    ch(&mut state, 'd');
    insta::assert_snapshot!("bulk_confirm_delete", screen(&mut state, 100, 30));
}

#[test]
fn the_status_line_shows_progress_and_the_summary_every_failure() {
    let mut state = marked_state();
    ch(&mut state, 't');
    let first = sent(&ch(&mut state, 'y'));
    assert_eq!(first.len(), 4, "four at a time");
    answer(&mut state, first[0], Ok(()));
    let refused = Failure::new(
        FailureKind::Forbidden { permission: None },
        "forbidden (403): the server refused this change.",
    );
    answer(&mut state, first[1], Err(refused));
    let slow = Failure::new(
        FailureKind::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(3)),
        },
        "rate limited (429): Too many requests. Retry after 3s.",
    );
    answer(&mut state, first[2], Err(slow));
    insta::assert_snapshot!("bulk_progress", screen(&mut state, 120, 30));

    // Esc: what was not sent stays so; the answers still on their way are counted.
    press(&mut state, KeyCode::Esc, KeyModifiers::NONE);
    answer(&mut state, first[3], Ok(()));
    let more: Vec<u64> = state.requests.ids().collect();
    for id in more {
        answer(&mut state, id, Ok(()));
    }
    assert!(state.bulk.is_none(), "the run is over");
    assert!(matches!(state.dialog, Some(Dialog::BulkSummary(_))));
    insta::assert_snapshot!("bulk_summary", screen(&mut state, 120, 30));
}

#[test]
fn no_size_breaks_the_bulk_dialogs_or_the_progress() {
    let mut confirming = marked_state();
    ch(&mut confirming, 'd');
    let mut running = marked_state();
    ch(&mut running, 't');
    ch(&mut running, 'y');
    for width in [1u16, 10, 20, 33, 40, 50, 80, 200] {
        for height in [1u16, 5, 12, 24, 60] {
            screen(&mut confirming, width, height);
            screen(&mut running, width, height);
        }
    }
}

#[test]
fn q_during_a_run_stops_it_first_and_ctrl_c_quits_at_once() {
    let mut state = marked_state();
    ch(&mut state, 't');
    let sent_first = sent(&ch(&mut state, 'y'));
    assert_eq!(sent_first.len(), 4);
    let effects = ch(&mut state, 'q');
    assert!(
        !state.quit,
        "one stray q does not drop the run and its summary"
    );
    assert!(!effects.iter().any(|e| matches!(e, Effect::Quit)));
    let run = state.bulk.as_ref().expect("the sent requests still answer");
    assert!(run.stopped.is_some() && !run.not_sent.is_empty());
    for id in sent_first {
        answer(&mut state, id, Ok(()));
    }
    assert!(matches!(state.dialog, Some(Dialog::BulkSummary(_))));

    let mut running = marked_state();
    ch(&mut running, 't');
    ch(&mut running, 'y');
    let effects = press(&mut running, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(running.quit && effects.iter().any(|e| matches!(e, Effect::Quit)));
}

#[test]
fn a_short_terminal_keeps_the_acknowledgement_and_the_buttons_of_the_confirmation() {
    let mut state = marked_state();
    ch(&mut state, 'd');
    for (width, height) in [(50, 12), (60, 14), (80, 16)] {
        let shown = screen(&mut state, width, height);
        assert!(
            shown.contains("[ ] I understand"),
            "{width}x{height}:\n{shown}"
        );
        assert!(shown.contains("[ Delete ]"), "{width}x{height}:\n{shown}");
        assert!(
            shown.contains("Delete 8 keys?"),
            "{width}x{height}:\n{shown}"
        );
    }
}

#[test]
fn the_confirmation_says_how_many_marked_keys_the_filter_hides() {
    let mut state = marked_state();
    ch(&mut state, '/');
    for c in "bridge".chars() {
        ch(&mut state, c);
    }
    press(&mut state, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(state.keys.visible.len(), 1);
    ch(&mut state, 'd');
    let shown = screen(&mut state, 120, 30);
    assert!(shown.contains("(7 of them are hidden by the"), "{shown}");
}

#[test]
fn a_summary_of_many_failures_names_the_first_200_and_counts_the_rest() {
    let keys = (0..250)
        .map(|n| key(&format!("k{n:03}"), &format!("Key {n:03}"), at(2026, 11, 1)))
        .collect();
    let mut state = state_with(keys, all_permissions());
    draw(&mut state, 120, 30);
    press(&mut state, KeyCode::Char('a'), KeyModifiers::CONTROL);
    ch(&mut state, 't');
    ch(&mut state, 'y');
    let refused = || Failure::new(FailureKind::Other, "refused (400).");
    while state.bulk.is_some() {
        let ids: Vec<u64> = state.requests.ids().collect();
        for id in ids {
            answer(&mut state, id, Err(refused()));
        }
    }
    let Some(Dialog::BulkSummary(summary)) = &state.dialog else {
        panic!("no summary");
    };
    let named = summary
        .lines
        .iter()
        .filter(|l| l.contains("refused (400)"))
        .count();
    assert_eq!(named, 200);
    assert!(
        summary
            .lines
            .iter()
            .any(|l| l.contains("and 50 more (they stay marked)")),
        "{:?}",
        &summary.lines[..3]
    );
    assert_eq!(state.keys.marks.len(), 250, "every failure stays marked");
}

#[test]
fn a_refusal_during_a_run_shows_briefly_then_the_progress_comes_back() {
    let mut state = marked_state();
    ch(&mut state, 't');
    ch(&mut state, 'y');
    ch(&mut state, 'd'); // a second bulk action while the first runs
    let line = |state: &mut State| {
        let shown = screen(state, 120, 30);
        shown.lines().nth(27).unwrap_or_default().to_string()
    };
    assert!(
        line(&mut state).contains("A bulk action is running"),
        "{}",
        line(&mut state)
    );
    let later = state.now + chrono::Duration::seconds(6);
    update(&mut state, Action::Tick(later));
    assert!(
        line(&mut state).contains("Deactivating 7 keys"),
        "{}",
        line(&mut state)
    );
}

#[test]
fn when_the_only_failure_is_a_key_deleted_meanwhile_nothing_is_left_to_retry() {
    let mut state = marked_state();
    ch(&mut state, 't');
    let first = sent(&ch(&mut state, 'y'));
    let gone = Failure::new(
        FailureKind::NotFound,
        "not found (404): No API key with id.",
    );
    answer(&mut state, first[0], Err(gone));
    while state.bulk.is_some() {
        let ids: Vec<u64> = state.requests.ids().collect();
        for id in ids {
            answer(&mut state, id, Ok(()));
        }
    }
    let Some(Dialog::BulkSummary(summary)) = &state.dialog else {
        panic!("no summary");
    };
    assert!(
        summary
            .lines
            .iter()
            .any(|l| l.contains("deleted meanwhile"))
    );
    assert!(
        summary
            .lines
            .iter()
            .any(|l| l.contains("Nothing is left to retry")),
        "{:?}",
        summary.lines
    );
    assert!(
        !summary
            .lines
            .iter()
            .any(|l| l.contains("press the same key"))
    );
    assert!(
        state.keys.marks.is_empty(),
        "the deleted key is not marked again"
    );
}

#[test]
fn two_keys_whose_labels_read_the_same_are_told_apart() {
    let keys = vec![
        key(
            "aaa",
            &format!(
                "{} one",
                "Actualización de conciliación bancaria ".repeat(2)
            ),
            at(2026, 11, 1),
        ),
        key(
            "bbb",
            &format!(
                "{} two",
                "Actualización de conciliación bancaria ".repeat(2)
            ),
            at(2026, 11, 1),
        ),
    ];
    let mut state = state_with(keys, all_permissions());
    draw(&mut state, 120, 30);
    press(&mut state, KeyCode::Char('a'), KeyModifiers::CONTROL);
    ch(&mut state, 't');
    let shown = screen(&mut state, 120, 30);
    assert!(shown.contains("(vtexappkey-acme-AAA)"), "{shown}");
    assert!(shown.contains("(vtexappkey-acme-BBB)"), "{shown}");
}
