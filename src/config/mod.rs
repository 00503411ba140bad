//! Profiles and credentials: which server apikeys talks to, and with which credentials.
//!
//! The configuration lives in `$XDG_CONFIG_HOME/apikeys/config.toml` (see
//! [`default_config_path`]). It holds a few top-level [`Settings`] and named profiles:
//!
//! ```toml
//! default_profile = "mystore"      # optional
//! clipboard = "auto"               # optional settings, top level
//! clear_after_secs = 45
//! osc52_clear = false
//! refresh_secs = 30
//!
//! [profiles.mystore]
//! account = "mystore"
//! environment = "vtexcommercestable"   # optional, default vtexcommercestable
//! # base_url = "https://proxy.example"  # optional; wins over account + environment
//! app_key = "vtexappkey-mystore-ABCDEF"
//! token_command = "pass show vtex/mystore"   # optional
//! # app_token = "…"   # allowed only when the file is mode 0600
//! # insecure_http = true   # allows a plain http:// base_url to another machine (private proxy)
//! ```
//!
//! The file is read once ([`ConfigFile::load`]); its [`Settings`] are typed, so a bad value
//! (`clipboard = "clipbaord"`) is reported with the file and line. [`resolve`] combines the
//! file with the command line ([`Overrides`]) and the environment ([`Env`]:
//! `APIKEYS_PROFILE`, `VTEX_ACCOUNT`, `VTEX_APP_KEY`, `VTEX_APP_TOKEN`), running the profile's
//! token command if it has to ([`token_command`]). With no account configured anywhere it
//! answers [`Target::Demo`], the embedded demo server.
//!
//! Secrets: a token is never taken from the command line, never printed by `Debug` (secrecy
//! prints `[REDACTED]`), and never part of an error message (not even a TOML syntax error on the
//! line that holds it).

mod error;
mod file;
mod resolve;
#[cfg(test)]
mod tests;
pub mod token_command;

pub use error::ConfigError;
pub use file::{ConfigFile, RotationConfig};
pub use resolve::{
    account_from_app_key, is_valid_account, normalize_token, resolve, resolve_detached,
};

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use crate::clipboard::{Mode, WrapSetting};

/// The VTEX environment used when neither `--environment` nor the profile names one.
pub const DEFAULT_ENVIRONMENT: &str = "vtexcommercestable";

/// How long a `token_command` may run before it is killed.
pub const TOKEN_COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// Environment variable naming the profile to use (after `--profile`).
pub const ENV_PROFILE: &str = "APIKEYS_PROFILE";
/// Environment variable naming the VTEX account (after `--account` and the profile).
pub const ENV_ACCOUNT: &str = "VTEX_ACCOUNT";
/// Environment variable holding the app key; it wins over the profile's `app_key`.
pub const ENV_APP_KEY: &str = "VTEX_APP_KEY";
/// Environment variable holding the app token; it wins over the profile's token sources.
pub const ENV_APP_TOKEN: &str = "VTEX_APP_TOKEN";

/// `$XDG_CONFIG_HOME/apikeys/config.toml` (dirs::config_dir()).
pub fn default_config_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("apikeys").join("config.toml"))
}

/// What the command line says (global flags).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub profile: Option<String>,
    pub account: Option<String>,
    pub environment: Option<String>,
    pub base_url: Option<String>,
    pub demo: bool,
}

/// No environment at all: a profile chosen by name in the app is taken as the file writes it.
pub struct NoEnv;

impl Env for NoEnv {
    fn var(&self, _name: &str) -> Option<String> {
        None
    }
}

/// Where a credential comes from, read through this trait so tests can inject env vars.
pub trait Env: Sync {
    fn var(&self, name: &str) -> Option<String>;
}

/// The real process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// The server apikeys talks to.
// Built once per run; boxing `Remote` would only make matching on it clumsier.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Target {
    /// The embedded default: an in-process demo server.
    Demo,
    /// A real (or reference) server, with credentials.
    Remote(Remote),
}

impl Target {
    pub fn is_demo(&self) -> bool {
        matches!(self, Target::Demo)
    }
}

/// A resolved remote account: where it is and how to authenticate.
#[derive(Debug, Clone)]
pub struct Remote {
    /// The profile the values came from, if any.
    pub profile: Option<String>,
    pub account: String,
    /// http or https; the path has no trailing slash (except the bare root `/`), no query,
    /// no fragment, no user info.
    pub base_url: Url,
    pub app_key: String,
    /// Whitespace already removed, never empty.
    pub app_token: SecretString,
    /// The base URL is plain http to another machine, allowed by the profile's
    /// `insecure_http = true` (a private proxy): the UI says so.
    pub insecure_http: bool,
    /// Where the token came from, so a refusal can say which credential to fix.
    pub token_source: TokenSource,
}

/// Where the app token came from. It names the place, never the token (nor the command, which
/// might hold one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// The environment variable `VTEX_APP_TOKEN`.
    Environment,
    /// `app_token` in a profile of the config file (`file` as shown in messages).
    ProfileAppToken { profile: String, file: String },
    /// What the profile's `token_command` printed.
    TokenCommand { profile: String, file: String },
    /// The embedded demo's admin key, read from the demo database's `.admin.json`.
    EmbeddedDemo { admin_file: String },
}

/// Top-level optional settings of the config file, typed: a value the app cannot use is a
/// parse error naming the file and line, found before anything runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Where copies go: auto, native, osc52 or off.
    pub clipboard: Option<Mode>,
    pub clear_after_secs: Option<u64>,
    pub osc52_clear: Option<bool>,
    /// How OSC 52 is wrapped: auto, plain, tmux (passthrough) or screen.
    pub osc52_wrap: Option<WrapSetting>,
    pub refresh_secs: Option<u64>,
}
