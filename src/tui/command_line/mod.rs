//! The `:` command line: parsing a line into a verb, completing the word under the cursor,
//! and the history of lines run. Pure, except `history`'s file functions, which the event loop
//! calls.

pub mod complete;
pub mod history;
pub mod parse;
pub mod table;

pub use parse::{Direction, MarkSet, Verb, parse};

use tui_input::Input;

/// The open command line: what is typed, the completion being cycled, and where ↑/↓ are in
/// the history.
#[derive(Debug, Clone, Default)]
pub struct CommandLine {
    pub input: Input,
    pub cycle: Option<complete::Cycle>,
    /// The history line shown, counted from the newest (0); `None`: the line being typed.
    pub recalled: Option<usize>,
    /// What was being typed before ↑, given back by ↓ past the newest line.
    pub draft: String,
}

impl CommandLine {
    /// Recalls an older (`older`) or newer line of `lines` (oldest first).
    pub fn recall(&mut self, lines: &[String], older: bool) {
        let next = match (self.recalled, older) {
            (None, true) if !lines.is_empty() => Some(0),
            (None, _) => return,
            (Some(at), true) => Some((at + 1).min(lines.len() - 1)),
            (Some(0), false) => None,
            (Some(at), false) => Some(at - 1),
        };
        if self.recalled.is_none() {
            self.draft = self.input.value().to_string();
        }
        self.recalled = next;
        let text = match next {
            Some(at) => lines[lines.len() - 1 - at].clone(),
            None => std::mem::take(&mut self.draft),
        };
        self.set(text);
    }

    /// Replaces the text, the cursor at its end.
    pub fn set(&mut self, text: String) {
        self.input = Input::new(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_goes_back_and_down_returns_to_the_draft() {
        let lines: Vec<String> = vec![":keys".into(), ":filter erp".into()];
        let mut line = CommandLine::default();
        line.set("sor".into());
        line.recall(&lines, true);
        assert_eq!(line.input.value(), ":filter erp");
        line.recall(&lines, true);
        assert_eq!(line.input.value(), ":keys");
        line.recall(&lines, true);
        assert_eq!(line.input.value(), ":keys", "the oldest stays");
        line.recall(&lines, false);
        assert_eq!(line.input.value(), ":filter erp");
        line.recall(&lines, false);
        assert_eq!(line.input.value(), "sor", "back to what was typed");
        line.recall(&lines, false);
        assert_eq!(line.input.value(), "sor");
        let mut empty = CommandLine::default();
        empty.recall(&[], true);
        assert_eq!(empty.input.value(), "");
    }
}
