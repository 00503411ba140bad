//! One reducer per API answer.

use super::*;
use crate::permissions::Resource;
use crate::vtex::Capabilities;
use crate::vtex::model::{CreatedKey, Renewal, RoleDetails, Settings};

/// `form` is the form behind the request, if any: reopened when it failed.
pub(super) fn on_outcome(
    state: &mut State,
    id: RequestId,
    outcome: Outcome,
    form: Option<Dialog>,
) -> Vec<Effect> {
    match outcome {
        Outcome::Capabilities(Ok(capabilities)) => return on_capabilities(state, capabilities),
        Outcome::Capabilities(Err(failure)) => fail_reading(state, &failure, Reading::Capabilities),
        // Servers from before it answer 404: the header then shows the account name alone.
        Outcome::Account(result) => {
            state.header.trading_name = result
                .ok()
                .and_then(|account| account.shown_name().map(str::to_string));
        }
        Outcome::Keys(result) => return on_keys(state, id, result),
        Outcome::External(result) => on_external(state, id, result),
        Outcome::Settings(result) => on_settings(state, id, result),
        Outcome::Roles(Ok(roles)) => on_roles(state, roles),
        Outcome::Roles(Err(failure)) => {
            if !failure.forbidden() {
                fail_reading(state, &failure, Reading::Roles);
            }
        }
        Outcome::KeyRoles(Ok(mut by_key)) => {
            for key in &mut state.keys.rows {
                if let Some(roles) = by_key.remove(&key.id) {
                    key.roles = Some(roles);
                }
            }
            refresh_keys_view(state);
        }
        Outcome::KeyRoles(Err(failure)) => fail_reading(state, &failure, Reading::KeyRoles),
        Outcome::Crashed => complain(state, strings::CRASHED),
        Outcome::Audit { key_id, result } => {
            if let Some(Dialog::Details(DetailsDialog {
                key_id: open,
                audit,
                ..
            })) = &mut state.dialog
                && *open == key_id
            {
                *audit = Some(result);
            }
        }
        Outcome::Changed { change, result } => return on_changed(state, change, result, form),
        Outcome::Created(result, roles_added) => {
            return on_created(state, result, roles_added, form);
        }
        Outcome::Renewed {
            app_key,
            label,
            result,
            old_deleted,
        } => return on_renewed(state, app_key, label, result, old_deleted),
    }
    Vec::new()
}

fn refresh_keys_view(state: &mut State) {
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    state.keys.refresh_view(months, now, page);
}

fn on_capabilities(state: &mut State, capabilities: Capabilities) -> Vec<Effect> {
    state.connection = Connection::Online;
    state.access.extensions = Some(capabilities.extensions);
    if let Some(session) = capabilities.session {
        state.access.permissions = Some(Resource::set_from_keys(
            session.resources.iter().map(String::as_str),
        ));
        if !session.account.is_empty() {
            state.header.account = session.account;
        }
        if !session.app_key.is_empty() {
            state.header.caller_key = session.app_key;
        }
    }
    if capabilities.extensions {
        return vec![request_external(state), request_settings(state)];
    }
    Vec::new()
}

fn on_keys(state: &mut State, id: RequestId, result: Result<Vec<AppKey>, Failure>) -> Vec<Effect> {
    if state.keys.request != Some(id) {
        return Vec::new(); // an older answer: a newer request is on its way
    }
    match result {
        Ok(rows) => {
            let months = state.token_months();
            let (now, page) = (state.now, state.page_rows);
            state.connection = Connection::Online;
            state.keys.replace_rows(rows, months, now, page);
            state.keys.load = Load::Loaded;
            state.keys.pending_toggles.clear();
            state.keys.roles_requested.clear();
            return lazy_roles(state);
        }
        Err(failure) => {
            if state.keys.rows.is_empty() {
                state.keys.load = Load::Failed(failure.clone());
            }
            // The pane itself says the key may not view keys, and what it can do.
            if !state.keys.may_not_view() {
                fail_reading(state, &failure, Reading::Keys);
            }
        }
    }
    Vec::new()
}

fn on_external(
    state: &mut State,
    id: RequestId,
    result: Result<Vec<crate::vtex::model::ExternalKey>, Failure>,
) {
    if state.external.request != Some(id) {
        return;
    }
    match result {
        Ok(rows) => {
            state.external.replace_rows(rows, state.page_rows);
            state.external.load = Load::Loaded;
            state.external.pending_toggles.clear();
        }
        Err(failure) => {
            state.external.load = Load::Failed(failure.clone());
            // The pane shows a refusal itself; a status error would hide the keys pane's.
            if !failure.unavailable() && !failure.forbidden() {
                fail_reading(state, &failure, Reading::External);
            }
        }
    }
}

fn on_settings(state: &mut State, id: RequestId, result: Result<Settings, Failure>) {
    if state.settings.request != Some(id) {
        return;
    }
    match result {
        Ok(settings) => {
            let first = state.settings.token_duration.is_none();
            state.settings.token_duration = Some(settings.token_duration_months);
            if first {
                state.settings.cursor_months = settings.token_duration_months;
            }
            state.settings.load = Load::Loaded;
            refresh_keys_view(state);
        }
        Err(failure) => {
            state.settings.load = Load::Failed(failure.clone());
            if !failure.unavailable() && !failure.forbidden() {
                fail_reading(state, &failure, Reading::Settings);
            }
        }
    }
}

