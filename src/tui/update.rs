//! The pure heart of the app: `update(state, action) -> effects`. No I/O and no clock reads:
//! time arrives as `Action::Tick`, results as `Action::Api`.

use std::collections::BTreeSet;

use chrono::Duration as ChronoDuration;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use super::action::{Action, Call, Change, Effect, Failure, Outcome, RequestId};
use super::state::*;
use crate::listing::{SortBy, StatusFilter};
use crate::vtex::model::{AppKey, Role};

/// The first calls: what the server offers, the keys, the account's roles.
pub fn init(state: &mut State) -> Vec<Effect> {
    vec![
        request(state, Call::Capabilities),
        request_keys(state),
        request(state, Call::ListRoles),
        request(state, Call::Account),
    ]
}

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Action::Key(key) => on_key(state, key),
        Action::Paste(text) => {
            on_paste(state, &text);
            Vec::new()
        }
        Action::Mouse(mouse) => {
            if state.mouse && state.dialog.is_none() {
                match mouse.kind {
                    MouseEventKind::ScrollDown => move_selection(state, 3),
                    MouseEventKind::ScrollUp => move_selection(state, -3),
                    _ => {}
                }
            }
            Vec::new()
        }
        Action::Resize { width, height } => {
            state.size = (width, height);
            state.page_rows = super::view::page_rows(width, height);
            let page = state.page_rows;
            state
                .keys
                .selection
                .scroll_into_view(state.keys.visible.len(), page);
            state
                .external
                .selection
                .scroll_into_view(state.external.visible.len(), page);
            lazy_roles(state)
        }
        Action::Tick(now) => on_tick(state, now),
        Action::ClearClipboard(copy) => vec![Effect::ClearClipboard(copy)],
        Action::Notice(text) => {
            say(state, text);
            Vec::new()
        }
        Action::Api { id, outcome } => {
            state.in_flight.remove(&id);
            on_outcome(state, id, outcome)
        }
    }
}

// ---- requests ---------------------------------------------------------------------------------

