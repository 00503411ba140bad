//! What switching profiles says: the status line while connecting and after, and the picker.

pub const PICKER_TITLE: &str = "Switch profile";
/// Where the embedded demo runs, as the picker shows it.
pub const DEMO_TARGET: &str = "embedded demo server on this machine";
pub const NO_PROFILES: &str =
    "No profiles to switch to: add [profiles.NAME] sections to the config file.";
/// The picker's note under the current profile's name.
pub const CURRENT: &str = "current";

/// "Connecting to staging…"
pub fn connecting(name: &str) -> String {
    format!("Connecting to {name}… (Esc gives it up)")
}

/// Connected, waiting for the changes on their way to the account on screen.
pub fn switch_waits(name: &str) -> String {
    format!(
        "Connected to {name}; switching once the changes on their way have answered (Esc gives it up)."
    )
}

pub fn already_on(name: &str) -> String {
    format!("Already on profile {name}.")
}

pub fn switch_given_up_after_failure(name: &str) -> String {
    format!("(The switch to {name} is given up: still on this account.)")
}

pub fn switch_cancelled(name: &str) -> String {
    format!("Switch to {name} given up: still on the account on screen.")
}

/// "Connected to profile staging (account acme)."
pub fn connected(name: &str, account: &str) -> String {
    format!("Connected to profile {name} (account {account}).")
}

/// "Cannot switch to staging: cannot reach …" (the app stays on the account on screen; the
/// reason comes first so a narrow status line still shows it).
pub fn cannot_switch(name: &str, reason: &str) -> String {
    let reason = reason.trim_end_matches('.');
    format!("Cannot switch to {name}: {reason}.")
}

/// The reason an unknown name gives, with the names that exist.
pub fn unknown_profile(known: &[String]) -> String {
    if known.is_empty() {
        "there is no such profile, and the config file defines none".to_string()
    } else {
        format!(
            "there is no such profile; the profiles are {}",
            known.join(", ")
        )
    }
}

/// Why the embedded demo did not start.
pub fn demo_failed(err: &anyhow::Error) -> String {
    format!("cannot start the embedded demo server ({err:#})")
}
