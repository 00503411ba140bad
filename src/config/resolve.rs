//! Which server to talk to and with which credentials: the command line, then the environment,
//! then the config file, each step below in that order.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::file::{ConfigFile, ProfileConfig};
use super::token_command::{self, CommandError, Tty};
use super::{
    ConfigError, DEFAULT_ENVIRONMENT, ENV_ACCOUNT, ENV_APP_KEY, ENV_APP_TOKEN, ENV_PROFILE, Env,
    Overrides, Remote, TOKEN_COMMAND_TIMEOUT, Target, TokenSource,
};

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
pub async fn resolve(
    overrides: &Overrides,
    env: &dyn Env,
    loaded: &ConfigFile,
) -> Result<Target, ConfigError> {
    resolve_with_timeout(overrides, env, loaded, TOKEN_COMMAND_TIMEOUT).await
}

/// As [`resolve`], for a terminal app that already owns the screen: a token command runs
/// detached from the terminal ([`Tty::Detach`]).
pub async fn resolve_detached(
    overrides: &Overrides,
    env: &dyn Env,
    loaded: &ConfigFile,
) -> Result<Target, ConfigError> {
    resolve_in(overrides, env, loaded, TOKEN_COMMAND_TIMEOUT, Tty::Detach).await
}

pub(super) async fn resolve_with_timeout(
    overrides: &Overrides,
    env: &dyn Env,
    loaded: &ConfigFile,
    timeout: Duration,
) -> Result<Target, ConfigError> {
    resolve_in(overrides, env, loaded, timeout, Tty::Lend).await
}

async fn resolve_in(
    overrides: &Overrides,
    env: &dyn Env,
    loaded: &ConfigFile,
    timeout: Duration,
    tty: Tty,
) -> Result<Target, ConfigError> {
    // 1. --demo wins over everything.
    if overrides.demo {
        return Ok(Target::Demo);
    }
    // 2. Which profile.
    let profile = choose_profile(overrides, env, loaded)?;
    // 3. Nothing configured: the embedded default.
    if nothing_names_a_server(overrides, env, profile.is_some()) {
        if loaded.config.profiles.len() > 1 {
            return Err(ConfigError::NoProfileSelected {
                path: loaded.shown.clone(),
                available: loaded.config.profiles.keys().cloned().collect(),
            });
        }
        return Ok(Target::Demo);
    }
    remote(overrides, env, loaded, profile, (timeout, tty))
        .await
        .map(Target::Remote)
}

/// Whether no profile, flag or environment variable points at a server.
fn nothing_names_a_server(overrides: &Overrides, env: &dyn Env, has_profile: bool) -> bool {
    !has_profile
        && non_empty(overrides.account.as_ref()).is_none()
        && non_empty(overrides.base_url.as_ref()).is_none()
        && env_trimmed(env, ENV_APP_KEY).is_none()
}

/// Steps 4 to 8: the account, base URL, app key and token of the server named.
async fn remote(
    overrides: &Overrides,
    env: &dyn Env,
    loaded: &ConfigFile,
    profile: Option<(&str, &ProfileConfig)>,
    command_run: (Duration, Tty),
) -> Result<Remote, ConfigError> {
    let shown = loaded.shown.as_str();
    let flag_base_url = non_empty(overrides.base_url.as_ref());
    let env_app_key = env_trimmed(env, ENV_APP_KEY);
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
    let named_account = named_account(overrides, env, prof, &profile_origin)?;

    // 5 (first half). An explicit base URL; plain http only to this machine, or by opt-in.
    let (explicit_base_url, insecure_http) =
        explicit_base_url(flag_base_url.as_deref(), prof, &profile_origin, &place)?;

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
        None => built_base_url(&account, overrides, prof, &profile_origin)?,
    };

    // 7 and 8. Token.
    let (app_token, token_source) = resolve_token(
        env,
        prof,
        profile_name,
        loaded,
        &place,
        &app_key,
        command_run,
    )
    .await?;

    Ok(Remote {
        profile: profile_name.map(str::to_string),
        account,
        base_url,
        app_key,
        app_token,
        insecure_http,
        token_source,
    })
}

