//! The status line: information that expires, errors that expire later or when what they
//! report is over, refusals, failures (by their kind, never by their text).

use super::*;

pub(in crate::tui) fn say(state: &mut State, text: impl Into<String>) {
    state.status = Some(StatusMessage {
        text: text.into(),
        kind: MessageKind::Info,
        expires: Some(state.now + ChronoDuration::seconds(INFO_SECONDS)),
        about: None,
    });
}

/// Shows `tab`. Information said on the pane left (a filter it shows, a refusal) would
/// contradict the new one, so it goes; an error stays until it is over or dismissed.
pub(super) fn switch_pane(state: &mut State, tab: Tab) {
    let informing = state
        .status
        .as_ref()
        .is_some_and(|message| message.kind == MessageKind::Info);
    if tab != state.tab && informing {
        state.status = None;
    }
    state.tab = tab;
}

pub(super) fn complain(state: &mut State, text: impl Into<String>) {
    report(state, text.into(), None);
}

/// A refusal said over a bulk run's progress line: as an error, so it shows, but only for as
/// long as information stays, so the progress comes back.
pub(super) fn refuse_briefly(state: &mut State, text: impl Into<String>) {
    state.status = Some(StatusMessage {
        text: text.into(),
        kind: MessageKind::Error,
        expires: Some(state.now + ChronoDuration::seconds(INFO_SECONDS)),
        about: None,
    });
}

fn report(state: &mut State, text: String, about: Option<Cause>) {
    state.status = Some(StatusMessage {
        text,
        kind: MessageKind::Error,
        expires: Some(state.now + ChronoDuration::seconds(ERROR_SECONDS)),
        about,
    });
}

/// Checks an operation (with the rules of the selected row, as the key bar does); on refusal
/// says why and returns false. Nothing is sent.
pub(super) fn allowed(state: &mut State, op: Op, what: &str) -> bool {
    match state.check_selected(op) {
        Ok(()) => true,
        Err(reason) => {
            say(state, strings::cannot(what, &reason));
            false
        }
    }
}

/// A failed change or action: said until it expires or the server is back (when offline).
pub(super) fn fail(state: &mut State, failure: &Failure) {
    fail_about(state, failure, None);
}

/// A failed read: also cleared when that read succeeds (a refresh, the timer).
pub(super) fn fail_reading(state: &mut State, failure: &Failure, reading: Reading) {
    fail_about(state, failure, Some(Cause::Reading(reading)));
}

fn fail_about(state: &mut State, failure: &Failure, about: Option<Cause>) {
    if failure.kind == FailureKind::Unauthorized {
        // The panes say which credential was refused and how to fix it; the status line
        // repeating it for every call would only hide the hint to retry.
        state.connection = Connection::Unauthorized;
        return;
    }
    let about = if failure.offline() {
        state.connection = Connection::Offline(failure.message.clone());
        Some(Cause::Offline)
    } else {
        about
    };
    report(state, failure.message.clone(), about);
}

/// An answer came: the server is reachable, and a failed `reading` that succeeded is over.
pub(super) fn answered(state: &mut State, reading: Option<Reading>) {
    state.connection = Connection::Online;
    let over = |cause: &Cause| match cause {
        Cause::Offline => true,
        Cause::Reading(failed) => Some(*failed) == reading,
    };
    if state
        .status
        .as_ref()
        .and_then(|message| message.about.as_ref())
        .is_some_and(over)
    {
        state.status = None;
    }
}
