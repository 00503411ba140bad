//! The key bindings, as data: the help overlay and the bottom bar are drawn from this table,
//! and `update` implements exactly these keys.

use super::state::{Op, State, Tab};

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
}

const fn bind(
    keys: &'static str,
    (what, short): (&'static str, &'static str),
    op: Option<Op>,
    in_bar: bool,
) -> Binding {
    Binding {
        keys,
        what,
        short,
        op,
        in_bar,
    }
}

pub const GLOBAL: &[Binding] = &[
    bind("Tab/S-Tab 1 2 3", ("switch pane", "panes"), None, false),
    bind("j k ↑ ↓", ("move", "move"), None, false),
    bind("PgUp PgDn g G Home End", ("jump", "jump"), None, false),
    bind("R Ctrl-r", ("refresh", "refresh"), None, false),
    bind("?", ("help", "help"), None, true),
    bind(
        "Esc",
        ("close dialog / clear filter / dismiss error", "close"),
        None,
        false,
    ),
    bind("q Ctrl-c", ("quit", "quit"), None, true),
];

pub const KEYS: &[Binding] = &[
    bind("/", ("filter", "filter"), None, true),
    bind("f", ("status filter", "status"), None, true),
    bind("s S", ("sort / reverse", "sort"), None, true),
    bind("Enter", ("details", "details"), None, true),
    bind(
        "Space",
        ("activate/deactivate", "toggle"),
        Some(Op::ToggleKey),
        true,
    ),
    bind("n", ("new key", "new"), Some(Op::NewKey), true),
    bind("e", ("edit roles", "roles"), Some(Op::EditRoles), true),
    bind("r", ("renew token", "renew"), Some(Op::Renew), true),
    bind(
        "F",
        ("delete old token", "del old"),
        Some(Op::FinishRenewal),
        false,
    ),
    bind("u", ("undo renewal", "undo"), Some(Op::UndoRenewal), false),
    bind("d", ("delete key", "delete"), Some(Op::DeleteKey), true),
];

/// The Generated keys pane of a key that may not list keys (no View API Keys).
pub const KEYS_RENEW_ONLY: &[Binding] = &[bind(
    "r",
    ("renew a key's token, typing its appKey", "renew by appKey"),
    Some(Op::Renew),
    true,
)];

pub const EXTERNAL: &[Binding] = &[
    bind("/", ("filter", "filter"), None, true),
    bind(
        "Space",
        ("activate/deactivate", "toggle"),
        Some(Op::ToggleExternal),
        true,
    ),
    bind(
        "a",
        ("add external key", "add"),
        Some(Op::AddExternal),
        true,
    ),
    bind(
        "e",
        ("edit roles", "roles"),
        Some(Op::EditExternalRoles),
        true,
    ),
    bind("x", ("remove", "remove"), Some(Op::RemoveExternal), true),
];

pub const SETTINGS: &[Binding] = &[
    bind("j k ↑ ↓", ("choose 3 or 6 months", "choose"), None, true),
    bind(
        "Enter",
        ("apply token duration", "apply"),
        Some(Op::SetDuration),
        true,
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
