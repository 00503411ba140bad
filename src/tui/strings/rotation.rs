//! What `:rotate` says: refusals, the confirmation, the progress on the status line, the
//! summary, and "rotation due".

use std::time::Duration;

use super::count_of;
use crate::rotation::{KeyReport, Target};

/// Where no profile name is known (the embedded demo).
pub const TIMEOUT_ZERO: &str = "timeout_secs must be at least 1 second";
pub const TASK_STOPPED: &str = "the rotation task stopped";
pub const NO_JOURNAL: &str =
    "Cannot rotate: no state directory is known for the rotation journal (set XDG_STATE_HOME).";
pub const ALREADY_RUNNING: &str =
    "A rotation is running: wait for its summary (the status line counts the keys).";
pub const BULK_RUNNING: &str = "A bulk action is running: rotate once it ends.";
pub const QUIT_REFUSED: &str = "A rotation is running: q waits for its summary, so no key is left half-rotated. Ctrl-c quits now (the next rotation settles what it leaves).";
pub const NOT_ON_EXTERNAL: &str =
    "External keys have no token here to rotate: use :rotate on Generated keys or Settings.";
pub const NO_KEY: &str = "No key is selected or marked to rotate.";
pub const NO_OUTDATED: &str = "No key is outdated: nothing to rotate.";
pub const KEYS_NOT_LOADED: &str = "The keys are not loaded yet; try again in a moment.";
/// How `allowed` names the operation: "Cannot rotate tokens: …".
pub const WHAT: &str = "rotate tokens";
/// `:rotate` while a profile switch is under way.
pub fn switching(profile: &str) -> String {
    format!("Switching to profile {profile}: rotation waits for it (Esc gives the switch up).")
}
pub const ROTATE_OUTDATED_TAKES: &str = ":rotate takes nothing, or outdated";

/// Why `:rotate` cannot run without a sink: the token would have to be shown.
pub fn no_sink(profile: &str, file: &str) -> String {
    format!(
        "Cannot rotate: no sink is configured. Set `sink` in [profiles.{profile}.rotation] of \
         {file} (the command gets each new token on its standard input), or use r to renew one \
         key and see its token."
    )
}

/// The same, when the session is on no profile of the config file (the demo, or credentials
/// from the command line and the environment): there is no table to set.
pub fn no_profile_sink() -> String {
    // Short enough for a 120-column status line: the way out comes first.
    "Cannot rotate here: no profile to take a sink from. Start with --profile NAME, or use \
     apikeys rotate --sink CMD."
        .to_string()
}

pub fn bad_setting(reason: &str) -> String {
    format!("Cannot rotate: the rotation settings are wrong ({reason}).")
}

pub fn cannot_start(reason: &str) -> String {
    format!("The rotation did not start: {reason}. Nothing was changed.")
}

pub fn journal_unreadable(reason: &str) -> String {
    format!(
        "The rotation did not start: cannot read the rotation journal ({reason}). Nothing was \
         changed."
    )
}

/// "Nothing to rotate: every key chosen is skipped." and the first reason.
pub fn nothing_to_rotate(skipped: &[(Target, String)]) -> String {
    match skipped.first() {
        Some((target, reason)) if skipped.len() == 1 => {
            format!(
                "Nothing to rotate: {} is skipped ({reason}).",
                target.named()
            )
        }
        _ => format!(
            "Nothing to rotate: the {} chosen are skipped (the first: {}).",
            count_of(skipped.len(), "key", "keys"),
            skipped.first().map_or(String::new(), |(_, r)| r.clone())
        ),
    }
}

// ---- the confirmation ------------------------------------------------------------------------

pub fn confirm_title(count: usize) -> String {
    format!("Rotate {}?", count_of(count, "key", "keys"))
}

pub const ACCEPT: &str = "Rotate";

/// The first labels, then "and N more".
pub fn confirm_keys(targets: &[Target]) -> String {
    const NAMED: usize = 3;
    let mut names: Vec<String> = targets.iter().take(NAMED).map(Target::named).collect();
    if targets.len() > NAMED {
        names.push(format!("and {} more", targets.len() - NAMED));
    }
    format!(
        "Each key gets a new token, handed to the sink on its standard input, then verified by \
         logging in with it: {}.",
        names.join(", ")
    )
}

