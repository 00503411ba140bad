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
//! [`resolve`] combines the file with the command line ([`Overrides`]) and the environment
//! ([`Env`]: `APIKEYS_PROFILE`, `VTEX_ACCOUNT`, `VTEX_APP_KEY`, `VTEX_APP_TOKEN`). With no
//! account configured anywhere it answers [`Target::Demo`], the embedded demo server.
//!
//! Secrets: a token is never taken from the command line, never printed by `Debug`, and never
//! part of an error message (not even a TOML syntax error on the line that holds it).

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

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

/// Where a credential comes from, read through this trait so tests can inject env vars.
pub trait Env {
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
#[derive(Clone)]
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
    pub settings: Settings,
    /// The base URL is plain http to another machine, allowed by the profile's
    /// `insecure_http = true` (a private proxy): the UI says so.
    pub insecure_http: bool,
}

impl fmt::Debug for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Remote")
            .field("profile", &self.profile)
            .field("account", &self.account)
            .field("base_url", &self.base_url.as_str())
            .field("app_key", &self.app_key)
            .field("app_token", &"[REDACTED]")
            .field("settings", &self.settings)
            .field("insecure_http", &self.insecure_http)
            .finish()
    }
}

/// Top-level optional settings of the config file, passed through untouched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub clipboard: Option<String>,
    pub clear_after_secs: Option<u64>,
    pub osc52_clear: Option<bool>,
    /// How OSC 52 is wrapped: auto, plain, tmux (passthrough) or screen.
    pub osc52_wrap: Option<String>,
    pub refresh_secs: Option<u64>,
}

/// Everything that can stop [`resolve`] or [`load_settings`]. Each message is a sentence that
/// says what is wrong and what to set; none ever contains a token.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "Cannot read the config file {path}: {reason}. Fix its permissions or contents, or move it \
         away to start without a configuration."
    )]
    Read { path: String, reason: String },

    #[error(
        "The config file {path} has an error at line {line}, column {column}: {message}. Fix or \
         remove that line."
    )]
    Parse {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{}", unknown_profile_message(.name, .chosen_by, .path, .available, *.file_exists))]
    UnknownProfile {
        name: String,
        /// `--profile`, `APIKEYS_PROFILE` or `default_profile`.
        chosen_by: String,
        path: String,
        available: Vec<String>,
        file_exists: bool,
    },

    #[error(
        "The config file {path} defines several profiles ({}) and none is selected: pass \
         --profile NAME, set APIKEYS_PROFILE, or add default_profile = \"NAME\" at the top of the \
         file (or pass --demo for the embedded demo server).",
        .available.join(", ")
    )]
    NoProfileSelected {
        path: String,
        available: Vec<String>,
    },

    #[error(
        "No VTEX account is set: pass --account NAME, set VTEX_ACCOUNT, or set account in {place}."
    )]
    NoAccount { place: String },

    #[error(
        "No VTEX account is set, and none can be read from the app key \"{app_key}\" (expected \
         vtexappkey-ACCOUNT-XXXXXX): pass --account NAME, set VTEX_ACCOUNT, or set account in \
         {place}."
    )]
    NoAccountForBaseUrl { app_key: String, place: String },

    #[error(
        "\"{account}\" (from {origin}) is not a valid VTEX account name: use only lowercase letters \
         and digits, as in the store's admin address https://ACCOUNT.myvtex.com."
    )]
    InvalidAccount { account: String, origin: String },

    #[error(
        "\"{environment}\" (from {origin}) is not a valid VTEX environment: use only lowercase \
         letters, digits and hyphens, such as vtexcommercestable (the default)."
    )]
    InvalidEnvironment { environment: String, origin: String },

    #[error(
        "The base URL \"{url}\" (from {origin}) cannot be used: {reason}. Set it to an http:// or \
         https:// address such as https://mystore.vtexcommercestable.com.br."
    )]
    InvalidBaseUrl {
        url: String,
        origin: String,
        reason: String,
    },

    #[error(
        "The base URL {url} (from {origin}) is plain http to another machine: the app token would \
         cross the network unencrypted. Use https://, or, for a private proxy you trust, set \
         insecure_http = true in {place}."
    )]
    CleartextHttp {
        url: String,
        origin: String,
        place: String,
    },

    #[error("No app key: set VTEX_APP_KEY or app_key in {place}.")]
    NoAppKey { place: String },

    #[error(
        "No app token for app key {app_key}: set VTEX_APP_TOKEN, or set token_command in {place} \
         (for example token_command = \"pass show vtex/ACCOUNT\"), or put app_token in that file \
         and make it private with chmod 600."
    )]
    NoToken { app_key: String, place: String },

    #[error(
        "The app token from {origin} is empty once spaces and line breaks are removed: set it to \
         the key's token."
    )]
    EmptyToken { origin: String },

    #[error(
        "The config file {path} holds an app_token but other users can read it (mode {}), so the \
         token would leak: run chmod 600 {path}, or remove app_token and use token_command or \
         VTEX_APP_TOKEN instead.",
        format_mode(*.mode)
    )]
    TokenFileNotPrivate { path: String, mode: u32 },

    #[error(
        "Could not run the token_command of {place} through sh: {reason}. Check that sh exists, or \
         set VTEX_APP_TOKEN instead."
    )]
    TokenCommandSpawn { place: String, reason: String },

    #[error("{}", token_command_failed_message(.place, .status, .stderr))]
    TokenCommandFailed {
        place: String,
        /// e.g. `exit status 1` or `killed by signal 9`.
        status: String,
        /// The first non-empty line of its standard error, if any (never its standard output).
        stderr: Option<String>,
    },

    #[error(
        "The token_command of {place} did not finish within {secs} seconds and was stopped: make it \
         print the token without waiting for input, or set VTEX_APP_TOKEN instead."
    )]
    TokenCommandTimedOut { place: String, secs: u64 },

    #[error(
        "The token_command of {place} printed no token (its output was empty or only whitespace): \
         make it print the app token on standard output, or set VTEX_APP_TOKEN instead."
    )]
    TokenCommandEmpty { place: String },

    #[error(
        "The token_command of {place} printed something that is not UTF-8 text: make it print the \
         app token as plain text, or set VTEX_APP_TOKEN instead."
    )]
    TokenCommandNotUtf8 { place: String },
}

fn unknown_profile_message(
    name: &str,
    chosen_by: &str,
    path: &str,
    available: &[String],
    file_exists: bool,
) -> String {
    let add = format!("add a [profiles.{name}] section with account, app_key and token_command");
    if !file_exists || available.is_empty() {
        let why = if file_exists {
            "defines no profiles"
        } else {
            "does not exist"
        };
        return format!(
            "There is no profile \"{name}\" (chosen by {chosen_by}): the config file {path} {why}; \
             {add} there."
        );
    }
    let names = available
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "There is no profile \"{name}\" (chosen by {chosen_by}) in {path}; the profiles there are \
         {names}. Choose one of those, or {add}."
    )
}

