//! Failed authentication, counted per source address in a fixed window: past the limit, that
//! source is answered 429 (with Retry-After) until its window ends; other sources are not
//! affected. While limited, a source is refused even with a correct token, or the limit would
//! still tell a guesser which guess was right. In memory: a restart forgets the counts.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed authentications a source may have per window.
pub const FAILURES_PER_WINDOW: u32 = 20;
pub const WINDOW: Duration = Duration::from_secs(60);
/// Above this many tracked sources, finished windows are dropped before a new one is added.
const MAX_TRACKED: usize = 10_000;

struct Window {
    started: Instant,
    failures: u32,
}

pub struct AuthLimiter {
    limit: u32,
    window: Duration,
    sources: Mutex<HashMap<IpAddr, Window>>,
}

impl Default for AuthLimiter {
    fn default() -> AuthLimiter {
        AuthLimiter::new(FAILURES_PER_WINDOW, WINDOW)
    }
}

impl AuthLimiter {
    pub fn new(limit: u32, window: Duration) -> AuthLimiter {
        AuthLimiter {
            limit,
            window,
            sources: Mutex::new(HashMap::new()),
        }
    }

    fn sources(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Window>> {
        // The map holds counters only; a panic mid-update cannot leave it unusable.
        self.sources
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// While `source` is limited: the seconds until it may try again.
    pub fn refused(&self, source: IpAddr) -> Option<u64> {
        let sources = self.sources();
        let window = sources.get(&source)?;
        let left = self.window.checked_sub(window.started.elapsed())?;
        (window.failures >= self.limit).then(|| left.as_secs_f64().ceil().max(1.0) as u64)
    }

    /// Counts a failed authentication from `source`; logs once when it crosses the limit.
    pub fn record_failure(&self, source: IpAddr) {
        let mut sources = self.sources();
        if sources.len() >= MAX_TRACKED && !sources.contains_key(&source) {
            let window = self.window;
            sources.retain(|_, w| w.started.elapsed() < window);
        }
        let now = Instant::now();
        let entry = sources.entry(source).or_insert(Window {
            started: now,
            failures: 0,
        });
        if entry.started.elapsed() >= self.window {
            *entry = Window {
                started: now,
                failures: 0,
            };
        }
        entry.failures = entry.failures.saturating_add(1);
        if entry.failures == self.limit {
            let left = self.window.saturating_sub(entry.started.elapsed());
            tracing::warn!(
                %source,
                failures = self.limit,
                window_secs = self.window.as_secs(),
                refused_for_secs = left.as_secs(),
                "too many failed authentications from one source; answering it 429 until its window ends"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_only_the_failing_source() {
        let limiter = AuthLimiter::new(3, Duration::from_secs(60));
        let bad: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        for _ in 0..2 {
            limiter.record_failure(bad);
        }
        assert_eq!(limiter.refused(bad), None);
        limiter.record_failure(bad);
        assert!(
            limiter
                .refused(bad)
                .is_some_and(|secs| (1..=60).contains(&secs))
        );
        assert_eq!(limiter.refused(other), None);
    }

    #[test]
    fn a_finished_window_forgets() {
        let limiter = AuthLimiter::new(1, Duration::from_millis(1));
        let source: IpAddr = "127.0.0.1".parse().unwrap();
        limiter.record_failure(source);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(limiter.refused(source), None);
    }
}
