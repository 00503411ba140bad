//! Switching profiles while the app runs (k9s contexts): the config file's profiles plus the
//! embedded demo, each connected to by name. Credentials are resolved as at start, except
//! that the environment is left out (see [`Connector::connect`]) and a token command runs
//! detached from the terminal the app draws on. A connection is tried (capabilities and a
//! first key listing) before it is handed over, so a profile that cannot connect changes
//! nothing.

use std::path::PathBuf;

use tokio::sync::Mutex;

use super::state::Header;
use super::strings::profiles as text;
use crate::config::{self, ConfigFile, NoEnv, Overrides, Target, TokenSource};
use crate::embedded::{self, Embedded};
use crate::vtex::{ClientError, ClientOptions, VtexClient};

/// The embedded demo server, as the picker names it.
pub const DEMO: &str = "demo";

/// A profile connected to and tried: the client to use from now on and what the header shows.
pub struct Connected {
    /// The name the picker lists it under.
    pub name: String,
    pub client: VtexClient,
    pub header: Header,
    /// The profile's rotation settings and how the journal names its server (the journal's
    /// path is the app's).
    pub rotation: super::rotation::Setup,
}

impl std::fmt::Debug for Connected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The client holds a token: only where it points is shown.
        f.debug_struct("Connected")
            .field("name", &self.name)
            .field("base_url", &self.client.base_url().as_str())
            .field("header", &self.header)
            .finish()
    }
}

/// One entry of the picker: a name and, when known without a token, what it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileEntry {
    pub name: String,
    pub target: Option<String>,
}

/// Connects to profiles by name. Owned by the event loop (shared with its connection tasks).
pub struct Connector {
    file: ConfigFile,
    options: ClientOptions,
    /// The demo database; `None`: the user's ($XDG_DATA_HOME).
    demo_db: Option<PathBuf>,
    /// Started on first use (or handed over when the app started on it), kept until `close`.
    demo: Mutex<Option<Embedded>>,
    started_on: Option<String>,
}

impl Connector {
    /// Profiles of `file`, clients built with `options` (the `--timeout` of the start).
    pub fn new(file: ConfigFile, options: ClientOptions) -> Connector {
        Connector {
            file,
            options,
            demo_db: None,
            demo: Mutex::new(None),
            started_on: None,
        }
    }

    /// The embedded demo on this database rather than the user's (tests).
    pub fn with_demo_db(mut self, path: PathBuf) -> Connector {
        self.demo_db = Some(path);
        self
    }

    /// The demo server the app started on: reused, not started twice.
    pub fn with_running_demo(self, demo: Embedded) -> Connector {
        Connector {
            demo: Mutex::new(Some(demo)),
            ..self
        }
    }

    /// The profile the app started on, as listed (marked current in the picker).
    pub fn started_on(mut self, name: Option<String>) -> Connector {
        self.started_on = name;
        self
    }

    pub fn current_at_start(&self) -> Option<&str> {
        self.started_on.as_deref()
    }

    /// The config file's profiles, then the embedded demo — unless a profile of the file is
    /// itself called "demo": what the user wrote wins.
    pub fn profiles(&self) -> Vec<ProfileEntry> {
        let mut entries: Vec<ProfileEntry> = self
            .file
            .profile_names()
            .into_iter()
            .map(|name| ProfileEntry {
                target: self.file.profile_target(&name),
                name,
            })
            .collect();
        if !entries.iter().any(|entry| entry.name == DEMO) {
            entries.push(ProfileEntry {
                name: DEMO.to_string(),
                target: Some(text::DEMO_TARGET.to_string()),
            });
        }
        entries
    }

