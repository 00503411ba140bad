//! The reference server's storage: one SQLite file (WAL, foreign keys on, versioned
//! migrations). Each submodule owns one table family; every change writes its audit row in
//! the same transaction as the change itself.

pub mod accounts;
pub mod audit;
pub mod external;
pub mod keys;
pub mod roles;
mod schema;
pub mod sessions;
pub mod tokens;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

/// What went wrong in a store operation, phrased for the person who made the request.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
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
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> StoreResult<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
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

/// Labels as the Admin accepts them (see [`crate::keyformat::clean_label`]).
pub fn clean_label(label: &str) -> StoreResult<String> {
    crate::keyformat::clean_label(label).map_err(StoreError::Invalid)
}
