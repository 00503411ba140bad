//! Parses the command line and hands over to the chosen mode; nothing else.

mod cli;
mod commands;
mod serve;

use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser};

use apikeys::server::ServerConfig;
use cli::{Cli, Command};

fn main() -> ExitCode {
    let Cli { global, command } = Cli::parse();
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
        None => demo_server(),
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
    })
}

/// Until the terminal UI lands, the default mode serves the demo account in the foreground.
fn demo_server() -> anyhow::Result<()> {
    eprintln!(
        "apikeys: the terminal UI is not built yet; serving the demo account instead (Ctrl-C stops)."
    );
    serve::serve(ServerConfig {
        bind: "127.0.0.1:8808".parse().expect("valid address"),
        db_path: apikeys::embedded::demo_db_path()?,
        account: apikeys::embedded::DEMO_ACCOUNT.into(),
        seed_demo: true,
    })
}
