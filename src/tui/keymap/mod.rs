//! The key bindings, as data: one table per context (everywhere, each pane, each dialog).
//! Each binding says how it is shown, what it does, the permission it needs, and the keys
//! that run it with the command each runs. `update` dispatches through these tables alone, and
//! the key bar, the help overlay and the dialog footers are drawn from them, so what is shown
//! is what works (a test walks every table).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::{Dialog, Op, State, Tab};

mod dialogs;
mod editing;
mod export;
pub use dialogs::*;
pub use editing::{COMMAND_EDITING, FILTER_EDITING};

/// What a key asks for; `update` carries it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    NextPane,
    PreviousPane,
    Pane(Tab),
    Refresh,
    Escape,
    Move(Step),
    Filter,
    StatusFilter,
    Sort,
    ReverseSort,
    Details,
    Toggle,
    NewKey,
    EditRoles,
    Renew,
    RenewByKey,
    FinishRenewal,
    UndoRenewal,
    DeleteKey,
    AddExternal,
    RemoveExternal,
    ApplyDuration,
    /// Dialogs: accept (send, create, save, renew…), go on to the next step, go back, cancel.
    Accept,
    Next,
    Back,
    Cancel,
    /// Delete dialog: "I understand this cannot be undone".
    Acknowledge,
    /// Renew dialog: delete the old token now or later.
    Choose,
    /// Role pickers.
    PickerMove(Step),
    PickerToggle,
    /// Confirmations: press the focused button, or move the focus between the buttons.
    Press,
    FocusLeft,
    FocusRight,
    FocusOther,
    /// Role pickers: type a filter for the role names.
    PickerFilter,
    /// Token dialog.
    Reveal,
    Copy,
    /// Copy the appKey (lists and the token dialog): not a secret, no timed clear.
    CopyAppKey,
    /// Overlays that only show (help, details): move their content.
    Scroll(Step),
    /// Filter editing: keep what is typed, or clear it.
    KeepFilter,
    ClearFilter,
    /// Leave the filter and move in the table.
    LeaveFilter(Step),
    /// Filter editing: switch between plain words and fuzzy matching (the `-f ` prefix).
    ToggleFuzzy,
    /// Marks (both key lists): the selected row, the range from the last mark, every row
    /// shown, none.
    Mark,
    MarkRange,
    MarkAll,
    ClearMarks,
    /// The roles dialog of the marked keys: remove the role under the cursor from them.
    RemoveRole,
    /// Open the `:` command line.
    CommandLine,
    /// Command line: run it, close it, complete the word (forwards, backwards), recall history.
    RunCommand,
    CancelCommand,
    Complete {
        backwards: bool,
    },
    History {
        older: bool,
    },
    /// Open the profile picker (switch account without restarting).
    Profiles,
    /// Rotate tokens through the profile's sink: the marked keys, else the selected one (on
    /// Settings: every outdated key).
    Rotate,
    /// Export the marked keys, else those shown, to an xlsx file.
    Export,
    /// Open the Insights overlay (the account's key posture).
    Insights,
}

/// A move in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
}

/// A key as the tables name it: Shift is ignored (it is in the character), Ctrl is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub fn matches(&self, event: &KeyEvent) -> bool {
        self.code == event.code && self.ctrl == event.modifiers.contains(KeyModifiers::CONTROL)
    }

    /// The event this key is, for tests and the help.
    pub fn event(&self) -> KeyEvent {
        let modifiers = match self.code {
            _ if self.ctrl => KeyModifiers::CONTROL,
            KeyCode::BackTab => KeyModifiers::SHIFT,
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        KeyEvent::new(self.code, modifiers)
    }
}

const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const ENTER: Key = code(KeyCode::Enter);
const ESC: Key = code(KeyCode::Esc);
const SPACE: Key = ch(' ');
const DOWN: Key = code(KeyCode::Down);
const UP: Key = code(KeyCode::Up);

