//! Command-line definitions and dispatch to the modes.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

use apikeys::server::{self, Prepared, ServerConfig};

#[derive(Parser)]
#[command(
    name = "apikeys",
    version,
    about = "Administer the API keys of a VTEX account"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the reference API server (VTEX's API-key contract over SQLite).
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8808")]
    bind: SocketAddr,
    /// SQLite database file [default: $XDG_DATA_HOME/apikeys/server.sqlite3].
    #[arg(long)]
    db: Option<PathBuf>,
    /// Account created on the first start of an empty database.
    #[arg(long, default_value = "demo")]
    account: String,
    /// Fill an empty database with a believable demo account.
    #[arg(long)]
    seed_demo: bool,
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Some(Command::Serve(args)) => {
            let db = match args.db {
                Some(db) => db,
                None => apikeys::paths::default_server_db().context(
                    "no data directory is known (set XDG_DATA_HOME or HOME, or pass --db)",
                )?,
            };
            serve(ServerConfig {
                bind: args.bind,
                db_path: db,
                account: args.account,
                seed_demo: args.seed_demo,
            })
        }
        None => {
            // Until the terminal UI lands, the app's default mode serves the demo account.
            let db = apikeys::paths::data_dir()
                .context("no data directory is known (set XDG_DATA_HOME or HOME)")?
                .join("demo.sqlite3");
            eprintln!(
                "apikeys: the terminal UI is not built yet; serving the demo account instead (Ctrl-C stops)."
            );
            serve(ServerConfig {
                bind: "127.0.0.1:8808".parse().expect("valid address"),
                db_path: db,
                account: "demo".into(),
                seed_demo: true,
            })
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in files or pipes.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

fn serve(config: ServerConfig) -> anyhow::Result<()> {
    init_logging();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let (running, prepared) = server::start(&config).await?;
        match prepared {
            Prepared::Bootstrapped(admin) => {
                let path = server::bootstrap::credentials_path(&config.db_path);
                println!(
                    "Created account {:?} with an admin key holding all four API-key resources.",
                    admin.account
                );
                println!("  appKey:   {}", admin.app_key);
                println!("  appToken: {}", admin.app_token.expose_secret());
                println!(
                    "This token is shown once. It is also saved to {} (mode 0600).",
                    path.display()
                );
            }
            Prepared::Existing => {}
        }
        println!(
            "apikeys reference server for {} listening on {} (database {})",
            config.account,
            running.base_url(),
            config.db_path.display()
        );
        shutdown_signal().await;
        tracing::info!("shutting down");
        running.shutdown().await
    })
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("install SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
