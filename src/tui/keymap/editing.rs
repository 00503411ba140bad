//! The tables of the two line editors (the `/` filter and the `:` command line): while one has
//! the keyboard, every key not bound here is typed into it.

use crossterm::event::KeyCode;

use super::{Binding, Command as C, DOWN, ENTER, ESC, Step, UP, code, ctrl, hint};
use crate::tui::strings::commands as CMD;

/// While the filter has the keyboard; every other key is typed into it.
pub const FILTER_EDITING: &[Binding] = &[
    hint("Enter", "keep the filter", &[(ENTER, C::KeepFilter)]),
    hint("Esc", "clear it", &[(ESC, C::ClearFilter)]),
    hint("Ctrl-f", "fuzzy on/off", &[(ctrl('f'), C::ToggleFuzzy)]),
    hint(
        "↑ ↓",
        "back to the table",
        &[
            (DOWN, C::LeaveFilter(Step::Down)),
            (UP, C::LeaveFilter(Step::Up)),
        ],
    ),
];

/// While the `:` command line has the keyboard; every other key is typed into it.
pub const COMMAND_EDITING: &[Binding] = &[
    hint("Enter", CMD::RUN, &[(ENTER, C::RunCommand)]),
    hint("Esc", CMD::CANCEL, &[(ESC, C::CancelCommand)]),
    hint(
        "Tab S-Tab",
        CMD::COMPLETE,
        &[
            (code(KeyCode::Tab), C::Complete { backwards: false }),
            (code(KeyCode::BackTab), C::Complete { backwards: true }),
        ],
    ),
    hint(
        "↑ ↓",
        CMD::HISTORY,
        &[
            (UP, C::History { older: true }),
            (DOWN, C::History { older: false }),
        ],
    ),
];
