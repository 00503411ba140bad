//! The one table of `:` commands: parsing, completion and the help all read it, so they cannot
//! drift apart.

use crate::tui::strings::commands as text;

/// Which command a table row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    Quit,
    Keys,
    External,
    Settings,
    Filter,
    Sort,
    Mark,
    Activate,
    Deactivate,
    Delete,
    Role,
    Refresh,
    Profile,
    Help,
    Rotate,
    Export,
    Insights,
}

/// What a command takes after its name (completion offers the matching words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    Nothing,
    /// Free text (the filter).
    Text,
    /// A column of the pane on screen, then asc or desc.
    Column,
    MarkSet,
    /// add or remove, then a role name.
    RoleChange,
    Profile,
    /// A format (xlsx, csv, json), then a file name.
    ExportFormat,
}

pub struct Spec {
    pub name: Name,
    /// As typed and completed.
    pub word: &'static str,
    /// Other words that run it (exact or as a unique beginning).
    pub aliases: &'static [&'static str],
    /// As the help shows it.
    pub syntax: &'static str,
    pub what: &'static str,
    pub takes: Takes,
}

const fn spec(
    name: Name,
    word: &'static str,
    aliases: &'static [&'static str],
    syntax: &'static str,
    what: &'static str,
    takes: Takes,
) -> Spec {
    Spec {
        name,
        word,
        aliases,
        syntax,
        what,
        takes,
    }
}

use Name as N;
use Takes as T;

pub const COMMANDS: &[Spec] = &[
    spec(
        N::Quit,
        "quit",
        &["q", "q!"],
        ":q  :quit",
        text::QUIT,
        T::Nothing,
    ),
    spec(
        N::Keys,
        "keys",
        &["generated"],
        ":keys",
        text::KEYS,
        T::Nothing,
    ),
    spec(
        N::External,
        "external",
        // `:ex` stays External keys, as before `:export` came.
        &["ext", "ex"],
        ":external",
        text::EXTERNAL,
        T::Nothing,
    ),
    spec(
        N::Settings,
        "settings",
        &[],
        ":settings",
        text::SETTINGS,
        T::Nothing,
    ),
    spec(
        N::Filter,
        "filter",
        &[],
        ":filter [TEXT]",
        text::FILTER,
        T::Text,
    ),
    spec(
        N::Sort,
        "sort",
        &[],
        ":sort COLUMN [asc|desc]",
        text::SORT,
        T::Column,
    ),
    spec(N::Mark, "mark", &[], ":mark SET", text::MARK, T::MarkSet),
    spec(
        N::Activate,
        "activate",
        &[],
        ":activate",
        text::ACTIVATE,
        T::Nothing,
    ),
    spec(
        N::Deactivate,
        "deactivate",
        &[],
        ":deactivate",
        text::DEACTIVATE,
        T::Nothing,
    ),
    spec(
        N::Delete,
        "delete",
        &[],
        ":delete",
        text::DELETE,
        T::Nothing,
    ),
    spec(
        N::Role,
        "role",
        &[],
        ":role add|remove NAME",
        text::ROLE,
        T::RoleChange,
    ),
    spec(
        N::Refresh,
        "refresh",
        &[],
        ":refresh",
        text::REFRESH,
        T::Nothing,
    ),
    spec(
        N::Profile,
        "profile",
        &[],
        ":profile [NAME]",
        text::PROFILE,
        T::Profile,
    ),
    spec(
        N::Export,
        "export",
        &[],
        ":export [FORMAT] [PATH]",
        crate::tui::strings::export::EXPORT,
        T::ExportFormat,
    ),
    spec(N::Help, "help", &[], ":help", text::HELP, T::Nothing),
    spec(
        N::Rotate,
        "rotate",
        &[],
        ":rotate [outdated]",
        text::ROTATE,
        T::Text,
    ),
    spec(
        N::Insights,
        "insights",
        &[],
        ":insights",
        text::INSIGHTS,
        T::Nothing,
    ),
];

pub fn spec_of(name: Name) -> &'static Spec {
    COMMANDS
        .iter()
        .find(|s| s.name == name)
        .unwrap_or(&COMMANDS[0])
}

/// The sets `:mark` takes.
pub const MARK_SETS: &[&str] = &["all", "none", "outdated", "inactive", "pending"];
pub const DIRECTIONS: &[&str] = &["asc", "desc"];
pub const ROLE_CHANGES: &[&str] = &["add", "remove"];
pub const EXPORT_FORMATS: &[&str] = &["xlsx", "csv", "json"];
