//! The External keys pane's commands.

use super::*;
use crate::vtex::model::ExternalKey;

pub(super) fn run_external_command(state: &mut State, command: Command) -> Vec<Effect> {
    if state.access.extensions == Some(false) {
        say(state, strings::EXTERNAL_UNAVAILABLE);
        return Vec::new();
    }
    let selected = state.external.selected_key().cloned();
    match command {
        Command::Filter => state.external.filter.editing = true,
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