fn token_command_failed_message(place: &str, status: &str, stderr: &Option<String>) -> String {
    let detail = match stderr {
        Some(line) => format!("{status}; its error output says: {line}"),
        None => format!("{status}, with no error output"),
    };
    format!(
        "The token_command of {place} failed ({detail}). Fix the command so that it prints the \
         app token, or set VTEX_APP_TOKEN instead."
    )
}

fn format_mode(mode: u32) -> String {
    format!("{:04o}", mode & 0o7777)
}

// ---------------------------------------------------------------------------------------------
// The file

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    default_profile: Option<String>,
    clipboard: Option<String>,
    clear_after_secs: Option<u64>,
    osc52_clear: Option<bool>,
    osc52_wrap: Option<String>,
    refresh_secs: Option<u64>,
    #[serde(default)]
    profiles: BTreeMap<String, ProfileConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileConfig {
    account: Option<String>,
    environment: Option<String>,
    base_url: Option<String>,
    app_key: Option<String>,
    token_command: Option<String>,
    app_token: Option<SecretString>,
    /// Allows plain http to a host that is not this machine (a private proxy).
    insecure_http: Option<bool>,
}

impl FileConfig {
    fn settings(&self) -> Settings {
        Settings {
            clipboard: self.clipboard.clone(),
            clear_after_secs: self.clear_after_secs,
            osc52_clear: self.osc52_clear,
            osc52_wrap: self.osc52_wrap.clone(),
            refresh_secs: self.refresh_secs,
        }
    }
}

/// The config file as read: its contents (empty when absent) and its permission bits.
struct Loaded {
    /// How to name the file in messages.
    shown: String,
    exists: bool,
    /// Unix permission bits of the file, when known.
    mode: Option<u32>,
    config: FileConfig,
}

fn show_path(path: Option<&Path>) -> String {
    match path {
        Some(path) => path.display().to_string(),
        None => "the config file (no config directory is known on this system)".to_string(),
    }
}

fn load(path: Option<&Path>) -> Result<Loaded, ConfigError> {
    let shown = show_path(path);
    let missing = |shown: String| Loaded {
        shown,
        exists: false,
        mode: None,
        config: FileConfig::default(),
    };
    let Some(path) = path else {
        return Ok(missing(shown));
    };
    let read_error = |err: io::Error| ConfigError::Read {
        path: shown.clone(),
        reason: err.to_string(),
    };
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(missing(shown)),
        Err(err) => return Err(read_error(err)),
    };
    // The mode is read from the open file, so it describes exactly what is read below.
    let metadata = file.metadata().map_err(read_error)?;
    if metadata.is_dir() {
        return Err(ConfigError::Read {
            path: shown,
            reason: "it is a directory".to_string(),
        });
    }
    let mode = file_mode(&metadata);
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(read_error)?;
    let config = parse(&text, &shown)?;
    Ok(Loaded {
        shown,
        exists: true,
        mode,
        config,
    })
}

#[cfg(unix)]
fn file_mode(metadata: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    Some(metadata.mode() & 0o7777)
}

#[cfg(not(unix))]
fn file_mode(_metadata: &std::fs::Metadata) -> Option<u32> {
    None
}

