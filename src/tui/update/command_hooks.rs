//! The `:` verb that switches profiles. It arrives with that work; until then it says so on
//! the status line.

use super::*;
use crate::tui::strings::commands as text;

const PROFILES: &str = "profiles";

pub(super) fn profile(state: &mut State, _name: Option<String>) -> Vec<Effect> {
    say(state, text::arrives_with(PROFILES));
    Vec::new()
}