/// Step 2: the profile named by `--profile`, `APIKEYS_PROFILE` or `default_profile`, or the only
/// one; none when nothing names one and the file has several or none.
fn choose_profile<'a>(
    overrides: &Overrides,
    env: &dyn Env,
    loaded: &'a ConfigFile,
) -> Result<Option<(&'a str, &'a ProfileConfig)>, ConfigError> {
    let (shown, file) = (loaded.shown.as_str(), &loaded.config);
    let chosen = if let Some(name) = non_empty(overrides.profile.as_ref()) {
        Some((name, ChosenBy::Flag))
    } else if let Some(name) = env_trimmed(env, ENV_PROFILE) {
        Some((name, ChosenBy::Env))
    } else if let Some(name) = non_empty(file.default_profile.as_ref()) {
        Some((name, ChosenBy::DefaultProfile))
    } else if file.profiles.len() == 1 {
        file.profiles
            .keys()
            .next()
            .map(|name| (name.clone(), ChosenBy::OnlyOne))
    } else {
        None
    };
    let Some((name, chosen_by)) = chosen else {
        return Ok(None);
    };
    match file.profiles.get_key_value(&name) {
        Some((name, profile)) => Ok(Some((name.as_str(), profile))),
        None => Err(ConfigError::UnknownProfile {
            name,
            chosen_by: chosen_by.describe(shown),
            path: shown.to_string(),
            available: file.profiles.keys().cloned().collect(),
            file_exists: loaded.exists,
        }),
    }
}

/// Step 4, first half: an account named by a flag, the profile or the environment, checked.
fn named_account(
    overrides: &Overrides,
    env: &dyn Env,
    prof: &ProfileConfig,
    profile_origin: &dyn Fn(&str) -> String,
) -> Result<Option<String>, ConfigError> {
    let named = if let Some(account) = non_empty(overrides.account.as_ref()) {
        Some((account, "--account".to_string()))
    } else if let Some(account) = non_empty(prof.account.as_ref()) {
        Some((account, profile_origin("account")))
    } else {
        env_trimmed(env, ENV_ACCOUNT).map(|account| (account, ENV_ACCOUNT.to_string()))
    };
    match named {
        Some((account, origin)) if !is_valid_account(&account) => {
            Err(ConfigError::InvalidAccount { account, origin })
        }
        other => Ok(other.map(|(account, _)| account)),
    }
}

/// Step 5, first half: `--base-url` or the profile's `base_url`, and whether it is plain http
/// to another machine that the profile allows.
fn explicit_base_url(
    flag: Option<&str>,
    prof: &ProfileConfig,
    profile_origin: &dyn Fn(&str) -> String,
    place: &str,
) -> Result<(Option<Url>, bool), ConfigError> {
    let (url, origin) = if let Some(raw) = flag {
        (parse_base_url(raw, "--base-url")?, "--base-url".to_string())
    } else if let Some(raw) = non_empty(prof.base_url.as_ref()) {
        let origin = profile_origin("base_url");
        (parse_base_url(&raw, &origin)?, origin)
    } else {
        return Ok((None, false));
    };
    let insecure_http = check_cleartext(&url, &origin, prof, place)?;
    Ok((Some(url), insecure_http))
}

/// Step 5, second half: `https://{account}.{environment}.com.br`.
fn built_base_url(
    account: &str,
    overrides: &Overrides,
    prof: &ProfileConfig,
    profile_origin: &dyn Fn(&str) -> String,
) -> Result<Url, ConfigError> {
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
    )
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

async fn resolve_token(
    env: &dyn Env,
    prof: &ProfileConfig,
    profile_name: Option<&str>,
    loaded: &ConfigFile,
    place: &str,
    app_key: &str,
    (timeout, tty): (Duration, Tty),
) -> Result<(SecretString, TokenSource), ConfigError> {
    // The profile, as a refusal names it; app_token and token_command only come from one.
    let in_profile = || {
        (
            profile_name.unwrap_or_default().to_string(),
            loaded.shown.clone(),
        )
    };
    // Empty means unset (`VTEX_APP_TOKEN= apikeys …`); only-whitespace is a mistake.
    if let Some(raw) = env.var(ENV_APP_TOKEN).filter(|v| !v.is_empty()) {
        let token = normalize_token(&raw).ok_or_else(|| ConfigError::EmptyToken {
            origin: ENV_APP_TOKEN.to_string(),
        })?;
        return Ok((SecretString::from(token), TokenSource::Environment));
    }
    if let Some(command) = non_empty(prof.token_command.as_ref()) {
        let place = place.to_string();
        let output = token_command::run_with(&command, timeout, tty)
            .await
            .map_err(|err| match err {
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
        let token = normalize_token(&text).ok_or(ConfigError::TokenCommandEmpty { place })?;
        let (profile, file) = in_profile();
        return Ok((
            SecretString::from(token),
            TokenSource::TokenCommand { profile, file },
        ));
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
        let token =
            normalize_token(token.expose_secret()).ok_or(ConfigError::EmptyToken { origin })?;
        let (profile, file) = in_profile();
        return Ok((
            SecretString::from(token),
            TokenSource::ProfileAppToken { profile, file },
        ));
    }
    Err(ConfigError::NoToken {
        app_key: app_key.to_string(),
        place: place.to_string(),
    })
}
