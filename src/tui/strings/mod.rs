//! Every sentence the terminal app says to the user, in one place (as gitui's `strings.rs`),
//! ready for translation: here what the update logic says (status line, forms, confirmations),
//! in the submodules what each pane and dialog draws and why an operation is refused. Column
//! headers, single-word labels and marks ("▲", "[x]") stay with the drawing code in `view`.

pub mod access;
pub mod bulk;
pub mod commands;
pub mod details;
pub mod dialogs;
pub mod export;
pub mod insights;
pub mod panes;
pub mod profiles;
pub mod rotation;
pub mod settings;

/// "1 key", "61 keys": a count and its noun, the singular for exactly one. Every count the
/// app says goes through here.
pub fn count_of(count: usize, one: &str, many: &str) -> String {
    let noun = if count == 1 { one } else { many };
    format!("{count} {noun}")
}

// ---- status line ------------------------------------------------------------------------------

pub const REFRESHING: &str = "Refreshing…";
pub const CRASHED: &str =
    "A request failed inside apikeys (a bug); refresh (R) to see the current state.";
pub const TOKEN_WIPED: &str = "Token dialog closed; the token was wiped from memory.";
/// The token closed with a notice kept for after it (the created key is hidden by the filter).
pub fn token_wiped_then(notice: &str) -> String {
    format!("Token wiped from memory. {notice}")
}
pub const TOKEN_WAITING: &str = "A new token is waiting: close this dialog to see it.";
pub const NO_ROLE_CHANGED: &str = "No role changed.";
pub const TICK_TO_DELETE: &str = "Tick \"I understand this cannot be undone\" (Space) to delete.";
pub const ROLES_STILL_LOADING: &str = "This key's roles are still loading; try again in a moment.";
pub const EXTERNAL_UNAVAILABLE: &str =
    "External keys need the apikeys server extension; VTEX's public API has none.";
pub const NO_OLD_TOKEN: &str =
    "No renewal is pending for this key: there is no old token to delete.";
pub const NO_RENEWAL_PENDING: &str = "No renewal is pending for this key.";
pub const SETTING_NOT_LOADED: &str = "The current setting is not loaded yet.";
pub const NO_TOKEN_DATES: &str = "this server reports no token dates";

/// After `:mark`: how many rows it marked.
pub fn marked(count: usize) -> String {
    format!("Marked {}.", count_of(count, "key", "keys"))
}

/// "Cannot create a key: read-only mode (--read-only)."
pub fn cannot(what: &str, reason: &str) -> String {
    format!("Cannot {what}: {reason}.")
}

pub fn showing(filter: &str) -> String {
    format!("Showing {filter} keys.")
}

pub fn duration_already(months: u32) -> String {
    format!("The token duration is already {months} months.")
}

pub fn key_is(app_key: &str, active: bool) -> String {
    let state = if active { "active" } else { "inactive" };
    format!("{app_key} is {state}.")
}

pub fn deleted(app_key: &str) -> String {
    format!("Deleted {app_key}.")
}

pub fn roles_updated(app_key: &str) -> String {
    format!("Roles of {app_key} updated.")
}

pub fn old_token_deleted(app_key: &str) -> String {
    format!("The old token of {app_key} is deleted.")
}

pub fn renewal_undone(app_key: &str) -> String {
    format!("Renewal of {app_key} undone: the old token stays, the new one is gone.")
}

pub fn duration_set(months: u32) -> String {
    format!("Token duration set to {months} months.")
}

pub fn external_added(app_key: &str) -> String {
    format!("Added external key {app_key}.")
}

pub fn external_removed(app_key: &str) -> String {
    format!("Removed external key {app_key}.")
}

/// A change to a listed key answered 404: the key was deleted by someone else meanwhile.
pub fn deleted_elsewhere(app_key: &str, label: Option<&str>) -> String {
    let named = match label.map(str::trim) {
        Some(label) if !label.is_empty() => format!("{app_key} (\"{label}\")"),
        _ => app_key.to_string(),
    };
    format!("{named} no longer exists — it was deleted elsewhere; the list was refreshed.")
}

pub fn created(app_key: &str) -> String {
    format!("Created {app_key}.")
}

pub fn created_without_token(app_key: &str) -> String {
    format!("Created {app_key}, but the server did not return the token; renew it to get one.")
}

pub fn created_without_roles(app_key: &str, reason: &str) -> String {
    format!("Created {app_key}, but its roles were not added: {reason}")
}

pub fn renewed(app_key: &str) -> String {
    format!("Renewed the token of {app_key}.")
}

pub fn renewal_without_token(app_key: &str) -> String {
    format!(
        "The renewal of {app_key} started, but the server did not return the new token; undo it (u) and try again."
    )
}

// ---- token dialog -----------------------------------------------------------------------------

pub const OLD_TOKEN_KEPT: &str = "The old token keeps working until you delete it (F).";
pub const OLD_TOKEN_GONE: &str = "The old token is deleted.";

pub fn old_token_not_deleted(reason: &str) -> String {
    format!("The old token was NOT deleted: {reason}")
}

// ---- forms ------------------------------------------------------------------------------------

pub const EXTERNAL_OWN_ACCOUNT: &str =
    "That key belongs to this account; external keys come from other accounts.";
pub const EXPECTED_APP_KEY: &str = "Expected vtexappkey-{account}-{6 uppercase letters}.";
pub const EXPECTED_AN_APP_KEY: &str =
    "Expected an appKey: vtexappkey-{account}-{6 uppercase letters}.";
pub const RENEW_OWN_KEY: &str =
    "That is the key you are signed in with: renew it with another key.";

pub fn other_account(account: &str, own_account: &str) -> String {
    format!("That key belongs to account {account}; this is {own_account}.")
}

// ---- confirmations: (title, question, button) -------------------------------------------------

pub struct Confirmation {
    pub title: &'static str,
    pub body: String,
    pub accept: &'static str,
}

pub fn deactivate_key(app_key: &str, label: &str) -> Confirmation {
    Confirmation {
        title: "Deactivate key",
        body: format!(
            "Deactivate {app_key} ({label})? Integrations using it stop working until it is activated again."
        ),
        accept: "Deactivate",
    }
}

pub fn delete_old_token(app_key: &str, label: &str) -> Confirmation {
    Confirmation {
        title: "Delete the old token",
        body: format!(
            "Delete the old token of {app_key} ({label})? Integrations still using it stop working. This cannot be undone."
        ),
        accept: "Delete old token",
    }
}

pub fn undo_renewal(app_key: &str, label: &str) -> Confirmation {
    Confirmation {
        title: "Undo the renewal",
        body: format!(
            "Drop the new token of {app_key} ({label})? The old token keeps working; anything already using the new one stops."
        ),
        accept: "Undo renewal",
    }
}

pub fn deactivate_external(app_key: &str, account: &str) -> Confirmation {
    Confirmation {
        title: "Deactivate external key",
        body: format!(
            "Deactivate {app_key} (account {account})? Its integrations lose access to this account."
        ),
        accept: "Deactivate",
    }
}

pub fn remove_external(app_key: &str, account: &str) -> Confirmation {
    Confirmation {
        title: "Remove external key",
        body: format!(
            "Remove {app_key} (account {account}) from this account? Its integrations lose access here."
        ),
        accept: "Remove",
    }
}
