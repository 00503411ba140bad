//! Why an operation is not available here (`Access::check`, `State::check_selected`): one-line
//! reasons, shown after "Cannot …:", in the help and in the Settings pane.

pub const READ_ONLY: &str = "read-only mode (--read-only)";
pub const NEEDS_EXTENSION: &str =
    "needs the apikeys server extension; VTEX's public API has no such endpoint";
/// VTEX's rotation guide, as the key bar and help give it for the caller's own row.
pub const OWN_KEY_RENEWAL: &str = "renew this key while signed in with another key";

pub fn lacks_permission(permission: &str) -> String {
    format!("your key lacks the \"{permission}\" permission")
}
