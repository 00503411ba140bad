//! Tab completion of the word under the cursor: command names, then each command's arguments
//! (pane columns, mark sets, asc|desc, add|remove, role names, profile names). Shell-like: the
//! first Tab completes the candidates' common beginning, a further Tab cycles through them.

use super::parse::{column_names, command_of};
use super::table::{COMMANDS, DIRECTIONS, MARK_SETS, ROLE_CHANGES, Takes};
use crate::tui::state::Tab;

/// What the candidates are drawn from.
pub struct Context<'a> {
    pub tab: Tab,
    pub roles: Vec<&'a str>,
    pub profiles: &'a [String],
}

/// The words that may replace the text from byte `start` to the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidates {
    pub start: usize,
    pub words: Vec<String>,
}

fn starting_with(choices: &[&str], typed: &str) -> Vec<String> {
    let typed = typed.to_lowercase();
    choices
        .iter()
        .filter(|choice| choice.to_lowercase().starts_with(&typed))
        .map(|choice| choice.to_string())
        .collect()
}

/// The candidates for `before`, the text before the cursor (without the `:`).
pub fn candidates(before: &str, context: &Context) -> Candidates {
    let lead = before.len() - before.trim_start().len();
    let Some(space) = before[lead..].find(char::is_whitespace).map(|at| at + lead) else {
        let names: Vec<&str> = COMMANDS.iter().map(|spec| spec.word).collect();
        return Candidates {
            start: lead,
            words: starting_with(&names, &before[lead..]),
        };
    };
    let none = Candidates {
        start: before.len(),
        words: Vec::new(),
    };
    let Some(spec) = command_of(&before[lead..space]) else {
        return none;
    };
    let args_at = space + (before[space..].len() - before[space..].trim_start().len());
    let args = &before[args_at..];
    // The word being typed, its start, and how many words come before it.
    // Past the whitespace character itself, whatever its width in bytes (a no-break space
    // is two).
    let word_at = args
        .rmatch_indices(char::is_whitespace)
        .next()
        .map_or(args_at, |(at, space)| args_at + at + space.len());
    let word = &before[word_at..];
    let earlier = args[..word_at - args_at].split_whitespace().count();
    let words = match (spec.takes, earlier) {
        (Takes::Column, 0) => starting_with(&column_names(context.tab), word),
        (Takes::Column, 1) => starting_with(DIRECTIONS, word),
        (Takes::MarkSet, 0) => starting_with(MARK_SETS, word),
        (Takes::RoleChange, 0) => starting_with(ROLE_CHANGES, word),
        (Takes::ExportFormat, 0) => starting_with(super::table::EXPORT_FORMATS, word),
        // A role name may hold spaces: everything after add|remove is the name.
        (Takes::RoleChange, _) => {
            let name_at = (args.match_indices(char::is_whitespace).next())
                .map_or(before.len(), |(at, space)| args_at + at + space.len());
            let typed = before[name_at..].trim_start();
            let start = before.len() - typed.len();
            return Candidates {
                start,
                words: starting_with(&context.roles, typed),
            };
        }
        (Takes::Profile, _) => {
            let profiles: Vec<&str> = context.profiles.iter().map(String::as_str).collect();
            return Candidates {
                start: args_at,
                words: starting_with(&profiles, args),
            };
        }
        _ => Vec::new(),
    };
    Candidates {
        start: word_at,
        words,
    }
}

/// The longest beginning every word shares (letter case as in the first word).
fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for word in &words[1..] {
        let shared = first
            .char_indices()
            .zip(word.chars())
            .take_while(|((_, a), b)| a.to_lowercase().eq(b.to_lowercase()))
            .last()
            .map_or(0, |((at, a), _)| at + a.len_utf8());
        end = end.min(shared);
    }
    first[..end].to_string()
}

/// A completion in progress: the candidates shown, and the one put in, if cycling.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cycle {
    pub start: usize,
    pub words: Vec<String>,
    pub at: Option<usize>,
}

/// One Tab (or Shift-Tab, `backwards`) on `line` with the cursor at its end: the new line and
/// the cycle to keep for the next Tab.
pub fn step(
    line: &str,
    cycle: Option<Cycle>,
    context: &Context,
    backwards: bool,
) -> (String, Option<Cycle>) {
    if let Some(mut cycle) = cycle.filter(|c| c.words.len() > 1 && c.start <= line.len()) {
        let count = cycle.words.len();
        let at = match (cycle.at, backwards) {
            (Some(at), false) => (at + 1) % count,
            (Some(at), true) => (at + count - 1) % count,
            (None, false) => 0,
            (None, true) => count - 1,
        };
        cycle.at = Some(at);
        let line = format!("{}{}", &line[..cycle.start], cycle.words[at]);
        return (line, Some(cycle));
    }
    let Candidates { start, words } = candidates(line, context);
    match words.len() {
        0 => (line.to_string(), None),
        1 => (format!("{}{} ", &line[..start], words[0]), None),
        _ => {
            let common = common_prefix(&words);
            let typed = &line[start..];
            let mut cycle = Cycle {
                start,
                words,
                at: None,
            };
            // Longer, or the same in the candidates' letter case.
            if common.len() > typed.len() || (!common.is_empty() && common != typed) {
                (format!("{}{common}", &line[..start]), Some(cycle))
            } else {
                let at = if backwards { cycle.words.len() - 1 } else { 0 };
                cycle.at = Some(at);
                let line = format!("{}{}", &line[..start], cycle.words[at]);
                (line, Some(cycle))
            }
        }
    }
}

#[cfg(test)]
#[path = "complete_tests.rs"]
mod tests;
