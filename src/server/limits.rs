//! What the server allows a connection: how long it may take to send a request, how long it may
//! sit idle, how many connections may be open at once, and how long a shutdown waits for them.
//! Without these, silent or half-sent sockets pile up until the process runs out of file
//! descriptors and good clients are locked out (issue 8, item 10). Beside them, what a caller
//! may ask for: a request budget per key, and whether the extensions are served at all.

use std::time::Duration;

pub use super::rate_limit::RateLimit;

/// Descriptors kept free below the open-files limit for the SQLite files, the log, the listener
/// and the runtime, whatever the limit (the reserve grows to an eighth of a larger limit).
pub const RESERVED_FDS: u64 = 64;

/// Connection limits. `Limits::default()` is what `apikeys serve` and the embedded server use;
/// tests set short values for speed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// From the moment the server waits for a request (a new connection, or the previous response
    /// sent) until the request's header is complete. A slowloris socket is closed after this.
    /// Default 10 s.
    pub header_read: Duration,
    /// From a request's header to the last byte of its body; past it the answer is 408 and the
    /// connection is closed. Default 30 s.
    pub body: Duration,
    /// A connection that has sent nothing since it opened or since its last response is closed
    /// after this (keep-alive). Default 5 s; it only matters below `header_read`.
    pub idle: Duration,
    /// On shutdown, how long in-flight requests may take to finish before every connection still
    /// open is dropped. Default 5 s, so the process ends well within 10 s of SIGTERM.
    pub shutdown_grace: Duration,
    /// The most connections open at once; at the cap the server stops accepting (new clients
    /// wait in the kernel's backlog) and closes connections idle for a second or more.
    /// `None` (the default): the open-files limit minus a reserve, see [`connection_cap_for`].
    pub max_connections: Option<usize>,
    /// Requests each authenticated key may send (`--rate-limit N`); past it, 429 with
    /// Retry-After. `None` (the default): unlimited.
    pub rate_limit: Option<RateLimit>,
    /// Serve only the operations VTEX documents (`--public-api-only`): every extension answers
    /// 404 with an empty body, as VTEX does, and `expand` is ignored. Default: false.
    pub public_api_only: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read: Duration::from_secs(10),
            body: Duration::from_secs(30),
            idle: Duration::from_secs(5),
            shutdown_grace: Duration::from_secs(5),
            max_connections: None,
            rate_limit: None,
            public_api_only: false,
        }
    }
}

impl Limits {
    /// The connection cap in force: the configured one, or one computed from this process's
    /// open-files limit.
    pub fn connection_cap(&self) -> usize {
        self.max_connections
            .unwrap_or_else(|| connection_cap_for(open_files_limit()))
            .max(1)
    }
}

/// The connection cap under an open-files limit of `limit`: the limit minus a reserve of
/// [`RESERVED_FDS`] or an eighth of the limit, whichever is larger (at least 1).
pub fn connection_cap_for(limit: u64) -> usize {
    let reserve = RESERVED_FDS.max(limit / 8);
    usize::try_from(limit.saturating_sub(reserve).max(1)).unwrap_or(usize::MAX)
}

/// The soft open-files limit (`RLIMIT_NOFILE`) of this process.
#[cfg(unix)]
fn open_files_limit() -> u64 {
    use rustix::process::{Resource, getrlimit};
    // Unlimited is not a number of descriptors anyone has; treat it as a large limit.
    getrlimit(Resource::Nofile).current.unwrap_or(1 << 20)
}

#[cfg(not(unix))]
fn open_files_limit() -> u64 {
    // Windows has no per-process descriptor limit of this kind; sockets are bounded by memory.
    16_384
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let limits = Limits::default();
        assert_eq!(limits.header_read, Duration::from_secs(10));
        assert_eq!(limits.body, Duration::from_secs(30));
        assert_eq!(limits.idle, Duration::from_secs(5));
        assert_eq!(limits.shutdown_grace, Duration::from_secs(5));
        assert_eq!(limits.max_connections, None);
        assert_eq!(limits.rate_limit, None);
        assert!(!limits.public_api_only);
        assert!(limits.idle <= Duration::from_secs(30));
        assert!(limits.shutdown_grace < Duration::from_secs(10));
    }

    #[test]
    fn the_cap_keeps_headroom_below_the_file_limit() {
        assert_eq!(connection_cap_for(256), 192);
        assert_eq!(connection_cap_for(1024), 896);
        assert_eq!(connection_cap_for(20_000), 17_500);
        assert_eq!(connection_cap_for(10), 1);
        let configured = Limits {
            max_connections: Some(3),
            ..Limits::default()
        };
        assert_eq!(configured.connection_cap(), 3);
    }
}
