//! The composition root: from what the command line asks for to a ready client. It reads the
//! config file once, resolves the profile (or starts the embedded demo server), applies
//! `--clipboard` over the file's settings, and owns the runtime. The scripting CLI and the
//! terminal app both start here; neither builds a client or a server of its own.

use std::future::Future;
use std::time::Duration;

use crate::clipboard;
use crate::config::{self, ConfigFile, Overrides, ProcessEnv, Target, TokenSource};
use crate::embedded;
use crate::server::RunningServer;
use crate::vtex::{ClientError, ClientOptions, Credentials, VtexClient};

/// Why a run failed, and so which exit code it gets (main.rs maps it, in one place).
#[derive(Debug)]
pub enum Failure {
    /// The command line or configuration is wrong, found before any request: exit 2.
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

/// What the command line asks for, whatever the mode.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub overrides: Overrides,
    /// `--timeout`: seconds for a whole command (in the app, for each action).
    pub timeout_secs: f64,
    /// `--clipboard`, which wins over the config file.
    pub clipboard: Option<clipboard::Mode>,
}

/// A client, and the embedded server behind it when there is one.
pub struct Session {
    pub client: VtexClient,
    /// How to name the target: the profile, or "local" for the embedded default (the title then
    /// reads "demo · local").
    pub profile: String,
    /// Seconds between automatic refreshes in the terminal app, from the config file.
    pub refresh_secs: Option<u64>,
    /// The config file's clipboard settings, with `--clipboard` applied.
    pub clipboard: clipboard::Settings,
    /// Plain http to another machine, allowed by the profile's `insecure_http = true`.
    pub insecure_http: bool,
    /// Where the token came from, for the app to name when the server refuses it.
    pub token_source: TokenSource,
    embedded: Option<RunningServer>,
    /// What the terminal app needs to switch profiles later (`Session::connector`).
    file: Option<ConfigFile>,
    options: ClientOptions,
    /// The profile started on, as the app's picker names it ("demo" for the embedded one).
    started_on: Option<String>,
}

impl Session {
    /// The server the flags, environment and config file point at; the embedded demo when none.
    pub async fn open(request: &Request) -> Result<Session, Failure> {
        let options = client_options(request.timeout_secs)?;
        let config_path = config::default_config_path();
        let file = ConfigFile::load(config_path.as_deref())?;
        let settings = file.settings();
        let mut clipboard = clipboard::Settings::from_config(&settings);
        if let Some(mode) = request.clipboard {
            clipboard.mode = mode;
        }
        let target = config::resolve(&request.overrides, &ProcessEnv, &file).await?;
        let started_on = match &target {
            Target::Demo => Some(crate::tui::connector::DEMO.to_string()),
            Target::Remote(remote) => remote.profile.clone(),
        };
        let (client, profile, insecure_http, token_source, embedded) = match target {
            Target::Demo => {
                let demo = embedded::start(options.clone()).await.map_err(|err| {
                    Failure::Failed(format!("cannot start the embedded demo server: {err:#}"))
                })?;
                let source = TokenSource::EmbeddedDemo {
                    admin_file: demo_admin_file(),
                };
                let profile = "local".to_string();
                (demo.client, profile, false, source, Some(demo.server))
            }
            Target::Remote(remote) => {
                let source = remote.token_source.clone();
                warn_cleartext(&remote);
                let (client, profile, insecure_http) = remote_client(remote, options.clone())?;
                (client, profile, insecure_http, source, None)
            }
        };
        Ok(Session {
            client,
            profile,
            refresh_secs: settings.refresh_secs,
            clipboard,
            insecure_http,
            token_source,
            embedded,
            file: Some(file),
            options,
            started_on,
        })
    }

