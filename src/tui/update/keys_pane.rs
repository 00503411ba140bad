//! The Generated keys pane's commands.

use super::*;

pub(super) const SORTS: [SortBy; 5] = [
    SortBy::Name,
    SortBy::Key,
    SortBy::Created,
    SortBy::TokenAge,
    SortBy::Status,
];

pub(super) fn has_token_dates(state: &State) -> bool {
    state
        .keys
        .rows
        .iter()
        .all(|k| k.creation_date_token.is_some())
}

pub(super) fn run_keys_command(state: &mut State, command: Command) -> Vec<Effect> {
    if !state.keys.marks.is_empty()
        && let Some(effects) = on_marked_keys(state, command)
    {
        return effects;
    }
    match command {
        Command::Filter => state.keys.filter.editing = true,
        Command::StatusFilter => cycle_status_filter(state),
        Command::Sort => cycle_sort(state),
        Command::ReverseSort => {
            state.keys.reverse = !state.keys.reverse;
            refresh_view(state);
        }
        Command::Details => return open_details(state),
        Command::Toggle => return toggle_key(state),
        Command::NewKey => return open_new_key(state),
        Command::EditRoles => return open_edit_roles(state),
        Command::RenewByKey => crate::tui::renew_by_key::open(state),
        Command::Renew => open_renew(state),
        Command::FinishRenewal => open_finish_renewal(state),
        Command::UndoRenewal => open_undo_renewal(state),
        Command::DeleteKey => open_delete(state),
        _ => {}
    }
    lazy_roles(state)
}

/// With keys marked, the commands that change keys act on the marks (a bulk action).
fn on_marked_keys(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    use crate::tui::bulk::BulkAction;
    Some(match command {
        Command::Toggle => toggle_marked(state, crate::tui::dialog::KeyList::Generated),
        Command::DeleteKey => ask(state, BulkAction::Delete),
        Command::FinishRenewal => ask(state, BulkAction::FinishRenewal),
        Command::UndoRenewal => ask(state, BulkAction::UndoRenewal),
        Command::EditRoles => open_bulk_roles(state, crate::tui::dialog::KeyList::Generated),
        _ => return None,
    })
}

fn refresh_view(state: &mut State) {
    let months = state.token_months();
    let (now, page) = (state.now, state.page_rows);
    state.keys.refresh_view(months, now, page);
}

fn cycle_status_filter(state: &mut State) {
    let dates = has_token_dates(state);
    // Without token dates (VTEX's public API) "outdated" and "pending" cannot be told.
    let next = std::iter::successors(Some(state.keys.status_filter.next()), |f| Some(f.next()))
        .take(StatusFilter::ALL.len())
        .find(|f| dates || !f.needs_token_dates())
        .unwrap_or(StatusFilter::All);
    state.keys.status_filter = next;
    refresh_view(state);
    say(state, strings::showing(next.word()));
}

fn cycle_sort(state: &mut State) {
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
    refresh_view(state);
}

fn open_details(state: &mut State) -> Vec<Effect> {
    let Some(selected) = state.keys.selected_key() else {
        return Vec::new();
    };
    let (id, app_key) = (selected.id.clone(), selected.app_key.clone());
    open_key_details(state, KeyList::Generated, id, app_key)
}

fn open_new_key(state: &mut State) -> Vec<Effect> {
    if !allowed(state, Op::NewKey, "create a key") {
        return lazy_roles(state);
    }
    let picker = picker(state, BTreeSet::new());
    state.dialog = Some(Dialog::NewKey(NewKeyDialog {
        step: NewKeyStep::Label,
        label: Input::default(),
        picker,
        error: None,
    }));
    roles_if_missing(state)
}

fn open_edit_roles(state: &mut State) -> Vec<Effect> {
    let Some(selected) = state.keys.selected_key().cloned() else {
        return Vec::new();
    };
    if allowed(state, Op::EditRoles, "edit roles") {
        return open_role_editor(state, selected.id, selected.app_key, selected.roles);
    }
    lazy_roles(state)
}

fn open_renew(state: &mut State) {
    let Some(selected) = state.keys.selected_key().cloned() else {
        return;
    };
    if let Err(reason) = state.check_selected(Op::Renew) {
        say(state, strings::cannot("renew the token", &reason));
        return;
    }
    // A pending renewal is refused by `check_selected`, with what to do instead.
    state.dialog = Some(Dialog::Renew(RenewDialog {
        app_key: selected.app_key,
        label: selected.label,
        delete_now: false,
    }));
}

fn open_finish_renewal(state: &mut State) {
    let Some(selected) = state.keys.selected_key().cloned() else {
        return;
    };
    if !allowed(state, Op::FinishRenewal, "delete the old token") {
        return;
    }
    if !selected.renewal_pending() && selected.creation_date_token.is_some() {
        say(state, strings::NO_OLD_TOKEN);
        return;
    }
    let asked = strings::delete_old_token(&selected.app_key, &selected.label);
    state.dialog = Some(Dialog::Confirm(Confirm {
        title: asked.title.into(),
        body: asked.body,
        accept: asked.accept.into(),
        destructive: true,
        change: Change::FinishRenewal {
            app_key: selected.app_key,
        },
        focus: Focus::Action,
    }));
}

fn open_undo_renewal(state: &mut State) {
    let Some(selected) = state.keys.selected_key().cloned() else {
        return;
    };
    if !allowed(state, Op::UndoRenewal, "undo the renewal") {
        return;
    }
    if !selected.renewal_pending() {
        say(state, strings::NO_RENEWAL_PENDING);
        return;
    }
    let asked = strings::undo_renewal(&selected.app_key, &selected.label);
    state.dialog = Some(Dialog::Confirm(Confirm {
        title: asked.title.into(),
        body: asked.body,
        accept: asked.accept.into(),
        destructive: true,
        change: Change::UndoRenewal {
            app_key: selected.app_key,
        },
        focus: Focus::Action,
    }));
}

fn open_delete(state: &mut State) {
    let Some(selected) = state.keys.selected_key().cloned() else {
        return;
    };
    if allowed(state, Op::DeleteKey, "delete the key") {
        state.dialog = Some(Dialog::DeleteKey(DeleteKeyDialog {
            id: selected.id,
            app_key: selected.app_key,
            label: selected.label,
            understood: false,
            focus: Focus::Action,
        }));
    }
}

pub(super) fn toggle_key(state: &mut State) -> Vec<Effect> {
    let Some(selected) = state.keys.selected_key().cloned() else {
        return Vec::new();
    };
    if !allowed(state, Op::ToggleKey, "change the key's status") {
        return Vec::new();
    }
    if selected.is_active {
        // Deactivation interrupts integrations: ask first, as the Admin does.
        let asked = strings::deactivate_key(&selected.app_key, &selected.label);
        state.dialog = Some(Dialog::Confirm(Confirm {
            title: asked.title.into(),
            body: asked.body,
            accept: asked.accept.into(),
            destructive: true,
            change: Change::SetKeyActive {
                id: selected.id,
                active: false,
            },
            focus: Focus::Action,
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
