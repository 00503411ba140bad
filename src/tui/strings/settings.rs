//! The Settings pane: the token duration and what it means, the caller's permissions, and
//! whether the server offers the apikeys extensions. The leading spaces indent under a heading.

pub const READ_ONLY: &str =
    "Read-only mode (--read-only): you can look at everything; no change is sent to the server.";

// ---- token duration ---------------------------------------------------------------------------

pub const DURATION: &str = "Token duration";
pub const DURATION_UNAVAILABLE: &str = "  This setting needs the apikeys server extension; VTEX's default of 3 months is used to judge token ages.";
pub const THREE_MONTHS: &str = "3 months (recommended)";
pub const SIX_MONTHS: &str = "6 months";
pub const IN_EFFECT: &str = "  in effect";
pub const DURATION_LOADING: &str = "  Loading the current setting…";
pub const ENTER_APPLIES: &str = "  Enter applies the option under the cursor.";
pub const MEANING: &str = "Applies to every generated key of the account, counted from the date the key's \
current token was created. Past it the key is outdated: its token keeps working, and the Generated keys \
pane shows an orange alert (!), turning red (!!) once the token is 3 months past the duration.";

pub fn duration_unreadable(reason: &str) -> String {
    format!("  Could not read the setting: {reason}")
}

pub fn cannot_change(reason: &str) -> String {
    format!("  Cannot be changed here: {reason}.")
}

// ---- permissions ------------------------------------------------------------------------------

pub const PERMISSIONS: &str = "Your permissions";
pub const PERMISSIONS_UNKNOWN: &str =
    "  unknown: the server does not report them (changes it refuses are explained when tried).";
pub const PERMISSIONS_CHECKING: &str = "  checking…";
pub const PERMISSIONS_UNANSWERED: &str =
    "  not known yet: the server has not answered (R retries).";

// ---- server extensions: the label, then the verdict (coloured), then the rest -----------------

pub const EXTENSIONS: &str = "Server extensions: ";
pub const EXTENSIONS_AVAILABLE: &str = "available";
pub const EXTENSIONS_AVAILABLE_REST: &str =
    ": deleting keys, undoing renewals, this setting, external keys, audit trail, token dates.";
pub const EXTENSIONS_MISSING: &str = "not available (VTEX public API only)";
pub const EXTENSIONS_MISSING_REST: &str = ": deleting keys, undoing renewals, this setting, external keys, audit trail and token dates are off.";
pub const EXTENSIONS_CHECKING: &str = "checking…";
pub const EXTENSIONS_UNANSWERED: &str = "not known yet";
pub const EXTENSIONS_UNANSWERED_REST: &str = ": the server has not answered.";
