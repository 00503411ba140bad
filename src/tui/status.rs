//! The status line's message: what it says, and what it reports, so it goes away when that
//! stops being true (the server is reachable again, a retried read succeeded) or after a while.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Error,
}

/// A read that can fail and be retried (by a refresh, or the timer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Capabilities,
    Keys,
    External,
    Settings,
    Roles,
    KeyRoles,
}

/// The condition an error message reports; the message is cleared when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The server could not be reached: cleared by any answer from it.
    Offline,
    /// This read failed: cleared when it succeeds.
    Reading(Reading),
}

/// The status line: information expires quickly, errors after a while or when what they
/// report is over; Esc dismisses an error at once.
#[derive(Debug, Clone)]
pub struct StatusMessage {
    pub text: String,
    pub kind: MessageKind,
    pub expires: Option<DateTime<Utc>>,
    pub about: Option<Cause>,
}

/// How long an information message stays.
pub const INFO_SECONDS: i64 = 5;

/// How long an error stays when nothing clears it sooner.
pub const ERROR_SECONDS: i64 = 60;
