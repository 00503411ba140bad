//! The `:` command line: its keys (typing, completion, history) and running a line — each
//! verb does what its key does, through the same functions.

use super::*;
use crate::tui::bulk::BulkAction;
use crate::tui::command_line::{self as line, CommandLine, Direction, Verb, complete};
use crate::tui::strings::commands as text;

pub(super) fn open(state: &mut State) {
    state.command_line = Some(CommandLine::default());
}

pub(super) fn on_command_key(
    state: &mut State,
    key: KeyEvent,
    command: Option<Command>,
) -> Vec<Effect> {
    let Some(open) = state.command_line.as_mut() else {
        return Vec::new();
    };
    match command {
        Some(Command::RunCommand) => return run(state),
        Some(Command::CancelCommand) => state.command_line = None,
        Some(Command::Complete { backwards }) => complete_word(state, backwards),
        Some(Command::History { older }) => {
            open.cycle = None;
            open.recall(&state.history.lines, older);
        }
        // Backspace on an empty line closes it, as in vim.
        _ if key.code == crossterm::event::KeyCode::Backspace && open.input.value().is_empty() => {
            state.command_line = None;
        }
        _ => {
            open.cycle = None;
            open.input.handle_event(&Event::Key(key));
        }
    }
    Vec::new()
}

/// Pasted text, without control characters (a line break must not run the line).
pub(super) fn paste(open: &mut CommandLine, text: &str) {
    open.cycle = None;
    for c in text.chars().filter(|c| !c.is_control()) {
        open.input.handle(InputRequest::InsertChar(c));
    }
}

fn complete_word(state: &mut State, backwards: bool) {
    let roles: Vec<&str> = state
        .roles
        .iter()
        .flatten()
        .map(|role| role.name.as_str())
        .collect();
    let context = complete::Context {
        tab: state.tab,
        roles,
        profiles: &state.profiles,
    };
    let Some(open) = state.command_line.as_mut() else {
        return;
    };
    let value = open.input.value();
    let cursor = value
        .char_indices()
        .nth(open.input.cursor())
        .map_or(value.len(), |(at, _)| at);
    let (before, after) = value.split_at(cursor);
    let (completed, cycle) = complete::step(before, open.cycle.take(), &context, backwards);
    let chars = completed.chars().count();
    open.input = Input::new(format!("{completed}{after}")).with_cursor(chars);
    open.cycle = cycle;
}

/// Runs the line typed: closes the command line, keeps the line in the history when it
/// parsed, and carries the verb out (or says what is wrong with the line).
fn run(state: &mut State) -> Vec<Effect> {
    let Some(open) = state.command_line.take() else {
        return Vec::new();
    };
    let typed = open.input.value().trim().to_string();
    if typed.trim_start_matches(':').trim().is_empty() {
        return Vec::new();
    }
    // Kept whether it parses or not, as a shell does: ↑ brings a typo back to be mended.
    let mut effects = Vec::new();
    if state.history.push(&typed)
        && let Some(path) = state.history.path.clone()
    {
        effects.push(Effect::SaveHistory {
            path,
            line: typed.clone(),
        });
    }
    match line::parse(&typed, state.tab) {
        Err(reason) => complain(state, reason),
        Ok(verb) => effects.extend(execute(state, verb)),
    }
    effects
}

/// Does what the verb's key does.
pub(super) fn execute(state: &mut State, verb: Verb) -> Vec<Effect> {
    match verb {
        Verb::Quit => run_global(state, Command::Quit),
        Verb::Help => run_global(state, Command::Help),
        Verb::Insights => insights::open(state),
        Verb::Refresh => run_global(state, Command::Refresh),
        Verb::Pane(tab) => run_global(state, Command::Pane(tab)),
        Verb::Filter(text) => filter(state, text),
        Verb::Sort { column, direction } => sort(state, column, direction),
        Verb::Mark(set) => mark_set(state, set),
        Verb::Activate => ask(state, BulkAction::SetActive(true)),
        Verb::Deactivate => ask(state, BulkAction::SetActive(false)),
        Verb::Delete => ask(state, BulkAction::Delete),
        Verb::RoleAdd(name) => ask_role(state, true, &name),
        Verb::RoleRemove(name) => ask_role(state, false, &name),
        Verb::Profile(name) => switch_profile(state, name),
        Verb::Rotate { outdated } => ask_rotation(state, outdated),
        Verb::Export { format, path } => super::export::start(state, format, path),
    }
}

/// The key lists only; elsewhere says so and returns false.
fn on_a_list(state: &mut State, command: &str) -> bool {
    if state.tab == Tab::Settings {
        say(state, text::not_on_pane(command, state.tab.title()));
        return false;
    }
    true
}

fn filter(state: &mut State, filter_text: String) -> Vec<Effect> {
    if !on_a_list(state, "filter") {
        return Vec::new();
    }
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    let cleared = filter_text.is_empty();
    if state.tab == Tab::Keys {
        state.keys.filter.input = Input::new(filter_text);
        state.keys.filter.editing = false;
        state.keys.refresh_view(months, now, page);
    } else {
        state.external.filter.input = Input::new(filter_text);
        state.external.filter.editing = false;
        state.external.refresh_view(page);
    }
    if cleared {
        say(state, text::FILTER_CLEARED);
    }
    lazy_roles(state)
}

fn sort(state: &mut State, column: SortBy, direction: Option<Direction>) -> Vec<Effect> {
    if !on_a_list(state, "sort") {
        return Vec::new();
    }
    let descending = direction == Some(Direction::Desc);
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    if state.tab == Tab::Keys {
        state.keys.sort = column;
        state.keys.reverse = descending;
        state.keys.refresh_view(months, now, page);
    } else {
        state.external.sort = column;
        state.external.reverse = descending;
        state.external.refresh_view(page);
    }
    let name = line::parse::columns(state.tab)
        .iter()
        .find(|(_, by)| *by == column)
        .map_or("", |(name, _)| *name);
    say(state, text::sorted_by(name, descending));
    lazy_roles(state)
}