    /// What the terminal app switches profiles with: the config file read at start, the same
    /// client options, and the embedded demo server if the app started on it (then reused,
    /// and stopped by `Connector::close` rather than `Session::close`).
    /// The `[profiles.NAME.rotation]` settings of the profile in use, and the config file's
    /// name for messages.
    pub fn rotation_config(&self) -> (config::RotationConfig, String) {
        match (&self.file, &self.started_on) {
            (Some(file), Some(profile)) => (file.rotation(profile), file.shown().to_string()),
            (Some(file), None) => (Default::default(), file.shown().to_string()),
            _ => (Default::default(), "the config file".to_string()),
        }
    }

    /// The config file's `[posture]` thresholds, for `apikeys report` and the app's Insights.
    pub fn posture_thresholds(&self) -> crate::posture::Thresholds {
        self.file
            .as_ref()
            .map(ConfigFile::posture)
            .unwrap_or_default()
    }

    /// The config file's profile this session is on; `None` on the demo or with credentials
    /// from the command line and the environment alone.
    pub fn config_profile(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        let profile = self.started_on.as_ref()?;
        file.profile_names()
            .contains(profile)
            .then(|| profile.clone())
    }

    /// How the rotation journal names this server: its base URL, or the embedded demo (whose
    /// port changes from run to run).
    pub fn journal_server(&self) -> String {
        if self.embedded.is_some() {
            crate::rotation::EMBEDDED_DEMO.to_string()
        } else {
            self.client.base_url().to_string()
        }
    }

    pub fn connector(&mut self) -> crate::tui::connector::Connector {
        let file = self
            .file
            .take()
            .unwrap_or_else(|| ConfigFile::load(None).expect("an absent file always loads"));
        let mut connector = crate::tui::connector::Connector::new(file, self.options.clone());
        if let Some(server) = self.embedded.take() {
            connector = connector.with_running_demo(embedded::Embedded {
                server,
                client: self.client.clone(),
            });
        }
        connector.started_on(self.started_on.clone())
    }

    /// Stops the embedded server, if there is one, once its answers are all sent.
    pub async fn close(self) {
        if let Some(server) = self.embedded {
            let _ = server.shutdown().await;
        }
    }
}

/// Where the embedded demo keeps its admin key's token, as a refusal names it.
pub(crate) fn demo_admin_file() -> String {
    embedded::demo_db_path()
        .map(|db| {
            crate::server::bootstrap::credentials_path(&db)
                .display()
                .to_string()
        })
        .unwrap_or_else(|_| "the demo database's .admin.json".to_string())
}

fn client_options(timeout_secs: f64) -> Result<ClientOptions, Failure> {
    if !(timeout_secs.is_finite() && timeout_secs > 0.0 && timeout_secs <= 3600.0) {
        return Err(Failure::Usage(
            "--timeout takes a number of seconds between 0 and 3600.".into(),
        ));
    }
    Ok(ClientOptions {
        timeout: Duration::from_secs_f64(timeout_secs),
        ..ClientOptions::default()
    })
}

/// Said on stderr before the app draws; a switch inside the app shows it in the header.
fn warn_cleartext(remote: &config::Remote) {
    if remote.insecure_http {
        eprintln!(
            "apikeys: warning: {} is plain http; the app token crosses the network unencrypted (insecure_http = true in the profile).",
            remote.base_url
        );
    }
}

/// A client for a resolved remote, the name to show for it, and its insecure_http flag.
pub(crate) fn remote_client(
    remote: config::Remote,
    options: ClientOptions,
) -> Result<(VtexClient, String, bool), Failure> {
    let profile = remote
        .profile
        .clone()
        .unwrap_or_else(|| remote.base_url.to_string());
    let client = VtexClient::new(
        remote.base_url,
        Credentials {
            app_key: remote.app_key,
            app_token: remote.app_token,
        },
        options,
    )?;
    Ok((client, profile, remote.insecure_http))
}

/// Runs `work` on a fresh multi-threaded runtime: the one runtime of a run.
pub fn block_on<T>(work: impl Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
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
