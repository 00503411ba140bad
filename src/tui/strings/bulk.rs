//! What the bulk actions say: the confirmation, the skipped keys, the progress on the status
//! line and the summary.

use super::count_of;
use crate::tui::bulk::{BulkAction, Failed, Item, Skipped, Stop};
use crate::tui::dialog::KeyList;

pub const NOT_ON_A_LIST: &str = "bulk actions work on the Generated keys and External keys panes";
pub const EXTERNAL_HAVE_NO_TOKEN: &str = "external keys have no token here to renew";
pub const NO_KEY_SELECTED: &str = "no key is selected or marked";
pub const NOTHING_PENDING: &str = "no renewal pending";
/// Deactivating or deleting the key the app signs in with would lock the caller out.
pub const OWN_KEY: &str = "your own key (the app signs in with it)";
pub const ALREADY_RUNNING: &str =
    "A bulk action is running: wait for it, or press Esc to stop what is not sent yet.";
/// A bulk action asked for while a profile switch is under way.
pub fn switching(profile: &str) -> String {
    format!("Switching to profile {profile}: bulk actions wait for it (Esc gives the switch up).")
}

pub const QUIT_STOPPED_RUN: &str =
    "The bulk run is stopped (what was sent stands); q quits once its summary is closed.";

pub const NO_ROLE_UNDER_CURSOR: &str = "No role is shown: clear the filter (Esc) first.";

pub fn bulk_roles_title(count: usize) -> String {
    format!(
        "A role for {}",
        count_of(count, "marked key", "marked keys")
    )
}

pub fn bulk_roles_intro(count: usize) -> String {
    format!(
        "Enter adds the role under the cursor to the {}, x removes it from them; the confirmation then says what each key will do. Ticked: every one of them holds it.",
        count_of(count, "marked key", "marked keys")
    )
}
pub const TICK_TO_CONFIRM: &str = "Tick \"I understand…\" (Space) first.";
pub const UNDERSTOOD: &str = " I understand that this action cannot be undone";
pub const FAILED_STAY_MARKED: &str =
    "The keys that failed or were not sent stay marked: press the same key again to retry them.";
pub const NOTHING_TO_RETRY: &str =
    "Nothing is left to retry: the keys that failed are gone from the account.";
pub const SKIPPED_HEADING: &str = "Skipped before sending";
pub const FAILED_HEADING: &str = "Failed";
pub const NOT_SENT_HEADING: &str = "Not sent";
/// Labels longer than this are cut in lists of keys (a label may hold 10 000 characters).
const LABEL_CHARS: usize = 40;
/// Labels a confirmation names before "and N more".
const NAMED: usize = 3;

pub fn already(active: bool) -> &'static str {
    if active {
        "already active"
    } else {
        "already inactive"
    }
}

/// Reasons follow a count ("2 with Catalog editor already"): they read the same for one key.
pub fn already_holds(role: &str) -> String {
    format!("with {role} already")
}

pub fn does_not_hold(role: &str) -> String {
    format!("without {role}")
}

/// The caller's own key, for removing a role that may carry its right to manage keys.
pub const OWN_KEY_ROLE: &str =
    "your own key (taking this role from it could lock you out; use another key)";

/// Said in the confirmation of granting an administrator role to the marked keys.
pub fn grants_admin(role: &str) -> String {
    format!(
        "{role} can do everything in the account: every product, every permission, every API key and user."
    )
}

/// A key the list showed that the server no longer has.
pub const GONE: &str = "deleted meanwhile (the server no longer has it)";

pub fn ambiguous_role(name: &str, matching: &[String]) -> String {
    format!(
        "\"{name}\" begins several roles: {}; type more of it.",
        matching.join(", ")
    )
}

pub fn unknown_role(name: &str, known: &[String]) -> String {
    if known.is_empty() {
        format!("No role is named \"{name}\" (the roles are not loaded yet).")
    } else {
        format!(
            "No role is named \"{name}\"; the account has {}.",
            known.join(", ")
        )
    }
}

/// The verb of an action, as (imperative, past, progressive).
fn verbs(action: &BulkAction, list: KeyList) -> (String, String, String) {
    let three = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    match (action, list) {
        (BulkAction::SetActive(true), _) => three("Activate", "Activated", "Activating"),
        (BulkAction::SetActive(false), _) => three("Deactivate", "Deactivated", "Deactivating"),
        (BulkAction::Delete, KeyList::Generated) => three("Delete", "Deleted", "Deleting"),
        (BulkAction::Delete, KeyList::External) => three("Remove", "Removed", "Removing"),
        (
            BulkAction::Role {
                add: true, name, ..
            },
            _,
        ) => (
            format!("Add {name} to"),
            format!("Added {name} to"),
            format!("Adding {name} to"),
        ),
        (
            BulkAction::Role {
                add: false, name, ..
            },
            _,
        ) => (
            format!("Remove {name} from"),
            format!("Removed {name} from"),
            format!("Removing {name} from"),
        ),
        (BulkAction::FinishRenewal, _) => three(
            "Delete the old tokens of",
            "Deleted the old tokens of",
            "Deleting the old tokens of",
        ),
        (BulkAction::UndoRenewal, _) => three(
            "Undo the renewals of",
            "Undid the renewals of",
            "Undoing the renewals of",
        ),
    }
}