pub fn confirm_sink(first: &str) -> String {
    format!("Sink (for the first key): {first}")
}

pub fn confirm_verify(verify: &str) -> String {
    format!("Verify command: {verify}")
}

/// `grace` as the config file writes it.
pub fn confirm_grace(grace: Duration, written: &str) -> String {
    if grace.is_zero() {
        "Old tokens are deleted once the new ones are verified.".to_string()
    } else {
        format!(
            "Old tokens keep working for {} after the new ones are verified; the next rotation \
             (or `apikeys rotate --finish-due`) deletes them then.",
            written
        )
    }
}

pub const CONFIRM_FAILURES: &str = "A key whose hand-off or verification fails gets its renewal undone: its old token keeps working. Tokens are never shown.";
pub const CONFIRM_NO_UNDO: &str = "This server cannot undo a renewal (VTEX's public API): a key whose hand-off or verification fails is left pending, its old token still working, and the summary says what to do. Tokens are never shown.";
pub const SKIPPED_HEADING: &str = "Skipped";

pub fn skipped_line(target: &Target, reason: &str) -> String {
    format!("{}: {reason}", target.named())
}

// ---- progress and summary ---------------------------------------------------------------------

/// After the progress line while a run may still be stopped.
pub const ESC_STOPS: &str = " · Esc stops";
/// After the progress line once Esc was pressed.
pub const STOPPING: &str = " · stopping: the keys under way finish, no other starts";

/// "Rotating 12 keys: 5/12 · vtexappkey-… hand-off · 1 failed"
pub fn progress(done: usize, total: usize, current: Option<(&str, &str)>, failed: usize) -> String {
    let mut line = format!(
        "Rotating {}: {done}/{total}",
        count_of(total, "key", "keys")
    );
    if let Some((app_key, stage)) = current {
        line += &format!(" · {app_key} {stage}");
    }
    if failed > 0 {
        line += &format!(" · {failed} failed");
    }
    line
}

pub fn summary_title(rotated: usize, total: usize) -> String {
    format!(
        "Rotation: {rotated} of {} rotated",
        count_of(total, "key", "keys")
    )
}

pub const RECONCILED_HEADING: &str = "Left open by an earlier run, settled first";
pub const ROTATED_HEADING: &str = "Rotated";
pub const NOT_ROTATED_HEADING: &str = "Not rotated";
pub const FAILED_STAY_MARKED: &str =
    "The keys that were not rotated stay marked: fix the cause, then press o again.";
pub const ALL_ROTATED: &str = "Every key has a new token, stored by the sink and verified.";

/// "✓ vtexappkey-… (ERP): rotated — reason"
pub fn report_line(report: &KeyReport) -> String {
    let mut line = report.line(None);
    if let Some(err) = &report.journal_error {
        line += &format!(" (journal: {err})");
    }
    line
}

// ---- rotation due ----------------------------------------------------------------------------

/// The Status column's word for a key whose grace is running.
pub const DUE_STATUS: &str = "rotation due";

/// The details' line: when the old token goes.
pub fn due_detail(at: &str) -> String {
    format!(
        "rotation due: the old token goes at {at} (the next rotation, or `apikeys rotate --finish-due`, deletes it)"
    )
}

/// The Settings pane's summary of outdated keys.
/// The Settings pane's line: how many keys are outdated, and how many of them `o` rotates
/// (inactive keys, pending renewals, the caller's own key and keys in their grace are left out).
pub fn outdated_summary(count: usize, rotatable: usize) -> String {
    match (count, rotatable) {
        (0, _) => "No key is outdated.".to_string(),
        (1, 1) => "1 key is outdated — o rotates it".to_string(),
        (n, m) if n == m => format!("{n} keys are outdated — o rotates them"),
        (1, 0) => "1 key is outdated; it cannot be rotated now (inactive, pending, in its grace \
                   or your own key)"
            .to_string(),
        (n, 0) => format!(
            "{n} keys are outdated; none can be rotated now (inactive, pending, in their grace or \
             your own key)"
        ),
        (n, m) => format!(
            "{n} keys are outdated — o rotates the {m} that can be (the others are inactive, \
             pending, in their grace or your own key)"
        ),
    }
}
