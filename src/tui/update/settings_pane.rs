//! The Settings pane's command: applying the token duration.

use super::*;

pub(super) fn apply_duration(state: &mut State) -> Vec<Effect> {
    if !allowed(state, Op::SetDuration, "change the token duration") {
        return Vec::new();
    }
    let months = state.settings.cursor_months;
    match state.settings.token_duration {
        None => say(state, "The current setting is not loaded yet."),
        Some(current) if current == months => say(
            state,
            format!("The token duration is already {months} months."),
        ),
        Some(_) => {
            let meaning = if months == 3 {
                "3 months (recommended)".to_string()
            } else {
                "6 months".to_string()
            };
            state.dialog = Some(Dialog::Confirm(Confirm {
                title: "Change token duration".into(),
                body: format!(
                    "Set the token duration of every key to {meaning}? Keys whose current token is older will show as outdated."
                ),
                accept: "Apply".into(),
                destructive: false,
                change: Change::SetTokenDuration { months },
            }));
        }
    }
    Vec::new()
}
