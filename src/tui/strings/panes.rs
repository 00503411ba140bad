//! What the screen around the dialogs says: the header, the status line's hints, the too-small
//! notice, and the Generated and External keys panes' placeholders and info lines.

// ---- header and status line -------------------------------------------------------------------

pub const INSECURE_HTTP: &str = "insecure http";
pub const CONNECTING: &str = "Connecting…";
pub const ONLINE: &str = "● Online";
pub const UNAUTHORIZED: &str = "● Unauthorized";
pub const HINT_UNAUTHORIZED: &str = "Fix the credential named above, then R retries.";
pub const HINT_SETTINGS: &str = "The token duration applies to every generated key of the account.";
pub const HINT_KEYS_FILTER: &str =
    "Type words to find in the key, label or roles; !word leaves out, \"a phrase\", Ctrl-f fuzzy.";
pub const HINT_KEYS: &str = "Enter shows a key's details, roles, token dates and audit trail.";
pub const HINT_EXTERNAL_FILTER: &str =
    "Type words to find in the key, owner or roles; !word leaves out, \"a phrase\", Ctrl-f fuzzy.";

/// The status line while a filter that is more than one word is typed: how it was understood.
pub fn filter_understood(description: &str) -> String {
    format!("Filter: {description}.")
}
pub const HINT_EXTERNAL: &str =
    "Other accounts' keys with access here; their tokens are never shown.";

pub fn offline(reason: &str) -> String {
    format!("● Offline: {reason}")
}

pub fn too_small(width: u16, height: u16, min_width: u16, min_height: u16) -> String {
    format!(
        "Terminal too small: {width}×{height}. Enlarge it to at least {min_width}×{min_height}."
    )
}

// ---- the selected key's hint on the status line -----------------------------------------------

pub const HINT_RENEWAL_PENDING: &str = "Renewal pending: both tokens work.";
pub const HINT_FINISH_RENEWAL: &str = "F deletes the old token";
pub const HINT_UNDO_RENEWAL: &str = "u undoes the renewal";
pub const HINT_NO_TOKEN_DATE: &str = "Enter shows the key's details, roles and audit trail.";
pub const HINT_RENEWS_IT: &str = "r renews it.";
/// The caller's own row: why Space, d and r are dimmed there, before any dialog.
pub const HINT_OWN_KEY: &str = "Your own key: deactivate, delete or renew it from another key.";

/// The hint's sentence, then the keys that act on it (only those the key may use), joined.
pub fn hint_with(sentence: &str, actions: &[&str]) -> String {
    match actions {
        [] => sentence.to_string(),
        _ => format!("{sentence} {}.", actions.join("; ")),
    }
}

pub fn hint_long_outdated(days: i64, months: u32) -> String {
    format!("Token {days} days old: 3 months or more past the {months}-month duration.")
}

pub fn hint_outdated(days: i64, months: u32) -> String {
    format!("Token {days} days old: past the {months}-month duration (it still works).")
}

pub fn hint_fresh(days: i64, due: &str) -> String {
    format!("Token {days} days old; outdated from {due}.")
}

// ---- both key lists ---------------------------------------------------------------------------

pub const FILTER_STATUS: &str = "  status: ";

/// A failed load of an empty list: the failure, then what to do.
pub fn load_failed(message: &str) -> String {
    format!("{message}\nR tries again.")
}

pub fn could_not_refresh(message: &str) -> String {
    format!("Could not refresh: {message}")
}

/// "  12 of 61 keys", after the filter.
pub fn shown_of(shown: usize, total: usize) -> String {
    format!("  {shown} of {}", super::count_of(total, "key", "keys"))
}

// ---- Generated keys pane ----------------------------------------------------------------------

pub const KEYS_LOADING: &str = "Loading keys…";
pub const KEYS_NONE: &str = "This account has no generated keys yet.";
pub const KEYS_NONE_CREATE: &str = "This account has no generated keys yet. n creates one.";
pub const KEYS_NO_MATCH: &str =
    "No key matches.\nEsc clears the filter; f changes the status filter.";
pub const NO_LABEL: &str = "(no label)";
/// After the label of the key the app is signed in with.
pub const YOU_TAG: &str = " (you)";
pub const NO_ROLES: &str = "none";
pub const ROLES_LOADING: &str = "loading…";
/// The token cell's pending-deletion marker, longest first: the longest that fits is shown.
pub const PENDING_MARKERS: [&str; 3] = [
    " · old token pending deletion",
    " · old token pending",
    " · pending",
];

/// `renew`: whether the key may renew tokens, the one thing left to offer.
pub fn may_not_view(permission: &str, renew: bool) -> String {
    let offer = if renew {
        "It can still renew a key's token: r, then type the key's appKey. "
    } else {
        ""
    };
    format!(
        "Your key may not view keys: it lacks the \"{permission}\" permission.\n\
         {offer}R tries the listing again."
    )
}

/// What the list is sorted by, in [`keys_sorted`].
pub const SORT_NAME: &str = "name";
pub const SORT_KEY: &str = "key";
pub const SORT_CREATED: &str = "created date";
pub const SORT_TOKEN_AGE: &str = "token age";
pub const SORT_STATUS: &str = "status";

/// "61 keys · sorted by token age ▲".
pub fn keys_sorted(count: usize, by: &str, arrow: &str) -> String {
    format!(
        "{} · sorted by {by} {arrow}",
        super::count_of(count, "key", "keys")
    )
}

// ---- External keys pane -----------------------------------------------------------------------

pub const EXTERNAL_UNAVAILABLE: &str =
    "External keys need the apikeys server extension; VTEX's public API has no endpoint for them.";
pub const EXTERNAL_LOADING: &str = "Loading external keys…";
pub const EXTERNAL_NONE: &str = "No other account's key has access to this account.";
pub const EXTERNAL_NONE_ADD: &str =
    "No other account's key has access to this account. a adds one.";
pub const EXTERNAL_NO_MATCH: &str =
    "No key matches.\nEsc clears the filter; f changes the status filter.";

/// What the external list is sorted by, in [`external_sorted`].
pub const SORT_OWNER: &str = "owner";
pub const SORT_ADDED: &str = "added date";

/// "8 keys of other accounts · sorted by owner ▲".
pub fn external_sorted(count: usize, by: &str, arrow: &str) -> String {
    let keys = super::count_of(count, "key of another account", "keys of other accounts");
    format!("{keys} · sorted by {by} {arrow}")
}

// ---- the title bar's marks: read-only mode and the last successful refresh ---------------------

pub const READ_ONLY_MARK: &str = "read-only";

pub fn refreshed_at(clock: &str) -> String {
    format!("refreshed {clock}")
}

/// Above a list with marks: "✓ 12 marked".
pub fn marked(count: usize) -> String {
    format!("✓ {count} marked")
}

/// After the count, when the filter hides some of the marked rows.
pub fn marked_hidden(count: usize) -> String {
    format!(" ({count} hidden by the filter)")
}

pub const MARKED_SEPARATOR: &str = " · ";
