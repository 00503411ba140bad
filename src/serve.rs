//! `apikeys serve`: the reference server in the foreground until SIGINT or SIGTERM.

use anyhow::Context;
use secrecy::ExposeSecret;

use apikeys::server::{self, Prepared, ServerConfig};

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

pub fn serve(config: ServerConfig) -> anyhow::Result<()> {
    init_logging();
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
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
        let surface = if config.limits.public_api_only {
            " (VTEX's public API only)"
        } else {
            ""
        };
        println!(
            "apikeys reference server{surface} for {} listening on {} (database {})",
            config.account,
            running.base_url(),
            config.db_path.display()
        );
        if config.limits.public_api_only {
            println!("{PUBLIC_ONLY_NOTICE}");
        }
        shutdown_signal().await;
        tracing::info!("shutting down");
        running.shutdown().await
    });
    // The server has stopped; a database call still running on the blocking pool must not keep
    // the process alive (dropping the runtime would wait for it without bound).
    runtime.shutdown_timeout(RUNTIME_SHUTDOWN_WAIT);
    result
}

/// Said at startup under `--public-api-only`, so nobody mistakes the stand-in for the full server.
const PUBLIC_ONLY_NOTICE: &str = "The apikeys extensions (delete, undo renewal, settings, external keys, session, audit) answer 404 with an empty body, as VTEX does, and expand is ignored.";

/// After the server's own shutdown grace, how long leftover blocking work may still run.
const RUNTIME_SHUTDOWN_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

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
