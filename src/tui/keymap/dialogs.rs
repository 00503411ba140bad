//! The dialogs' key tables: each dialog's footer is drawn from its table, and `update`
//! dispatches the dialog's keys through it.

use crossterm::event::KeyCode;

use super::{Binding, C, DOWN, ENTER, ESC, SPACE, Step, UP, ch, code, hint};

const CANCEL: Binding = hint("Esc", "cancel", &[(ESC, C::Cancel)]);

const PICKER_MOVE: Binding = hint(
    "↑ ↓ j k PgUp PgDn g G Home End",
    "move",
    &[
        (UP, C::PickerMove(Step::Up)),
        (DOWN, C::PickerMove(Step::Down)),
        (ch('j'), C::PickerMove(Step::Down)),
        (ch('k'), C::PickerMove(Step::Up)),
        (code(KeyCode::PageUp), C::PickerMove(Step::PageUp)),
        (code(KeyCode::PageDown), C::PickerMove(Step::PageDown)),
        (ch('g'), C::PickerMove(Step::Top)),
        (ch('G'), C::PickerMove(Step::Bottom)),
        (code(KeyCode::Home), C::PickerMove(Step::Top)),
        (code(KeyCode::End), C::PickerMove(Step::Bottom)),
    ],
);

const PICKER_TOGGLE: Binding = hint("Space", "toggle", &[(SPACE, C::PickerToggle)]);

const PICKER_FILTER: Binding = hint("/", "filter roles", &[(ch('/'), C::PickerFilter)]);

/// The roles step of a form: back to its first step, keeping what was typed and ticked.
const BACK: Binding = hint(
    "Esc S-Tab BS",
    "back",
    &[
        (ESC, C::Back),
        (code(KeyCode::BackTab), C::Back),
        (code(KeyCode::Backspace), C::Back),
    ],
);

/// Tab S-Tab ← → h l: the focus between a dialog's two buttons.
const FOCUS_BUTTONS: Binding = hint(
    "Tab S-Tab ← → h l",
    "other button",
    &[
        (code(KeyCode::Tab), C::FocusOther),
        (code(KeyCode::BackTab), C::FocusOther),
        (code(KeyCode::Left), C::FocusLeft),
        (code(KeyCode::Right), C::FocusRight),
        (ch('h'), C::FocusLeft),
        (ch('l'), C::FocusRight),
    ],
);

/// Enter presses the focused button; the footer names it.
const PRESS: Binding = hint("Enter", "press", &[(ENTER, C::Press)]);

/// While a role picker's filter has the keyboard; every other key is typed into it.
pub const PICKER_FILTERING: &[Binding] = &[
    hint("Enter", "keep the filter", &[(ENTER, C::KeepFilter)]),
    hint("Esc", "clear it", &[(ESC, C::ClearFilter)]),
    hint(
        "↑ ↓",
        "back to the roles",
        &[
            (DOWN, C::LeaveFilter(Step::Down)),
            (UP, C::LeaveFilter(Step::Up)),
        ],
    ),
];

/// Granting an administrator role asks first; Enter does not answer it.
pub const GRANT_ADMIN: &[Binding] = &[
    hint("y", "grant it", &[(ch('y'), C::Accept)]),
    hint(
        "n Esc",
        "do not grant it",
        &[(ch('n'), C::Cancel), (ESC, C::Cancel)],
    ),
];

/// A confirmation; its footer names the dialog's own button.
pub const CONFIRM: &[Binding] = &[
    PRESS,
    hint("y", "accept", &[(ch('y'), C::Accept)]),
    hint("Esc n", "cancel", &[(ESC, C::Cancel), (ch('n'), C::Cancel)]),
    FOCUS_BUTTONS,
];

pub const DELETE_KEY: &[Binding] = &[
    hint(
        "Space x",
        "I understand",
        &[(SPACE, C::Acknowledge), (ch('x'), C::Acknowledge)],
    ),
    PRESS,
    CANCEL,
    FOCUS_BUTTONS,
];

pub const FORM_TEXT: &[Binding] = &[
    hint(
        "Enter Tab",
        "next: roles",
        &[(ENTER, C::Next), (code(KeyCode::Tab), C::Next)],
    ),
    CANCEL,
];

pub const NEW_KEY_ROLES: &[Binding] = &[
    PICKER_MOVE,
    PICKER_TOGGLE,
    PICKER_FILTER,
    hint("Enter", "create", &[(ENTER, C::Accept)]),
    BACK,
];

pub const ADD_EXTERNAL_ROLES: &[Binding] = &[
    PICKER_MOVE,
    PICKER_TOGGLE,
    PICKER_FILTER,
    hint("Enter", "add", &[(ENTER, C::Accept)]),
    BACK,
];

