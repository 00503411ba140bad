//! The key bindings, as data: the help overlay and the bottom bar are drawn from this table,
//! and `update` implements exactly these keys.

use super::state::{Op, Tab};

pub struct Binding {
    /// As shown: "Space", "/", "Tab".
    pub keys: &'static str,
    pub what: &'static str,
    /// The operation it starts, if it changes something (so it can be dimmed with a reason).
    pub op: Option<Op>,
    /// Shown in the bottom bar (the help overlay shows all).
    pub in_bar: bool,
}

const fn bind(keys: &'static str, what: &'static str, op: Option<Op>, in_bar: bool) -> Binding {
    Binding {
        keys,
        what,
        op,
        in_bar,
    }
}

pub const GLOBAL: &[Binding] = &[
    bind("Tab/S-Tab 1 2 3", "switch pane", None, false),
    bind("j k ↑ ↓", "move", None, false),
    bind("PgUp PgDn g G Home End", "jump", None, false),
    bind("R Ctrl-r", "refresh", None, false),
    bind("?", "help", None, true),
    bind(
        "Esc",
        "close dialog / clear filter / dismiss error",
        None,
        false,
    ),
    bind("q Ctrl-c", "quit", None, true),
];

pub const KEYS: &[Binding] = &[
    bind("/", "filter", None, true),
    bind("f", "status filter", None, true),
    bind("s S", "sort / reverse", None, true),
    bind("Enter", "details", None, true),
    bind("Space", "activate/deactivate", Some(Op::ToggleKey), true),
    bind("n", "new key", Some(Op::NewKey), true),
    bind("e", "edit roles", Some(Op::EditRoles), true),
    bind("r", "renew token", Some(Op::Renew), true),
    bind("F", "delete old token", Some(Op::FinishRenewal), false),
    bind("u", "undo renewal", Some(Op::UndoRenewal), false),
    bind("d", "delete key", Some(Op::DeleteKey), true),
];

pub const EXTERNAL: &[Binding] = &[
    bind("/", "filter", None, true),
    bind(
        "Space",
        "activate/deactivate",
        Some(Op::ToggleExternal),
        true,
    ),
    bind("a", "add external key", Some(Op::AddExternal), true),
    bind("e", "edit roles", Some(Op::EditExternalRoles), true),
    bind("x", "remove", Some(Op::RemoveExternal), true),
];

pub const SETTINGS: &[Binding] = &[
    bind("j k ↑ ↓", "choose 3 or 6 months", None, true),
    bind("Enter", "apply token duration", Some(Op::SetDuration), true),
];

pub fn for_tab(tab: Tab) -> &'static [Binding] {
    match tab {
        Tab::Settings => SETTINGS,
        Tab::Keys => KEYS,
        Tab::External => EXTERNAL,
    }
}
