//! What the `:` command line says: the commands' one-line descriptions (help), its errors and
//! its notices.

// ---- the commands, as the help lists them ------------------------------------------------------

pub const QUIT: &str = "quit (also :q!)";
pub const KEYS: &str = "go to Generated keys (also :generated)";
pub const EXTERNAL: &str = "go to External keys (also :ext)";
pub const SETTINGS: &str = "go to Settings";
pub const FILTER: &str = "filter the list (as /); :filter alone clears it";
pub const SORT: &str = "sort by a column, ascending or descending";
pub const MARK: &str = "mark rows: all, none, outdated, inactive, pending";
pub const ACTIVATE: &str = "activate the marked keys";
pub const DEACTIVATE: &str = "deactivate the marked keys";
pub const DELETE: &str = "delete the marked keys";
pub const ROLE: &str = "add or remove a role on the marked keys";
pub const REFRESH: &str = "reload the lists (as R)";
pub const PROFILE: &str = "switch to a profile; alone, pick one";
pub const HELP: &str = "this help (as ?)";
pub const ROTATE: &str = "rotate tokens through the profile's sink (as o): the marked keys, else the selected one; outdated: every outdated key";
pub const INSIGHTS: &str = "token ages and findings (as I)";

pub const HELP_TITLE: &str = "Commands (:)";
pub const HELP_HOW: &str = "Type : then a command; a unique beginning is enough (:ext, :ref). \
    Tab completes, ↑ ↓ recall earlier commands (never one holding a token).";

// ---- the command line's key bar ---------------------------------------------------------------

pub const RUN: &str = "run";
pub const CANCEL: &str = "cancel";
pub const COMPLETE: &str = "complete";
pub const HISTORY: &str = "history";

// ---- errors -----------------------------------------------------------------------------------

pub fn unknown(word: &str, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(name) => format!("Unknown command :{word} — did you mean :{name}?"),
        None => format!("Unknown command :{word}; ? lists the commands."),
    }
}

pub fn ambiguous(word: &str, names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!(":{n}")).collect();
    format!(":{word} could be {}; type more of it.", names.join(" or "))
}

pub fn takes_no_argument(name: &str) -> String {
    format!(":{name} takes no argument.")
}

pub fn sort_takes(columns: &[&str]) -> String {
    format!(":sort takes a column: {}", columns.join(", "))
}

pub fn sort_direction(word: &str) -> String {
    format!(":sort takes asc or desc after the column, not {word}.")
}

pub const MARK_TAKES: &str = ":mark takes all, none, outdated, inactive or pending.";
pub const ROLE_TAKES: &str = ":role takes add or remove, then a role name: :role add Owner.";
pub const ROLE_NAME: &str = ":role add and :role remove take a role name.";

pub fn not_on_pane(command: &str, pane: &str) -> String {
    format!(":{command} works on the key lists, not on {pane}.")
}

pub fn column_not_here(column: &str, pane: &str, columns: &[&str]) -> String {
    format!(
        "{pane} has no {column} column; it sorts by {}.",
        columns.join(", ")
    )
}

pub fn sorted_by(column: &str, descending: bool) -> String {
    let direction = if descending {
        "descending"
    } else {
        "ascending"
    };
    format!("Sorted by {column}, {direction}.")
}

pub const FILTER_CLEARED: &str = "Filter cleared.";

pub fn history_not_saved(reason: &str) -> String {
    format!("The command history could not be saved ({reason}); commands still run.")
}