pub struct Binding {
    /// As shown: "Space", "/", "Tab".
    pub keys: &'static str,
    pub what: &'static str,
    /// The bottom bar's shorter form.
    pub short: &'static str,
    /// The operation it starts, if it changes something (so it can be dimmed with a reason).
    pub op: Option<Op>,
    /// Shown in the bottom bar (the help overlay shows all).
    pub in_bar: bool,
    /// The keys that run it, and what each runs.
    pub runs: &'static [(Key, Command)],
}

const fn bind(
    keys: &'static str,
    (what, short): (&'static str, &'static str),
    op: Option<Op>,
    in_bar: bool,
    runs: &'static [(Key, Command)],
) -> Binding {
    Binding {
        keys,
        what,
        short,
        op,
        in_bar,
        runs,
    }
}

/// A dialog's binding: shown in its footer.
const fn hint(keys: &'static str, what: &'static str, runs: &'static [(Key, Command)]) -> Binding {
    bind(keys, (what, what), None, true, runs)
}

use Command as C;

/// j k ↑ ↓: the rows of a list, or the options of the Settings pane.
const MOVE_ROWS: &[(Key, Command)] = &[
    (ch('j'), C::Move(Step::Down)),
    (ch('k'), C::Move(Step::Up)),
    (UP, C::Move(Step::Up)),
    (DOWN, C::Move(Step::Down)),
];

pub const GLOBAL: &[Binding] = &[
    bind(
        "Tab/S-Tab 1 2 3",
        ("switch pane", "panes"),
        None,
        false,
        &[
            (code(KeyCode::Tab), C::NextPane),
            (code(KeyCode::BackTab), C::PreviousPane),
            (ch('1'), C::Pane(Tab::Settings)),
            (ch('2'), C::Pane(Tab::Keys)),
            (ch('3'), C::Pane(Tab::External)),
        ],
    ),
    bind("j k ↑ ↓", ("move", "move"), None, false, MOVE_ROWS),
    bind(
        "PgUp PgDn g G Home End",
        ("jump", "jump"),
        None,
        false,
        &[
            (code(KeyCode::PageUp), C::Move(Step::PageUp)),
            (code(KeyCode::PageDown), C::Move(Step::PageDown)),
            (ch('g'), C::Move(Step::Top)),
            (ch('G'), C::Move(Step::Bottom)),
            (code(KeyCode::Home), C::Move(Step::Top)),
            (code(KeyCode::End), C::Move(Step::Bottom)),
        ],
    ),
    bind(
        "R Ctrl-r",
        ("refresh", "refresh"),
        None,
        false,
        &[(ch('R'), C::Refresh), (ctrl('r'), C::Refresh)],
    ),
    bind("?", ("help", "help"), None, true, &[(ch('?'), C::Help)]),
    bind(
        ":",
        ("command line (:q, :filter, :sort… see Commands)", "command"),
        None,
        false,
        &[(ch(':'), C::CommandLine)],
    ),
    bind(
        "P",
        ("switch profile (account)", "profile"),
        None,
        false,
        &[(ch('P'), C::Profiles)],
    ),
    export::EXPORT,
    bind(
        "I",
        ("insights: token ages and findings (:insights)", "insights"),
        None,
        false,
        &[(ch('I'), C::Insights)],
    ),
    bind(
        "Esc",
        (
            "close dialog / stop bulk run / clear filter / dismiss error",
            "close",
        ),
        None,
        false,
        &[(ESC, C::Escape)],
    ),
    bind(
        "q Ctrl-c",
        ("quit", "quit"),
        None,
        true,
        &[(ch('q'), C::Quit), (ctrl('c'), C::Quit)],
    ),
];

