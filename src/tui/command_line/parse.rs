//! A command line's text → a [`Verb`], or a sentence saying what is wrong with it.

use super::table::{self, COMMANDS, Name};
use crate::listing::SortBy;
use crate::tui::state::Tab;
use crate::tui::strings::commands as text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkSet {
    All,
    None,
    Outdated,
    Inactive,
    Pending,
}

/// What a command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    Quit,
    Pane(Tab),
    /// Empty: clear the filter.
    Filter(String),
    Sort {
        column: SortBy,
        direction: Option<Direction>,
    },
    Mark(MarkSet),
    Activate,
    Deactivate,
    Delete,
    RoleAdd(String),
    RoleRemove(String),
    Refresh,
    Profile(Option<String>),
    Help,
    /// `true`: every outdated key (`:rotate outdated`, or `:rotate` on Settings).
    Rotate {
        outdated: bool,
    },
    /// `:export [FORMAT] [PATH]`.
    Export {
        format: Option<crate::export::Format>,
        path: Option<String>,
    },
    Insights,
}

/// The sort columns a pane offers, as typed: the first word of each is the one shown and
/// completed, the others are aliases.
pub fn columns(tab: Tab) -> &'static [(&'static str, SortBy)] {
    match tab {
        Tab::External => &[
            ("owner", SortBy::Name),
            ("key", SortBy::Key),
            ("added", SortBy::Created),
            ("status", SortBy::Status),
            ("name", SortBy::Name),
            ("created", SortBy::Created),
        ],
        _ => &[
            ("name", SortBy::Name),
            ("key", SortBy::Key),
            ("created", SortBy::Created),
            ("token-age", SortBy::TokenAge),
            ("status", SortBy::Status),
            ("label", SortBy::Name),
            ("age", SortBy::TokenAge),
        ],
    }
}

/// The column names a pane shows (no aliases).
pub fn column_names(tab: Tab) -> Vec<&'static str> {
    let count = if tab == Tab::External { 4 } else { 5 };
    columns(tab)[..count].iter().map(|(n, _)| *n).collect()
}

