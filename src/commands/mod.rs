//! The scripting CLI: each command resolves its target server, calls the client, prints.
//! Exit codes: 0 success, 1 an API or network error, 2 a usage error. Messages go to stderr.

mod account;
mod external;
mod keys;

use std::process::ExitCode;
use std::time::Duration;

use apikeys::config::{self, Overrides, ProcessEnv, Target};
use apikeys::embedded;
use apikeys::server::RunningServer;
use apikeys::vtex::model::{AppKey, RoleDetails};
use apikeys::vtex::{ClientError, ClientOptions, Credentials, VtexClient};

use crate::cli::{Command, GlobalArgs};

/// Why a command failed, and so which exit code it gets.
pub enum Failure {
    /// The command line or configuration is wrong: exit 2.
    Usage(String),
    /// The API, the network, or the state of the account said no: exit 1.
    Failed(String),
}

impl From<ClientError> for Failure {
    fn from(err: ClientError) -> Failure {
        Failure::Failed(err.to_string())
    }
}

impl From<config::ConfigError> for Failure {
    fn from(err: config::ConfigError) -> Failure {
        Failure::Usage(err.to_string())
    }
}

pub type CommandResult = Result<(), Failure>;

/// A client, and the embedded server behind it when there is one.
pub struct Connection {
    pub client: VtexClient,
    /// How to name the target: the profile, or "local" for the embedded default (the title then
    /// reads "demo · local").
    pub profile: String,
    /// Seconds between automatic refreshes in the terminal app, from the config file.
    pub refresh_secs: Option<u64>,
    /// The config file's clipboard settings, with `--clipboard` applied.
    pub clipboard: apikeys::clipboard::Settings,
    /// Plain http to another machine, allowed by the profile's `insecure_http = true`.
    pub insecure_http: bool,
    embedded: Option<RunningServer>,
}

impl Connection {
    pub async fn close(self) {
        if let Some(server) = self.embedded {
            let _ = server.shutdown().await;
        }
    }
}

fn client_options(global: &GlobalArgs) -> Result<ClientOptions, Failure> {
    if !(global.timeout.is_finite() && global.timeout > 0.0 && global.timeout <= 3600.0) {
        return Err(Failure::Usage(
            "--timeout takes a number of seconds between 0 and 3600.".into(),
        ));
    }
    Ok(ClientOptions {
        timeout: Duration::from_secs_f64(global.timeout),
        ..ClientOptions::default()
    })
}

/// The server the flags, environment and config file point at; the embedded demo when none.
pub async fn connect(global: &GlobalArgs) -> Result<Connection, Failure> {
    let overrides = Overrides {
        profile: global.profile.clone(),
        account: global.account.clone(),
        environment: global.environment.clone(),
        base_url: global.base_url.clone(),
        demo: global.demo,
    };
    let options = client_options(global)?;
    let config_path = config::default_config_path();
    let settings = config::load_settings(config_path.as_deref())?;
    let refresh_secs = settings.refresh_secs;
    let mut clipboard =
        apikeys::clipboard::Settings::from_config(&settings).map_err(Failure::Usage)?;
    if let Some(mode) = global.clipboard {
        clipboard.mode = mode;
    }
    match config::resolve(&overrides, &ProcessEnv, config_path.as_deref())? {
        Target::Demo => {
            let embedded = embedded::start(options).await.map_err(|err| {
                Failure::Failed(format!("cannot start the embedded demo server: {err:#}"))
            })?;
            Ok(Connection {
                client: embedded.client,
                profile: "local".into(),
                refresh_secs,
                clipboard,
                insecure_http: false,
                embedded: Some(embedded.server),
            })
        }
        Target::Remote(remote) => {
            let profile = remote
                .profile
                .clone()
                .unwrap_or_else(|| remote.base_url.to_string());
            if remote.insecure_http {
                eprintln!(
                    "apikeys: warning: {} is plain http; the app token crosses the network unencrypted (insecure_http = true in the profile).",
                    remote.base_url
                );
            }
            let insecure_http = remote.insecure_http;
            let client = VtexClient::new(
                remote.base_url,
                Credentials {
                    app_key: remote.app_key,
                    app_token: remote.app_token,
                },
                options,
            )?;
            Ok(Connection {
                client,
                profile,
                refresh_secs,
                clipboard,
                insecure_http,
                embedded: None,
            })
        }
    }
}

/// Runs an API command on its own runtime and maps the outcome to an exit code.
pub fn run(global: GlobalArgs, command: Command) -> ExitCode {
    init_logging();
    finish(block_on(async {
        let connection = connect(&global).await?;
        // --timeout bounds the whole command, however many calls and retries it makes.
        let outcome = connection
            .client
            .within_deadline(dispatch(&connection, command))
            .await;
        connection.close().await;
        outcome
    }))
}

/// Runs a future on a fresh multi-threaded runtime.
pub fn block_on(work: impl std::future::Future<Output = CommandResult>) -> CommandResult {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(work),
        Err(err) => Err(Failure::Failed(format!(
            "cannot start the async runtime: {err}"
        ))),
    }
}

/// Prints a failure and maps the outcome to an exit code.
pub fn finish(outcome: CommandResult) -> ExitCode {
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

async fn dispatch(connection: &Connection, command: Command) -> CommandResult {
    let client = &connection.client;
    match command {
        Command::Keys(command) => keys::run(client, &connection.clipboard, command).await,
        Command::External(command) => external::run(client, command).await,
        Command::Roles(command) => account::roles(client, command).await,
        Command::Settings(command) => account::settings(client, command).await,
        Command::Audit { limit, output } => account::audit(client, limit, output.output).await,
        Command::Whoami { output } => account::whoami(client, output.output).await,
        Command::Serve(_) | Command::Completions { .. } => {
            unreachable!("handled before connecting")
        }
    }
}

/// Finds a generated key by id, appKey or exact label.
pub async fn find_key(client: &VtexClient, wanted: &str) -> Result<AppKey, Failure> {
    let wanted = wanted.trim();
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

/// Prints what a command produced to stdout.
pub fn print(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