pub const KEYS: &[Binding] = &[
    FILTER,
    bind(
        "f",
        ("status filter", "status"),
        None,
        true,
        &[(ch('f'), C::StatusFilter)],
    ),
    bind(
        "s S",
        ("sort / reverse", "sort"),
        None,
        true,
        &[(ch('s'), C::Sort), (ch('S'), C::ReverseSort)],
    ),
    DETAILS_OF_KEY,
    COPY_APP_KEY,
    MARK,
    MARK_RANGE,
    MARK_ALL,
    CLEAR_MARKS,
    bind(
        "t",
        (
            "activate/deactivate (the marked keys, else this one)",
            "toggle",
        ),
        Some(Op::ToggleKey),
        true,
        &[(ch('t'), C::Toggle)],
    ),
    bind(
        "n",
        ("new key", "new"),
        Some(Op::NewKey),
        true,
        &[(ch('n'), C::NewKey)],
    ),
    bind(
        "e",
        (
            "edit roles (with marks: add or remove one on them)",
            "roles",
        ),
        Some(Op::EditRoles),
        true,
        &[(ch('e'), C::EditRoles)],
    ),
    bind(
        "r",
        ("renew token", "renew"),
        Some(Op::Renew),
        true,
        &[(ch('r'), C::Renew)],
    ),
    bind(
        "F",
        (
            "delete old token (the marked keys, else this one)",
            "del old",
        ),
        Some(Op::FinishRenewal),
        false,
        &[(ch('F'), C::FinishRenewal)],
    ),
    bind(
        "u",
        ("undo renewal (the marked keys, else this one)", "undo"),
        Some(Op::UndoRenewal),
        false,
        &[(ch('u'), C::UndoRenewal)],
    ),
    ROTATE_KEYS,
    bind(
        "d",
        ("delete key (the marked keys, else this one)", "delete"),
        Some(Op::DeleteKey),
        true,
        &[(ch('d'), C::DeleteKey)],
    ),
];

/// `o`: rotate through the profile's sink (renew, hand off, verify, finish).
const ROTATE_KEYS: Binding = bind(
    "o",
    (
        "rotate: new token to the sink, verified, old one deleted (the marked keys, else this one)",
        "rotate",
    ),
    Some(Op::Rotate),
    false,
    &[(ch('o'), C::Rotate)],
);

/// The Generated keys pane of a key that may not list keys (no View API Keys).
pub const KEYS_RENEW_ONLY: &[Binding] = &[bind(
    "r",
    ("renew a key's token, typing its appKey", "renew by appKey"),
    Some(Op::Renew),
    true,
    &[(ch('r'), C::RenewByKey)],
)];

/// `/` in both key lists.
const FILTER: Binding = bind(
    "/",
    ("filter", "filter"),
    None,
    true,
    &[(ch('/'), C::Filter)],
);

/// Enter in both key lists.
const DETAILS_OF_KEY: Binding = bind(
    "Enter",
    ("details", "details"),
    None,
    true,
    &[(ENTER, C::Details)],
);

/// `y` in both key lists.
const COPY_APP_KEY: Binding = bind(
    "y",
    ("copy the appKey", "copy key"),
    None,
    false,
    &[(ch('y'), C::CopyAppKey)],
);

/// Space in both key lists: marks for the bulk actions (k9s).
const MARK: Binding = bind(
    "Space",
    ("mark / unmark the row", "mark"),
    None,
    true,
    &[(SPACE, C::Mark)],
);

const MARK_RANGE: Binding = bind(
    "Ctrl-Space",
    ("mark from the last mark to here", "mark range"),
    None,
    false,
    &[(ctrl(' '), C::MarkRange)],
);

const MARK_ALL: Binding = bind(
    "Ctrl-a",
    ("mark every row shown", "mark all"),
    None,
    false,
    &[(ctrl('a'), C::MarkAll)],
);

/// Terminals send Ctrl-\ as the byte crossterm reads as Ctrl-4.
const CLEAR_MARKS: Binding = bind(
    "Ctrl-\\",
    ("clear the marks", "unmark"),
    None,
    false,
    &[(ctrl('\\'), C::ClearMarks), (ctrl('4'), C::ClearMarks)],
);

