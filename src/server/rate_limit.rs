//! Requests per authenticated caller, as a token bucket: a key may send `burst` requests at
//! once, then one per `refill_every`; beyond that it is answered 429 with Retry-After, before
//! any handler runs, so a refused request changed nothing (`apikeys serve --rate-limit N`).
//! Keyed by the caller's key id, not the claimed app key: app keys are not secret, and a stranger
//! sending someone's app key with a wrong token must not spend that key's budget (failed
//! authentications have their own limit, see [`super::limiter`]). In memory: a restart forgets.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many tracked callers, buckets that refilled are dropped before a new one is added.
const MAX_TRACKED: usize = 10_000;

/// The budget of each caller: `burst` requests at once, then one per `refill_every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub burst: u32,
    pub refill_every: Duration,
}

impl RateLimit {
    /// `n` requests per second with a burst of `n` (one second's worth); `None` for 0, unlimited.
    pub fn per_second(n: u32) -> Option<RateLimit> {
        (n > 0).then(|| RateLimit {
            burst: n,
            refill_every: Duration::from_secs(1) / n,
        })
    }

    /// The pace this budget allows over time, for messages: "2 requests a second".
    pub fn pace(&self) -> String {
        let every = self.refill_every.as_secs_f64().max(f64::MIN_POSITIVE);
        let per_second = (1.0 / every).round();
        if per_second == 1.0 {
            "one request a second".to_string()
        } else if every < 1.0 {
            format!("{per_second:.0} requests a second")
        } else {
            format!("one request every {every:.0} s")
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Spends one request of `caller`'s budget, or says how long until one is free.
    pub fn admit(&self, caller: &str, now: Instant) -> Result<(), Duration> {
        let burst = f64::from(self.limit.burst.max(1));
        let every = self.limit.refill_every.as_secs_f64();
        // The map holds counters only; a panic mid-update cannot leave it unusable.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_TRACKED && !buckets.contains_key(caller) {
            buckets.retain(|_, bucket| refilled(bucket, now, every, burst) < burst);
        }
        let bucket = buckets.entry(caller.to_string()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        bucket.tokens = refilled(bucket, now, every, burst);
        bucket.at = now.max(bucket.at);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) * every))
        }
    }
}

/// The tokens `bucket` holds at `now`.
fn refilled(bucket: &Bucket, now: Instant, every: f64, burst: f64) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
    let gained = if every > 0.0 { elapsed / every } else { burst };
    (bucket.tokens + gained).min(burst)
}

/// The whole seconds a Retry-After header names for `wait`: rounded up, at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs_f64().ceil() as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(burst: u32, every_ms: u64) -> RateLimiter {
        RateLimiter::new(RateLimit {
            burst,
            refill_every: Duration::from_millis(every_ms),
        })
    }

    #[test]
    fn a_burst_passes_then_the_next_waits_for_a_token() {
        let limiter = limiter(3, 500);
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.admit("k1", now), Ok(()));
        }
        assert_eq!(limiter.admit("k1", now), Err(Duration::from_millis(500)));
        let later = now + Duration::from_millis(200);
        let wait = limiter.admit("k1", later).unwrap_err();
        assert!(
            wait.abs_diff(Duration::from_millis(300)) < Duration::from_micros(1),
            "{wait:?}"
        );
    }

    #[test]
    fn tokens_come_back_at_the_rate_and_stop_at_the_burst() {
        let limiter = limiter(2, 500);
        let now = Instant::now();
        assert!(limiter.admit("k1", now).is_ok());
        assert!(limiter.admit("k1", now).is_ok());
        assert!(limiter.admit("k1", now).is_err());
        let refilled_one = now + Duration::from_millis(500);
        assert!(limiter.admit("k1", refilled_one).is_ok());
        assert!(limiter.admit("k1", refilled_one).is_err());
        // A long pause refills to the burst, no more.
        let long_after = now + Duration::from_secs(60);
        assert!(limiter.admit("k1", long_after).is_ok());
        assert!(limiter.admit("k1", long_after).is_ok());
        assert!(limiter.admit("k1", long_after).is_err());
    }

    #[test]
    fn refused_requests_spend_nothing() {
        let limiter = limiter(1, 1000);
        let now = Instant::now();
        assert!(limiter.admit("k1", now).is_ok());
        for _ in 0..10 {
            assert!(limiter.admit("k1", now).is_err());
        }
        assert!(limiter.admit("k1", now + Duration::from_secs(1)).is_ok());
    }

    #[test]
    fn each_caller_has_its_own_bucket() {
        let limiter = limiter(1, 1000);
        let now = Instant::now();
        assert!(limiter.admit("k1", now).is_ok());
        assert!(limiter.admit("k1", now).is_err());
        assert!(limiter.admit("k2", now).is_ok());
    }

    #[test]
    fn per_second_is_off_at_zero_and_bursts_one_seconds_worth() {
        assert_eq!(RateLimit::per_second(0), None);
        let two = RateLimit::per_second(2).unwrap();
        assert_eq!(two.burst, 2);
        assert_eq!(two.refill_every, Duration::from_millis(500));
        assert_eq!(two.pace(), "2 requests a second");
        let slow = RateLimit {
            burst: 1,
            refill_every: Duration::from_secs(3),
        };
        assert_eq!(slow.pace(), "one request every 3 s");
        assert_eq!(
            RateLimit::per_second(1).unwrap().pace(),
            "one request a second"
        );
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(500)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1001)), 2);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
    }
}