fn request(state: &mut State, call: Call) -> Effect {
    let id = state.next_request;
    state.next_request += 1;
    state.in_flight.insert(id);
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

fn request_keys(state: &mut State) -> Effect {
    request_list(state, Call::ListKeys, |s| {
        (&mut s.keys.request, &mut s.keys.load)
    })
}

fn request_external(state: &mut State) -> Effect {
    request_list(state, Call::ListExternal, |s| {
        (&mut s.external.request, &mut s.external.load)
    })
}

fn request_settings(state: &mut State) -> Effect {
    request_list(state, Call::GetSettings, |s| {
        (&mut s.settings.request, &mut s.settings.load)
    })
}

/// Reloads everything the server has; extension lists only when the server has them.
fn refresh(state: &mut State) -> Vec<Effect> {
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
fn lazy_roles(state: &mut State) -> Vec<Effect> {
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

pub(super) fn say(state: &mut State, text: impl Into<String>) {
    state.status = Some(StatusMessage {
        text: text.into(),
        kind: MessageKind::Info,
        expires: Some(state.now + ChronoDuration::seconds(INFO_SECONDS)),
    });
}

fn complain(state: &mut State, text: impl Into<String>) {
    state.status = Some(StatusMessage {
        text: text.into(),
        kind: MessageKind::Error,
        expires: None,
    });
}

/// Checks an operation; on refusal says why and returns false. Nothing is sent.
fn allowed(state: &mut State, op: Op, what: &str) -> bool {
    match state.access.check(op) {
        Ok(()) => true,
        Err(reason) => {
            say(state, format!("Cannot {what}: {reason}."));
            false
        }
    }
}

// ---- time -------------------------------------------------------------------------------------

fn on_tick(state: &mut State, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
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

// ---- keys -------------------------------------------------------------------------------------

fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if is_ctrl(&key, 'c') {
        state.quit = true;
        return vec![Effect::Quit];
    }
    if state.dialog.is_some() {
        let effects = on_dialog_key(state, key);
        if state.dialog.is_none()
            && let Some(next) = state.waiting_tokens.pop_front()
        {
            state.dialog = Some(Dialog::Token(next));
        }
        return effects;
    }
    if editing_filter(state) {
        on_filter_key(state, key);
        return lazy_roles(state);
    }
    if is_ctrl(&key, 'r') {
        say(state, "Refreshing…");
        return refresh(state);
    }
    let page = state.page_rows.max(1) as isize;
    match key.code {
        KeyCode::Char('q') => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Char('?') => state.dialog = Some(Dialog::Help),
        KeyCode::Tab => state.tab = Tab::ALL[(state.tab.index() + 1) % 3],
        KeyCode::BackTab => state.tab = Tab::ALL[(state.tab.index() + 2) % 3],
        KeyCode::Char('1') => state.tab = Tab::Settings,
        KeyCode::Char('2') => state.tab = Tab::Keys,
        KeyCode::Char('3') => state.tab = Tab::External,
        KeyCode::Char('R') => {
            say(state, "Refreshing…");
            return refresh(state);
        }
        KeyCode::Esc => on_escape(state),
        KeyCode::Char('j') | KeyCode::Down => move_selection(state, 1),
        KeyCode::Char('k') | KeyCode::Up => move_selection(state, -1),
        KeyCode::PageDown => move_selection(state, page),
        KeyCode::PageUp => move_selection(state, -page),
        KeyCode::Char('g') | KeyCode::Home => move_selection(state, isize::MIN / 2),
        KeyCode::Char('G') | KeyCode::End => move_selection(state, isize::MAX / 2),
        _ => {
            return match state.tab {
                Tab::Keys => on_keys_pane_key(state, key),
                Tab::External => on_external_pane_key(state, key),
                Tab::Settings => on_settings_pane_key(state, key),
            };
        }
    }
    lazy_roles(state)
}

fn on_escape(state: &mut State) {
    if matches!(
        &state.status,
        Some(StatusMessage {
            kind: MessageKind::Error,
            ..
        })
    ) {
        state.status = None;
        return;
    }
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    match state.tab {
        Tab::Keys
            if !state.keys.filter.input.value().is_empty()
                || state.keys.status_filter != StatusFilter::All =>
        {
            state.keys.filter.input.reset();
            state.keys.status_filter = StatusFilter::All;
            state.keys.refresh_view(months, now, page);
        }
        Tab::External if !state.external.filter.input.value().is_empty() => {
            state.external.filter.input.reset();
            state.external.refresh_view(page);
        }
        _ => state.status = None,
    }
}

fn move_selection(state: &mut State, delta: isize) {
    let page = state.page_rows;
    match state.tab {
        Tab::Keys => state
            .keys
            .selection
            .move_by(delta, state.keys.visible.len(), page),
        Tab::External => {
            state
                .external
                .selection
                .move_by(delta, state.external.visible.len(), page)
        }
        Tab::Settings => {
            state.settings.cursor_months = if delta > 0 { 6 } else { 3 };
        }
    }
}

fn editing_filter(state: &State) -> bool {
    match state.tab {
        Tab::Keys => state.keys.filter.editing,
        Tab::External => state.external.filter.editing,
        Tab::Settings => false,
    }
}

fn on_filter_key(state: &mut State, key: KeyEvent) {
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    let filter = match state.tab {
        Tab::Keys => &mut state.keys.filter,
        Tab::External => &mut state.external.filter,
        Tab::Settings => return,
    };
    match key.code {
        // Esc clears, Enter keeps.
        KeyCode::Esc => {
            filter.input.reset();
            filter.editing = false;
        }
        KeyCode::Enter => filter.editing = false,
        KeyCode::Down | KeyCode::Up => {
            filter.editing = false;
            let delta = if key.code == KeyCode::Down { 1 } else { -1 };
            move_selection(state, delta);
            return;
        }
        _ => {
            filter.input.handle_event(&Event::Key(key));
        }
    }
    match state.tab {
        Tab::Keys => state.keys.refresh_view(months, now, page),
        _ => state.external.refresh_view(page),
    }
}

fn on_paste(state: &mut State, text: &str) {
    // Pasted text goes to whichever field has the keyboard; line breaks and other control
    // characters are dropped (a token or key pasted from a terminal often carries them).
    let insert = |input: &mut Input, squeeze_spaces: bool| {
        for c in text.chars().filter(|c| !c.is_control()) {
            if squeeze_spaces && c.is_whitespace() {
                continue;
            }
            input.handle(InputRequest::InsertChar(c));
        }
    };
    match &mut state.dialog {
        Some(Dialog::NewKey {
            step: NewKeyStep::Label,
            label,
            ..
        }) => insert(label, false),
        Some(Dialog::AddExternal {
            step: NewKeyStep::Label,
            app_key,
            ..
        })
        | Some(Dialog::RenewByKey { app_key, .. }) => insert(app_key, true),
        Some(_) => {}
        None => {
            if editing_filter(state) {
                let months = state.token_months();
                let (now, page) = (state.now, state.page_rows);
                match state.tab {
                    Tab::Keys => {
                        insert(&mut state.keys.filter.input, false);
                        state.keys.refresh_view(months, now, page);
                    }
                    _ => {
                        insert(&mut state.external.filter.input, false);
                        state.external.refresh_view(page);
                    }
                }
            }
        }
    }
}

const STATUS_FILTERS: [StatusFilter; 5] = [
    StatusFilter::All,
    StatusFilter::Active,
    StatusFilter::Inactive,
    StatusFilter::Outdated,
    StatusFilter::PendingRenewal,
];

const SORTS: [SortBy; 5] = [
    SortBy::Name,
    SortBy::Key,
    SortBy::Created,
    SortBy::TokenAge,
    SortBy::Status,
];

fn has_token_dates(state: &State) -> bool {
    state
        .keys
        .rows
        .iter()
        .all(|k| k.creation_date_token.is_some())
}

fn on_keys_pane_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    match key.code {
        KeyCode::Char('/') => state.keys.filter.editing = true,
        KeyCode::Char('f') => {
            let dates = has_token_dates(state);
            let at = STATUS_FILTERS
                .iter()
                .position(|f| *f == state.keys.status_filter)
                .unwrap_or(0);
            // Without token dates (VTEX's public API) "outdated" and "pending" cannot be told.
            let next = (1..=STATUS_FILTERS.len())
                .map(|step| STATUS_FILTERS[(at + step) % STATUS_FILTERS.len()])
                .find(|f| dates || !f.needs_token_dates())
                .unwrap_or(StatusFilter::All);
            state.keys.status_filter = next;
            state.keys.refresh_view(months, now, page);
            say(state, format!("Showing {} keys.", status_filter_name(next)));
        }
        KeyCode::Char('s') => {
            let dates = has_token_dates(state);
            let at = SORTS
                .iter()
                .position(|s| *s == state.keys.sort)
                .unwrap_or(0);
            let next = (1..=SORTS.len())
                .map(|step| SORTS[(at + step) % SORTS.len()])
                .find(|s| dates || *s != SortBy::TokenAge)
                .unwrap_or(SortBy::Name);
            state.keys.sort = next;
            state.keys.refresh_view(months, now, page);
        }
        KeyCode::Char('S') => {
            state.keys.reverse = !state.keys.reverse;
            state.keys.refresh_view(months, now, page);
        }
        KeyCode::Enter => {
            let Some(selected) = state.keys.selected_key().cloned() else {
                return Vec::new();
            };
            state.dialog = Some(Dialog::Details {
                key_id: selected.id.clone(),
                audit: None,
            });
            return match state.access.check(Op::ViewAudit) {
                Ok(()) => vec![request(
                    state,
                    Call::Audit {
                        key_id: selected.id,
                        app_key: selected.app_key,
                    },
                )],
                Err(reason) => {
                    if let Some(Dialog::Details { audit, .. }) = &mut state.dialog {
                        *audit = Some(Err(Failure {
                            message: reason,
                            forbidden: false,
                            unavailable: true,
                        }));
                    }
                    Vec::new()
                }
            };
        }
        KeyCode::Char(' ') => return toggle_key(state),
        KeyCode::Char('n') if allowed(state, Op::NewKey, "create a key") => {
            let picker = picker(state, BTreeSet::new());
            state.dialog = Some(Dialog::NewKey {
                step: NewKeyStep::Label,
                label: Input::default(),
                picker,
                error: None,
            });
            return roles_if_missing(state);
        }
        KeyCode::Char('e') => {
            let Some(selected) = state.keys.selected_key().cloned() else {
                return Vec::new();
            };
            if allowed(state, Op::EditRoles, "edit roles") {
                return open_role_editor(state, selected.id, selected.app_key, selected.roles);
            }
        }
        KeyCode::Char('r') if state.keys.may_not_view() => super::renew_by_key::open(state),
        KeyCode::Char('r') => {
            let Some(selected) = state.keys.selected_key().cloned() else {
                return Vec::new();
            };
            if let Err(reason) = state.check_selected(Op::Renew) {
                say(state, format!("Cannot renew the token: {reason}."));
                return Vec::new();
            }
            if selected.renewal_pending() {
                say(
                    state,
                    "A renewal is already pending: F deletes the old token, u undoes the renewal.",
                );
            } else {
                state.dialog = Some(Dialog::Renew {
                    app_key: selected.app_key,
                    label: selected.label,
                    delete_now: false,
                });
            }
        }
        KeyCode::Char('F') => {
            let Some(selected) = state.keys.selected_key().cloned() else {
                return Vec::new();
            };
            if !allowed(state, Op::FinishRenewal, "delete the old token") {
                return Vec::new();
            }
            if !selected.renewal_pending() && selected.creation_date_token.is_some() {
                say(
                    state,
                    "No renewal is pending for this key: there is no old token to delete.",
                );
            } else {
                state.dialog = Some(Dialog::Confirm(Confirm {
                    title: "Delete the old token".into(),
                    body: format!(
                        "Delete the old token of {} ({})? Integrations still using it stop working. This cannot be undone.",
                        selected.app_key, selected.label
                    ),
                    accept: "Delete old token".into(),
                    destructive: true,
                    change: Change::FinishRenewal {
                        app_key: selected.app_key,
                    },
                }));
            }
        }
        KeyCode::Char('u') => {
            let Some(selected) = state.keys.selected_key().cloned() else {
                return Vec::new();
            };
            if !allowed(state, Op::UndoRenewal, "undo the renewal") {
                return Vec::new();
            }
            if !selected.renewal_pending() {
                say(state, "No renewal is pending for this key.");
            } else {
                state.dialog = Some(Dialog::Confirm(Confirm {
                    title: "Undo the renewal".into(),
                    body: format!(
                        "Drop the new token of {} ({})? The old token keeps working; anything already using the new one stops.",
                        selected.app_key, selected.label
                    ),
                    accept: "Undo renewal".into(),
                    destructive: true,
                    change: Change::UndoRenewal {
                        app_key: selected.app_key,
                    },
                }));
            }
        }
        KeyCode::Char('d') => {
            let Some(selected) = state.keys.selected_key().cloned() else {
                return Vec::new();
            };
            if allowed(state, Op::DeleteKey, "delete the key") {
                state.dialog = Some(Dialog::DeleteKey {
                    id: selected.id,
                    app_key: selected.app_key,
                    label: selected.label,
                    understood: false,
                });
            }
        }
        _ => {}
    }
    lazy_roles(state)
}

fn status_filter_name(filter: StatusFilter) -> &'static str {
    match filter {
        StatusFilter::All => "all",
        StatusFilter::Active => "active",
        StatusFilter::Inactive => "inactive",
        StatusFilter::Outdated => "outdated",
        StatusFilter::PendingRenewal => "pending-renewal",
    }
}

fn toggle_key(state: &mut State) -> Vec<Effect> {
    let Some(selected) = state.keys.selected_key().cloned() else {
        return Vec::new();
    };
    if !allowed(state, Op::ToggleKey, "change the key's status") {
        return Vec::new();
    }
    if selected.is_active {
        // Deactivation interrupts integrations: ask first, as the Admin does.
        state.dialog = Some(Dialog::Confirm(Confirm {
            title: "Deactivate key".into(),
            body: format!(
                "Deactivate {} ({})? Integrations using it stop working until it is activated again.",
                selected.app_key, selected.label
            ),
            accept: "Deactivate".into(),
            destructive: true,
            change: Change::SetKeyActive {
                id: selected.id,
                active: false,
            },
        }));
        Vec::new()
    } else {
        send_change(
            state,
            Change::SetKeyActive {
                id: selected.id,
                active: true,
            },
        )
    }
}

fn on_external_pane_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if state.access.extensions == Some(false) {
        if matches!(key.code, KeyCode::Char('/' | ' ' | 'a' | 'e' | 'x')) {
            say(
                state,
                "External keys need the apikeys server extension; VTEX's public API has none.",
            );
        }
        return Vec::new();
    }
    let selected = state.external.selected_key().cloned();
    match key.code {
        KeyCode::Char('/') => state.external.filter.editing = true,
        KeyCode::Char(' ') => {
            let Some(selected) = selected else {
                return Vec::new();
            };
            if !allowed(state, Op::ToggleExternal, "change the key's status") {
                return Vec::new();
            }
            if selected.is_active {
                state.dialog = Some(Dialog::Confirm(Confirm {
                    title: "Deactivate external key".into(),
                    body: format!(
                        "Deactivate {} (account {})? Its integrations lose access to this account.",
                        selected.app_key, selected.account
                    ),
                    accept: "Deactivate".into(),
                    destructive: true,
                    change: Change::SetExternalActive {
                        id: selected.id,
                        active: false,
                    },
                }));
            } else {
                return send_change(
                    state,
                    Change::SetExternalActive {
                        id: selected.id,
                        active: true,
                    },
                );
            }
        }
        KeyCode::Char('a') if allowed(state, Op::AddExternal, "add an external key") => {
            let picker = picker(state, BTreeSet::new());
            state.dialog = Some(Dialog::AddExternal {
                step: NewKeyStep::Label,
                app_key: Input::default(),
                picker,
                error: None,
            });
            return roles_if_missing(state);
        }
        KeyCode::Char('e') => {
            let Some(selected) = selected else {
                return Vec::new();
            };
            if allowed(state, Op::EditExternalRoles, "edit roles") {
                return open_role_editor(state, selected.id, selected.app_key, selected.roles);
            }
        }
        KeyCode::Char('x') => {
            let Some(selected) = selected else {
                return Vec::new();
            };
            if allowed(state, Op::RemoveExternal, "remove the external key") {
                state.dialog = Some(Dialog::Confirm(Confirm {
                    title: "Remove external key".into(),
                    body: format!(
                        "Remove {} (account {}) from this account? Its integrations lose access here.",
                        selected.app_key, selected.account
                    ),
                    accept: "Remove".into(),
                    destructive: true,
                    change: Change::RemoveExternal {
                        id: selected.id,
                        app_key: selected.app_key,
                    },
                }));
            }
        }
        _ => {}
    }
    Vec::new()
}

