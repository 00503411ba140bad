//! What the dialogs draw: their titles, bodies and buttons (the confirmations' own words are in
//! the parent module, as the update logic builds them), the role picker, the token dialog and
//! the help overlay.

pub const CANCEL: &str = "Cancel";

/// The last body line of a dialog cut to fit the screen.
pub fn more_lines(hidden: usize) -> String {
    let lines = super::count_of(hidden, "more line", "more lines");
    format!("… {lines} (enlarge the terminal)")
}

/// Where a scrolled overlay is, in its bottom border: "lines 12–30 of 41".
pub fn lines_shown(first: usize, last: usize, total: usize) -> String {
    format!("lines {first}–{last} of {total}")
}

// ---- delete key -------------------------------------------------------------------------------

pub const DELETE_TITLE: &str = "Delete key";
pub const DELETE_UNDERSTOOD: &str = " I understand this cannot be undone";
pub const DELETE: &str = "Delete";

pub fn delete_body(key: &str) -> String {
    format!(
        "Delete {key}? Integrations that use it stop working at once, and the key cannot be restored."
    )
}

// ---- renew by appKey --------------------------------------------------------------------------

pub const RENEW_BY_KEY_TITLE: &str = "Renew a token by appKey";
pub const RENEW_BY_KEY_INTRO: &str = "The appKey of the key to renew, e.g. vtexappkey-mystore-ABCDEF. Next you choose what happens to its current token.";
pub const APP_KEY_FIELD: &str = "appKey";

// ---- renew ------------------------------------------------------------------------------------

pub const RENEW_TITLE: &str = "Renew token";
pub const RENEW_DELETE_NOW: &str = "Delete the old token now";
pub const RENEW_DELETE_NOW_NOTE: &str = "Integrations still using it stop working at once.";
pub const RENEW_KEEP_OLD: &str = "Keep the old token until I delete it (later)";
pub const RENEW_KEEP_OLD_NOTE: &str =
    "Both tokens work until F deletes the old one; u undoes the renewal.";

pub fn renew_body(key: &str) -> String {
    format!(
        "Renew the token of {key}? A new token is created and shown once. What happens to the current one?"
    )
}

// ---- role picker and role editing -------------------------------------------------------------

pub const ROLES_LOADING: &str = "Loading the account's roles…";
pub const NO_ROLES: &str = "This account has no roles.";
pub const NO_ROLE_CHOSEN: &str = "No role chosen: the key can call nothing until it gets one.";
pub const ONE_ROLE_CHOSEN: &str = "1 role chosen.";
pub const EDIT_ROLES_INTRO: &str = "Space adds or removes a role; Enter saves the changes.";
pub const NO_CHANGE: &str = "No change yet.";

pub const PICKER_FILTER_LABEL: &str = "Filter: ";

pub fn no_role_matches(filter: &str) -> String {
    format!("No role matches \"{filter}\"; Esc clears the filter.")
}

/// The picker's summary after "n" to the administrator question.
pub fn admin_not_granted(roles: &str) -> String {
    format!("Not granted: {roles} (unticked).")
}

/// Asked once before an administrator role is granted.
pub fn grant_admin_question(role: &str) -> String {
    format!(
        "{role} can do everything in the account: every product, every permission, every API key and user. Grant it? (y/n)"
    )
}

pub fn roles_chosen(count: usize) -> String {
    format!("{count} roles chosen.")
}

pub fn more_above(count: usize) -> String {
    format!("↑ {count} more")
}

pub fn more_below(count: usize) -> String {
    format!("↓ {count} more")
}

pub fn edit_roles_title(app_key: &str) -> String {
    format!("Edit roles · {app_key}")
}

pub fn roles_added(count: usize) -> String {
    format!("+{count} added")
}

pub fn roles_removed(count: usize) -> String {
    format!("−{count} removed")
}

// ---- two-step forms: new key, add external key ------------------------------------------------

pub const NEW_KEY_TITLE: &str = "New key";
pub const NEW_KEY_ASKS: &str = "label";
pub const NEW_KEY_INTRO: &str =
    "A label says what the key is for, e.g. \"ERP integration\". It is required.";
pub const NEW_KEY_FIELD: &str = "Label";
pub const ADD_EXTERNAL_TITLE: &str = "Add external key";
pub const ADD_EXTERNAL_ASKS: &str = "key";
pub const ADD_EXTERNAL_INTRO: &str = "The appKey of another account's key, e.g. vtexappkey-partner-ABCDEF. Its token stays with that account.";

pub fn new_key_roles_intro(label: &str) -> String {
    format!("Roles for \"{label}\". None is preselected; the token is shown once, right after.")
}

pub fn add_external_roles_intro(app_key: &str) -> String {
    format!("Roles {app_key} gets in this account.")
}

/// The add-external form refuses a key the list already has, before any request.
pub fn external_already_added(app_key: &str) -> String {
    format!("{app_key} is already in the external keys; select it there to change its roles.")
}

/// After a create or an add, when the pane's filter hides the new row.
pub fn hidden_by_filter(app_key: &str, added: bool) -> String {
    let done = if added { "Added" } else { "Created" };
    format!("{done} {app_key} — hidden by the filter; Esc clears it.")
}

/// "New key · 1/2 label".
pub fn form_first_step(title: &str, asks: &str) -> String {
    format!("{title} · 1/2 {asks}")
}

/// "New key · 2/2 roles".
pub fn form_roles_step(title: &str) -> String {
    format!("{title} · 2/2 roles")
}

// ---- token, shown once ------------------------------------------------------------------------

pub const TOKEN_RENEWED: &str = "Token renewed";
pub const KEY_CREATED: &str = "Key created";
pub const TOKEN_NOT_SHOWN_AGAIN: &str = "This token will not be shown again.";
/// Asked when a token dialog is closed before its token was revealed or copied.
pub const TOKEN_CLOSE_ANYWAY: &str =
    "The token was neither revealed nor copied. It cannot be shown again. Close anyway?";

// ---- help overlay -----------------------------------------------------------------------------

/// "Help: Generated keys": the help of the pane under it.
pub fn help_title(pane: &str) -> String {
    format!("Help: {pane}")
}

pub const HELP_EVERYWHERE: &str = "Everywhere";
pub const HELP_FILTER_TITLE: &str = "In the filter (/)";
pub const HELP_FILTER: &str = "Every word must occur, anywhere in the key, its label, roles or owner account; case and accents do not matter (integracao finds Integração). !word leaves out keys holding it; \"two words\" in quotes is one phrase. -f first (Ctrl-f) switches to fuzzy matching, best matches first, with fzf's 'exact ^start end$ !not.";
pub const HELP_DIALOGS: &str = "In dialogs: Enter confirms, Esc cancels, Space ticks a box. In a role list, / filters the roles by name; on a form's roles step, Esc goes back to the first step. Dimmed keys are not available here; the reason follows them.";

/// A binding's description, then why it is refused here.
pub fn unavailable(what: &str, reason: &str) -> String {
    format!("{what} — unavailable: {reason}")
}
