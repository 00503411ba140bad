//! Parses the command line and hands over to the chosen mode; nothing else.

mod cli;
mod commands;
mod flags;
mod hardening;
mod serve;

use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser};

use apikeys::server::ServerConfig;
use apikeys::session::{self, Failure, Request, Session};
use cli::Cli;
use flags::Mode;

fn main() -> ExitCode {
    // Before anything can hold a token (the command line, the config, the environment).
    hardening::forbid_memory_inspection();
    // Clap's own errors (an unknown flag, a bad value) exit 2 from here, its help 0.
    let outcome = match Cli::parse().mode() {
        Err(message) => Err(Failure::Usage(message)),
        Ok(Mode::Serve(args)) => {
            serve_args(args).map_err(|err| Failure::Failed(format!("{err:#}")))
        }
        Ok(Mode::Completions(shell)) => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "apikeys", &mut std::io::stdout());
            Ok(())
        }
        Ok(Mode::Client { request, command }) => commands::run(&request, command),
        Ok(Mode::App {
            request,
            account,
            tui,
        }) => terminal_app(&request, account, tui),
    };
    exit_code(outcome)
}

/// The one place an outcome becomes an exit code, its message going to stderr: 0 success;
/// 1 the server or the network said no (an API error, a refused change, a key that is not
/// there); 2 the command line is wrong, found before any change is sent (a bad value, an
/// unknown role name, an empty label, a missing --yes, a config file it cannot use).
fn exit_code(outcome: Result<(), Failure>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("apikeys: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("apikeys: {message}");
            ExitCode::from(1)
        }
    }
}

fn serve_args(args: cli::ServeArgs) -> anyhow::Result<()> {
    let db = match args.db {
        Some(db) => db,
        None => apikeys::paths::default_server_db()
            .context("no data directory is known (set XDG_DATA_HOME or HOME, or pass --db)")?,
    };
    serve::serve(ServerConfig {
        bind: args.bind,
        db_path: db,
        account: args
            .account
            .unwrap_or_else(|| apikeys::embedded::DEMO_ACCOUNT.into()),
        seed_demo: args.seed_demo,
        seed_keys: args.seed_keys.map_or(0, |n| n as usize),
        limits: apikeys::server::Limits {
            rate_limit: apikeys::server::limits::RateLimit::per_second(args.rate_limit),
            public_api_only: args.public_api_only,
            ..apikeys::server::Limits::default()
        },
    })
}

/// What the app's `:rotate` uses: the profile's rotation table, the journal in the state
/// directory, and the journal's name for this server.
fn rotation_setup(session: &Session) -> apikeys::tui::rotation::Setup {
    let (config, file) = session.rotation_config();
    apikeys::tui::rotation::Setup {
        config,
        profile: session.config_profile(),
        file,
        server: session.journal_server(),
        journal: apikeys::rotation::journal::default_path().ok(),
    }
}

/// The terminal app on the configured profile, or on the embedded demo when there is none.
fn terminal_app(
    request: &Request,
    account: Option<String>,
    args: flags::TuiArgs,
) -> Result<(), Failure> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "the terminal app needs a terminal; for scripts use the subcommands (apikeys --help)."
                .into(),
        ));
    }
    session::block_on(async {
        let mut session = Session::open(request).await?;
        // Read before the connector takes the config file over.
        let rotation = rotation_setup(&session);
        let posture = session.posture_thresholds();
        let connector = std::sync::Arc::new(session.connector());
        let refresh = args.refresh.or(session.refresh_secs).unwrap_or(30);
        let options = apikeys::tui::Options {
            header: apikeys::tui::state::Header {
                account: account.unwrap_or_default(),
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
            history: apikeys::tui::command_line::history::default_path(),
            connector: Some(connector.clone()),
            rotation,
            posture,
        };
        let outcome = apikeys::tui::run(session.client.clone(), options).await;
        // The demo server, if the app started on it or switched to it.
        connector.close().await;
        session.close().await;
        outcome.map_err(|err| Failure::Failed(format!("{err:#}")))
    })
}