pub const EDIT_ROLES: &[Binding] = &[
    PICKER_MOVE,
    PICKER_TOGGLE,
    PICKER_FILTER,
    hint("Enter", "save", &[(ENTER, C::Accept)]),
    CANCEL,
];

pub const RENEW: &[Binding] = &[
    hint(
        "↑ ↓ j k Tab Space",
        "choose",
        &[
            (UP, C::Choose),
            (DOWN, C::Choose),
            (ch('j'), C::Choose),
            (ch('k'), C::Choose),
            (code(KeyCode::Tab), C::Choose),
            (SPACE, C::Choose),
        ],
    ),
    hint("Enter", "renew", &[(ENTER, C::Accept)]),
    CANCEL,
];

pub const RENEW_BY_KEY: &[Binding] = &[
    hint("Enter", "next: old token", &[(ENTER, C::Next)]),
    CANCEL,
];

pub const TOKEN: &[Binding] = &[
    hint("v", "reveal/hide", &[(ch('v'), C::Reveal)]),
    hint("c", "copy token", &[(ch('c'), C::Copy)]),
    hint("y", "copy appKey", &[(ch('y'), C::CopyAppKey)]),
    hint(
        "Enter/Esc q",
        "close (the token is wiped)",
        &[(ENTER, C::Cancel), (ESC, C::Cancel), (ch('q'), C::Cancel)],
    ),
];

/// The token dialog asking whether to close without the token having been seen or copied.
pub const TOKEN_CLOSING: &[Binding] = &[
    hint(
        "Enter q y",
        "close anyway",
        &[
            (ENTER, C::Accept),
            (ch('q'), C::Accept),
            (ch('y'), C::Accept),
        ],
    ),
    hint(
        "Esc n",
        "back to the token",
        &[(ESC, C::Back), (ch('n'), C::Back)],
    ),
];

/// Overlays taller than the screen (help, details) scroll with the keys that move in lists.
const SCROLL: Binding = hint(
    "j k ↑ ↓ PgUp PgDn g G Home End",
    "scroll",
    &[
        (ch('j'), C::Scroll(Step::Down)),
        (ch('k'), C::Scroll(Step::Up)),
        (DOWN, C::Scroll(Step::Down)),
        (UP, C::Scroll(Step::Up)),
        (code(KeyCode::PageUp), C::Scroll(Step::PageUp)),
        (code(KeyCode::PageDown), C::Scroll(Step::PageDown)),
        (ch('g'), C::Scroll(Step::Top)),
        (ch('G'), C::Scroll(Step::Bottom)),
        (code(KeyCode::Home), C::Scroll(Step::Top)),
        (code(KeyCode::End), C::Scroll(Step::Bottom)),
    ],
);

pub const DETAILS: &[Binding] = &[
    SCROLL,
    hint(
        "Esc Enter q",
        "close",
        &[(ESC, C::Cancel), (ENTER, C::Cancel), (ch('q'), C::Cancel)],
    ),
];

pub const HELP: &[Binding] = &[
    SCROLL,
    hint(
        "Esc ? q Enter",
        "close",
        &[
            (ESC, C::Cancel),
            (ch('?'), C::Cancel),
            (ch('q'), C::Cancel),
            (ENTER, C::Cancel),
        ],
    ),
];

/// A role for the marked keys: the one under the cursor is added or removed.
pub const BULK_ROLES: &[Binding] = &[
    PICKER_MOVE,
    PICKER_FILTER,
    hint("Enter", "add it to the marked keys", &[(ENTER, C::Accept)]),
    hint("x", "remove it from them", &[(ch('x'), C::RemoveRole)]),
    CANCEL,
];

/// The summary of a bulk run: it scrolls like the details.
pub const BULK_SUMMARY: &[Binding] = DETAILS;
/// The Insights overlay: move among the findings, show one's keys, assess again, close.
pub const INSIGHTS: &[Binding] = &[
    PICKER_MOVE,
    hint("Enter", "show these keys", &[(ENTER, C::Accept)]),
    hint("R", "assess again", &[(ch('R'), C::Refresh)]),
    hint(
        "Esc q I",
        "close",
        &[(ESC, C::Cancel), (ch('q'), C::Cancel), (ch('I'), C::Cancel)],
    ),
];

/// The profile picker: move, switch, cancel.
pub const PROFILES: &[Binding] = &[
    PICKER_MOVE,
    hint("Enter", "switch", &[(ENTER, C::Accept)]),
    CANCEL,
];
