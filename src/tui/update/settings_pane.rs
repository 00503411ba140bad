//! The Settings pane's command: applying the token duration.

use super::*;

pub(super) fn apply_duration(state: &mut State) -> Vec<Effect> {
    if !allowed(state, Op::SetDuration, "change the token duration") {
        return Vec::new();
    }
    let months = state.settings.cursor_months;
    match state.settings.token_duration {
        None => say(state, strings::SETTING_NOT_LOADED),
        Some(current) if current == months => say(state, strings::duration_already(months)),
        Some(_) => {
            let asked = strings::change_duration(months);
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
