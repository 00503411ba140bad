//! A listing held for repeated queries: the rows' folded text, their sort orders and recent
//! answers, kept between keystrokes. The app keeps one per pane; the CLI builds one, runs its
//! query once and drops it — the same code answers both.

use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::{DateTime, Utc};

use super::{Query, SortBy, StatusFilter, external_status_matches, order};
use crate::search::{Haystack, Narrowing};
use crate::vtex::model::{AppKey, ExternalKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows {
    Generated,
    External,
}

#[derive(Debug, Clone)]
pub struct ListView {
    rows: Rows,
    narrowing: Narrowing,
    /// The tie-breaking order (names for generated keys, owner accounts for external ones).
    base: Option<Vec<u32>>,
    /// Display orders computed so far, by column and direction.
    orders: Vec<((SortBy, bool), Vec<u32>)>,
}

impl Default for ListView {
    fn default() -> Self {
        ListView::of_keys(&[])
    }
}

/// The text `/` looks in, per generated key: the label first (the name order reads it), the
/// appKey, the role names.
fn key_fields(key: &AppKey) -> impl Iterator<Item = &str> {
    let roles = key.roles.iter().flatten().map(|role| &*role.name);
    [key.label.as_str(), key.app_key.as_str()]
        .into_iter()
        .chain(roles)
}

/// Per external key: the owner account, the appKey, the role names.
fn external_fields(key: &ExternalKey) -> impl Iterator<Item = &str> {
    let roles = key.roles.iter().flatten().map(|role| &*role.name);
    [key.account.as_str(), key.app_key.as_str()]
        .into_iter()
        .chain(roles)
}

impl ListView {
    pub fn of_keys(keys: &[AppKey]) -> ListView {
        ListView::new(
            Rows::Generated,
            Haystack::build(keys.iter().map(key_fields)),
        )
    }

    pub fn of_external(keys: &[ExternalKey]) -> ListView {
        ListView::new(
            Rows::External,
            Haystack::build(keys.iter().map(external_fields)),
        )
    }

    fn new(rows: Rows, hay: Haystack) -> ListView {
        ListView {
            rows,
            narrowing: Narrowing::new(hay),
            base: None,
            orders: Vec::new(),
        }
    }

    /// A row's status changed in place: orders by status and every answer are out of date.
    pub fn statuses_changed(&mut self) {
        self.orders.retain(|((by, _), _)| *by != SortBy::Status);
        self.narrowing.forget();
    }

    /// Indices of the generated keys `query` keeps, in its order.
    pub fn keys(
        &mut self,
        keys: &[AppKey],
        query: &Query,
        months: u32,
        now: DateTime<Utc>,
    ) -> Vec<usize> {
        if self.rows != Rows::Generated || self.narrowing.haystack().len() != keys.len() {
            *self = ListView::of_keys(keys); // rows replaced without telling: start again
        }
        let hay = self.narrowing.haystack();
        let base = self.base.get_or_insert_with(|| order::key_names(keys, hay));
        let order = display_order(&mut self.orders, query, || {
            order::keys_by(keys, base, query.sort)
        });
        // Whether a token is outdated depends on the time: answers last one time only then.
        let as_of = (query.status == StatusFilter::Outdated).then_some(now.timestamp());
        let context = context_of(query, (months, as_of));
        let keep = |i: usize| query.status.matches(&keys[i], months, now);
        widen(self.narrowing.run(&query.filter, context, order, &keep))
    }

    /// Indices of the external keys `query` keeps, in its order.
    pub fn external(&mut self, keys: &[ExternalKey], query: &Query) -> Vec<usize> {
        if self.rows != Rows::External || self.narrowing.haystack().len() != keys.len() {
            *self = ListView::of_external(keys);
        }
        let base = self.base.get_or_insert_with(|| order::external_base(keys));
        let order = display_order(&mut self.orders, query, || {
            order::external_by(keys, base, query.sort)
        });
        let context = context_of(query, ());
        let keep = |i: usize| external_status_matches(query.status, &keys[i]);
        widen(self.narrowing.run(&query.filter, context, order, &keep))
    }
}

/// The order `query` lists rows in, computed on first use and kept.
fn display_order<'a>(
    orders: &'a mut Vec<((SortBy, bool), Vec<u32>)>,
    query: &Query,
    ascending: impl FnOnce() -> Vec<u32>,
) -> &'a [u32] {
    let wanted = (query.sort, query.reverse);
    let at = match orders.iter().position(|(k, _)| *k == wanted) {
        Some(at) => at,
        None => {
            let order = match orders.iter().find(|((by, _), _)| *by == query.sort) {
                // The same column the other way round: no sorting again.
                Some((_, other)) => other.iter().rev().copied().collect(),
                None => {
                    let mut order = ascending();
                    if query.reverse {
                        order.reverse();
                    }
                    order
                }
            };
            orders.push((wanted, order));
            orders.len() - 1
        }
    };
    &orders[at].1
}

/// One number for everything besides the text that decides which rows come in which order.
fn context_of(query: &Query, extra: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    (query.status as u8, query.sort as u8, query.reverse).hash(&mut hasher);
    extra.hash(&mut hasher);
    hasher.finish()
}

fn widen(rows: Vec<u32>) -> Vec<usize> {
    rows.into_iter().map(|i| i as usize).collect()
}
