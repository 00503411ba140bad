//! The last key listing's JSON, answered again while the database has not changed. A
//! listing of 100 000 keys takes a few hundred milliseconds to read and serialize; an app
//! that starts (or refreshes) against an unchanged account gets the same bytes at once.
//!
//! "Unchanged" is SQLite's own bookkeeping, read on the connection that runs the listing:
//! `total_changes()` counts every row this server's connection inserted, updated or deleted,
//! and `PRAGMA data_version` moves when another connection (another process, the sqlite3
//! shell) commits. Any write moves one of them, so a stale body is never served. This holds
//! because the store has one connection: with a pool, two connections could show equal stamps
//! for different states, and the stamp would need the connection's identity.

use std::sync::Mutex;

use bytes::Bytes;
use rusqlite::Connection;

use crate::server::store::StoreResult;
use crate::server::store::keys::Expand;

/// Where the database stood when a listing was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    own_changes: u64,
    data_version: i64,
}

impl Stamp {
    pub fn of(conn: &Connection) -> StoreResult<Stamp> {
        Ok(Stamp {
            own_changes: conn.total_changes(),
            data_version: conn.query_row("PRAGMA data_version", [], |row| row.get(0))?,
        })
    }
}

/// What a cached body answered: the same question asked of the same database state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub stamp: Stamp,
    pub account_id: i64,
    pub expand: Expand,
}

/// One entry: the last listing built (a second would double the memory for little gain).
#[derive(Default)]
pub struct ListingCache(Mutex<Option<(Question, Bytes)>>);

impl ListingCache {
    pub fn get(&self, question: &Question) -> Option<Bytes> {
        let cached = self.0.lock().unwrap_or_else(|p| p.into_inner());
        cached
            .as_ref()
            .filter(|(asked, _)| asked == question)
            .map(|(_, body)| body.clone())
    }

    pub fn put(&self, question: Question, body: Bytes) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((question, body));
    }
}