/// What a word resolves to among named choices: exactly, or as the beginning of one choice
/// only (several words for the same choice count once).
enum Found<T> {
    One(T),
    Several(Vec<&'static str>),
    Nothing,
}

fn find<T: Copy + PartialEq>(word: &str, choices: &[(&'static str, T)]) -> Found<T> {
    let word = word.to_lowercase();
    if let Some((_, value)) = choices.iter().find(|(name, _)| *name == word) {
        return Found::One(*value);
    }
    let mut hits: Vec<(&'static str, T)> = Vec::new();
    for (name, value) in choices {
        if name.starts_with(&word) && !hits.iter().any(|(_, v)| v == value) {
            hits.push((name, *value));
        }
    }
    match hits.len() {
        0 => Found::Nothing,
        1 => Found::One(hits[0].1),
        _ => Found::Several(hits.into_iter().map(|(n, _)| n).collect()),
    }
}

/// Every word that names a command, with the command.
fn command_words() -> Vec<(&'static str, Name)> {
    let mut words = Vec::new();
    for spec in COMMANDS {
        words.push((spec.word, spec.name));
        words.extend(spec.aliases.iter().map(|alias| (*alias, spec.name)));
    }
    words
}

/// The command a word names (exactly or as a unique beginning), if any.
pub fn command_of(word: &str) -> Option<&'static table::Spec> {
    match find(word, &command_words()) {
        Found::One(name) => Some(table::spec_of(name)),
        _ => None,
    }
}

/// Parses a command line (with or without its leading `:`) for the pane on screen.
pub fn parse(line: &str, tab: Tab) -> Result<Verb, String> {
    let line = line.trim();
    let line = line.strip_prefix(':').unwrap_or(line).trim_start();
    let (word, rest) = match line.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (line, ""),
    };
    let name = match find(word, &command_words()) {
        Found::One(name) => name,
        Found::Several(names) => return Err(text::ambiguous(word, &names)),
        Found::Nothing => return Err(text::unknown(word, suggestion(word))),
    };
    let spec = table::spec_of(name);
    let bare = |verb: Verb| {
        if rest.is_empty() {
            Ok(verb)
        } else {
            Err(text::takes_no_argument(spec.word))
        }
    };
    match name {
        Name::Quit => bare(Verb::Quit),
        Name::Keys => bare(Verb::Pane(Tab::Keys)),
        Name::External => bare(Verb::Pane(Tab::External)),
        Name::Settings => bare(Verb::Pane(Tab::Settings)),
        Name::Filter => Ok(Verb::Filter(rest.to_string())),
        Name::Sort => sort(rest, tab),
        Name::Mark => mark(rest),
        Name::Activate => bare(Verb::Activate),
        Name::Deactivate => bare(Verb::Deactivate),
        Name::Delete => bare(Verb::Delete),
        Name::Role => role(rest),
        Name::Refresh => bare(Verb::Refresh),
        Name::Profile => Ok(Verb::Profile((!rest.is_empty()).then(|| rest.to_string()))),
        Name::Help => bare(Verb::Help),
        Name::Rotate => match rest {
            "" => Ok(Verb::Rotate {
                outdated: tab == Tab::Settings,
            }),
            word if "outdated".starts_with(&word.to_lowercase()) => {
                Ok(Verb::Rotate { outdated: true })
            }
            _ => Err(crate::tui::strings::rotation::ROTATE_OUTDATED_TAKES.into()),
        },
        Name::Export => export(rest),
        Name::Insights => bare(Verb::Insights),
    }
}

/// `[xlsx|csv|json] [PATH]`: a path alone is taken when it does not name a format.
fn export(rest: &str) -> Result<Verb, String> {
    let (word, path) = match rest.split_once(char::is_whitespace) {
        Some((word, path)) => (word, path.trim()),
        None => (rest, ""),
    };
    let format = crate::export::Format::parse(word);
    let path = match (format, word.is_empty()) {
        (_, true) => None,
        (Some(_), false) => (!path.is_empty()).then(|| path.to_string()),
        // One word that is no format: a file name (its extension says the format) — but a
        // bare word (`:export pdf`, `:export cvs`) is a format mistyped, not a file.
        (None, false) if path.is_empty() && (word.contains('.') || word.contains('/')) => {
            Some(word.to_string())
        }
        (None, false) => return Err(crate::tui::strings::export::takes(word)),
    };
    Ok(Verb::Export { format, path })
}

fn sort(rest: &str, tab: Tab) -> Result<Verb, String> {
    let mut words = rest.split_whitespace();
    let names = column_names(tab);
    let Some(word) = words.next() else {
        return Err(text::sort_takes(&names));
    };
    let column = match find(word, columns(tab)) {
        Found::One(column) => column,
        Found::Several(_) => return Err(text::sort_takes(&names)),
        // A column of the other pane: say this one has none.
        Found::Nothing => {
            let other = if tab == Tab::External {
                Tab::Keys
            } else {
                Tab::External
            };
            return Err(match find(word, columns(other)) {
                Found::One(_) => text::column_not_here(word, tab.title(), &names),
                _ => text::sort_takes(&names),
            });
        }
    };
    let direction = match words.next() {
        None => None,
        Some(word) => match find(word, &[("asc", Direction::Asc), ("desc", Direction::Desc)]) {
            Found::One(direction) => Some(direction),
            _ => return Err(text::sort_direction(word)),
        },
    };
    if let Some(extra) = words.next() {
        return Err(text::sort_direction(extra));
    }
    Ok(Verb::Sort { column, direction })
}

fn mark(rest: &str) -> Result<Verb, String> {
    use MarkSet as M;
    let sets = [
        ("all", M::All),
        ("none", M::None),
        ("outdated", M::Outdated),
        ("inactive", M::Inactive),
        ("pending", M::Pending),
    ];
    match find(rest, &sets) {
        Found::One(set) if !rest.is_empty() => Ok(Verb::Mark(set)),
        _ => Err(text::MARK_TAKES.into()),
    }
}

fn role(rest: &str) -> Result<Verb, String> {
    let (word, name) = match rest.split_once(char::is_whitespace) {
        Some((word, name)) => (word, name.trim()),
        None => (rest, ""),
    };
    let add = match find(word, &[("add", true), ("remove", false), ("rm", false)]) {
        Found::One(add) if !word.is_empty() => add,
        _ => return Err(text::ROLE_TAKES.into()),
    };
    if name.is_empty() {
        return Err(text::ROLE_NAME.into());
    }
    let name = name.to_string();
    Ok(if add {
        Verb::RoleAdd(name)
    } else {
        Verb::RoleRemove(name)
    })
}

/// The command closest to a mistyped word, when it is close enough to be what was meant.
pub fn suggestion(word: &str) -> Option<&'static str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    COMMANDS
        .iter()
        .map(|spec| (edit_distance(&word, spec.word), spec.word))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Damerau–Levenshtein distance (optimal string alignment): insertions, deletions,
/// substitutions and swaps of two neighbours each cost one.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