/// Parses the file. On error only the position and a sanitized message are kept: toml's own
/// Display quotes the offending line, which may hold an `app_token`.
fn parse(text: &str, shown: &str) -> Result<FileConfig, ConfigError> {
    toml::from_str::<FileConfig>(text).map_err(|err| {
        let (line, column) = match err.span() {
            Some(span) => line_column(text, span.start),
            None => (1, 1),
        };
        ConfigError::Parse {
            path: shown.to_string(),
            line,
            column,
            message: sanitize_toml_message(err.message()),
        }
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Keeps the kind of a toml/serde error but drops any double-quoted value it carries (serde
/// writes `invalid type: string "…"`), and keeps it to one line. Backticked parts (key names,
/// expected tokens) stay.
fn sanitize_toml_message(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or("").trim();
    let mut out = String::with_capacity(first_line.len());
    let mut in_quotes = false;
    let mut in_backticks = false;
    for ch in first_line.chars() {
        if ch == '`' && !in_quotes {
            in_backticks = !in_backticks;
            out.push(ch);
        } else if in_backticks {
            out.push(ch);
        } else if ch == '"' {
            if in_quotes {
                out.push_str("…\"");
            } else {
                out.push('"');
            }
            in_quotes = !in_quotes;
        } else if !in_quotes {
            out.push(ch);
        }
    }
    if in_quotes {
        out.push_str("…\"");
    }
    let out = out.trim_end_matches(['.', ' ']).to_string();
    if out.is_empty() {
        "invalid TOML".to_string()
    } else {
        out
    }
}

/// The top-level settings of the config file (defaults when it does not exist); also used in
/// demo mode.
pub fn load_settings(config_path: Option<&Path>) -> Result<Settings, ConfigError> {
    Ok(load(config_path)?.config.settings())
}

// ---------------------------------------------------------------------------------------------
// Resolution

/// An environment variable, trimmed; unset and empty are the same.
fn env_trimmed(env: &dyn Env, name: &str) -> Option<String> {
    env.var(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A command-line or file value, trimmed; empty counts as absent.
fn non_empty(value: Option<&String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Removes all whitespace from a pasted token (spaces, tabs, line breaks anywhere in it).
/// `None` when nothing is left.
pub fn normalize_token(raw: &str) -> Option<String> {
    let token: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    (!token.is_empty()).then_some(token)
}

/// VTEX account names: lowercase ASCII letters and digits.
pub use crate::keyformat::is_valid_account;

fn is_valid_environment(environment: &str) -> bool {
    !environment.is_empty()
        && !environment.starts_with('-')
        && !environment.ends_with('-')
        && environment
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The account inside an app key of the form `vtexappkey-{account}-XXXXXX`.
pub fn account_from_app_key(app_key: &str) -> Option<String> {
    crate::keyformat::app_key_account(app_key.trim()).map(str::to_string)
}

/// Parses and normalizes a base URL: http(s) only, a host, no query, fragment or user info,
/// no trailing slash on the path.
fn parse_base_url(raw: &str, origin: &str) -> Result<Url, ConfigError> {
    let raw = raw.trim();
    let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
        url: raw.to_string(),
        origin: origin.to_string(),
        reason: reason.to_string(),
    };
    let mut url = match Url::parse(raw) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            return Err(invalid("it does not start with http:// or https://"));
        }
        Err(err) => return Err(invalid(&format!("it is not a valid URL ({err})"))),
    };
    if url.scheme() != "http" && url.scheme() != "https" {
        if !raw.contains("://") {
            return Err(invalid("it does not start with http:// or https://"));
        }
        return Err(invalid(&format!(
            "its scheme is {}, not http or https",
            url.scheme()
        )));
    }
    if url.host().is_none() {
        return Err(invalid("it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "it contains a user name or password, which belong in app_key and the token",
        ));
    }
    if url.query().is_some() {
        return Err(invalid("it has a query (?…)"));
    }
    if url.fragment().is_some() {
        return Err(invalid("it has a fragment (#…)"));
    }
    let path = url.path().trim_end_matches('/').to_string();
    url.set_path(if path.is_empty() { "/" } else { &path });
    Ok(url)
}

/// How the profile was chosen, for messages.
#[derive(Clone, Copy)]
enum ChosenBy {
    Flag,
    Env,
    DefaultProfile,
    OnlyOne,
}

impl ChosenBy {
    fn describe(self, shown: &str) -> String {
        match self {
            ChosenBy::Flag => "--profile".to_string(),
            ChosenBy::Env => ENV_PROFILE.to_string(),
            ChosenBy::DefaultProfile => format!("default_profile in {shown}"),
            ChosenBy::OnlyOne => format!("being the only profile in {shown}"),
        }
    }
}

/// Decides which server to talk to and with which credentials. See the module docs and the
/// rules in each step below.
pub fn resolve(
    overrides: &Overrides,
    env: &dyn Env,
    config_path: Option<&Path>,
) -> Result<Target, ConfigError> {
    resolve_with_timeout(overrides, env, config_path, TOKEN_COMMAND_TIMEOUT)
}

fn resolve_with_timeout(
    overrides: &Overrides,
    env: &dyn Env,
    config_path: Option<&Path>,
    timeout: Duration,
) -> Result<Target, ConfigError> {
    // 1. --demo wins over everything.
    if overrides.demo {
        return Ok(Target::Demo);
    }

    let loaded = load(config_path)?;
    let shown = loaded.shown.as_str();
    let file = &loaded.config;
    let available: Vec<String> = file.profiles.keys().cloned().collect();

    // 2. Which profile.
    let chosen = if let Some(name) = non_empty(overrides.profile.as_ref()) {
        Some((name, ChosenBy::Flag))
    } else if let Some(name) = env_trimmed(env, ENV_PROFILE) {
        Some((name, ChosenBy::Env))
    } else if let Some(name) = non_empty(file.default_profile.as_ref()) {
        Some((name, ChosenBy::DefaultProfile))
    } else if file.profiles.len() == 1 {
        available
            .first()
            .map(|name| (name.clone(), ChosenBy::OnlyOne))
    } else {
        None
    };
    let profile: Option<(&str, &ProfileConfig)> = match &chosen {
        Some((name, chosen_by)) => match file.profiles.get_key_value(name) {
            Some((name, profile)) => Some((name.as_str(), profile)),
            None => {
                return Err(ConfigError::UnknownProfile {
                    name: name.clone(),
                    chosen_by: chosen_by.describe(shown),
                    path: shown.to_string(),
                    available,
                    file_exists: loaded.exists,
                });
            }
        },
        None => None,
    };

    let flag_account = non_empty(overrides.account.as_ref());
    let flag_base_url = non_empty(overrides.base_url.as_ref());
    let env_app_key = env_trimmed(env, ENV_APP_KEY);

    // 3. Nothing configured: the embedded default.
    if profile.is_none()
        && flag_account.is_none()
        && flag_base_url.is_none()
        && env_app_key.is_none()
    {
        if file.profiles.len() > 1 {
            return Err(ConfigError::NoProfileSelected {
                path: shown.to_string(),
                available,
            });
        }
        return Ok(Target::Demo);
    }

    let empty_profile = ProfileConfig::default();
    let (profile_name, prof) = match profile {
        Some((name, prof)) => (Some(name), prof),
        None => (None, &empty_profile),
    };
    // Where a missing value could be written, for messages.
    let place = match profile_name {
        Some(name) => format!("profile \"{name}\" of {shown}"),
        None => format!("a profile of {shown}"),
    };
    let profile_origin = |key: &str| match profile_name {
        Some(name) => format!("{key} in profile \"{name}\" of {shown}"),
        None => format!("{key} in {shown}"),
    };

    // 4 (first half). An account named by a flag, the profile or the environment.
    let named_account = if let Some(account) = flag_account {
        Some((account, "--account".to_string()))
    } else if let Some(account) = non_empty(prof.account.as_ref()) {
        Some((account, profile_origin("account")))
    } else {
        env_trimmed(env, ENV_ACCOUNT).map(|account| (account, ENV_ACCOUNT.to_string()))
    };
    let named_account = match named_account {
        Some((account, origin)) if !is_valid_account(&account) => {
            return Err(ConfigError::InvalidAccount { account, origin });
        }
        other => other.map(|(account, _)| account),
    };

    // 5 (first half). An explicit base URL; plain http only to this machine, or by opt-in.
    let explicit_base_url = if let Some(raw) = &flag_base_url {
        Some((parse_base_url(raw, "--base-url")?, "--base-url".to_string()))
    } else if let Some(raw) = non_empty(prof.base_url.as_ref()) {
        let origin = profile_origin("base_url");
        Some((parse_base_url(&raw, &origin)?, origin))
    } else {
        None
    };
    let insecure_http = match &explicit_base_url {
        Some((url, origin)) => check_cleartext(url, origin, prof, &place)?,
        None => false,
    };
    let explicit_base_url = explicit_base_url.map(|(url, _)| url);

    if named_account.is_none() && explicit_base_url.is_none() {
        return Err(ConfigError::NoAccount {
            place: place.clone(),
        });
    }

    // 6. App key.
    let app_key = env_app_key
        .or_else(|| non_empty(prof.app_key.as_ref()))
        .ok_or_else(|| ConfigError::NoAppKey {
            place: place.clone(),
        })?;

    // 4 (second half). With a base URL and no named account, the app key names it.
    let account = match named_account {
        Some(account) => account,
        None => account_from_app_key(&app_key).ok_or_else(|| ConfigError::NoAccountForBaseUrl {
            app_key: app_key.clone(),
            place: place.clone(),
        })?,
    };

    // 5 (second half). The URL built from account and environment.
    let base_url = match explicit_base_url {
        Some(url) => url,
        None => {
            let (environment, origin) = if let Some(e) = non_empty(overrides.environment.as_ref()) {
                (e, "--environment".to_string())
            } else if let Some(e) = non_empty(prof.environment.as_ref()) {
                (e, profile_origin("environment"))
            } else {
                (DEFAULT_ENVIRONMENT.to_string(), "the default".to_string())
            };
            if !is_valid_environment(&environment) {
                return Err(ConfigError::InvalidEnvironment {
                    environment,
                    origin,
                });
            }
            parse_base_url(
                &format!("https://{account}.{environment}.com.br"),
                "--account and --environment",
            )?
        }
    };

    // 7 and 8. Token.
    let app_token = resolve_token(env, prof, profile_name, &loaded, &place, &app_key, timeout)?;

    Ok(Target::Remote(Remote {
        profile: profile_name.map(str::to_string),
        account,
        base_url,
        app_key,
        app_token,
        settings: file.settings(),
        insecure_http,
    }))
}

/// Refuses plain http to a host that is not loopback, before any request, unless the profile
/// says `insecure_http = true`. Answers whether the URL is such an allowed cleartext one.
fn check_cleartext(
    url: &Url,
    origin: &str,
    prof: &ProfileConfig,
    place: &str,
) -> Result<bool, ConfigError> {
    if !crate::vtex::origin::is_cleartext_remote(url) {
        return Ok(false);
    }
    if prof.insecure_http == Some(true) {
        return Ok(true);
    }
    Err(ConfigError::CleartextHttp {
        url: url.to_string(),
        origin: origin.to_string(),
        place: place.to_string(),
    })
}

fn resolve_token(
    env: &dyn Env,
    prof: &ProfileConfig,
    profile_name: Option<&str>,
    loaded: &Loaded,
    place: &str,
    app_key: &str,
    timeout: Duration,
) -> Result<SecretString, ConfigError> {
    // Empty means unset (`VTEX_APP_TOKEN= apikeys …`); only-whitespace is a mistake.
    if let Some(raw) = env.var(ENV_APP_TOKEN).filter(|v| !v.is_empty()) {
        return normalize_token(&raw)
            .map(SecretString::from)
            .ok_or_else(|| ConfigError::EmptyToken {
                origin: ENV_APP_TOKEN.to_string(),
            });
    }
    if let Some(command) = non_empty(prof.token_command.as_ref()) {
        let place = place.to_string();
        let output = run_command(&command, timeout).map_err(|err| match err {
            CommandError::Spawn(err) => ConfigError::TokenCommandSpawn {
                place: place.clone(),
                reason: err.to_string(),
            },
            CommandError::Failed { status, stderr } => ConfigError::TokenCommandFailed {
                place: place.clone(),
                status,
                stderr,
            },
            CommandError::TimedOut => ConfigError::TokenCommandTimedOut {
                place: place.clone(),
                secs: timeout.as_secs().max(1),
            },
        })?;
        let text = String::from_utf8(output).map_err(|_| ConfigError::TokenCommandNotUtf8 {
            place: place.clone(),
        })?;
        return normalize_token(&text)
            .map(SecretString::from)
            .ok_or(ConfigError::TokenCommandEmpty { place });
    }
    if let Some(token) = &prof.app_token {
        if let Some(mode) = loaded.mode
            && mode & 0o077 != 0
        {
            return Err(ConfigError::TokenFileNotPrivate {
                path: loaded.shown.clone(),
                mode,
            });
        }
        let origin = match profile_name {
            Some(name) => format!("app_token in profile \"{name}\" of {}", loaded.shown),
            None => format!("app_token in {}", loaded.shown),
        };
        return normalize_token(token.expose_secret())
            .map(SecretString::from)
            .ok_or(ConfigError::EmptyToken { origin });
    }
    Err(ConfigError::NoToken {
        app_key: app_key.to_string(),
        place: place.to_string(),
    })
}

// ---------------------------------------------------------------------------------------------
// token_command

enum CommandError {
    Spawn(io::Error),
    Failed {
        status: String,
        stderr: Option<String>,
    },
    TimedOut,
}

enum Stream {
    Out,
    Err,
}

/// Runs `sh -c command` with no input; returns its standard output when it exits with 0.
/// Standard output is never part of an error.
fn run_command(command: &str, timeout: Duration) -> Result<Vec<u8>, CommandError> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(CommandError::Spawn)?;
    let deadline = Instant::now() + timeout;

    let (tx, rx) = mpsc::channel();
    if let Some(mut stdout) = child.stdout.take() {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stdout.read_to_end(&mut buf);
            let _ = tx.send((Stream::Out, buf));
        });
    }
    if let Some(mut stderr) = child.stderr.take() {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr.read_to_end(&mut buf);
            let _ = tx.send((Stream::Err, buf));
        });
    }

    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CommandError::TimedOut);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(err) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CommandError::Spawn(err));
            }
        }
    };

    // Collect both streams; a background process that keeps them open counts as a timeout.
    let mut stdout = None;
    let mut stderr = None;
    while stdout.is_none() || stderr.is_none() {
        let remaining = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(remaining) {
            Ok((Stream::Out, buf)) => stdout = Some(buf),
            Ok((Stream::Err, buf)) => stderr = Some(buf),
            Err(_) => break,
        }
    }

    if !status.success() {
        return Err(CommandError::Failed {
            status: describe_status(status),
            stderr: stderr.as_deref().and_then(first_stderr_line),
        });
    }
    stdout.ok_or(CommandError::TimedOut)
}

