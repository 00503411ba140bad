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
    if refused_credentials(&outcome) {
        state.connection = Connection::Unauthorized;
    }
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
            state.keys.roles_edited();
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
        Outcome::Assessed(result) => super::insights::on_assessed(state, id, result),
    }
    Vec::new()
}

/// Whether the server refused the app key or token (401) on this call, whatever it was.
fn refused_credentials(outcome: &Outcome) -> bool {
    let failures: Vec<Option<&Failure>> = match outcome {
        Outcome::Capabilities(r) => vec![r.as_ref().err()],
        Outcome::Account(r) => vec![r.as_ref().err()],
        Outcome::Keys(r) => vec![r.as_ref().err()],
        Outcome::External(r) => vec![r.as_ref().err()],
        Outcome::Roles(r) => vec![r.as_ref().err()],
        Outcome::Settings(r) => vec![r.as_ref().err()],
        Outcome::KeyRoles(r) => vec![r.as_ref().err()],
        Outcome::Audit { result, .. } => vec![result.as_ref().err()],
        Outcome::Changed { result, .. } => vec![result.as_ref().err()],
        Outcome::Created(r, roles) => vec![r.as_ref().err(), roles.as_ref().err()],
        Outcome::Renewed {
            result,
            old_deleted,
            ..
        } => vec![
            result.as_ref().err(),
            old_deleted.as_ref().and_then(|r| r.as_ref().err()),
        ],
        Outcome::Crashed => Vec::new(),
        Outcome::Assessed(r) => vec![r.as_ref().err()],
    };
    failures
        .into_iter()
        .flatten()
        .any(|failure| failure.kind == FailureKind::Unauthorized)
}

fn refresh_keys_view(state: &mut State) {
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    state.keys.refresh_view(months, now, page);
    // Roles or the token duration changed what the columns hold.
    state.keys.budget.forget();
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
            state.keys.budget.forget(); // the "(you)" tag moves with it
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
            state.last_listed = Some(state.now);
            state.keys.pending_toggles.clear();
            state.keys.roles_requested.clear();
            select_new_key(state);
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
            select_new_external(state);
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
        | Some(Dialog::BulkRoles(BulkRolesDialog { picker, .. }))
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
            if let Change::AddExternal { app_key, .. } = &change {
                let app_key = app_key.clone();
                expect_new_row(state, NewRow::External { app_key });
            }
        }
        Err(failure) => {
            let gone = deleted_elsewhere(state, &change, &failure);
            roll_back(state, &change);
            match gone {
                // Nothing to retry on a key that is gone: its form is not reopened.
                Some(sentence) => complain(state, sentence),
                None => {
                    fail(state, &failure);
                    reopen_form(state, form, &failure);
                }
            }
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

/// The sentence for a change whose key the server no longer has (404) although the list
/// showed it: deleted elsewhere. `None` for any other failure, and for changes whose 404 can
/// mean something else (no renewal pending, for finishing or undoing one).
fn deleted_elsewhere(state: &State, change: &Change, failure: &Failure) -> Option<String> {
    match change {
        Change::SetKeyActive { id, .. }
        | Change::DeleteKey { id, .. }
        | Change::SetRoles { id, .. } => listed_key_gone(state, failure, |k| &k.id == id),
        Change::SetExternalActive { id, .. } | Change::RemoveExternal { id, .. } => {
            let key = state.external.rows.iter().find(|k| &k.id == id)?;
            (failure.kind == FailureKind::NotFound)
                .then(|| strings::deleted_elsewhere(&key.app_key, None))
        }
        Change::FinishRenewal { .. }
        | Change::UndoRenewal { .. }
        | Change::SetTokenDuration { .. }
        | Change::AddExternal { .. } => None,
    }
}

/// A 404 on a generated key the list shows (found by `is_it`): its appKey and label.
fn listed_key_gone(
    state: &State,
    failure: &Failure,
    is_it: impl Fn(&AppKey) -> bool,
) -> Option<String> {
    if failure.kind != FailureKind::NotFound {
        return None;
    }
    let key = state.keys.rows.iter().find(|k| is_it(k))?;
    Some(strings::deleted_elsewhere(&key.app_key, Some(&key.label)))
}

fn on_created(
    state: &mut State,
    result: Result<CreatedKey, Failure>,
    roles_added: Result<(), Failure>,
    form: Option<Dialog>,
) -> Vec<Effect> {
    match result {
        Ok(created) => {
            let (id, app_key) = (created.id.clone(), created.app_key.clone());
            expect_new_row(state, NewRow::Key { id, app_key });
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
        TokenDialog::new(created.app_key.clone(), created.label.clone(), token, None),
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
        Err(failure) => match listed_key_gone(state, &failure, |k| k.app_key == app_key) {
            Some(sentence) => complain(state, sentence),
            None => fail(state, &failure),
        },
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
        TokenDialog::new(
            app_key.clone(),
            // Renewed by appKey alone, the label comes from the answer.
            if label.is_empty() {
                renewal.key_name.clone()
            } else {
                label
            },
            token,
            Some(old_token),
        ),
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
