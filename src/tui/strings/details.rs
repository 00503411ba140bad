//! The key details dialog: its title, the values of its fields, the audit trail's placeholders.
//! The field names ("Key", "Label", "Status"…) are single-word labels and stay in the view.

pub const TITLE: &str = "Key details";
pub const NOT_IN_LIST: &str =
    "This key is no longer in the list (deleted, or the list was refreshed without it).";
pub const AUDIT: &str = "Audit";

// ---- field values -----------------------------------------------------------------------------

pub const NO_LABEL: &str = "(no label)";
pub const UNKNOWN: &str = "unknown";
pub const ACTIVE_WAITING: &str = "Active… (waiting for the server)";
pub const INACTIVE_WAITING: &str = "Inactive… (waiting for the server)";
pub const NO_ROLES: &str = "none: the key can call nothing";
pub const ROLES_LOADING: &str = "loading…";
pub const TOKEN_DATE_UNREPORTED: &str = "not reported by this server";
pub const NO_NEW_TOKEN: &str = "none pending";

/// "Key details · vtexappkey-acme-ORYNWX".
pub fn title_of(app_key: &str) -> String {
    format!("{TITLE} · {app_key}")
}

pub const EXTERNAL_TITLE: &str = "External key details";
pub const EXTERNAL_NOT_IN_LIST: &str =
    "This external key is no longer in the list (removed, or the list was refreshed without it).";
/// An external key's token belongs to its own account: nothing to show of it here.
pub const EXTERNAL_TOKEN: &str = "kept by its own account; never shown here";

/// "External key details · vtexappkey-partner-QWERTY".
pub fn external_title_of(app_key: &str) -> String {
    format!("{EXTERNAL_TITLE} · {app_key}")
}

pub fn token_created(when: &str, days: i64) -> String {
    format!("{when} ({days} days ago)")
}

pub fn new_token_pending(when: &str) -> String {
    format!(
        "{when}: old token pending deletion (both work; F deletes the old one, u undoes the renewal)"
    )
}

pub fn age_fresh(months: u32, due: &str) -> String {
    format!("fresh: within the {months}-month duration (outdated from {due})")
}

pub fn age_outdated(months: u32, due: &str) -> String {
    format!("outdated: past the {months}-month duration since {due}; the token still works")
}

pub fn age_long_outdated(months: u32, due: &str) -> String {
    format!(
        "long outdated: 3 months or more past the {months}-month duration (due {due}); the token still works"
    )
}

// ---- audit trail ------------------------------------------------------------------------------

pub const AUDIT_LOADING: &str = "Loading…";
pub const AUDIT_UNAVAILABLE: &str =
    "The audit trail needs the apikeys server extension; VTEX's public API has none.";
pub const AUDIT_EMPTY: &str = "No entry for this key.";

/// "renew by vtexappkey-acme-ADMINS".
pub fn audit_entry(action: &str, actor: &str) -> String {
    format!("{action} by {actor}")
}