fn on_settings_pane_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.code != KeyCode::Enter {
        return Vec::new();
    }
    if !allowed(state, Op::SetDuration, "change the token duration") {
        return Vec::new();
    }
    let months = state.settings.cursor_months;
    match state.settings.token_duration {
        None => say(state, "The current setting is not loaded yet."),
        Some(current) if current == months => say(
            state,
            format!("The token duration is already {months} months."),
        ),
        Some(_) => {
            let meaning = if months == 3 {
                "3 months (recommended)".to_string()
            } else {
                "6 months".to_string()
            };
            state.dialog = Some(Dialog::Confirm(Confirm {
                title: "Change token duration".into(),
                body: format!(
                    "Set the token duration of every key to {meaning}? Keys whose current token is older will show as outdated."
                ),
                accept: "Apply".into(),
                destructive: false,
                change: Change::SetTokenDuration { months },
            }));
        }
    }
    Vec::new()
}

fn picker(state: &State, chosen: BTreeSet<i64>) -> RolePicker {
    RolePicker::new(state.roles.as_deref().unwrap_or(&[]), chosen)
}

fn roles_if_missing(state: &mut State) -> Vec<Effect> {
    if state.roles.is_none() {
        vec![request(state, Call::ListRoles)]
    } else {
        Vec::new()
    }
}

