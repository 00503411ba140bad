//! Request bookkeeping: sending calls, the list requests' latest ids, refreshes and their
//! schedule, and the per-key role fetches for servers whose listing has none.

use super::*;

pub(super) fn request(state: &mut State, call: Call) -> Effect {
    let id = state.next_request;
    state.next_request += 1;
    state.in_flight.insert(id);
    Effect::Api { id, call }
}

/// Sends a list request and records it as the latest for that list, so older answers are
/// recognized and dropped.
pub(super) fn request_list(
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

/// Reloads everything the server has; extension lists only when the server has them.
pub(super) fn refresh(state: &mut State) -> Vec<Effect> {
    state.last_refresh = state.now;
    let mut effects = vec![request_keys(state)];
    // The first probe may have failed (network down at start): ask again until it answers.
    if state.access.extensions.is_none() {
        effects.push(request(state, Call::Capabilities));
    }
    if state.access.extensions == Some(true) {
        effects.push(request_external(state));
        effects.push(request_settings(state));
    }
    effects
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

pub(super) fn on_tick(state: &mut State, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
    state.now = now;
    if let Some(StatusMessage {
        expires: Some(at), ..
    }) = &state.status
        && *at <= now
    {
        state.status = None;
    }
    // A period too long to add to a date is as good as never.
    let due = ChronoDuration::from_std(state.refresh_every)
        .ok()
        .and_then(|every| state.last_refresh.checked_add_signed(every));
    // Paused while a dialog is open, so nothing shifts under the user's cursor.
    if state.dialog.is_none()
        && !state.refresh_every.is_zero()
        && due.is_some_and(|due| now >= due)
        && state.keys.load != Load::Loading
    {
        return refresh(state);
    }
    Vec::new()
}
