//! Everything that can stop reading the configuration or resolving a target, as sentences.

/// Everything that can stop [`super::ConfigFile::load`] or [`super::resolve`]. Each message is a sentence that
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
