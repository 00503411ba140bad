//! The embedded default: with no account configured, apikeys runs its own reference server
//! in-process on loopback, over a demo database seeded on first use, and talks to that.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context;

use crate::server::{self, AdminCredentials, Prepared, RunningServer, ServerConfig};
use crate::vtex::{ClientOptions, Credentials, VtexClient};

pub const DEMO_ACCOUNT: &str = "demo";

/// `$XDG_DATA_HOME/apikeys/demo.sqlite3`
pub fn demo_db_path() -> anyhow::Result<PathBuf> {
    Ok(crate::paths::data_dir()
        .context("no data directory is known for the demo database (set XDG_DATA_HOME or HOME)")?
        .join("demo.sqlite3"))
}

/// A running demo server and a client signed in with its admin key.
pub struct Embedded {
    pub server: RunningServer,
    pub client: VtexClient,
}

/// Starts the demo server on 127.0.0.1 (a free port) and returns a ready client.
pub async fn start(options: ClientOptions) -> anyhow::Result<Embedded> {
    start_at(demo_db_path()?, options).await
}

pub async fn start_at(db_path: PathBuf, options: ClientOptions) -> anyhow::Result<Embedded> {
    let config = ServerConfig {
        bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        db_path: db_path.clone(),
        account: DEMO_ACCOUNT.into(),
        seed_demo: true,
        seed_keys: 0,
        limits: server::Limits::default(),
    };
    // Credentials are settled before serving, so a failure leaves no server behind. The lock is
    // shared: two app windows may run the demo on one database, but not beside `serve`.
    let (store, prepared) =
        tokio::task::spawn_blocking(move || server::prepare_shared(&config)).await??;
    let admin = match prepared {
        Prepared::Bootstrapped(admin) => admin,
        Prepared::Existing => AdminCredentials::read(&db_path).with_context(|| {
            format!(
                "the demo database {} has no usable admin credentials; delete it (and its .admin.json) to start a fresh demo",
                db_path.display()
            )
        })?,
    };
    let server = server::serve_store(
        store,
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        server::Limits::default(),
    )
    .await?;
    let base_url = url::Url::parse(&server.base_url()).context("server address")?;
    let client = VtexClient::new(
        base_url,
        Credentials {
            app_key: admin.app_key,
            app_token: admin.app_token,
        },
        options,
    )?;
    Ok(Embedded { server, client })
}
