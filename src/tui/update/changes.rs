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
        say(state, strings::ROLES_STILL_LOADING);
        return Vec::new();
    };
    let original: BTreeSet<i64> = roles.iter().map(|r| r.id).collect();
    let picker = picker(state, original.clone());
    state.dialog = Some(Dialog::EditRoles(EditRolesDialog {
        id,
        app_key,
        picker,
        original,
    }));
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
            state.keys.statuses_edited();
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
            state.external.statuses_edited();
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
            state.keys.statuses_edited();
            state.keys.refresh_view(months, now, page);
        }
        Change::SetExternalActive { id, .. } => {
            if let Some(previous) = state.external.pending_toggles.remove(id)
                && let Some(key) = state.external.rows.iter_mut().find(|k| &k.id == id)
            {
                key.is_active = previous;
            }
            state.external.statuses_edited();
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
            strings::key_is(&key_name(id), *active)
        }
        Change::DeleteKey { app_key, .. } => strings::deleted(app_key),
        Change::SetRoles { id, .. } => strings::roles_updated(&key_name(id)),
        Change::FinishRenewal { app_key } => strings::old_token_deleted(app_key),
        Change::UndoRenewal { app_key } => strings::renewal_undone(app_key),
        Change::SetTokenDuration { months } => strings::duration_set(*months),
        Change::AddExternal { app_key, .. } => strings::external_added(app_key),
        Change::RemoveExternal { app_key, .. } => strings::external_removed(app_key),
    }
}
