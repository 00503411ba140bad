//! Sending changes (optimistic toggles and their roll-back), the role editor, and the
//! sentence that says what a change did.

use super::*;

pub(super) fn picker(state: &State, chosen: BTreeSet<i64>) -> RolePicker {
    RolePicker::new(state.roles.as_deref().unwrap_or(&[]), chosen)
}

pub(super) fn roles_if_missing(state: &mut State) -> Vec<Effect> {
    if state.roles.is_none() {
        vec![request(state, Call::ListRoles)]
    } else {
        Vec::new()
    }
}

pub(super) fn open_role_editor(
    state: &mut State,
    id: String,
    app_key: String,
    roles: Option<Vec<Role>>,
) -> Vec<Effect> {
    let Some(roles) = roles else {
        say(
            state,
            "This key's roles are still loading; try again in a moment.",
        );
        return Vec::new();
    };
    let original: BTreeSet<i64> = roles.iter().map(|r| r.id).collect();
    let picker = picker(state, original.clone());
    state.dialog = Some(Dialog::EditRoles {
        id,
        app_key,
        picker,
        original,
    });
    roles_if_missing(state)
}

/// Sends a change; a status toggle is shown at once and rolled back if the server refuses.
pub(super) fn send_change(state: &mut State, change: Change) -> Vec<Effect> {
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    match &change {
        Change::SetKeyActive { id, active } => {
            if let Some(key) = state.keys.rows.iter_mut().find(|k| &k.id == id) {
                state
                    .keys
                    .pending_toggles
                    .entry(id.clone())
                    .or_insert(key.is_active);
                key.is_active = *active;
            }
            state.keys.refresh_view(months, now, page);
        }
        Change::SetExternalActive { id, active } => {
            if let Some(key) = state.external.rows.iter_mut().find(|k| &k.id == id) {
                state
                    .external
                    .pending_toggles
                    .entry(id.clone())
                    .or_insert(key.is_active);
                key.is_active = *active;
            }
            state.external.refresh_view(page);
        }
        _ => {}
    }
    vec![request(state, Call::Change(change))]
}

/// Puts an optimistic toggle back the way it was.
pub(super) fn roll_back(state: &mut State, change: &Change) {
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    match change {
        Change::SetKeyActive { id, .. } => {
            if let Some(previous) = state.keys.pending_toggles.remove(id)
                && let Some(key) = state.keys.rows.iter_mut().find(|k| &k.id == id)
            {
                key.is_active = previous;
            }
            state.keys.refresh_view(months, now, page);
        }
        Change::SetExternalActive { id, .. } => {
            if let Some(previous) = state.external.pending_toggles.remove(id)
                && let Some(key) = state.external.rows.iter_mut().find(|k| &k.id == id)
            {
                key.is_active = previous;
            }
            state.external.refresh_view(page);
        }
        _ => {}
    }
}

pub(super) fn describe(change: &Change, state: &State) -> String {
    let key_name = |id: &str| {
        state
            .keys
            .rows
            .iter()
            .find(|k| k.id == id)
            .map(|k| k.app_key.clone())
            .or_else(|| {
                state
                    .external
                    .rows
                    .iter()
                    .find(|k| k.id == id)
                    .map(|k| k.app_key.clone())
            })
            .unwrap_or_else(|| id.to_string())
    };
    match change {
        Change::SetKeyActive { id, active } | Change::SetExternalActive { id, active } => {
            format!(
                "{} is {}.",
                key_name(id),
                if *active { "active" } else { "inactive" }
            )
        }
        Change::DeleteKey { app_key, .. } => format!("Deleted {app_key}."),
        Change::SetRoles { id, .. } => format!("Roles of {} updated.", key_name(id)),
        Change::FinishRenewal { app_key } => format!("The old token of {app_key} is deleted."),
        Change::UndoRenewal { app_key } => {
            format!("Renewal of {app_key} undone: the old token stays, the new one is gone.")
        }
        Change::SetTokenDuration { months } => format!("Token duration set to {months} months."),
        Change::AddExternal { app_key, .. } => format!("Added external key {app_key}."),
        Change::RemoveExternal { app_key, .. } => format!("Removed external key {app_key}."),
    }
}
