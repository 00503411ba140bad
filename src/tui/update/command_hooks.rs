//! The `:` verbs that act on marks or switch profiles. They arrive with that work; until then
//! each says so on the status line (one function per verb, so the merge replaces bodies only).

use super::*;
use crate::tui::command_line::MarkSet;
use crate::tui::strings::commands as text;

const MARKS: &str = "marks";
const PROFILES: &str = "profiles";

pub(super) fn mark(state: &mut State, _set: MarkSet) -> Vec<Effect> {
    say(state, text::arrives_with(MARKS));
    Vec::new()
}

pub(super) fn bulk_activate(state: &mut State, _active: bool) -> Vec<Effect> {
    say(state, text::arrives_with(MARKS));
    Vec::new()
}

pub(super) fn bulk_delete(state: &mut State) -> Vec<Effect> {
    say(state, text::arrives_with(MARKS));
    Vec::new()
}

pub(super) fn bulk_role(state: &mut State, _add: bool, _name: String) -> Vec<Effect> {
    say(state, text::arrives_with(MARKS));
    Vec::new()
}

pub(super) fn profile(state: &mut State, _name: Option<String>) -> Vec<Effect> {
    say(state, text::arrives_with(PROFILES));
    Vec::new()
}
