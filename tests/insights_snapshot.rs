//! The Insights overlay as drawn, with fixed data: the token-age chart (one bar per month,
//! the duration marked), the findings with their severity in words (legible under NO_COLOR),
//! and the chosen finding's why and what to do. Also at 50×12, where the chart gives way.

mod screen_fixture;

use apikeys::posture::gather::Assessment;
use apikeys::posture::{Inputs, Thresholds, TokenAges, assess};
use apikeys::tui::action::{Action, Effect, Outcome};
use apikeys::tui::state::{Dialog, State};
use apikeys::tui::update::update;
use apikeys::vtex::model::{AppKey, Role};
use chrono::{Datelike, Months};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use screen_fixture::{all_permissions, draw, key, now, row_text, state_with};

/// A token `months` whole months (and a day) old at the fixture's `now`.
fn months_old(months: u32) -> Option<apikeys::vtex::time::Timestamp> {
    let at = now() - Months::new(months) - chrono::Duration::days(1);
    assert!(at.year() > 2000);
    Some(apikeys::vtex::time::Timestamp(at))
}

fn keys() -> Vec<AppKey> {
    let mut keys = vec![
        key("k1", "ERP orders", months_old(0)),
        key("k2", "BI export", months_old(1)),
        key("k3", "Marketplace feed", months_old(1)),
        key("k4", "Price sync", months_old(4)),
        key("k5", "Old PHP export", months_old(9)),
        key("k6", "Unused test key", months_old(2)),
        key("k7", "ERP orders", months_old(0)),
    ];
    keys[5].roles = Some(Vec::new());
    keys[4].roles = Some(vec![Role {
        id: 9,
        name: "Owner (Admin Super)".into(),
    }]);
    keys
}

fn assessment(keys: &[AppKey]) -> Assessment {
    let posture = assess(&Inputs {
        keys,
        external: Some(&[]),
        roles: &[],
        audit: Some(&[]),
        token_dates: true,
        token_duration_months: 3,
        thresholds: Thresholds::default(),
        now: now(),
    });
    Assessment {
        posture,
        ages: TokenAges::of(keys, 3, now()),
        keys: keys.len(),
        external: 0,
    }
}

fn screen(state: &mut State) -> String {
    let (width, height) = state.size;
    let buffer = draw(state, width, height);
    (0..height)
        .map(|y| row_text(&buffer, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `I`, then the assessment's answer, as the loop would deliver it.
fn open_with(state: &mut State, width: u16, height: u16) {
    update(state, Action::Resize { width, height });
    let effects = update(
        state,
        Action::Key(KeyEvent::new(KeyCode::Char('I'), KeyModifiers::SHIFT)),
    );
    let [Effect::Api { id, .. }] = effects.as_slice() else {
        panic!("I asks for the assessment: {effects:?}");
    };
    let outcome = Outcome::Assessed(Ok(Box::new(assessment(&state.keys.rows))));
    update(state, Action::Api { id: *id, outcome });
    assert!(matches!(state.dialog, Some(Dialog::Insights(_))));
}

#[test]
fn the_overlay_draws_the_chart_then_the_findings() {
    let mut state = state_with(keys(), all_permissions());
    state.no_color = true;
    open_with(&mut state, 100, 34);
    insta::assert_snapshot!("insights_overlay", screen(&mut state));
    update(
        &mut state,
        Action::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)),
    );
    let moved = screen(&mut state);
    assert!(moved.contains("│ › WARNING"), "{moved}");
}

#[test]
fn on_a_small_terminal_the_findings_stay_and_nothing_panics() {
    let mut state = state_with(keys(), all_permissions());
    open_with(&mut state, 50, 12);
    insta::assert_snapshot!("insights_overlay_50x12", screen(&mut state));
}