fn open_role_editor(
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

// ---- dialogs ----------------------------------------------------------------------------------

fn move_picker(picker: &mut RolePicker, delta: isize, page: usize) {
    let mut selection = Selection {
        selected: picker.cursor,
        offset: picker.offset,
    };
    selection.move_by(delta, picker.roles.len(), page.max(1));
    picker.cursor = selection.selected;
    picker.offset = selection.offset;
}

fn toggle_picker(picker: &mut RolePicker) {
    if let Some((id, _)) = picker.roles.get(picker.cursor)
        && !picker.chosen.remove(id)
    {
        picker.chosen.insert(*id);
    }
}

/// Keys common to role pickers; true when handled.
fn picker_key(picker: &mut RolePicker, key: &KeyEvent, page: usize) -> bool {
    match key.code {
        KeyCode::Char('j') | KeyCode::Down => move_picker(picker, 1, page),
        KeyCode::Char('k') | KeyCode::Up => move_picker(picker, -1, page),
        KeyCode::PageDown => move_picker(picker, page as isize, page),
        KeyCode::PageUp => move_picker(picker, -(page as isize), page),
        KeyCode::Char(' ') => toggle_picker(picker),
        _ => return false,
    }
    true
}

fn on_dialog_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(dialog) = state.dialog.take() else {
        return Vec::new();
    };
    // Role pickers page by what they show, not by the table's height.
    let page = super::view::PICKER_ROWS;
    let close = matches!(key.code, KeyCode::Esc);
    match dialog {
        Dialog::Help => {
            if !matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter
            ) {
                state.dialog = Some(Dialog::Help);
            }
        }
        Dialog::Details { key_id, audit } => {
            if !matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')) {
                state.dialog = Some(Dialog::Details { key_id, audit });
            }
        }
        Dialog::Token(mut token) => match key.code {
            // Closing drops the dialog, and with it the token (SecretString zeroizes on drop).
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => say(
                state,
                "Token dialog closed; the token was wiped from memory.",
            ),
            KeyCode::Char('v') => {
                token.revealed = !token.revealed;
                state.dialog = Some(Dialog::Token(token));
            }
            KeyCode::Char('c') => {
                // The loop fills in `copied` with what the clipboard actually did.
                let copy = Effect::Copy(token.token.clone());
                state.dialog = Some(Dialog::Token(token));
                return vec![copy];
            }
            _ => state.dialog = Some(Dialog::Token(token)),
        },
        Dialog::Confirm(confirm) => match key.code {
            KeyCode::Enter | KeyCode::Char('y') => return send_change(state, confirm.change),
            KeyCode::Esc | KeyCode::Char('n') => {}
            _ => state.dialog = Some(Dialog::Confirm(confirm)),
        },
        Dialog::DeleteKey {
            id,
            app_key,
            label,
            understood,
        } => match key.code {
            KeyCode::Char(' ') | KeyCode::Char('x') => {
                state.dialog = Some(Dialog::DeleteKey {
                    id,
                    app_key,
                    label,
                    understood: !understood,
                });
            }
            KeyCode::Enter if understood => {
                return send_change(state, Change::DeleteKey { id, app_key });
            }
            KeyCode::Enter => {
                state.dialog = Some(Dialog::DeleteKey {
                    id,
                    app_key,
                    label,
                    understood,
                });
                say(
                    state,
                    "Tick \"I understand this cannot be undone\" (Space) to delete.",
                );
            }
            _ if close => {}
            _ => {
                state.dialog = Some(Dialog::DeleteKey {
                    id,
                    app_key,
                    label,
                    understood,
                })
            }
        },
        Dialog::Renew {
            app_key,
            label,
            delete_now,
        } => match key.code {
            KeyCode::Enter => {
                return vec![request(
                    state,
                    Call::Renew {
                        app_key,
                        label,
                        delete_old_now: delete_now,
                    },
                )];
            }
            KeyCode::Char('j' | 'k')
            | KeyCode::Down
            | KeyCode::Up
            | KeyCode::Tab
            | KeyCode::Char(' ') => {
                state.dialog = Some(Dialog::Renew {
                    app_key,
                    label,
                    delete_now: !delete_now,
                });
            }
            _ if close => {}
            _ => {
                state.dialog = Some(Dialog::Renew {
                    app_key,
                    label,
                    delete_now,
                })
            }
        },
        Dialog::RenewByKey { app_key, .. } => {
            return super::renew_by_key::on_key(state, app_key, key);
        }
        Dialog::EditRoles {
            id,
            app_key,
            mut picker,
            original,
        } => {
            if close {
                return Vec::new();
            }
            if key.code == KeyCode::Enter {
                let add: Vec<i64> = picker.chosen.difference(&original).copied().collect();
                let remove: Vec<i64> = original.difference(&picker.chosen).copied().collect();
                if add.is_empty() && remove.is_empty() {
                    say(state, "No role changed.");
                    return Vec::new();
                }
                state.sent_form = Some(Dialog::EditRoles {
                    id: id.clone(),
                    app_key,
                    picker,
                    original,
                });
                return send_change(state, Change::SetRoles { id, add, remove });
            }
            picker_key(&mut picker, &key, page);
            state.dialog = Some(Dialog::EditRoles {
                id,
                app_key,
                picker,
                original,
            });
        }
        Dialog::NewKey {
            mut step,
            mut label,
            mut picker,
            mut error,
        } => {
            let outcome = form_key(
                &mut step,
                &mut label,
                &mut picker,
                &mut error,
                key,
                page,
                crate::keyformat::clean_label,
            );
            match outcome {
                FormKey::Cancel => {}
                FormKey::Stay => {
                    state.dialog = Some(Dialog::NewKey {
                        step,
                        label,
                        picker,
                        error,
                    })
                }
                FormKey::Submit => {
                    let call = Call::CreateKey {
                        label: label.value().to_string(),
                        roles: picker.chosen.iter().copied().collect(),
                    };
                    state.sent_form = Some(Dialog::NewKey {
                        step,
                        label,
                        picker,
                        error: None,
                    });
                    return vec![request(state, call)];
                }
            }
        }
        Dialog::AddExternal {
            mut step,
            mut app_key,
            mut picker,
            mut error,
        } => {
            let own_account = state.header.account.clone();
            let outcome = form_key(
                &mut step,
                &mut app_key,
                &mut picker,
                &mut error,
                key,
                page,
                |text| {
                    // Pasted keys often carry spaces or line breaks.
                    let wanted: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                    match crate::keyformat::app_key_account(&wanted) {
                    Some(account) if account == own_account => {
                        Err("That key belongs to this account; external keys come from other accounts.".into())
                    }
                    Some(_) => Ok(wanted),
                    None => Err("Expected vtexappkey-{account}-{6 uppercase letters}.".into()),
                }
                },
            );
            match outcome {
                FormKey::Cancel => {}
                FormKey::Stay => {
                    state.dialog = Some(Dialog::AddExternal {
                        step,
                        app_key,
                        picker,
                        error,
                    })
                }
                FormKey::Submit => {
                    let change = Change::AddExternal {
                        app_key: app_key.value().to_string(),
                        roles: picker.chosen.iter().copied().collect(),
                    };
                    state.sent_form = Some(Dialog::AddExternal {
                        step,
                        app_key,
                        picker,
                        error: None,
                    });
                    return send_change(state, change);
                }
            }
        }
    }
    Vec::new()
}

