//! A failed call, as the UI acts on it: its kind comes from the client's error variant (no
//! text is sniffed), its message is the sentence shown.

use std::time::Duration;

use crate::vtex::ClientError;

/// What kind of failure a call met; the UI decides by this alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The server could not be reached or did not answer in time.
    Offline,
    /// The app key or token was refused (401).
    Unauthorized,
    /// The caller lacks a permission (403), named when the server says which.
    Forbidden {
        permission: Option<&'static str>,
    },
    NotFound,
    Conflict,
    /// The server has no such feature (VTEX's public API only).
    Unavailable,
    /// Too many requests (429): the server did not act on this one. `retry_after` is the wait
    /// the server asked for (its Retry-After header), if it named one.
    RateLimited {
        retry_after: Option<Duration>,
    },
    Other,
}

impl FailureKind {
    pub fn of(err: &ClientError) -> FailureKind {
        match err {
            ClientError::Network { .. } | ClientError::Timeout { .. } => FailureKind::Offline,
            ClientError::Unauthorized { .. } => FailureKind::Unauthorized,
            ClientError::Forbidden { permission, .. } => FailureKind::Forbidden {
                permission: *permission,
            },
            ClientError::NotFound { .. } => FailureKind::NotFound,
            ClientError::Conflict { .. } => FailureKind::Conflict,
            ClientError::ExtensionUnavailable { .. } => FailureKind::Unavailable,
            ClientError::RateLimited { retry_after, .. } => FailureKind::RateLimited {
                retry_after: *retry_after,
            },
            ClientError::Rejected { .. }
            | ClientError::Server { .. }
            | ClientError::CrossOriginRedirect { .. }
            | ClientError::TooLarge { .. }
            | ClientError::Malformed { .. }
            | ClientError::Rule { .. } => FailureKind::Other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

impl Failure {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }

    /// A 403: the server says the caller lacks a permission.
    pub fn forbidden(&self) -> bool {
        matches!(self.kind, FailureKind::Forbidden { .. })
    }

    pub fn unavailable(&self) -> bool {
        self.kind == FailureKind::Unavailable
    }

    pub fn offline(&self) -> bool {
        self.kind == FailureKind::Offline
    }

    /// A 429: the server refused the call for its rate and did not act on it.
    pub fn rate_limited(&self) -> bool {
        matches!(self.kind, FailureKind::RateLimited { .. })
    }
}

impl From<ClientError> for Failure {
    fn from(err: ClientError) -> Failure {
        Failure {
            kind: FailureKind::of(&err),
            message: err.to_string(),
        }
    }
}
