//! Bulk actions on the marked keys: what one asks for (`BulkAction`), the keys it will send
//! and those it skips with a reason (`Plan`, built in `plan`), and the run itself (`Run`):
//! at most `CONCURRENCY` requests in flight, a 429 waited out and its key sent again, Esc
//! leaving what was not sent, and every failure kept with its reason for the summary. Pure
//! bookkeeping: `update::bulk` turns it into requests.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::action::{Change, Failure, FailureKind, RequestId};
use super::dialog::KeyList;

pub mod plan;

/// Requests a bulk run keeps in flight at once.
pub const CONCURRENCY: usize = 4;
/// A key answered 429 is sent again after the wait, at most this many times.
pub const MAX_RATE_LIMITED: u32 = 5;
/// The wait after a 429 without a Retry-After.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(2);

/// What is done to each key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    SetActive(bool),
    /// Generated keys: delete; external keys: remove the access.
    Delete,
    Role {
        add: bool,
        id: i64,
        name: String,
    },
    FinishRenewal,
    UndoRenewal,
}

/// One key to send, and the change sent for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub app_key: String,
    /// The label (generated keys) or the owner account (external keys).
    pub label: String,
    pub change: Change,
    /// 429s met so far.
    pub rate_limited: u32,
}

/// A key the action leaves alone, and why, listed before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: String,
    pub app_key: String,
    pub label: String,
    pub reason: String,
}

/// What a confirmed action will do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub action: Option<BulkAction>,
    pub list: KeyList,
    pub items: Vec<Item>,
    pub skipped: Vec<Skipped>,
    /// Of the marked keys, those the filter hides now (the confirmation says so).
    pub hidden: usize,
    /// The administrator role the action grants, if any: said, and acknowledged, first.
    pub grants_admin: Option<String>,
}

/// A key that failed, with the reason the server (or the network) gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub item: Item,
    pub reason: String,
}

/// Why a run stopped before sending everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Esc.
    Cancelled,
    /// The server refused the credentials: every other key would be refused too.
    Unauthorized,
    /// The server could not be reached: every other key would wait for its timeout.
    Offline,
}

/// A bulk action being sent.
#[derive(Debug, Clone)]
pub struct Run {
    pub action: BulkAction,
    pub list: KeyList,
    pub total: usize,
    pub skipped: Vec<Skipped>,
    queue: VecDeque<Item>,
    in_flight: HashMap<RequestId, Item>,
    /// Ids of the keys the server changed.
    pub succeeded: Vec<String>,
    pub failed: Vec<Failed>,
    /// Left in the queue when the run stopped.
    pub not_sent: Vec<Item>,
    pub stopped: Option<Stop>,
    /// While a 429's wait runs, nothing new is sent.
    pub paused_until: Option<DateTime<Utc>>,
    /// Requests sent, resends after a 429 included.
    pub requests: usize,
    pub rate_limited: usize,
    pub started: DateTime<Utc>,
}

impl Run {
    pub fn new(plan: Plan, action: BulkAction, now: DateTime<Utc>) -> Run {
        Run {
            action,
            list: plan.list,
            total: plan.items.len(),
            skipped: plan.skipped,
            queue: plan.items.into(),
            in_flight: HashMap::new(),
            succeeded: Vec::new(),
            failed: Vec::new(),
            not_sent: Vec::new(),
            stopped: None,
            paused_until: None,
            requests: 0,
            rate_limited: 0,
            started: now,
        }
    }

    /// The next key to send now: none while `CONCURRENCY` are in flight, while a 429's wait
    /// runs, or once the run stopped.
    pub fn next_to_send(&mut self, now: DateTime<Utc>) -> Option<Item> {
        if self.in_flight.len() >= CONCURRENCY || self.stopped.is_some() {
            return None;
        }
        match self.paused_until {
            Some(until) if now < until => return None,
            _ => self.paused_until = None,
        }
        self.queue.pop_front()
    }

    /// `item` went out as request `id`.
    pub fn sent(&mut self, id: RequestId, item: Item) {
        self.requests += 1;
        self.in_flight.insert(id, item);
    }

    pub fn owns(&self, id: RequestId) -> bool {
        self.in_flight.contains_key(&id)
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// The keys answered, either way.
    pub fn done(&self) -> usize {
        self.succeeded.len() + self.failed.len()
    }

    /// Whether a 429's wait holds the queue now.
    pub fn waiting(&self, now: DateTime<Utc>) -> Option<chrono::Duration> {
        self.paused_until
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    /// The answer to request `id`: a 429 puts its key back at the head of the queue and
    /// holds the queue for the server's wait; a refusal of the credentials or a dead network
    /// stops the run (the rest would fail the same way).
    pub fn answered(&mut self, id: RequestId, result: Result<(), Failure>, now: DateTime<Utc>) {
        let Some(mut item) = self.in_flight.remove(&id) else {
            return;
        };
        let failure = match result {
            Ok(()) => {
                self.succeeded.push(item.id);
                return;
            }
            Err(failure) => failure,
        };
        if let FailureKind::RateLimited { retry_after } = failure.kind
            && item.rate_limited < MAX_RATE_LIMITED
            && self.stopped.is_none()
        {
            item.rate_limited += 1;
            self.rate_limited += 1;
            // Honoured however long: the status line counts it down and Esc stops the run.
            let wait = retry_after.unwrap_or(DEFAULT_RETRY_AFTER);
            let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
            let until = now
                .checked_add_signed(wait)
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
            self.paused_until = Some(self.paused_until.map_or(until, |at| at.max(until)));
            self.queue.push_front(item);
            return;
        }
        match failure.kind {
            // Refused for its rate after the run stopped: the server did nothing with it.
            FailureKind::RateLimited { .. } if self.stopped.is_some() => {
                self.not_sent.push(item);
                return;
            }
            FailureKind::Unauthorized => self.stop(Stop::Unauthorized),
            FailureKind::Offline => self.stop(Stop::Offline),
            _ => {}
        }
        self.failed.push(Failed {
            item,
            reason: failure.message,
        });
    }

    /// Stops sending: what is still queued is not sent (what was sent stands).
    pub fn stop(&mut self, why: Stop) {
        if self.stopped.is_none() {
            self.stopped = Some(why);
        }
        self.paused_until = None;
        self.not_sent.extend(self.queue.drain(..));
    }

    /// Nothing left to send and nothing in flight.
    pub fn finished(&self) -> bool {
        self.queue.is_empty() && self.in_flight.is_empty()
    }
}

#[cfg(test)]
mod tests;
