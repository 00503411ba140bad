//! Parses the command line and hands over to the chosen mode; nothing else.

mod cli;
mod commands;
mod hardening;
mod serve;

use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser};

use apikeys::server::ServerConfig;
use apikeys::session::{self, Session};
use cli::{Cli, Command};

fn main() -> ExitCode {
    // Before anything can hold a token (the command line, the config, the environment).
    hardening::forbid_memory_inspection();
    let Cli {
        global,
        tui,
        command,
    } = Cli::parse();
    let result = match command {
        Some(Command::Serve(args)) => serve_args(args, global.account),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "apikeys",
                &mut std::io::stdout(),
            );
            Ok(())
        }
        Some(command) => return commands::run(global, command),
        None => return terminal_app(global, tui),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("apikeys: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve_args(args: cli::ServeArgs, account: Option<String>) -> anyhow::Result<()> {
    let db = match args.db {
        Some(db) => db,
        None => apikeys::paths::default_server_db()
            .context("no data directory is known (set XDG_DATA_HOME or HOME, or pass --db)")?,
    };
    serve::serve(ServerConfig {
        bind: args.bind,
        db_path: db,
        account: account.unwrap_or_else(|| apikeys::embedded::DEMO_ACCOUNT.into()),
        seed_demo: args.seed_demo,
        limits: apikeys::server::Limits::default(),
    })
}

/// The terminal app on the configured profile, or on the embedded demo when there is none.
fn terminal_app(global: cli::GlobalArgs, args: cli::TuiArgs) -> ExitCode {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!(
            "apikeys: the terminal app needs a terminal; for scripts use the subcommands (apikeys --help)."
        );
        return ExitCode::from(2);
    }
    session::finish(session::block_on(async {
        let session = Session::open(&global.request()).await?;
        let refresh = args.refresh.or(session.refresh_secs).unwrap_or(30);
        let options = apikeys::tui::Options {
            header: apikeys::tui::state::Header {
                account: global.account.clone().unwrap_or_default(),
                profile: session.profile.clone(),
                caller_key: session.client.app_key().to_string(),
                trading_name: None,
                insecure_http: session.insecure_http,
                token_source: Some(session.token_source.clone()),
            },
            read_only: args.read_only,
            mouse: args.mouse,
            refresh_every: std::time::Duration::from_secs(refresh),
            clipboard: session.clipboard.clone(),
        };
        let outcome = apikeys::tui::run(session.client.clone(), options).await;
        session.close().await;
        outcome.map_err(|err| session::Failure::Failed(format!("{err:#}")))
    }))
}
