//! `y`: the selected row's appKey to the clipboard (the token dialog's own `y` is its
//! `on_command`). An appKey is not a secret, so its copy schedules no clearing and leaves the
//! latest token's timed clear as it was.

use super::*;

pub(super) fn copy_selected_app_key(state: &mut State) -> Vec<Effect> {
    let app_key = match state.tab {
        Tab::Keys => state.keys.selected_key().map(|key| key.app_key.clone()),
        Tab::External => state.external.selected_key().map(|key| key.app_key.clone()),
        Tab::Settings => None,
    };
    app_key.map(Effect::CopyAppKey).into_iter().collect()
}

/// What the copy did: in the token dialog where it was asked, else on the status line.
pub(super) fn on_copied_app_key(state: &mut State, report: crate::clipboard::Report) {
    match &mut state.dialog {
        Some(Dialog::Token(dialog)) => dialog.copied = Some(report.message),
        _ => say(state, report.message),
    }
}
