//! The reference server's storage: one SQLite file (WAL, foreign keys on, versioned
//! migrations). Each submodule owns one table family; every change writes its audit row in
//! the same transaction as the change itself. Change functions take the caller's transaction
//! (see `auth::Authorized::change`), started IMMEDIATE by [`begin_write`].

pub mod accounts;
pub mod audit;
pub mod external;
mod files;
pub mod keys;
pub mod lockout;
pub mod roles;
mod schema;
pub mod sessions;
pub mod tokens;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};

use crate::permissions::Resource;

pub use files::LockMode;

/// How long a write waits for another connection (a second process, the `sqlite3` shell, a
/// backup) to release the database before it is answered 503.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// What went wrong in a store operation, phrased for the person who made the request.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    /// The caller's credentials stopped working between the check and the change.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller's roles stopped granting the resource between the check and the change.
    #[error("the caller lacks {0:?}")]
    Forbidden(Resource),
    /// Another connection held the database longer than [`BUSY_TIMEOUT`].
    #[error("the database is busy: {0}")]
    Busy(rusqlite::Error),
    #[error("database error: {0}")]
    Db(rusqlite::Error),
    /// Another process holds `<db>.lock`.
    #[error("{0}")]
    InUse(String),
    #[error(
        "the database {path} has schema version {found}, newer than this build knows ({known}); use a newer apikeys"
    )]
    TooNew {
        path: PathBuf,
        found: usize,
        known: usize,
    },
    #[error("could not create {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("a database task failed: {0}")]
    Task(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> StoreError {
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy(err),
            _ => StoreError::Db(err),
        }
    }
}

/// Starts a write transaction. IMMEDIATE takes the write lock first, so the busy timeout
/// applies; a deferred one would read, then fail at once when it tries to write.
pub fn begin_write(conn: &mut Connection) -> StoreResult<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// Who is making a change: the calling key and its account. Written into audit rows.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: i64,
    pub account: String,
    pub key_id: String,
    pub app_key: String,
    /// Which of its key's tokens the caller signed in with (directly or through a session).
    pub token_slot: Option<tokens::Slot>,
}

/// A handle to the database, cheap to clone. One connection behind a mutex: SQLite writes are
/// serial anyway, and every request is a handful of indexed statements.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
    /// Held for as long as any clone of the store lives; see [`Store::open_locked`].
    _lock: Option<Arc<std::fs::File>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it, without the
    /// process lock (tests and tools that look at a running server's file).
    pub fn open(path: &Path) -> StoreResult<Store> {
        Store::open_with(path, None)
    }

    /// As [`Store::open`], first taking `<db>.lock`: exclusively for `serve` (a second server
    /// on the same file refuses to start), shared for the embedded demo (several windows may
    /// share one demo database, but not with a server).
    pub fn open_locked(path: &Path, mode: LockMode) -> StoreResult<Store> {
        files::prepare_dir(path)?;
        let lock = files::lock(path, mode)?;
        Store::open_with(path, Some(Arc::new(lock)))
    }

    fn open_with(path: &Path, lock: Option<Arc<std::fs::File>>) -> StoreResult<Store> {
        files::prepare_dir(path)?;
        files::prepare_db_files(path)?;
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let found = usize::try_from(found).unwrap_or(0);
        if found > schema::latest_version() {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                known: schema::latest_version(),
            });
        }
        schema::migrate(&mut conn)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            path: path.to_path_buf(),
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` on the connection, on the calling thread.
    pub fn blocking<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        // A panic elsewhere cannot leave the connection mid-transaction (rusqlite rolls back
        // on drop), so a poisoned lock is still safe to use.
        let mut conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut conn)
    }

    /// Runs `work` on tokio's blocking pool so request handlers never block the runtime.
    pub async fn call<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.blocking(work))
            .await
            .map_err(|err| StoreError::Task(err.to_string()))?
    }
}

/// A TEXT column borrowed from the row: long scans look ids up without allocating.
pub(crate) fn borrowed_text<'r>(row: &'r rusqlite::Row, index: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(index)?.as_str().map_err(|err| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(err))
    })
}

/// Labels as the Admin accepts them (see [`crate::keyformat::clean_label`]).
pub fn clean_label(label: &str) -> StoreResult<String> {
    crate::keyformat::clean_label(label).map_err(StoreError::Invalid)
}
