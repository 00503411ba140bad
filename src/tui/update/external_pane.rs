//! The External keys pane's commands: as in Generated keys, a status filter, a sort and its
//! reverse (one `listing::Query`, as `external list` runs it) and details with the key's
//! audit trail; and adding, toggling, editing the roles of and removing external keys.

use super::*;
use crate::vtex::model::ExternalKey;

/// The columns `s` cycles through: owner account (`Name`), key, date added, status.
const SORTS: [SortBy; 4] = [SortBy::Name, SortBy::Key, SortBy::Created, SortBy::Status];

/// The statuses an external key can have: it has no token here to be outdated or pending.
const STATUSES: [StatusFilter; 3] = [
    StatusFilter::All,
    StatusFilter::Active,
    StatusFilter::Inactive,
];

pub(super) fn run_external_command(state: &mut State, command: Command) -> Vec<Effect> {
    if state.access.extensions == Some(false) {
        say(state, strings::EXTERNAL_UNAVAILABLE);
        return Vec::new();
    }
    if !state.external.marks.is_empty()
        && let Some(effects) = on_marked_external(state, command)
    {
        return effects;
    }
    let selected = state.external.selected_key().cloned();
    match command {
        Command::Filter => state.external.filter.editing = true,
        Command::StatusFilter | Command::Sort | Command::ReverseSort => reorder(state, command),
        Command::Details => {
            let Some(selected) = selected else {
                return Vec::new();
            };
            return open_key_details(state, KeyList::External, selected.id, selected.app_key);
        }
        Command::Toggle => return toggle_external(state, selected),
        Command::AddExternal if allowed(state, Op::AddExternal, "add an external key") => {
            let picker = picker(state, BTreeSet::new());
            state.dialog = Some(Dialog::AddExternal(AddExternalDialog {
                step: NewKeyStep::Label,
                app_key: Input::default(),
                picker,
                error: None,
            }));
            return roles_if_missing(state);
        }
        Command::EditRoles => {
            let Some(selected) = selected else {
                return Vec::new();
            };
            if allowed(state, Op::EditExternalRoles, "edit roles") {
                return open_role_editor(state, selected.id, selected.app_key, selected.roles);
            }
        }
        Command::RemoveExternal => {
            let Some(selected) = selected else {
                return Vec::new();
            };
            if allowed(state, Op::RemoveExternal, "remove the external key") {
                let asked = strings::remove_external(&selected.app_key, &selected.account);
                state.dialog = Some(Dialog::Confirm(Confirm {
                    title: asked.title.into(),
                    body: asked.body,
                    accept: asked.accept.into(),
                    destructive: true,
                    change: Change::RemoveExternal {
                        id: selected.id,
                        app_key: selected.app_key,
                    },
                    focus: Focus::Action,
                }));
            }
        }
        _ => {}
    }
    Vec::new()
}

/// With external keys marked, the commands that change keys act on the marks.
fn on_marked_external(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    use crate::tui::bulk::BulkAction;
    Some(match command {
        Command::Toggle => toggle_marked(state, crate::tui::dialog::KeyList::External),
        Command::RemoveExternal => ask(state, BulkAction::Delete),
        Command::EditRoles => open_bulk_roles(state, crate::tui::dialog::KeyList::External),
        _ => return None,
    })
}

/// `f`, `s` and `S`: the next status filter, the next sort column, the other direction.
fn reorder(state: &mut State, command: Command) {
    let pane = &mut state.external;
    match command {
        Command::StatusFilter => pane.status_filter = following(&STATUSES, pane.status_filter),
        Command::Sort => pane.sort = following(&SORTS, pane.sort),
        _ => pane.reverse = !pane.reverse,
    }
    pane.refresh_view(state.page_rows);
    if command == Command::StatusFilter {
        let shown = state.external.status_filter.word();
        say(state, strings::showing(shown));
    }
}

/// The item after `current` in `cycle`, wrapping around (the first if `current` is not in it).
fn following<T: Copy + PartialEq>(cycle: &[T], current: T) -> T {
    let at = cycle.iter().position(|item| *item == current);
    let next = at.map_or(0, |at| (at + 1) % cycle.len());
    cycle[next]
}

fn toggle_external(state: &mut State, selected: Option<ExternalKey>) -> Vec<Effect> {
    let Some(selected) = selected else {
        return Vec::new();
    };
    if !allowed(state, Op::ToggleExternal, "change the key's status") {
        return Vec::new();
    }
    if !selected.is_active {
        return send_change(
            state,
            Change::SetExternalActive {
                id: selected.id,
                active: true,
            },
        );
    }
    let asked = strings::deactivate_external(&selected.app_key, &selected.account);
    state.dialog = Some(Dialog::Confirm(Confirm {
        title: asked.title.into(),
        body: asked.body,
        accept: asked.accept.into(),
        destructive: true,
        change: Change::SetExternalActive {
            id: selected.id,
            active: false,
        },
        focus: Focus::Action,
    }));
    Vec::new()
}
