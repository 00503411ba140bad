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

// ---- the confirmation of a new duration ---------------------------------------------------------

/// How many loaded keys change state under a new duration, as the confirm dialog says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DurationEffect {
    /// Outdated now and not under the new duration (a longer one).
    pub stop_outdated: usize,
    /// Fresh now and outdated under the new duration (a shorter one).
    pub become_outdated: usize,
    /// Outdated under both.
    pub stay_outdated: usize,
}

fn keys(count: usize) -> String {
    match count {
        1 => "1 key".to_string(),
        n => format!("{n} keys"),
    }
}

/// "1 key stops …" / "2 keys stop …": the verb agrees with the count.
fn verb(count: usize, singular: &'static str, plural: &'static str) -> &'static str {
    if count == 1 { singular } else { plural }
}

/// What the change does to the loaded keys, in one sentence (`None`: the list is not loaded).
pub fn duration_effect(from: u32, to: u32, effect: Option<DurationEffect>) -> String {
    let Some(effect) = effect else {
        return "The Generated keys list is not loaded, so the keys that change state cannot be counted here.".into();
    };
    let (low, high) = (from.min(to), from.max(to));
    let changed = effect.stop_outdated + effect.become_outdated;
    let mut sentence = if changed == 0 {
        "No key changes state".to_string()
    } else if effect.stop_outdated > 0 {
        let n = effect.stop_outdated;
        format!(
            "{} {} being outdated (tokens {low}–{high} months old)",
            keys(n),
            verb(n, "stops", "stop")
        )
    } else {
        let n = effect.become_outdated;
        format!(
            "{} {} outdated (tokens {low}–{high} months old)",
            keys(n),
            verb(n, "becomes", "become")
        )
    };
    if effect.stay_outdated > 0 {
        let n = effect.stay_outdated;
        sentence.push_str(&format!(
            "; {} {} outdated",
            keys(n),
            verb(n, "stays", "stay")
        ));
    }
    sentence.push('.');
    sentence
}

pub fn change_duration(from: u32, to: u32, effect: Option<DurationEffect>) -> super::Confirmation {
    let meaning = if to == 3 {
        THREE_MONTHS.to_string()
    } else {
        format!("{to} months")
    };
    super::Confirmation {
        title: "Change token duration",
        body: format!(
            "Set the token duration of every key to {meaning}? {}",
            duration_effect(from, to, effect)
        ),
        accept: "Apply",
    }
}