fn keys(count: usize, list: KeyList) -> String {
    match list {
        KeyList::Generated => count_of(count, "key", "keys"),
        KeyList::External => count_of(count, "external key", "external keys"),
    }
}

/// What follows from the action, said in the confirmation: for one key, or for several.
fn consequence(action: &BulkAction, list: KeyList, count: usize) -> &'static str {
    let (one, many) = match (action, list) {
        (BulkAction::SetActive(false), _) => (
            "Integrations using it stop working until it is activated again.",
            "Integrations using them stop working until they are activated again.",
        ),
        (BulkAction::SetActive(true), _) => (
            "It works again with its current token.",
            "They work again with their current tokens.",
        ),
        (BulkAction::Delete, KeyList::Generated) => (
            "Integrations using it stop working, and the key cannot be restored.",
            "Integrations using them stop working, and the keys cannot be restored.",
        ),
        (BulkAction::Delete, KeyList::External) => (
            "That key loses all access to this account; adding it again is needed to restore it.",
            "Those keys lose all access to this account; adding them again is needed to restore it.",
        ),
        (BulkAction::Role { add: true, .. }, _) => (
            "The key can then do what the role allows.",
            "Each key can then do what the role allows.",
        ),
        (BulkAction::Role { add: false, .. }, _) => (
            "Calls that needed the role start to fail on that key.",
            "Calls that needed the role start to fail on those keys.",
        ),
        (BulkAction::FinishRenewal, _) => (
            "Integrations still using the old token stop working. This cannot be undone.",
            "Integrations still using an old token stop working. This cannot be undone.",
        ),
        (BulkAction::UndoRenewal, _) => (
            "The new token stops working and the old one stays. This cannot be undone.",
            "The new tokens stop working and the old ones stay. This cannot be undone.",
        ),
    };
    if count == 1 { one } else { many }
}

/// A label for lists: cut, and the appKey when there is none.
fn name_of(app_key: &str, label: &str) -> String {
    let label = label.trim();
    if label.is_empty() {
        return app_key.to_string();
    }
    let mut chars = label.chars();
    let cut: String = chars.by_ref().take(LABEL_CHARS).collect();
    if chars.next().is_some() {
        format!("“{cut}…”")
    } else {
        format!("“{cut}”")
    }
}

pub fn confirm_title(action: &BulkAction, list: KeyList, count: usize) -> String {
    format!("{} {}?", verbs(action, list).0, keys(count, list))
}

pub fn confirm_accept(action: &BulkAction, list: KeyList) -> String {
    match action {
        BulkAction::Role { add: true, .. } => "Add role".into(),
        BulkAction::Role { add: false, .. } => "Remove role".into(),
        BulkAction::FinishRenewal => "Delete old tokens".into(),
        BulkAction::UndoRenewal => "Undo renewals".into(),
        _ => verbs(action, list).0,
    }
}

/// "“ERP”, “Loja”, “Frete” and 9 more": the first names of a list of keys, then a count.
fn first_names<'a>(keys: impl ExactSizeIterator<Item = (&'a str, &'a str)>) -> String {
    let count = keys.len();
    let shown: Vec<(&str, String)> = keys
        .take(NAMED)
        .map(|(app_key, label)| (app_key, name_of(app_key, label)))
        .collect();
    // Two keys whose (cut) labels read the same are told apart by their appKeys.
    let named: Vec<String> = (shown.iter())
        .map(|(app_key, name)| {
            let twins = shown.iter().filter(|(_, other)| other == name).count();
            if twins > 1 {
                format!("{name} ({app_key})")
            } else {
                name.clone()
            }
        })
        .collect();
    match count.saturating_sub(NAMED) {
        0 => named.join(", "),
        more => format!("{} and {more} more", named.join(", ")),
    }
}

/// "Deactivate 12 keys: “ERP”, “Loja” and “Frete” and 9 more. Integrations using them…"
pub fn confirm_body(action: &BulkAction, list: KeyList, items: &[Item], hidden: usize) -> String {
    let names = first_names(items.iter().map(|i| (i.app_key.as_str(), i.label.as_str())));
    let hidden = if hidden > 0 {
        format!(
            " ({} hidden by the filter)",
            count_of(hidden, "of them is", "of them are")
        )
    } else {
        String::new()
    };
    format!(
        "{} {}: {names}{hidden}. {}",
        verbs(action, list).0,
        keys(items.len(), list),
        consequence(action, list, items.len())
    )
}

