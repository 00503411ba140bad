//! Request bookkeeping: sending calls through the request table, the list requests' latest
//! ids, matching every answer (a panic included) to its request, refreshes and their schedule,
//! and the per-key role fetches for servers whose listing has none.

use super::*;

pub(super) fn request(state: &mut State, call: Call) -> Effect {
    let id = state.requests.send(call.clone(), None);
    Effect::Api { id, call }
}

/// Sends a request for a form; the form is reopened with the reason if the request fails.
pub(super) fn request_for_form(state: &mut State, call: Call, form: Dialog) -> Effect {
    let id = state.requests.send(call.clone(), Some(form));
    Effect::Api { id, call }
}

/// Sends a list request and records it as the latest for that list, so older answers are
/// recognized and dropped.
fn request_list(
    state: &mut State,
    call: Call,
    slot: fn(&mut State) -> (&mut Option<RequestId>, &mut Load),
) -> Effect {
    let effect = request(state, call);
    if let Effect::Api { id, .. } = &effect {
        let (latest, load) = slot(state);
        *latest = Some(*id);
        if *load != Load::Loaded {
            *load = Load::Loading;
        }
    }
    effect
}

pub(super) fn request_keys(state: &mut State) -> Effect {
    request_list(state, Call::ListKeys, |s| {
        (&mut s.keys.request, &mut s.keys.load)
    })
}

pub(super) fn request_external(state: &mut State) -> Effect {
    request_list(state, Call::ListExternal, |s| {
        (&mut s.external.request, &mut s.external.load)
    })
}

pub(super) fn request_settings(state: &mut State) -> Effect {
    request_list(state, Call::GetSettings, |s| {
        (&mut s.settings.request, &mut s.settings.load)
    })
}

/// Sends `call` unless the very same request is already in flight: a refresh behind a slow
/// server waits for the answer on its way instead of stacking another request.
fn unless_in_flight(
    state: &mut State,
    call: Call,
    send: fn(&mut State) -> Effect,
    effects: &mut Vec<Effect>,
) {
    if !state.requests.asking(&call) {
        effects.push(send(state));
    }
}

/// Reloads everything the server has; extension lists only when the server has them.
pub(super) fn refresh(state: &mut State) -> Vec<Effect> {
    state.last_refresh = state.now;
    let mut effects = Vec::new();
    unless_in_flight(state, Call::ListKeys, request_keys, &mut effects);
    // The first probe may have failed (network down at start): ask again until it answers.
    if state.access.extensions.is_none() {
        unless_in_flight(
            state,
            Call::Capabilities,
            |s| request(s, Call::Capabilities),
            &mut effects,
        );
    }
    if state.access.extensions == Some(true) {
        unless_in_flight(state, Call::ListExternal, request_external, &mut effects);
        unless_in_flight(state, Call::GetSettings, request_settings, &mut effects);
    }
    effects
}

/// An answer: matched to its request, which leaves the table. An answer nobody waits for (a
/// superseded or unknown id) is dropped. A panicked call becomes the failure of what it was
/// asked to do, so its list stops loading, its toggle rolls back and its form comes back.
pub(super) fn on_answer(state: &mut State, id: RequestId, outcome: Outcome) -> Vec<Effect> {
    let Some(sent) = state.requests.finish(id) else {
        return Vec::new();
    };
    let crashed = matches!(outcome, Outcome::Crashed);
    let succeeded = success(&outcome);
    let failed_write = succeeded.is_none()
        && matches!(
            sent.call,
            Call::Change(_) | Call::CreateKey { .. } | Call::Renew { .. }
        );
    if let Some(reading) = succeeded {
        answered(state, reading);
    }
    let outcome = if crashed {
        crashed_outcome(state, sent.call)
    } else {
        outcome
    };
    let mut effects = if bulk::owns(state, id) {
        on_bulk_answer(state, id, outcome)
    } else {
        let effects = on_outcome(state, id, outcome, sent.form);
        if crashed {
            complain(state, strings::CRASHED);
        }
        if failed_write {
            give_up_switch_after_failure(state);
        }
        effects
    };
    effects.extend(switch_when_ready(state));
    effects
}

/// `Some` when the call succeeded, with the read it was, if it was one.
fn success(outcome: &Outcome) -> Option<Option<Reading>> {
    let read = |ok: bool, reading| ok.then_some(Some(reading));
    match outcome {
        Outcome::Capabilities(result) => read(result.is_ok(), Reading::Capabilities),
        Outcome::Keys(result) => read(result.is_ok(), Reading::Keys),
        Outcome::External(result) => read(result.is_ok(), Reading::External),
        Outcome::Settings(result) => read(result.is_ok(), Reading::Settings),
        Outcome::Roles(result) => read(result.is_ok(), Reading::Roles),
        Outcome::KeyRoles(result) => read(result.is_ok(), Reading::KeyRoles),
        Outcome::Account(result) => result.is_ok().then_some(None),
        Outcome::Audit { result, .. } => result.is_ok().then_some(None),
        Outcome::Changed { result, .. } => result.is_ok().then_some(None),
        Outcome::Created(result, _) => result.is_ok().then_some(None),
        Outcome::Renewed { result, .. } => result.is_ok().then_some(None),
        Outcome::Assessed(result) => result.is_ok().then_some(None),
        Outcome::Crashed => None,
    }
}

/// What a call that panicked is taken to have answered: its failure.
fn crashed_outcome(state: &mut State, call: Call) -> Outcome {
    let failed = || Failure::new(FailureKind::Other, strings::CRASHED);
    match call {
        Call::Capabilities => Outcome::Capabilities(Err(failed())),
        Call::Account => Outcome::Account(Err(failed())),
        Call::ListKeys => Outcome::Keys(Err(failed())),
        Call::ListExternal => Outcome::External(Err(failed())),
        Call::ListRoles => Outcome::Roles(Err(failed())),
        Call::GetSettings => Outcome::Settings(Err(failed())),
        Call::KeyRoles { ids } => {
            // Asked again when they are next on screen.
            for id in &ids {
                state.keys.roles_requested.remove(id);
            }
            Outcome::KeyRoles(Err(failed()))
        }
        Call::Audit { key_id, .. } => Outcome::Audit {
            key_id,
            result: Err(failed()),
        },
        Call::Change(change) => Outcome::Changed {
            change,
            result: Err(failed()),
        },
        Call::CreateKey { .. } => Outcome::Created(Err(failed()), Ok(())),
        Call::Renew { app_key, label, .. } => Outcome::Renewed {
            app_key,
            label,
            result: Err(failed()),
            old_deleted: None,
        },
        Call::Assess { .. } => Outcome::Assessed(Err(failed())),
    }
}

/// Asks for the roles of the keys on screen that have none yet (servers without `expand`).
pub(super) fn lazy_roles(state: &mut State) -> Vec<Effect> {
    if state.keys.load != Load::Loaded {
        return Vec::new();
    }
    let start = state.keys.selection.offset;
    let ids: Vec<String> = state
        .keys
        .visible
        .iter()
        .skip(start)
        .take(state.page_rows.max(1))
        .map(|&i| &state.keys.rows[i])
        .filter(|key| key.roles.is_none() && !state.keys.roles_requested.contains(&key.id))
        .map(|key| key.id.clone())
        .collect();
    if ids.is_empty() {
        return Vec::new();
    }
    state.keys.roles_requested.extend(ids.iter().cloned());
    vec![request(state, Call::KeyRoles { ids })]
}