fn on_roles(state: &mut State, roles: Vec<RoleDetails>) {
    // Fill pickers opened before the roles arrived, keeping what was ticked.
    match &mut state.dialog {
        Some(Dialog::NewKey(NewKeyDialog { picker, .. }))
        | Some(Dialog::EditRoles(EditRolesDialog { picker, .. }))
        | Some(Dialog::AddExternal(AddExternalDialog { picker, .. }))
            if picker.roles.is_empty() =>
        {
            *picker = RolePicker::new(&roles, std::mem::take(&mut picker.chosen));
        }
        _ => {}
    }
    state.roles = Some(roles);
}

fn on_changed(
    state: &mut State,
    change: Change,
    result: Result<(), Failure>,
    form: Option<Dialog>,
) -> Vec<Effect> {
    match result {
        Ok(()) => {
            let text = describe(&change, state);
            say(state, text);
        }
        Err(failure) => {
            roll_back(state, &change);
            fail(state, &failure);
            reopen_form(state, form, &failure);
        }
    }
    match change {
        Change::SetTokenDuration { .. } => vec![request_settings(state)],
        Change::AddExternal { .. }
        | Change::SetExternalActive { .. }
        | Change::RemoveExternal { .. } => {
            vec![request_external(state)]
        }
        Change::SetRoles { .. } => vec![request_keys(state), request_external(state)],
        _ => vec![request_keys(state)],
    }
}

fn on_created(
    state: &mut State,
    result: Result<CreatedKey, Failure>,
    roles_added: Result<(), Failure>,
    form: Option<Dialog>,
) -> Vec<Effect> {
    match result {
        Ok(created) => {
            created_token(state, created, roles_added);
        }
        Err(failure) => {
            fail(state, &failure);
            reopen_form(state, form, &failure);
        }
    }
    vec![request_keys(state)]
}

fn created_token(state: &mut State, created: CreatedKey, roles_added: Result<(), Failure>) {
    let Some(token) = created.app_token else {
        complain(state, strings::created_without_token(&created.app_key));
        return;
    };
    show_token(
        state,
        TokenDialog {
            app_key: created.app_key.clone(),
            label: created.label.clone(),
            token,
            revealed: false,
            copied: None,
            old_token: None,
        },
    );
    match roles_added {
        Ok(()) => say(state, strings::created(&created.app_key)),
        Err(failure) => complain(
            state,
            strings::created_without_roles(&created.app_key, &failure.message),
        ),
    }
}

fn on_renewed(
    state: &mut State,
    app_key: String,
    label: String,
    result: Result<Renewal, Failure>,
    old_deleted: Option<Result<(), Failure>>,
) -> Vec<Effect> {
    match result {
        Ok(renewal) => renewed_token(state, app_key, label, renewal, old_deleted),
        Err(failure) => fail(state, &failure),
    }
    vec![request_keys(state)]
}

fn renewed_token(
    state: &mut State,
    app_key: String,
    label: String,
    renewal: Renewal,
    old_deleted: Option<Result<(), Failure>>,
) {
    let Some(token) = renewal.new_token else {
        complain(state, strings::renewal_without_token(&app_key));
        return;
    };
    let old_token = match &old_deleted {
        None => strings::OLD_TOKEN_KEPT.to_string(),
        Some(Ok(())) => strings::OLD_TOKEN_GONE.to_string(),
        Some(Err(failure)) => strings::old_token_not_deleted(&failure.message),
    };
    show_token(
        state,
        TokenDialog {
            app_key: app_key.clone(),
            // Renewed by appKey alone, the label comes from the answer.
            label: if label.is_empty() {
                renewal.key_name.clone()
            } else {
                label
            },
            token,
            revealed: false,
            copied: None,
            old_token: Some(old_token),
        },
    );
    say(state, strings::renewed(&app_key));
}

/// Opens the token dialog, or queues it behind the open dialog: a token is never dropped.
fn show_token(state: &mut State, token: TokenDialog) {
    if state.dialog.is_none() {
        state.dialog = Some(Dialog::Token(token));
    } else {
        state.waiting_tokens.push_back(token);
        say(state, strings::TOKEN_WAITING);
    }
}

/// Reopens the form whose request failed, with the reason, so nothing typed is lost.
fn reopen_form(state: &mut State, form: Option<Dialog>, failure: &Failure) {
    let Some(mut form) = form else {
        return;
    };
    match &mut form {
        Dialog::NewKey(NewKeyDialog { error, .. })
        | Dialog::AddExternal(AddExternalDialog { error, .. }) => {
            *error = Some(failure.message.clone());
        }
        _ => {}
    }
    if state.dialog.is_none() {
        state.dialog = Some(form);
    } else {
        // Never dropped: it opens when the dialog on screen closes.
        state.waiting_forms.push_back(form);
    }
}
