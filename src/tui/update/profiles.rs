//! Switching profiles (k9s contexts): `switch_profile` asks the loop to connect, and the
//! answer (`Action::Connected`) either resets the app onto the new account or leaves it as it
//! was, with the reason. Pure, like the rest of `update`: the loop does the connecting.

use super::*;
use crate::tui::action::UseClient;
use crate::tui::connector::Connected;
use crate::tui::strings::profiles as text;

/// `:profile NAME`, Enter in the picker — or, with `None`, opens the picker. While a switch
/// is tried the app stays usable on the old account; a second switch supersedes the first.
pub fn switch_profile(state: &mut State, name: Option<String>) -> Vec<Effect> {
    if state.bulk.is_some() {
        // Its answers would land in the other account's lists; it ends (or Esc ends it) first.
        // Said as a brief error: the progress line would cover a plain message.
        refuse_briefly(state, crate::tui::strings::bulk::ALREADY_RUNNING);
        return Vec::new();
    }
    if state.rotation.run.is_some() {
        // Its keys are on this account; the summary comes first.
        refuse_briefly(state, crate::tui::strings::rotation::ALREADY_RUNNING);
        return Vec::new();
    }
    let Some(name) = name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) else {
        open_picker(state);
        return Vec::new();
    };
    if state.profile_switch.current.as_deref() == Some(name.as_str()) {
        // Back to the profile on screen while switching: the switch is given up. Otherwise
        // reconnecting would only clear the marks and the filter.
        if let Some(effects) = cancel_switch(state) {
            return effects;
        }
        say(state, text::already_on(&name));
        return Vec::new();
    }
    if !state.profiles.contains(&name) {
        let reason = text::unknown_profile(&state.profiles);
        complain(state, text::cannot_switch(&name, &reason));
        return Vec::new();
    }
    state.profile_switch.ready = None; // superseded too
    state.profile_switch.attempts += 1;
    let attempt = state.profile_switch.attempts;
    state.profile_switch.pending = Some((attempt, name.clone()));
    say(state, text::connecting(&name));
    vec![Effect::Connect {
        attempt,
        profile: name,
    }]
}

fn open_picker(state: &mut State) {
    if state.profiles.is_empty() {
        complain(state, text::NO_PROFILES);
        return;
    }
    let switch = &state.profile_switch;
    let entries: Vec<(String, Option<String>)> = state
        .profiles
        .iter()
        .map(|name| (name.clone(), switch.targets.get(name).cloned()))
        .collect();
    // The cursor starts on the profile on screen, so Enter there changes nothing surprising.
    let cursor = entries
        .iter()
        .position(|(name, _)| Some(name) == switch.current.as_ref())
        .unwrap_or(0);
    state.dialog = Some(Dialog::Profiles(ProfilePicker {
        entries,
        current: switch.current.clone(),
        cursor,
    }));
}

/// The answer to a connection attempt. Only the latest attempt counts; a failure changes
/// nothing but the status line.
pub(super) fn on_connected(
    state: &mut State,
    attempt: u64,
    profile: &str,
    result: Result<Box<Connected>, String>,
) -> Vec<Effect> {
    match &state.profile_switch.pending {
        Some((latest, _)) if *latest == attempt => state.profile_switch.pending = None,
        _ => return Vec::new(), // superseded by a newer switch
    }
    match result {
        Ok(connected) if changes_in_flight(state) => {
            // A bulk run or a renewal still answering would land nowhere: wait for it.
            say(state, text::switch_waits(&connected.name));
            state.profile_switch.ready = Some(connected);
            Vec::new()
        }
        Ok(connected) => switch_to(state, *connected),
        Err(reason) => {
            complain(state, text::cannot_switch(profile, &reason));
            Vec::new()
        }
    }
}

/// Whether a change to the account is on its way: a bulk run, or a write whose answer
/// matters (a new token to show, a form to reopen).
fn changes_in_flight(state: &State) -> bool {
    state.bulk.is_some() || state.rotation.run.is_some() || state.requests.writing()
}

/// After an answer: a switch that waited for the changes on their way happens now.
pub(super) fn switch_when_ready(state: &mut State) -> Vec<Effect> {
    if state.profile_switch.ready.is_none() || changes_in_flight(state) {
        return Vec::new();
    }
    match state.profile_switch.ready.take() {
        Some(connected) => switch_to(state, *connected),
        None => Vec::new(),
    }
}

/// Esc while a switch is under way gives it up (the connection attempt, its token command
/// with it, is stopped); `None` when there was none.
pub(super) fn cancel_switch(state: &mut State) -> Option<Vec<Effect>> {
    let name = state.profile_switch.cancel()?;
    say(state, text::switch_cancelled(&name));
    Some(vec![Effect::CancelConnect])
}

/// A change to the account on screen failed while a switch waited for it: the switch is given
/// up, so its reason (and a form reopened with it) stays in front of the user, on the account
/// it is about.
pub(super) fn give_up_switch_after_failure(state: &mut State) {
    let Some(name) = state.profile_switch.cancel() else {
        return;
    };
    let given_up = text::switch_given_up_after_failure(&name);
    match &mut state.status {
        Some(status) => {
            status.text.push(' ');
            status.text.push_str(&given_up);
        }
        None => complain(state, given_up),
    }
}

/// The app as at start, on the new account: lists reloaded, rows, marks, filters and sort
/// cleared, dialogs closed (a one-time token still to be seen is kept: it is shown once).
/// `--read-only` stays.
fn switch_to(state: &mut State, connected: Connected) -> Vec<Effect> {
    let Connected {
        name,
        client,
        header,
        rotation,
    } = connected;
    // The journal stays; the sink, the server's name in it and the keys due are the new one's.
    let journal = state.rotation.setup.journal.take();
    state.rotation.setup = crate::tui::rotation::Setup {
        journal,
        ..rotation
    };
    state.rotation.due.clear();
    let read_only = state.access.read_only;
    state.status = None;
    state.header = header;
    state.connection = Connection::Connecting;
    state.access = Access {
        read_only,
        ..Access::default()
    };
    state.keys = KeysPane::default();
    state.external = ExternalPane::default();
    state.settings = SettingsPane::default();
    state.roles = None;
    state.bulk = None;
    state.command_line = None;
    if !matches!(state.dialog, Some(Dialog::Token(_))) {
        state.dialog = None;
    }
    state.waiting_forms.clear();
    state.new_row = None;
    state.last_listed = None;
    state.last_refresh = state.now;
    // Answers still coming for the old account are dropped (the loop also stops their calls).
    state.requests.forget_all();
    say(state, text::connected(&name, &state.header.account));
    state.profile_switch.current = Some(name);
    let mut effects = vec![Effect::UseClient(UseClient(client))];
    effects.extend(init(state));
    effects
}