    /// Resolves `name`, builds its client and tries it. The error is the reason, as a
    /// sentence without any token.
    ///
    /// The environment (`VTEX_APP_KEY`, `VTEX_APP_TOKEN`, `VTEX_ACCOUNT`) is not read: at start
    /// it overrides the profile because it describes the one account the user is launching
    /// on, but a profile picked by name means that profile as the file writes it — sending
    /// the start account's token to another account's server would leak it, and fail.
    pub async fn connect(&self, name: &str) -> Result<Connected, String> {
        let names: Vec<String> = self.profiles().into_iter().map(|e| e.name).collect();
        if !names.iter().any(|known| known == name) {
            return Err(text::unknown_profile(&names));
        }
        let in_file = self.file.profile_names().iter().any(|known| known == name);
        let connected = if in_file {
            self.connect_remote(name).await?
        } else {
            self.connect_demo().await?
        };
        try_client(&connected.client).await?;
        Ok(connected)
    }

    async fn connect_remote(&self, name: &str) -> Result<Connected, String> {
        let overrides = Overrides {
            profile: Some(name.to_string()),
            ..Overrides::default()
        };
        let target = config::resolve_detached(&overrides, &NoEnv, &self.file)
            .await
            .map_err(|err| err.to_string())?;
        let Target::Remote(remote) = target else {
            return self.connect_demo().await;
        };
        let account = remote.account.clone();
        let token_source = remote.token_source.clone();
        let (client, profile, insecure_http) =
            crate::session::remote_client(remote, self.options.clone()).map_err(
                |err| match err {
                    crate::session::Failure::Usage(reason)
                    | crate::session::Failure::Failed(reason) => reason,
                },
            )?;
        let header = Header {
            account,
            profile,
            caller_key: client.app_key().to_string(),
            trading_name: None,
            insecure_http,
            token_source: Some(token_source),
        };
        let rotation = super::rotation::Setup {
            config: self.file.rotation(name),
            profile: Some(name.to_string()),
            file: self.file.shown().to_string(),
            server: client.base_url().to_string(),
            journal: None,
        };
        Ok(Connected {
            name: name.to_string(),
            client,
            header,
            rotation,
        })
    }

    /// The embedded demo, started on first use.
    async fn connect_demo(&self) -> Result<Connected, String> {
        let mut demo = self.demo.lock().await;
        if demo.is_none() {
            let db = match &self.demo_db {
                Some(db) => db.clone(),
                None => embedded::demo_db_path().map_err(|err| text::demo_failed(&err))?,
            };
            let started = embedded::start_at(db, self.options.clone())
                .await
                .map_err(|err| text::demo_failed(&err))?;
            *demo = Some(started);
        }
        let client = demo.as_ref().map(|d| d.client.clone()).expect("just set");
        let header = Header {
            account: embedded::DEMO_ACCOUNT.to_string(),
            // As at start: the title reads "demo · local".
            profile: "local".to_string(),
            caller_key: client.app_key().to_string(),
            trading_name: None,
            insecure_http: false,
            token_source: Some(TokenSource::EmbeddedDemo {
                admin_file: crate::session::demo_admin_file(),
            }),
        };
        let rotation = super::rotation::Setup {
            file: self.file.shown().to_string(),
            server: crate::rotation::EMBEDDED_DEMO.to_string(),
            ..Default::default()
        };
        Ok(Connected {
            name: DEMO.to_string(),
            client,
            header,
            rotation,
        })
    }

    /// Stops the embedded demo server, if one runs, once its answers are sent.
    pub async fn close(&self) {
        if let Some(demo) = self.demo.lock().await.take() {
            let _ = demo.server.shutdown().await;
        }
    }
}

/// The server's capabilities and a first key listing, under the client's deadline: a dead
/// port, a refused token or a wrong base URL shows here, before the app switches. A key that
/// may not list keys (403) is still a working connection.
async fn try_client(client: &VtexClient) -> Result<(), String> {
    let tried = client
        .within_deadline(async {
            client.capabilities().await?;
            match client.list_keys().await {
                Ok(_) | Err(ClientError::Forbidden { .. }) => Ok(()),
                Err(err) => Err(err),
            }
        })
        .await;
    tried.map_err(|err: ClientError| err.to_string())
}
