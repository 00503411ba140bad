//! The Settings pane's command: applying the token duration, after saying how many keys it
//! turns outdated or fresh.

use super::*;
use crate::listing::StatusFilter;
use crate::tui::strings::settings::{self as text, DurationEffect};

pub(super) fn apply_duration(state: &mut State) -> Vec<Effect> {
    if !allowed(state, Op::SetDuration, "change the token duration") {
        return Vec::new();
    }
    let months = state.settings.cursor_months;
    match state.settings.token_duration {
        None => say(state, strings::SETTING_NOT_LOADED),
        Some(current) if current == months => say(state, strings::duration_already(months)),
        Some(current) => {
            let asked = text::change_duration(current, months, duration_effect(state, months));
            state.dialog = Some(Dialog::Confirm(Confirm {
                title: asked.title.into(),
                body: asked.body,
                accept: asked.accept.into(),
                destructive: false,
                change: Change::SetTokenDuration { months },
                focus: Focus::Action,
            }));
        }
    }
    Vec::new()
}

/// Counts the loaded keys that change state going from the current duration to `months`, by
/// the rule the list's "outdated" filter uses; `None` while no list has been loaded.
pub fn duration_effect(state: &State, months: u32) -> Option<DurationEffect> {
    if state.keys.rows.is_empty() && !matches!(state.keys.load, Load::Loaded) {
        return None;
    }
    let current = state.token_months();
    let outdated = |key, duration| StatusFilter::Outdated.matches(key, duration, state.now);
    let mut effect = DurationEffect::default();
    for key in &state.keys.rows {
        match (outdated(key, current), outdated(key, months)) {
            (true, true) => effect.stay_outdated += 1,
            (true, false) => effect.stop_outdated += 1,
            (false, true) => effect.become_outdated += 1,
            (false, false) => {}
        }
    }
    Some(effect)
}