/// As in Generated keys: filter, status filter, sort, details, copy the appKey.
pub const EXTERNAL: &[Binding] = &[
    FILTER,
    bind(
        "f",
        ("status filter (all, active, inactive)", "status"),
        None,
        true,
        &[(ch('f'), C::StatusFilter)],
    ),
    bind(
        "s S",
        ("sort (owner, key, added date, status) / reverse", "sort"),
        None,
        true,
        &[(ch('s'), C::Sort), (ch('S'), C::ReverseSort)],
    ),
    DETAILS_OF_KEY,
    COPY_APP_KEY,
    MARK,
    MARK_RANGE,
    MARK_ALL,
    CLEAR_MARKS,
    bind(
        "t",
        (
            "activate/deactivate (the marked keys, else this one)",
            "toggle",
        ),
        Some(Op::ToggleExternal),
        true,
        &[(ch('t'), C::Toggle)],
    ),
    bind(
        "a",
        ("add external key", "add"),
        Some(Op::AddExternal),
        true,
        &[(ch('a'), C::AddExternal)],
    ),
    bind(
        "e",
        (
            "edit roles (with marks: add or remove one on them)",
            "roles",
        ),
        Some(Op::EditExternalRoles),
        true,
        &[(ch('e'), C::EditRoles)],
    ),
    bind(
        "x",
        ("remove (the marked keys, else this one)", "remove"),
        Some(Op::RemoveExternal),
        true,
        &[(ch('x'), C::RemoveExternal)],
    ),
];

pub const SETTINGS: &[Binding] = &[
    bind(
        "j k ↑ ↓",
        ("choose 3 or 6 months", "choose"),
        None,
        true,
        MOVE_ROWS,
    ),
    bind(
        "Enter",
        ("apply token duration", "apply"),
        Some(Op::SetDuration),
        true,
        &[(ENTER, C::ApplyDuration)],
    ),
    bind(
        "o",
        ("rotate every outdated key's token", "rotate outdated"),
        Some(Op::Rotate),
        true,
        &[(ch('o'), C::Rotate)],
    ),
];

pub fn for_tab(tab: Tab) -> &'static [Binding] {
    match tab {
        Tab::Settings => SETTINGS,
        Tab::Keys => KEYS,
        Tab::External => EXTERNAL,
    }
}

/// The bindings of the pane on screen: those of its tab, or, on a Generated keys pane that may
/// not list keys, the one thing it can do.
pub fn for_pane(state: &State) -> &'static [Binding] {
    if state.tab == Tab::Keys && state.keys.may_not_view() {
        KEYS_RENEW_ONLY
    } else {
        for_tab(state.tab)
    }
}

/// A dialog's bindings (its footer), as the dialog names them.
pub fn for_dialog(dialog: &Dialog) -> &'static [Binding] {
    dialog.bindings()
}

/// The command `key` runs in `table`, if any.
pub fn lookup(table: &[Binding], key: &KeyEvent) -> Option<Command> {
    table
        .iter()
        .flat_map(|binding| binding.runs)
        .find(|(bound, _)| bound.matches(key))
        .map(|(_, command)| *command)
}

/// The command `key` runs in this state — the one resolution `update` dispatches by: Ctrl-c
/// anywhere, else the open dialog's table, else the filter's while it is edited, else the
/// global table, then the pane's. `None`: the key is typed into a text field, or does nothing.
pub fn command_for(state: &State, key: &KeyEvent) -> Option<Command> {
    if ctrl('c').matches(key) {
        return Some(Command::Quit);
    }
    if let Some(dialog) = &state.dialog {
        return lookup(for_dialog(dialog), key);
    }
    if state.command_line.is_some() {
        return lookup(COMMAND_EDITING, key);
    }
    let editing = match state.tab {
        Tab::Keys => state.keys.filter.editing,
        Tab::External => state.external.filter.editing,
        Tab::Settings => false,
    };
    if editing {
        return lookup(FILTER_EDITING, key);
    }
    lookup(GLOBAL, key).or_else(|| {
        // A pane that may not list keys offers renewal by appKey first.
        lookup(for_pane(state), key).or_else(|| lookup(for_tab(state.tab), key))
    })
}
