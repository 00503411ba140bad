//! The reference server: VTEX's API-key contract (assets/openapi.yaml) implemented for real
//! over SQLite, with hashed tokens, the four permissions, renewal, external keys and an audit trail.
//! `apikeys serve` runs it standalone; tests and the embedded default start it in-process.

pub mod api;
pub mod auth;
pub mod body_deadline;
pub mod bootstrap;
mod connection;
pub mod error;
mod extract;
pub mod limiter;
pub mod limits;
pub mod listener;
mod logging;
pub mod rate_limit;
pub mod secrets;
pub mod seed;
pub mod seed_generated;
pub mod store;
pub mod time;
mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
pub use limits::Limits;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use bootstrap::AdminCredentials;
use store::{LockMode, Store, StoreError, accounts, sessions};

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    pub db_path: PathBuf,
    /// The account created on the first start of an empty database.
    pub account: String,
    /// Fill an empty database with the demo account.
    pub seed_demo: bool,
    /// Fill an empty database with this many generated keys (0: none); see [`seed_generated`].
    pub seed_keys: usize,
    /// Timeouts and the connection cap.
    pub limits: Limits,
}

/// What opening the database did.
pub enum Prepared {
    /// The database was empty: the account was created; here is its admin key, the only time
    /// its token is available (it was also written to `<db>.admin.json`).
    Bootstrapped(AdminCredentials),
    /// The database already held data; nothing was created.
    Existing,
}

/// Opens the database for `serve`, holding `<db>.lock` exclusively for as long as the store
/// lives (a second server on the same file refuses to start), and, when the database is empty,
/// creates the account (and demo data) and writes the admin credentials file.
pub fn prepare(config: &ServerConfig) -> anyhow::Result<(Store, Prepared)> {
    prepare_locked(config, LockMode::Exclusive)
}

/// As [`prepare`] with a shared lock, for the embedded demo: several demo windows may share
/// one demo database (SQLite serialises their writes), but not with a running server.
pub fn prepare_shared(config: &ServerConfig) -> anyhow::Result<(Store, Prepared)> {
    prepare_locked(config, LockMode::Shared)
}

fn prepare_locked(config: &ServerConfig, mode: LockMode) -> anyhow::Result<(Store, Prepared)> {
    let store = Store::open_locked(&config.db_path, mode).map_err(|err| match err {
        StoreError::InUse(sentence) => anyhow::anyhow!(sentence),
        other => anyhow::Error::new(other).context(format!(
            "cannot open the database {}",
            config.db_path.display()
        )),
    })?;
    let prepared = store.blocking(|conn| bootstrap_if_empty(conn, config))?;
    if matches!(prepared, Prepared::Existing) {
        warn_seed_skipped(config);
    }
    Ok((store, prepared))
}

/// Says that a seed flag was ignored: seeding only ever fills an empty database.
fn warn_seed_skipped(config: &ServerConfig) {
    let flags = match (config.seed_demo, config.seed_keys > 0) {
        (true, true) => "--seed-demo and --seed-keys only fill",
        (true, false) => "--seed-demo only fills",
        (false, true) => "--seed-keys only fills",
        (false, false) => return,
    };
    tracing::warn!("the database already holds data; {flags} an empty database");
}

/// The seed data an empty database gets: the demo account, and/or generated keys (which come
/// with the demo's roles, so they hold real ones).
fn seed_empty(tx: &rusqlite::Connection, config: &ServerConfig) -> store::StoreResult<()> {
    if !config.seed_demo && config.seed_keys == 0 {
        return Ok(());
    }
    let account_id = accounts::find(tx, &config.account)?.expect("account just created");
    let now = chrono::Utc::now();
    if config.seed_demo {
        seed::seed_demo(tx, account_id, &config.account, now)?;
    } else {
        seed::seed_demo_roles(tx, account_id)?;
    }
    if config.seed_keys > 0 {
        seed_generated::seed_generated(tx, account_id, &config.account, config.seed_keys, now)?;
    }
    Ok(())
}

/// Creates the account in one write transaction, the emptiness check included (two demo
/// windows starting at once create it once). The credentials file is written atomically
/// before the commit: a crash before the commit leaves an empty database, and the next start
/// overwrites the stale file; a crash after it leaves a file that matches.
fn bootstrap_if_empty(
    conn: &mut rusqlite::Connection,
    config: &ServerConfig,
) -> store::StoreResult<Prepared> {
    let tx = store::begin_write(conn)?;
    sessions::purge_expired(&tx, chrono::Utc::now().timestamp())?;
    if !accounts::is_empty(&tx)? {
        tx.commit()?;
        return Ok(Prepared::Existing);
    }
    let credentials = bootstrap::create_account_in(&tx, &config.account)?;
    seed_empty(&tx, config)?;
    let written = credentials
        .write(&config.db_path)
        .map_err(|err| StoreError::Invalid(format!("{err:#}")))?;
    if let Err(err) = tx.commit() {
        let _ = std::fs::remove_file(&written);
        return Err(err.into());
    }
    Ok(Prepared::Bootstrapped(credentials))
}

/// A server running on a tokio task. Dropping it without `shutdown` leaves it running until the runtime ends.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub store: Store,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningServer {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets in-flight requests finish, closes idle connections, and
    /// waits; connections still open after `Limits::shutdown_grace` are dropped.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        (&mut self.task).await.context("server task panicked")?;
        Ok(())
    }
}

/// Binds, prepares the database, and serves on a background task. The port comes first: a
/// start on a busy port fails before it creates a database, its lock or its credentials file.
pub async fn start(config: &ServerConfig) -> anyhow::Result<(RunningServer, Prepared)> {
    let listener = bind(config.bind).await?;
    let prep_config = config.clone();
    let (store, prepared) = tokio::task::spawn_blocking(move || prepare(&prep_config)).await??;
    let running = serve_listener(store, listener, config.limits.clone())?;
    Ok((running, prepared))
}

/// Serves an already prepared store, under `limits` (see [`listener::serve`]).
pub async fn serve_store(
    store: Store,
    bind_to: SocketAddr,
    limits: Limits,
) -> anyhow::Result<RunningServer> {
    let listener = bind(bind_to).await?;
    serve_listener(store, listener, limits)
}

/// Opens the listening socket, with a sentence naming the address when it cannot.
async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|err| {
        let hint = if err.kind() == std::io::ErrorKind::AddrInUse {
            " (another program is listening there; stop it or choose another address with --bind)"
        } else {
            ""
        };
        anyhow::anyhow!("cannot listen on {addr}: {err}{hint}")
    })
}

fn serve_listener(
    store: Store,
    listener: TcpListener,
    limits: Limits,
) -> anyhow::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let app = api::router(store.clone(), &limits);
    let task = tokio::spawn(listener::serve(listener, app, limits, shutdown_rx));
    Ok(RunningServer {
        addr,
        store,
        shutdown: Some(shutdown_tx),
        task,
    })
}
