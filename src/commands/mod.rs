//! The scripting CLI: each command opens a [`Session`] (the composition root), calls the
//! client, prints.
//! Exit codes: 0 success, 1 an API or network error, 2 a usage error. Messages go to stderr.

mod account;
mod export;
mod external;
mod keys;
mod report;
mod rotate;

use apikeys::session::{self, Request, Session};
use apikeys::timefmt::{self, Zone};
use apikeys::vtex::model::{AppKey, RoleDetails};
use apikeys::vtex::time::Timestamp;
use apikeys::vtex::{ClientError, VtexClient};

use crate::cli::Command;

pub use apikeys::session::Failure;

pub type CommandResult = Result<(), Failure>;

/// Runs an API command on the session's runtime; main.rs maps the outcome to an exit code.
pub fn run(request: &Request, command: Command) -> CommandResult {
    init_logging();
    session::block_on(async {
        let session = Session::open(request).await?;
        let outcome = match command {
            // Each call is bounded by --timeout, each sink by its own limit; the run is not.
            Command::Rotate(args) => rotate::run(&session, *args).await,
            // One request per key against VTEX's public API: --timeout bounds each request,
            // not the export, which on a big account takes longer than any one call.
            Command::Export(args) => export::run(&session.client, *args).await,
            // --timeout bounds the whole command, however many calls and retries it makes.
            command => {
                session
                    .client
                    .within_deadline(dispatch(&session, command))
                    .await
            }
        };
        session.close().await;
        outcome
    })
}

/// With RUST_LOG set, request logs (method, path, status, latency; never a header or a body)
/// go to stderr; without it the CLI prints only its own messages.
fn init_logging() {
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init();
    }
}

async fn dispatch(session: &Session, command: Command) -> CommandResult {
    let client = &session.client;
    match command {
        Command::Keys(group) => keys::run(client, &session.clipboard, group.command).await,
        Command::External(group) => external::run(client, group.command).await,
        Command::Roles(group) => account::roles(client, group.command).await,
        Command::Settings(group) => account::settings(client, group.command).await,
        Command::Audit {
            limit, key, output, ..
        } => account::audit(client, limit, key.as_deref(), output.output).await,
        Command::Whoami { output, .. } => account::whoami(client, output.output).await,
        Command::Report {
            output, fail_on, ..
        } => report::run(session, output, fail_on).await,
        Command::Serve(_)
        | Command::Completions { .. }
        | Command::Rotate(_)
        | Command::Export(_) => {
            unreachable!("handled before connecting")
        }
    }
}

/// Finds a generated key by id, appKey or exact label.
pub async fn find_key(client: &VtexClient, wanted: &str) -> Result<AppKey, Failure> {
    let wanted = named_key(wanted, "its id, appKey or label", "apikeys keys list")?;
    let keys = match client.list_keys().await {
        Ok(keys) => keys,
        // A key without View API Keys (a rotation bot's) can still renew given an appKey.
        Err(err @ ClientError::Forbidden { .. }) => {
            return Err(Failure::Failed(format!(
                "{err} Without it, `keys renew`, `keys finish-renewal` and `keys undo-renewal` \
                 still work, given the key's appKey (vtexappkey-…) rather than an id or label."
            )));
        }
        Err(err) => return Err(err.into()),
    };
    if let Some(key) = keys.iter().find(|k| k.id == wanted || k.app_key == wanted) {
        return Ok(key.clone());
    }
    let by_label: Vec<&AppKey> = keys.iter().filter(|k| k.label == wanted).collect();
    match by_label.as_slice() {
        [key] => Ok((*key).clone()),
        [] => Err(Failure::Failed(format!(
            "no key has the id, appKey or label {wanted:?}; `apikeys keys list` shows them."
        ))),
        several => Err(Failure::Usage(format!(
            "{} keys are labelled {wanted:?} ({}); name one by its appKey.",
            several.len(),
            several
                .iter()
                .map(|k| k.app_key.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// `wanted` trimmed; an empty name is a usage error, found before any request.
pub fn named_key<'a>(wanted: &'a str, by: &str, listing: &str) -> Result<&'a str, Failure> {
    let wanted = wanted.trim();
    if wanted.is_empty() {
        return Err(Failure::Usage(format!(
            "name a key by {by}; `{listing}` shows them."
        )));
    }
    Ok(wanted)
}

/// Turns role names (any case) or numeric ids into ids, checking each exists.
pub async fn resolve_roles(client: &VtexClient, wanted: &[String]) -> Result<Vec<i64>, Failure> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let roles = client.list_roles().await?;
    wanted
        .iter()
        .map(|name| resolve_role(&roles, name))
        .collect()
}

fn resolve_role(roles: &[RoleDetails], wanted: &str) -> Result<i64, Failure> {
    let wanted = wanted.trim();
    if let Ok(id) = wanted.parse::<i64>()
        && roles.iter().any(|role| role.id == id)
    {
        return Ok(id);
    }
    roles
        .iter()
        .find(|role| role.name.eq_ignore_ascii_case(wanted))
        .map(|role| role.id)
        .ok_or_else(|| {
            Failure::Usage(format!(
                "this account has no role {wanted:?}; `apikeys roles list` shows them."
            ))
        })
}

/// A date for CSV: RFC 3339 in UTC with `Z` (as in JSON); empty when there is none.
pub fn csv_date(at: Option<Timestamp>) -> String {
    at.as_ref().map(Timestamp::rfc3339).unwrap_or_default()
}

/// A day for a table, in the user's zone (`TZ`), as the app's lists show it.
pub fn table_day(at: Option<Timestamp>) -> Option<String> {
    at.map(|t| timefmt::date(t.0, Zone::Local))
}

/// A moment for a table: the user's local time to the second, with its offset
/// ("2026-03-01 14:05:09 -03:00", or "… UTC"), as the app's details show it.
pub fn table_moment(at: Option<Timestamp>) -> Option<String> {
    at.map(|t| timefmt::date_time_seconds(t.0, Zone::Local))
}

/// Prints what a command produced to stdout.
pub fn print(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