fn describe_status(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    status.to_string()
}

/// The first non-empty line of standard error, trimmed and shortened to 200 characters.
fn first_stderr_line(stderr: &[u8]) -> Option<String> {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(stderr);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line: String = line.chars().filter(|c| !c.is_control()).collect();
    if line.chars().count() > MAX {
        Some(format!("{}…", line.chars().take(MAX).collect::<String>()))
    } else {
        Some(line)
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::io::Write;

    const TOKEN: &str = "SECRETTOKENxyz123";

    #[derive(Default)]
    struct MapEnv(HashMap<String, String>);

    impl MapEnv {
        fn with(pairs: &[(&str, &str)]) -> Self {
            MapEnv(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        }
    }

    impl Env for MapEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).cloned()
        }
    }

    /// A config file in a temporary directory, with the given mode (unix).
    struct ConfigFile {
        _dir: tempfile::TempDir,
        path: PathBuf,
    }

    fn config(text: &str) -> ConfigFile {
        config_with_mode(text, 0o600)
    }

    fn config_with_mode(text: &str, mode: u32) -> ConfigFile {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(text.as_bytes()).unwrap();
        drop(file);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        #[cfg(not(unix))]
        let _ = mode;
        ConfigFile { _dir: dir, path }
    }

    fn no_overrides() -> Overrides {
        Overrides::default()
    }

    fn remote(target: Target) -> Remote {
        match target {
            Target::Remote(remote) => remote,
            Target::Demo => panic!("expected a remote target, got the demo"),
        }
    }

    /// The error, after checking that its message is a sentence without any token in it.
    fn err(result: Result<Target, ConfigError>) -> ConfigError {
        let error = match result {
            Ok(target) => panic!("expected an error, got {target:?}"),
            Err(error) => error,
        };
        let text = error.to_string();
        assert!(!text.contains(TOKEN), "token leaked: {text}");
        assert!(!text.contains("SECRET"), "token leaked: {text}");
        assert!(text.ends_with('.'), "not a sentence: {text}");
        assert!(
            text.chars().next().unwrap().is_uppercase() || text.starts_with('"'),
            "not a sentence: {text}"
        );
        error
    }

    const ONE_PROFILE: &str = r#"