/// The skipped keys, one line per reason: "2 already inactive: “ERP”, “Loja”".
pub fn skipped_lines(skipped: &[Skipped]) -> Vec<String> {
    let mut reasons: Vec<(&str, Vec<&Skipped>)> = Vec::new();
    for key in skipped {
        match reasons.iter_mut().find(|(reason, _)| *reason == key.reason) {
            Some((_, keys)) => keys.push(key),
            None => reasons.push((&key.reason, vec![key])),
        }
    }
    reasons
        .into_iter()
        .map(|(reason, keys)| {
            let names = first_names(keys.iter().map(|k| (k.app_key.as_str(), k.label.as_str())));
            format!("{} {reason}: {names}", keys.len())
        })
        .collect()
}

/// The tick of an administrator grant names what it gives: on a short terminal it may be
/// the only part of the warning on screen.
pub fn understood_admin(role: &str, count: usize, list: KeyList) -> String {
    format!(
        " I understand that {role} can do everything in the account ({}).",
        keys(count, list)
    )
}

pub fn understood(count: usize, list: KeyList) -> String {
    format!("{UNDERSTOOD} ({}).", keys(count, list))
}

/// Nothing is left to send once the skipped keys are taken out.
pub fn nothing_to_do(action: &BulkAction, list: KeyList, skipped: &[Skipped]) -> String {
    // Only the verb's first letter: a role's name keeps its case.
    let imperative = verbs(action, list).0;
    let mut letters = imperative.chars();
    let verb: String = letters
        .next()
        .map(|first| first.to_lowercase().chain(letters).collect())
        .unwrap_or_default();
    format!(
        "Nothing to {verb}: every key is skipped ({}).",
        skipped_lines(skipped).join("; ")
    )
}

/// The status line while a run goes on.
pub fn progress(
    action: &BulkAction,
    list: KeyList,
    done: usize,
    total: usize,
    failed: usize,
    waiting_secs: Option<i64>,
    stopping: bool,
) -> String {
    let mut text = format!(
        "{} {}: {done}/{total}",
        verbs(action, list).2,
        keys(total, list)
    );
    // Before the rest: a narrow status line cuts the end.
    text.push_str(if stopping {
        " · stopping: waiting for the requests already sent"
    } else {
        " · Esc stops"
    });
    if failed > 0 {
        text.push_str(&format!(" · {failed} failed"));
    }
    if let Some(secs) = waiting_secs {
        text.push_str(&format!(
            " · the server asked to slow down: waiting {}",
            duration(secs.max(1))
        ));
    }
    text
}

/// "3s", "4 min 10s", "2 h 5 min": a wait, as long as the server may name it.
fn duration(secs: i64) -> String {
    match secs {
        ..60 => format!("{secs}s"),
        60..3600 => format!("{} min {}s", secs / 60, secs % 60),
        _ => format!("{} h {} min", secs / 3600, secs % 3600 / 60),
    }
}

/// Every key went through.
pub fn all_done(
    action: &BulkAction,
    list: KeyList,
    count: usize,
    skipped: usize,
    rate_limited: usize,
) -> String {
    let mut text = format!("{} {}.", verbs(action, list).1, keys(count, list));
    if skipped > 0 {
        text.push_str(&format!(" {} skipped.", count_of(skipped, "key", "keys")));
    }
    if rate_limited > 0 {
        text.push(' ');
        text.push_str(&rate_limited_note(rate_limited));
    }
    text
}

pub fn summary_title(action: &BulkAction, list: KeyList, succeeded: usize, total: usize) -> String {
    format!(
        "{} {}: {succeeded} done",
        verbs(action, list).0,
        keys(total, list)
    )
}

pub fn stopped_because(stop: Stop) -> &'static str {
    match stop {
        Stop::Cancelled => "Stopped before the end (Esc or q): what was sent stands.",
        Stop::Unauthorized => {
            "Stopped: the server refused the app key or token, so every other key would fail too."
        }
        Stop::Offline => {
            "Stopped: the server could not be reached, so the other keys were not sent."
        }
    }
}

pub fn failed_line(failed: &Failed) -> String {
    format!("{}: {}", key_and_name(&failed.item), failed.reason)
}

pub fn and_more_marked(count: usize) -> String {
    format!("and {count} more (they stay marked)")
}

pub fn not_sent_line(item: &Item) -> String {
    key_and_name(item)
}

/// "vtexappkey-acme-X “ERP”"; the appKey alone when it is also the name (external keys).
fn key_and_name(item: &Item) -> String {
    if item.label == item.app_key || item.label.trim().is_empty() {
        item.app_key.clone()
    } else {
        format!("{} {}", item.app_key, name_of("", &item.label))
    }
}

pub fn rate_limited_note(times: usize) -> String {
    format!(
        "The server asked to slow down {} (429): the run waited as long as it asked.",
        count_of(times, "time", "times")
    )
}