/// What a key did to a two-step form (a text field, then a role picker).
enum FormKey {
    Stay,
    Submit,
    Cancel,
}

/// The keys of the new-key and add-external forms: type, Enter checks the text (`check`
/// returns it normalized, or the reason it is refused) and moves to the roles; there Space
/// ticks, S-Tab or Backspace goes back, and Enter submits. Esc cancels at any step.
fn form_key(
    step: &mut NewKeyStep,
    input: &mut Input,
    picker: &mut RolePicker,
    error: &mut Option<String>,
    key: KeyEvent,
    page: usize,
    check: impl Fn(&str) -> Result<String, String>,
) -> FormKey {
    if key.code == KeyCode::Esc {
        return FormKey::Cancel;
    }
    match step {
        NewKeyStep::Label if key.code == KeyCode::Enter => match check(input.value()) {
            Ok(normalized) => {
                *input = Input::new(normalized);
                *step = NewKeyStep::Roles;
                *error = None;
            }
            Err(reason) => *error = Some(reason),
        },
        NewKeyStep::Label => {
            input.handle_event(&Event::Key(key));
            *error = None;
        }
        NewKeyStep::Roles if key.code == KeyCode::Enter => return FormKey::Submit,
        NewKeyStep::Roles if matches!(key.code, KeyCode::BackTab | KeyCode::Backspace) => {
            *step = NewKeyStep::Label;
        }
        NewKeyStep::Roles => {
            picker_key(picker, &key, page);
        }
    }
    FormKey::Stay
}