[profiles.mystore]
account = "mystore"
app_key = "vtexappkey-mystore-ABCDEF"
"#;

    const TWO_PROFILES: &str = r#"
[profiles.mystore]
account = "mystore"
app_key = "vtexappkey-mystore-ABCDEF"

[profiles.other]
account = "other"
app_key = "vtexappkey-other-GHIJKL"
"#;

    fn token_env() -> MapEnv {
        MapEnv::with(&[(ENV_APP_TOKEN, TOKEN)])
    }

    #[test]
    fn default_config_path_is_under_apikeys() {
        if let Some(path) = default_config_path() {
            assert!(path.ends_with("apikeys/config.toml"), "{}", path.display());
        }
    }

    #[test]
    fn demo_when_nothing_configured() {
        let env = MapEnv::default();
        assert!(resolve(&no_overrides(), &env, None).unwrap().is_demo());
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope/config.toml");
        assert!(
            resolve(&no_overrides(), &env, Some(&missing))
                .unwrap()
                .is_demo()
        );
        // A file with settings but no profiles is still "no account configured".
        let file = config("clipboard = \"auto\"\n");
        assert!(
            resolve(&no_overrides(), &env, Some(&file.path))
                .unwrap()
                .is_demo()
        );
        // A token or an environment alone does not make an account.
        let env = MapEnv::with(&[(ENV_APP_TOKEN, TOKEN), (ENV_ACCOUNT, "mystore")]);
        let overrides = Overrides {
            environment: Some("vtexcommercebeta".into()),
            ..no_overrides()
        };
        assert!(resolve(&overrides, &env, None).unwrap().is_demo());
    }

    #[test]
    fn explicit_demo_beats_profiles_and_flags() {
        let file = config(ONE_PROFILE);
        let overrides = Overrides {
            demo: true,
            account: Some("mystore".into()),
            profile: Some("mystore".into()),
            ..no_overrides()
        };
        let env = MapEnv::with(&[(ENV_APP_KEY, "k"), (ENV_APP_TOKEN, TOKEN)]);
        assert!(
            resolve(&overrides, &env, Some(&file.path))
                .unwrap()
                .is_demo()
        );
    }

    #[test]
    fn demo_does_not_even_read_a_broken_file() {
        let file = config("this is not toml");
        let overrides = Overrides {
            demo: true,
            ..no_overrides()
        };
        assert!(
            resolve(&overrides, &MapEnv::default(), Some(&file.path))
                .unwrap()
                .is_demo()
        );
    }

    #[test]
    fn single_profile_is_selected_automatically() {
        let file = config(ONE_PROFILE);
        let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
        assert_eq!(r.profile.as_deref(), Some("mystore"));
        assert_eq!(r.account, "mystore");
        assert_eq!(r.app_key, "vtexappkey-mystore-ABCDEF");
        assert_eq!(
            r.base_url.as_str(),
            "https://mystore.vtexcommercestable.com.br/"
        );
        assert_eq!(r.app_token.expose_secret(), TOKEN);
    }

    #[test]
    fn default_profile_selects_among_several() {
        let file = config(&format!("default_profile = \"other\"\n{TWO_PROFILES}"));
        let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
        assert_eq!(r.profile.as_deref(), Some("other"));
        assert_eq!(r.account, "other");
    }

    #[test]
    fn several_profiles_without_a_choice_is_an_error() {
        let file = config(TWO_PROFILES);
        let e = err(resolve(&no_overrides(), &token_env(), Some(&file.path)));
        assert!(matches!(e, ConfigError::NoProfileSelected { .. }), "{e:?}");
        let text = e.to_string();
        assert!(text.contains("mystore, other"), "{text}");
        assert!(text.contains("--profile"), "{text}");
        assert!(text.contains("default_profile"), "{text}");
    }

    #[test]
    fn profile_flag_beats_env_beats_default_profile() {
        let file = config(&format!("default_profile = \"mystore\"\n{TWO_PROFILES}"));
        let env = MapEnv::with(&[(ENV_APP_TOKEN, TOKEN), (ENV_PROFILE, "other")]);
        let r = remote(resolve(&no_overrides(), &env, Some(&file.path)).unwrap());
        assert_eq!(r.profile.as_deref(), Some("other"));

        let overrides = Overrides {
            profile: Some("mystore".into()),
            ..no_overrides()
        };
        let r = remote(resolve(&overrides, &env, Some(&file.path)).unwrap());
        assert_eq!(r.profile.as_deref(), Some("mystore"));
    }

    #[test]
    fn unknown_profile_lists_the_available_ones() {
        let file = config(TWO_PROFILES);
        let overrides = Overrides {
            profile: Some("nope".into()),
            ..no_overrides()
        };
        let e = err(resolve(&overrides, &token_env(), Some(&file.path)));
        let text = e.to_string();
        assert!(matches!(e, ConfigError::UnknownProfile { .. }), "{e:?}");
        assert!(text.contains("\"nope\""), "{text}");
        assert!(text.contains("--profile"), "{text}");
        assert!(text.contains("\"mystore\", \"other\""), "{text}");

        // Through APIKEYS_PROFILE and default_profile too.
        let env = MapEnv::with(&[(ENV_PROFILE, "ghost")]);
        let text = err(resolve(&no_overrides(), &env, Some(&file.path))).to_string();
        assert!(text.contains("APIKEYS_PROFILE"), "{text}");
        let file = config(&format!("default_profile = \"typo\"\n{TWO_PROFILES}"));
        let text = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ))
        .to_string();
        assert!(text.contains("default_profile"), "{text}");
        assert!(text.contains("\"typo\""), "{text}");
    }

    #[test]
    fn profile_flag_without_a_file_says_the_file_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("config.toml");
        let overrides = Overrides {
            profile: Some("mystore".into()),
            ..no_overrides()
        };
        let text = err(resolve(&overrides, &token_env(), Some(&missing))).to_string();
        assert!(text.contains("does not exist"), "{text}");
        assert!(text.contains("[profiles.mystore]"), "{text}");
    }

    #[test]
    fn env_and_flags_beat_the_profile() {
        let file = config(
            r#"
[profiles.mystore]
account = "mystore"
environment = "vtexcommercebeta"
app_key = "vtexappkey-mystore-ABCDEF"
app_token = "FILETOKEN"
"#,
        );
        let env = MapEnv::with(&[
            (ENV_APP_KEY, "  vtexappkey-envstore-ZZZ \n"),
            (ENV_APP_TOKEN, TOKEN),
            (ENV_ACCOUNT, "ignored"),
        ]);
        let overrides = Overrides {
            account: Some("flagstore".into()),
            environment: Some("myenv".into()),
            ..no_overrides()
        };
        let r = remote(resolve(&overrides, &env, Some(&file.path)).unwrap());
        assert_eq!(r.account, "flagstore");
        assert_eq!(r.app_key, "vtexappkey-envstore-ZZZ");
        assert_eq!(r.app_token.expose_secret(), TOKEN);
        assert_eq!(r.base_url.as_str(), "https://flagstore.myenv.com.br/");

        // Without flags, the profile's account and environment are used.
        let r = remote(resolve(&no_overrides(), &env, Some(&file.path)).unwrap());
        assert_eq!(r.account, "mystore");
        assert_eq!(
            r.base_url.as_str(),
            "https://mystore.vtexcommercebeta.com.br/"
        );
    }

    #[test]
    fn flags_and_env_alone_make_a_remote_without_profile() {
        let env = MapEnv::with(&[
            (ENV_APP_KEY, "vtexappkey-mystore-ABC"),
            (ENV_APP_TOKEN, TOKEN),
        ]);
        let overrides = Overrides {
            account: Some("mystore".into()),
            ..no_overrides()
        };
        let r = remote(resolve(&overrides, &env, None).unwrap());
        assert_eq!(r.profile, None);
        assert_eq!(r.account, "mystore");
        assert_eq!(r.settings, Settings::default());

        // VTEX_ACCOUNT is used when nothing else names the account.
        let env = MapEnv::with(&[
            (ENV_APP_KEY, "vtexappkey-mystore-ABC"),
            (ENV_APP_TOKEN, TOKEN),
            (ENV_ACCOUNT, "envstore"),
        ]);
        let r = remote(resolve(&no_overrides(), &env, None).unwrap());
        assert_eq!(r.account, "envstore");
    }

    #[test]
    fn app_key_without_account_asks_for_one() {
        let env = MapEnv::with(&[
            (ENV_APP_KEY, "vtexappkey-mystore-ABC"),
            (ENV_APP_TOKEN, TOKEN),
        ]);
        let e = err(resolve(&no_overrides(), &env, None));
        assert!(matches!(e, ConfigError::NoAccount { .. }), "{e:?}");
        let text = e.to_string();
        assert!(text.contains("--account"), "{text}");
        assert!(text.contains("VTEX_ACCOUNT"), "{text}");
    }

    #[test]
    fn base_url_wins_over_account_and_environment() {
        let file = config(
            r#"
[profiles.mystore]
account = "mystore"
environment = "vtexcommercebeta"
base_url = "https://proxy.example/vtex/"
app_key = "vtexappkey-mystore-ABCDEF"
"#,
        );
        let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
        assert_eq!(r.base_url.as_str(), "https://proxy.example/vtex");
        assert_eq!(r.account, "mystore");

        let overrides = Overrides {
            base_url: Some("http://127.0.0.1:8080/".into()),
            ..no_overrides()
        };
        let r = remote(resolve(&overrides, &token_env(), Some(&file.path)).unwrap());
        assert_eq!(r.base_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(r.base_url.path(), "/");
    }

    #[test]
    fn plain_http_to_another_machine_needs_the_profile_opt_in() {
        let file = config(
            r#"
[profiles.proxy]
base_url = "http://proxy.internal:8080"
app_key = "vtexappkey-mystore-ABCDEF"
"#,
        );
        let e = err(resolve(&no_overrides(), &token_env(), Some(&file.path)));
        assert!(matches!(e, ConfigError::CleartextHttp { .. }), "{e:?}");
        for part in ["https://", "insecure_http = true", "profile \"proxy\""] {
            assert!(e.to_string().contains(part), "{part}: {e}");
        }
        let overrides = Overrides {
            base_url: Some("http://10.1.2.3/".into()),
            ..no_overrides()
        };
        let e = err(resolve(&overrides, &token_env(), Some(&file.path)));
        assert!(e.to_string().contains("--base-url"), "{e}");

        let file = config(
            r#"
[profiles.proxy]
base_url = "http://proxy.internal:8080"
app_key = "vtexappkey-mystore-ABCDEF"
insecure_http = true
"#,
        );
        let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
        assert!(r.insecure_http);
        let overrides = Overrides {
            base_url: Some("https://proxy.example".into()),
            ..no_overrides()
        };
        let r = remote(resolve(&overrides, &token_env(), Some(&file.path)).unwrap());
        assert!(!r.insecure_http, "https is never marked insecure");
    }

    #[test]
    fn base_url_without_account_reads_it_from_the_app_key() {
        let env = MapEnv::with(&[
            (ENV_APP_KEY, "vtexappkey-mystore-ABCDEF"),
            (ENV_APP_TOKEN, TOKEN),
        ]);
        let overrides = Overrides {
            base_url: Some("http://localhost:3000".into()),
            ..no_overrides()
        };
        let r = remote(resolve(&overrides, &env, None).unwrap());
        assert_eq!(r.account, "mystore");

        let env = MapEnv::with(&[(ENV_APP_KEY, "some-odd-key"), (ENV_APP_TOKEN, TOKEN)]);
        let e = err(resolve(&overrides, &env, None));
        assert!(
            matches!(e, ConfigError::NoAccountForBaseUrl { .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("--account"));
    }

    #[test]
    fn account_from_app_key_parses_the_vtex_form() {
        assert_eq!(
            account_from_app_key("vtexappkey-mystore-ABCDEF").as_deref(),
            Some("mystore")
        );
        assert_eq!(account_from_app_key("vtexappkey-mystore"), None);
        assert_eq!(account_from_app_key("vtexappkey-My-ABC"), None);
        assert_eq!(account_from_app_key("other-mystore-ABC"), None);
    }

    #[test]
    fn bad_base_urls_are_refused() {
        for bad in [
            "ftp://example.com",
            "example.com",
            "https://user:pw@example.com",
            "https://example.com/?a=1",
            "https://example.com/#x",
            "http://",
            "not a url at all",
        ] {
            let overrides = Overrides {
                base_url: Some(bad.into()),
                account: Some("mystore".into()),
                ..no_overrides()
            };
            let env = MapEnv::with(&[(ENV_APP_KEY, "k"), (ENV_APP_TOKEN, TOKEN)]);
            let e = err(resolve(&overrides, &env, None));
            assert!(
                matches!(e, ConfigError::InvalidBaseUrl { .. }),
                "{bad}: {e:?}"
            );
            assert!(e.to_string().contains("--base-url"), "{e}");
        }
    }

    #[test]
    fn invalid_account_and_environment_are_refused() {
        let env = MapEnv::with(&[(ENV_APP_KEY, "k"), (ENV_APP_TOKEN, TOKEN)]);
        for bad in ["MyStore", "my-store", "my.store", "my store", "lojá"] {
            let overrides = Overrides {
                account: Some(bad.into()),
                ..no_overrides()
            };
            let e = err(resolve(&overrides, &env, None));
            assert!(
                matches!(e, ConfigError::InvalidAccount { .. }),
                "{bad}: {e:?}"
            );
            let text = e.to_string();
            assert!(text.contains("lowercase letters and digits"), "{text}");
            assert!(text.contains("--account"), "{text}");
        }
        for bad in ["Stable", "a.b", "-x", "x/y"] {
            let overrides = Overrides {
                account: Some("mystore".into()),
                environment: Some(bad.into()),
                ..no_overrides()
            };
            let e = err(resolve(&overrides, &env, None));
            assert!(
                matches!(e, ConfigError::InvalidEnvironment { .. }),
                "{bad}: {e:?}"
            );
        }
    }

    #[test]
    fn checks_follow_the_order_account_url_key_token() {
        // Nothing but an invalid account: the account is reported, not the missing app key.
        let overrides = Overrides {
            account: Some("My-Store".into()),
            ..no_overrides()
        };
        let e = err(resolve(&overrides, &MapEnv::default(), None));
        assert!(matches!(e, ConfigError::InvalidAccount { .. }), "{e:?}");
        // A profile with nothing in it: the account is missing first.
        let file = config("[profiles.empty]\n");
        let e = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ));
        assert!(matches!(e, ConfigError::NoAccount { .. }), "{e:?}");
        assert!(e.to_string().contains("profile \"empty\""), "{e}");
    }

    #[test]
    fn missing_app_key_names_the_profile_and_file() {
        let file = config("[profiles.mystore]\naccount = \"mystore\"\n");
        let e = err(resolve(&no_overrides(), &token_env(), Some(&file.path)));
        assert!(matches!(e, ConfigError::NoAppKey { .. }), "{e:?}");
        let text = e.to_string();
        assert!(
            text.starts_with("No app key: set VTEX_APP_KEY or app_key in profile \"mystore\" of "),
            "{text}"
        );
        assert!(text.contains(&file.path.display().to_string()), "{text}");
    }

    #[test]
    fn missing_token_names_the_three_ways() {
        let file = config(ONE_PROFILE);
        let e = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ));
        assert!(matches!(e, ConfigError::NoToken { .. }), "{e:?}");
        let text = e.to_string();
        assert!(text.contains("VTEX_APP_TOKEN"), "{text}");
        assert!(text.contains("token_command"), "{text}");
        assert!(text.contains("app_token"), "{text}");
        assert!(text.contains("chmod 600"), "{text}");
    }

    #[test]
    fn token_with_spaces_and_line_breaks_is_normalized() {
        let file = config(ONE_PROFILE);
        let env = MapEnv::with(&[(ENV_APP_TOKEN, "  SECRET TOKEN\nxyz\t123 \r\n")]);
        let r = remote(resolve(&no_overrides(), &env, Some(&file.path)).unwrap());
        assert_eq!(r.app_token.expose_secret(), TOKEN);
    }

    #[test]
    fn whitespace_only_token_is_an_error_and_empty_is_unset() {
        let file = config(ONE_PROFILE);
        let env = MapEnv::with(&[(ENV_APP_TOKEN, " \n\t ")]);
        let e = err(resolve(&no_overrides(), &env, Some(&file.path)));
        assert!(matches!(e, ConfigError::EmptyToken { .. }), "{e:?}");
        assert!(e.to_string().contains("VTEX_APP_TOKEN"));

        let env = MapEnv::with(&[(ENV_APP_TOKEN, "")]);
        let e = err(resolve(&no_overrides(), &env, Some(&file.path)));
        assert!(matches!(e, ConfigError::NoToken { .. }), "{e:?}");
    }

    fn profile_with_command(command: &str) -> ConfigFile {
        config(&format!(
            "[profiles.mystore]\naccount = \"mystore\"\napp_key = \"vtexappkey-mystore-ABCDEF\"\n\
             token_command = {}\n",
            toml_string(command)
        ))
    }

    fn toml_string(s: &str) -> String {
        let escaped = s.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\"")
    }

    #[cfg(unix)]
    #[test]
    fn token_command_output_is_the_token() {
        let file = profile_with_command("printf 'SECRET TOKENxyz\\n123\\n'");
        let r = remote(resolve(&no_overrides(), &MapEnv::default(), Some(&file.path)).unwrap());
        assert_eq!(r.app_token.expose_secret(), TOKEN);

        // VTEX_APP_TOKEN wins: the command is not even run (it would fail).
        let file = profile_with_command("exit 1");
        let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
        assert_eq!(r.app_token.expose_secret(), TOKEN);
    }

    #[cfg(unix)]
    #[test]
    fn failing_token_command_reports_status_and_stderr_never_stdout() {
        let file = profile_with_command(&format!(
            "echo {TOKEN}; echo 'gpg: decryption failed: No secret key' >&2; echo more >&2; exit 3"
        ));
        let e = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ));
        assert!(matches!(e, ConfigError::TokenCommandFailed { .. }), "{e:?}");
        let text = e.to_string();
        assert!(text.contains("exit status 3"), "{text}");
        assert!(
            text.contains("gpg: decryption failed: No secret key"),
            "{text}"
        );
        assert!(!text.contains("more"), "{text}");
        assert!(text.contains("profile \"mystore\""), "{text}");
        assert!(text.contains("VTEX_APP_TOKEN"), "{text}");
        assert!(!format!("{e:?}").contains(TOKEN));

        let file = profile_with_command("exit 7");
        let text = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ))
        .to_string();
        assert!(
            text.contains("exit status 7, with no error output"),
            "{text}"
        );

        let file = profile_with_command("kill -9 $$");
        let text = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ))
        .to_string();
        assert!(text.contains("killed by signal 9"), "{text}");
    }

    #[cfg(unix)]
    #[test]
    fn token_command_with_empty_output_is_an_error() {
        for command in ["true", "printf '  \\n\\n'"] {
            let file = profile_with_command(command);
            let e = err(resolve(
                &no_overrides(),
                &MapEnv::default(),
                Some(&file.path),
            ));
            assert!(matches!(e, ConfigError::TokenCommandEmpty { .. }), "{e:?}");
            assert!(e.to_string().contains("standard output"));
        }
    }

    #[cfg(unix)]
    #[test]
    fn token_command_that_hangs_is_stopped() {
        let file = profile_with_command(&format!("echo {TOKEN}; exec sleep 30"));
        let started = Instant::now();
        let e = err(resolve_with_timeout(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
            Duration::from_millis(300),
        ));
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(
            matches!(e, ConfigError::TokenCommandTimedOut { .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("VTEX_APP_TOKEN"));
    }

    #[cfg(unix)]
    #[test]
    fn token_command_gets_no_input() {
        // With stdin null, `cat` ends at once with nothing: an empty-output error, not a hang.
        let file = profile_with_command("cat");
        let e = err(resolve_with_timeout(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
            Duration::from_secs(5),
        ));
        assert!(matches!(e, ConfigError::TokenCommandEmpty { .. }), "{e:?}");
    }

    fn profile_with_file_token(mode: u32) -> ConfigFile {
        config_with_mode(
            &format!(
                "[profiles.mystore]\naccount = \"mystore\"\napp_key = \"vtexappkey-mystore-ABCDEF\"\n\
                 app_token = \"{TOKEN}\"\n"
            ),
            mode,
        )
    }

    #[cfg(unix)]
    #[test]
    fn app_token_in_file_is_refused_unless_private() {
        for mode in [0o644, 0o640, 0o604, 0o660] {
            let file = profile_with_file_token(mode);
            let e = err(resolve(
                &no_overrides(),
                &MapEnv::default(),
                Some(&file.path),
            ));
            assert!(
                matches!(e, ConfigError::TokenFileNotPrivate { .. }),
                "{e:?}"
            );
            let text = e.to_string();
            assert!(text.contains(&format!("mode {:04o}", mode)), "{text}");
            assert!(
                text.contains(&format!("chmod 600 {}", file.path.display())),
                "{text}"
            );
            assert!(text.contains("token_command"), "{text}");
            assert!(text.contains("VTEX_APP_TOKEN"), "{text}");
            assert!(text.contains("leak"), "{text}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn app_token_in_file_is_accepted_when_private() {
        for mode in [0o600, 0o400] {
            let file = profile_with_file_token(mode);
            let r = remote(resolve(&no_overrides(), &MapEnv::default(), Some(&file.path)).unwrap());
            assert_eq!(r.app_token.expose_secret(), TOKEN);
        }
    }

    #[cfg(unix)]
    #[test]
    fn app_token_in_open_file_is_not_checked_when_env_provides_the_token() {
        let file = profile_with_file_token(0o644);
        let env = MapEnv::with(&[(ENV_APP_TOKEN, "OTHERTOKEN")]);
        let r = remote(resolve(&no_overrides(), &env, Some(&file.path)).unwrap());
        assert_eq!(r.app_token.expose_secret(), "OTHERTOKEN");
    }

    #[test]
    fn unknown_keys_are_named() {
        let file = config("clipbaord = \"auto\"\n");
        let e = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ));
        assert!(matches!(e, ConfigError::Parse { line: 1, .. }), "{e:?}");
        assert!(e.to_string().contains("clipbaord"), "{e}");

        let file = config(&format!("{ONE_PROFILE}app_tokn = \"{TOKEN}\"\n"));
        let e = err(resolve(
            &no_overrides(),
            &MapEnv::default(),
            Some(&file.path),
        ));
        let text = e.to_string();
        assert!(text.contains("app_tokn"), "{text}");
        assert!(text.contains("line 5"), "{text}");

        // load_settings reports it as well.
        let file = config("[profile.mystore]\naccount = \"x\"\n");
        let text = load_settings(Some(&file.path)).unwrap_err().to_string();
        assert!(text.contains("`profile`"), "{text}");
    }

    #[test]
    fn parse_errors_never_show_the_offending_line() {
        for text in [
            format!("[profiles.mystore]\napp_token = \"{TOKEN}\n"),
            format!("[profiles.mystore]\napp_token = {TOKEN}\n"),
            format!("clear_after_secs = \"{TOKEN}\"\n"),
            format!("[profiles.mystore]\napp_token = \"{TOKEN}\" junk\n"),
            format!("[profiles.mystore]\napp_token = [\"{TOKEN}\"]\n"),
        ] {
            let file = config(&text);
            let e = err(resolve(
                &no_overrides(),
                &MapEnv::default(),
                Some(&file.path),
            ));
            assert!(matches!(e, ConfigError::Parse { .. }), "{e:?}");
            assert!(!format!("{e:?}").contains(TOKEN), "{e:?}");
            assert!(e.to_string().contains("line "), "{e}");
        }
    }

    #[test]
    fn sanitizer_drops_quoted_values() {
        assert_eq!(
            sanitize_toml_message("invalid type: string \"hunter2\", expected u64"),
            "invalid type: string \"…\", expected u64"
        );
        assert_eq!(
            sanitize_toml_message("unknown field `app_tokn`, expected one of `account`"),
            "unknown field `app_tokn`, expected one of `account`"
        );
        assert_eq!(
            sanitize_toml_message("unterminated \"abc"),
            "unterminated \"…\""
        );
        assert_eq!(
            sanitize_toml_message("invalid basic string, expected `\"`"),
            "invalid basic string, expected `\"`"
        );
        assert_eq!(line_column("a\nbc\ndé=", 8), (3, 3));
    }

    #[test]
    fn debug_of_remote_redacts_the_token() {
        let file = config(ONE_PROFILE);
        let target = resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap();
        let debug = format!("{target:?}");
        assert!(!debug.contains(TOKEN), "{debug}");
        assert!(debug.contains("REDACTED"), "{debug}");
        assert!(debug.contains("vtexappkey-mystore-ABCDEF"), "{debug}");
        let pretty = format!("{:#?}", remote(target));
        assert!(!pretty.contains(TOKEN), "{pretty}");
    }

    #[test]
    fn settings_are_passed_through() {
        let file = config(&format!(
            "default_profile = \"mystore\"\nclipboard = \"osc52\"\nclear_after_secs = 45\n\
             osc52_clear = false\nrefresh_secs = 30\n{ONE_PROFILE}"
        ));
        let expected = Settings {
            clipboard: Some("osc52".into()),
            clear_after_secs: Some(45),
            osc52_clear: Some(false),
            osc52_wrap: None,
            refresh_secs: Some(30),
        };
        assert_eq!(load_settings(Some(&file.path)).unwrap(), expected);
        let r = remote(resolve(&no_overrides(), &token_env(), Some(&file.path)).unwrap());
        assert_eq!(r.settings, expected);
    }

    #[test]
    fn settings_default_without_a_file() {
        assert_eq!(load_settings(None).unwrap(), Settings::default());
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load_settings(Some(&dir.path().join("missing.toml"))).unwrap(),
            Settings::default()
        );
    }

    #[test]
    fn unreadable_config_is_an_error_with_a_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let e = load_settings(Some(dir.path())).unwrap_err();
        assert!(matches!(e, ConfigError::Read { .. }), "{e:?}");
        assert!(e.to_string().ends_with('.'), "{e}");
    }

    #[test]
    fn normalize_token_removes_all_whitespace() {
        assert_eq!(normalize_token(" a b\nc\t").as_deref(), Some("abc"));
        assert_eq!(normalize_token(" \n "), None);
    }
}
