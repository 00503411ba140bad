//! Why an operation is not available here (`Access::check`, `State::check_selected`): one-line
//! reasons, shown after "Cannot …:", in the help and in the Settings pane; and what the panes
//! say when the server refuses the credentials themselves.

use crate::config::TokenSource;

pub const READ_ONLY: &str = "read-only mode (--read-only)";
pub const NEEDS_EXTENSION: &str =
    "needs the apikeys server extension; VTEX's public API has no such endpoint";
/// VTEX's rotation guide, as the key bar and help give it for the caller's own row.
pub const OWN_KEY_RENEWAL: &str = "renew this key while signed in with another key";
/// The server refuses what would lock the caller out (409), so the app says so before asking.
pub const CREDENTIALS_REFUSED: &str = "the server refused the app key or token (see the pane)";
/// Shown after "Cannot change the key's status: " / "Cannot delete the key: ": the whole line
/// fits in 90 columns.
pub const OWN_KEY_DEACTIVATION: &str = "deactivating your own key locks you out; use another key";
pub const OWN_KEY_REMOVAL: &str = "removing your own key's access locks you out; use another key";
pub const OWN_KEY_DELETION: &str = "deleting your own key locks you out; use another key";

/// `r` on a key whose renewal is pending: what to do instead (`instead` may be empty).
pub fn renewal_pending(instead: &[&str]) -> String {
    match instead {
        [] => "a renewal is already pending".to_string(),
        _ => format!("a renewal is already pending ({})", instead.join(", ")),
    }
}
pub const PENDING_FINISH: &str = "F deletes the old token";
pub const PENDING_UNDO: &str = "u undoes it";

/// The block the panes show once the server refused the credentials (401): which key, where its
/// token came from, and how to fix that source. Never any part of the token.
pub fn unauthorized(app_key: &str, source: Option<&TokenSource>) -> String {
    let refused = if app_key.is_empty() {
        "The server refused the app key".to_string()
    } else {
        format!("The server refused app key {app_key}")
    };
    let Some(source) = source else {
        return format!("{refused}.\n{CHECK_KEY}\nR retries.");
    };
    let (origin, fix) = match source {
        TokenSource::Environment => (
            "the environment variable VTEX_APP_TOKEN".to_string(),
            "Set VTEX_APP_TOKEN to the key's current token, or unset it to use the profile's."
                .to_string(),
        ),
        TokenSource::ProfileAppToken { profile, file } => (
            format!("app_token in profile \"{profile}\" of {file}"),
            format!("Put the key's current token in app_token of profile \"{profile}\"."),
        ),
        TokenSource::TokenCommand { profile, file } => (
            format!("the token_command of profile \"{profile}\" in {file}"),
            "Make the token_command print the key's current token (run it yourself to see)."
                .to_string(),
        ),
        TokenSource::EmbeddedDemo { admin_file } => (
            format!("the embedded demo's {admin_file}"),
            "The demo's admin key was changed elsewhere: quit, delete the demo database and its \
             .admin.json, and start again for a fresh demo."
                .to_string(),
        ),
    };
    format!("{refused} (its token came from {origin}).\n{CHECK_KEY} {fix}\nR retries.")
}

const CHECK_KEY: &str = "Check that the key exists and is active, and that the token is its \
current one (a renewal ends the old token once it is deleted).";

pub fn lacks_permission(permission: &str) -> String {
    format!("your key lacks the \"{permission}\" permission")
}
