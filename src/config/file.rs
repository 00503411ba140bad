//! The config file: read once, parsed into typed values, errors named by file, line and column.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::Path;

use secrecy::SecretString;
use serde::Deserialize;

use super::{ConfigError, Settings};
use crate::clipboard::{Mode, WrapSetting};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileConfig {
    pub(super) default_profile: Option<String>,
    clipboard: Option<Mode>,
    clear_after_secs: Option<u64>,
    osc52_clear: Option<bool>,
    osc52_wrap: Option<WrapSetting>,
    refresh_secs: Option<u64>,
    /// `[posture]`: the thresholds of `apikeys report` and the app's Insights.
    posture: Option<crate::posture::Thresholds>,
    #[serde(default)]
    pub(super) profiles: BTreeMap<String, ProfileConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProfileConfig {
    pub(super) account: Option<String>,
    pub(super) environment: Option<String>,
    pub(super) base_url: Option<String>,
    pub(super) app_key: Option<String>,
    pub(super) token_command: Option<String>,
    pub(super) app_token: Option<SecretString>,
    /// Allows plain http to a host that is not this machine (a private proxy).
    pub(super) insecure_http: Option<bool>,
    /// `[profiles.NAME.rotation]`: how `apikeys rotate` and the app's `:rotate` hand tokens on.
    pub(super) rotation: Option<RotationConfig>,
}

/// A profile's rotation settings, as written; `apikeys rotate`'s flags override each.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotationConfig {
    /// The command given each new token on its standard input.
    pub sink: Option<String>,
    /// A command that checks the integration with the new token (on its standard input).
    pub verify: Option<String>,
    /// How long the old token keeps working (`0`, `24h`, `7d`).
    pub grace: Option<String>,
    /// The time limit of each sink and verify command, in seconds.
    pub timeout_secs: Option<u64>,
}

impl FileConfig {
    fn settings(&self) -> Settings {
        Settings {
            clipboard: self.clipboard,
            clear_after_secs: self.clear_after_secs,
            osc52_clear: self.osc52_clear,
            osc52_wrap: self.osc52_wrap,
            refresh_secs: self.refresh_secs,
        }
    }
}

/// The config file as read, once per run: its contents (empty when absent) and its permission
/// bits. Everything else (settings, profiles, credentials) is taken from this value.
pub struct ConfigFile {
    /// How to name the file in messages.
    pub(super) shown: String,
    pub(super) exists: bool,
    /// Unix permission bits of the file, when known.
    pub(super) mode: Option<u32>,
    pub(super) config: FileConfig,
}

impl ConfigFile {
    /// Reads and parses the file at `path`; no file (or no known path) is an empty config.
    pub fn load(path: Option<&Path>) -> Result<ConfigFile, ConfigError> {
        load(path)
    }

    /// The top-level settings (defaults for what the file does not set).
    pub fn settings(&self) -> Settings {
        self.config.settings()
    }

    /// How the file is named in messages.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The rotation settings of `profile` (none set when it has no `rotation` table).
    pub fn rotation(&self, profile: &str) -> RotationConfig {
        self.config
            .profiles
            .get(profile)
            .and_then(|profile| profile.rotation.clone())
            .unwrap_or_default()
    }

    /// The `[posture]` thresholds (the defaults for what the file does not set).
    pub fn posture(&self) -> crate::posture::Thresholds {
        // A century is "never": larger values would overflow the date arithmetic.
        const NEVER_DAYS: u32 = 36_500;
        let mut thresholds = self.config.posture.unwrap_or_default();
        thresholds.pending_days = thresholds.pending_days.min(NEVER_DAYS);
        thresholds.inactive_days = thresholds.inactive_days.min(NEVER_DAYS);
        thresholds
    }

    /// The profiles' names, in order.
    pub fn profile_names(&self) -> Vec<String> {
        self.config.profiles.keys().cloned().collect()
    }

    /// What a profile points at, known without running its token command: its `base_url`,
    /// else its account (and environment when not the default).
    pub fn profile_target(&self, name: &str) -> Option<String> {
        let profile = self.config.profiles.get(name)?;
        let set = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        if let Some(url) = set(&profile.base_url) {
            return Some(url);
        }
        let account = set(&profile.account)?;
        Some(match set(&profile.environment) {
            Some(environment) if environment != super::DEFAULT_ENVIRONMENT => {
                format!("{account} ({environment})")
            }
            _ => account,
        })
    }
}

fn show_path(path: Option<&Path>) -> String {
    match path {
        Some(path) => path.display().to_string(),
        None => "the config file (no config directory is known on this system)".to_string(),
    }
}

fn load(path: Option<&Path>) -> Result<ConfigFile, ConfigError> {
    let shown = show_path(path);
    let missing = |shown: String| ConfigFile {
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
    Ok(ConfigFile {
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
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
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
pub(super) fn sanitize_toml_message(message: &str) -> String {
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
