//! Time, as `Action::Tick` brings it from the injected clock: message expiry, the automatic
//! refresh, and the clipboard's timed clear — so tests drive every timer.

use super::*;

pub(super) fn on_tick(state: &mut State, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
    state.now = now;
    let mut effects = Vec::new();
    if state.clipboard_clear_at.is_some_and(|at| at <= now) {
        state.clipboard_clear_at = None;
        effects.push(Effect::ClearClipboard);
    }
    if let Some(StatusMessage {
        expires: Some(at), ..
    }) = &state.status
        && *at <= now
    {
        state.status = None;
    }
    // A period too long to add to a date is as good as never.
    let due = ChronoDuration::from_std(state.refresh_every)
        .ok()
        .and_then(|every| state.last_refresh.checked_add_signed(every));
    // Paused while a dialog is open, so nothing shifts under the user's cursor, and while a
    // bulk run goes on: it refreshes once, at its end.
    let idle = state.dialog.is_none() && state.bulk.is_none();
    if idle && !state.refresh_every.is_zero() && due.is_some_and(|due| now >= due) {
        effects.extend(refresh(state));
    }
    effects.extend(on_bulk_tick(state));
    effects
}

/// A copy was made: the token dialog says what happened, and a timed clear is scheduled on
/// the same clock as everything else (a newer copy moves it).
pub(super) fn on_copied(state: &mut State, report: crate::clipboard::Report) {
    if let Some(Dialog::Token(dialog)) = &mut state.dialog {
        dialog.copied = Some(report.message);
    }
    state.clipboard_clear_at = report
        .clear_in
        .and_then(|after| ChronoDuration::from_std(after).ok())
        .and_then(|after| state.now.checked_add_signed(after));
}
