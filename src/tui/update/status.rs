//! The status line: information that expires, errors, refusals, failures.

use super::*;

pub(in crate::tui) fn say(state: &mut State, text: impl Into<String>) {
    state.status = Some(StatusMessage {
        text: text.into(),
        kind: MessageKind::Info,
        expires: Some(state.now + ChronoDuration::seconds(INFO_SECONDS)),
    });
}

pub(super) fn complain(state: &mut State, text: impl Into<String>) {
    state.status = Some(StatusMessage {
        text: text.into(),
        kind: MessageKind::Error,
        expires: None,
    });
}

/// Checks an operation; on refusal says why and returns false. Nothing is sent.
pub(super) fn allowed(state: &mut State, op: Op, what: &str) -> bool {
    match state.access.check(op) {
        Ok(()) => true,
        Err(reason) => {
            say(state, format!("Cannot {what}: {reason}."));
            false
        }
    }
}

pub(super) fn fail(state: &mut State, failure: &Failure) {
    if failure.message.starts_with("cannot reach") || failure.message.starts_with("no answer from")
    {
        state.connection = Connection::Offline(failure.message.clone());
    }
    complain(state, failure.message.clone());
}