/// Sends a change; a status toggle is shown at once and rolled back if the server refuses.
fn send_change(state: &mut State, change: Change) -> Vec<Effect> {
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

// ---- answers ----------------------------------------------------------------------------------

fn fail(state: &mut State, failure: &Failure) {
    if failure.message.starts_with("cannot reach") || failure.message.starts_with("no answer from")
    {
        state.connection = Connection::Offline(failure.message.clone());
    }
    complain(state, failure.message.clone());
}

fn describe(change: &Change, state: &State) -> String {
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

fn on_outcome(state: &mut State, id: RequestId, outcome: Outcome) -> Vec<Effect> {
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    match outcome {
        Outcome::Capabilities(Ok(capabilities)) => {
            state.connection = Connection::Online;
            state.access.extensions = Some(capabilities.extensions);
            if let Some(session) = capabilities.session {
                let has = |name: &str| session.resources.iter().any(|r| r == name);
                state.access.permissions = Some(Permissions {
                    view: has("ViewApiKeys"),
                    edit: has("EditApiKeys"),
                    renew: has("RenewApiToken"),
                    settings: has("EditApiKeysSettings"),
                });
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
        }
        Outcome::Capabilities(Err(failure)) => fail(state, &failure),
        // Servers from before it answer 404: the header then shows the account name alone.
        Outcome::Account(result) => {
            state.header.trading_name = result
                .ok()
                .and_then(|account| account.shown_name().map(str::to_string));
        }
        Outcome::Keys(result) => {
            if state.keys.request != Some(id) {
                return Vec::new(); // an older answer: a newer request is on its way
            }
            match result {
                Ok(rows) => {
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
                        fail(state, &failure);
                    }
                }
            }
        }
        Outcome::External(result) => {
            if state.external.request != Some(id) {
                return Vec::new();
            }
            match result {
                Ok(rows) => {
                    state.external.replace_rows(rows, page);
                    state.external.load = Load::Loaded;
                    state.external.pending_toggles.clear();
                }
                Err(failure) => {
                    state.external.load = Load::Failed(failure.clone());
                    // The pane shows a refusal itself; a status error would hide the keys pane's.
                    if !failure.unavailable && !failure.forbidden {
                        fail(state, &failure);
                    }
                }
            }
        }
        Outcome::Settings(result) => {
            if state.settings.request != Some(id) {
                return Vec::new();
            }
            match result {
                Ok(settings) => {
                    let first = state.settings.token_duration.is_none();
                    state.settings.token_duration = Some(settings.token_duration_months);
                    if first {
                        state.settings.cursor_months = settings.token_duration_months;
                    }
                    state.settings.load = Load::Loaded;
                    let months = state.token_months();
                    state.keys.refresh_view(months, now, page);
                }
                Err(failure) => {
                    state.settings.load = Load::Failed(failure.clone());
                    if !failure.unavailable && !failure.forbidden {
                        fail(state, &failure);
                    }
                }
            }
        }
        Outcome::Roles(Ok(roles)) => {
            // Fill pickers opened before the roles arrived, keeping what was ticked.
            match &mut state.dialog {
                Some(Dialog::NewKey { picker, .. })
                | Some(Dialog::EditRoles { picker, .. })
                | Some(Dialog::AddExternal { picker, .. })
                    if picker.roles.is_empty() =>
                {
                    *picker = RolePicker::new(&roles, std::mem::take(&mut picker.chosen));
                }
                _ => {}
            }
            state.roles = Some(roles);
        }
        Outcome::Roles(Err(failure)) => {
            if !failure.forbidden {
                fail(state, &failure);
            }
        }
        Outcome::KeyRoles(Ok(mut by_key)) => {
            for key in &mut state.keys.rows {
                if let Some(roles) = by_key.remove(&key.id) {
                    key.roles = Some(roles);
                }
            }
            state.keys.refresh_view(months, now, page);
        }
        Outcome::KeyRoles(Err(failure)) => fail(state, &failure),
        Outcome::Crashed => complain(
            state,
            "A request failed inside apikeys (a bug); refresh (R) to see the current state.",
        ),
        Outcome::Audit { key_id, result } => {
            if let Some(Dialog::Details {
                key_id: open,
                audit,
            }) = &mut state.dialog
                && *open == key_id
            {
                *audit = Some(result);
            }
        }
        Outcome::Changed { change, result } => {
            let keeps_form = matches!(change, Change::AddExternal { .. } | Change::SetRoles { .. });
            match result {
                Ok(()) => {
                    if keeps_form {
                        state.sent_form = None;
                    }
                    let text = describe(&change, state);
                    say(state, text);
                }
                Err(failure) => {
                    roll_back(state, &change);
                    fail(state, &failure);
                    if keeps_form {
                        reopen_form(state, &failure);
                    }
                }
            }
            return match change {
                Change::SetTokenDuration { .. } => vec![request_settings(state)],
                Change::AddExternal { .. }
                | Change::SetExternalActive { .. }
                | Change::RemoveExternal { .. } => {
                    vec![request_external(state)]
                }
                Change::SetRoles { .. } => vec![request_keys(state), request_external(state)],
                _ => vec![request_keys(state)],
            };
        }
        Outcome::Created(result, roles_added) => {
            if result.is_ok() {
                state.sent_form = None;
            }
            match result {
                Ok(created) => match created.app_token {
                    Some(token) => {
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
                            Ok(()) => say(state, format!("Created {}.", created.app_key)),
                            Err(failure) => complain(
                                state,
                                format!(
                                    "Created {}, but its roles were not added: {}",
                                    created.app_key, failure.message
                                ),
                            ),
                        }
                    }
                    None => complain(
                        state,
                        format!(
                            "Created {}, but the server did not return the token; renew it to get one.",
                            created.app_key
                        ),
                    ),
                },
                Err(failure) => {
                    fail(state, &failure);
                    reopen_form(state, &failure);
                }
            }
            return vec![request_keys(state)];
        }
        Outcome::Renewed {
            app_key,
            label,
            result,
            old_deleted,
        } => {
            match result {
                Ok(renewal) => match renewal.new_token {
                    Some(token) => {
                        let old_token = match &old_deleted {
                            None => {
                                "The old token keeps working until you delete it (F).".to_string()
                            }
                            Some(Ok(())) => "The old token is deleted.".to_string(),
                            Some(Err(failure)) => {
                                format!("The old token was NOT deleted: {}", failure.message)
                            }
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
                        say(state, format!("Renewed the token of {app_key}."));
                    }
                    None => complain(
                        state,
                        format!(
                            "The renewal of {app_key} started, but the server did not return the new token; undo it (u) and try again."
                        ),
                    ),
                },
                Err(failure) => fail(state, &failure),
            }
            return vec![request_keys(state)];
        }
    }
    Vec::new()
}

/// Opens the token dialog, or queues it behind the open dialog: a token is never dropped.
fn show_token(state: &mut State, token: TokenDialog) {
    if state.dialog.is_none() {
        state.dialog = Some(Dialog::Token(token));
    } else {
        state.waiting_tokens.push_back(token);
        say(
            state,
            "A new token is waiting: close this dialog to see it.",
        );
    }
}

/// Reopens the form whose request failed, with the reason, so nothing typed is lost.
fn reopen_form(state: &mut State, failure: &Failure) {
    let Some(mut form) = state.sent_form.take() else {
        return;
    };
    match &mut form {
        Dialog::NewKey { error, .. } | Dialog::AddExternal { error, .. } => {
            *error = Some(failure.message.clone());
        }
        _ => {}
    }
    if state.dialog.is_none() {
        state.dialog = Some(form);
    }
}

/// Puts an optimistic toggle back the way it was.
fn roll_back(state: &mut State, change: &Change) {
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

/// The key a details dialog shows.
pub fn details_key<'a>(state: &'a State, key_id: &str) -> Option<&'a AppKey> {
    state.keys.rows.iter().find(|k| k.id == key_id)
}
