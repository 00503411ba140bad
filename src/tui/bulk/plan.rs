//! Which keys a bulk action acts on — the marked rows, else the selected one — and which it
//! skips, with the reason, before anything is sent: the caller's own key (the server refuses
//! what would lock the caller out), a key already in the asked state, a role already held or
//! not held, no renewal pending. A permission the caller lacks refuses the whole action.

use super::{BulkAction, Item, Plan, Skipped};
use crate::tui::action::Change;
use crate::tui::dialog::KeyList;
use crate::tui::state::{Connection, Op, State, Tab};
use crate::tui::strings::{access, bulk as text};
use crate::vtex::model::{AppKey, ExternalKey, Role};

/// The operation whose permission an action needs on `list`; `None`: it does not apply there.
pub fn op_of(action: &BulkAction, list: KeyList) -> Option<Op> {
    Some(match (list, action) {
        (KeyList::Generated, BulkAction::SetActive(_)) => Op::ToggleKey,
        (KeyList::Generated, BulkAction::Delete) => Op::DeleteKey,
        (KeyList::Generated, BulkAction::Role { .. }) => Op::EditRoles,
        (KeyList::Generated, BulkAction::FinishRenewal) => Op::FinishRenewal,
        (KeyList::Generated, BulkAction::UndoRenewal) => Op::UndoRenewal,
        (KeyList::External, BulkAction::SetActive(_)) => Op::ToggleExternal,
        (KeyList::External, BulkAction::Delete) => Op::RemoveExternal,
        (KeyList::External, BulkAction::Role { .. }) => Op::EditExternalRoles,
        (KeyList::External, BulkAction::FinishRenewal | BulkAction::UndoRenewal) => return None,
    })
}

/// The list on screen, if it is one of the key lists.
pub fn list_on_screen(state: &State) -> Option<KeyList> {
    match state.tab {
        Tab::Keys => Some(KeyList::Generated),
        Tab::External => Some(KeyList::External),
        Tab::Settings => None,
    }
}

/// The rows an action on `list` acts on: the marked ones (those shown first, in display
/// order, then those the filter hides), else the selected row.
pub fn targets(state: &State, list: KeyList) -> Vec<usize> {
    split_targets(state, list).0
}

/// As [`targets`], with how many of them come first because the filter shows them (the rest
/// are hidden).
fn split_targets(state: &State, list: KeyList) -> (Vec<usize>, usize) {
    let (marks, shown, selection) = match list {
        KeyList::Generated => (&state.keys.marks, &state.keys.visible, state.keys.selection),
        KeyList::External => (
            &state.external.marks,
            &state.external.visible,
            state.external.selection,
        ),
    };
    if marks.is_empty() {
        let selected: Vec<usize> = shown.get(selection.selected).copied().into_iter().collect();
        let count = selected.len();
        return (selected, count);
    }
    let mut rows: Vec<usize> = (shown.iter().copied())
        .filter(|&row| marks.contains(row))
        .collect();
    let on_screen = rows.len();
    if on_screen < marks.len() {
        let seen: std::collections::HashSet<usize> = rows.iter().copied().collect();
        rows.extend(marks.rows().filter(|row| !seen.contains(row)));
    }
    (rows, on_screen)
}

/// The plan for `action` on the list on screen, or the sentence that says why it cannot run.
pub fn plan(state: &State, action: &BulkAction) -> Result<Plan, String> {
    let list = list_on_screen(state).ok_or(text::NOT_ON_A_LIST)?;
    let op = op_of(action, list).ok_or(text::EXTERNAL_HAVE_NO_TOKEN)?;
    if state.connection == Connection::Unauthorized {
        return Err(access::CREDENTIALS_REFUSED.into());
    }
    state.access.check(op)?;
    let (rows, hidden_from) = split_targets(state, list);
    if rows.is_empty() {
        return Err(text::NO_KEY_SELECTED.into());
    }
    let mut plan = Plan {
        action: Some(action.clone()),
        list,
        grants_admin: admin_granted(state, action),
        ..Plan::default()
    };
    for (at, row) in rows.into_iter().enumerate() {
        let decided = match list {
            KeyList::Generated => {
                (state.keys.rows.get(row)).map(|key| generated(state, key, action))
            }
            KeyList::External => {
                (state.external.rows.get(row)).map(|key| external(state, key, action))
            }
        };
        match decided {
            Some(Ok(item)) => {
                plan.hidden += usize::from(at >= hidden_from);
                plan.items.push(item);
            }
            Some(Err(skipped)) => plan.skipped.push(skipped),
            None => {}
        }
    }
    Ok(plan)
}

fn generated(state: &State, key: &AppKey, action: &BulkAction) -> Result<Item, Skipped> {
    let skip = |reason: &str| Skipped {
        id: key.id.clone(),
        app_key: key.app_key.clone(),
        label: key.label.clone(),
        reason: reason.to_string(),
    };
    let own = state.is_own_key(&key.app_key);
    // Without token dates (VTEX's public API) a pending renewal cannot be told: sent, and the
    // server says.
    let nothing_pending = !key.renewal_pending() && key.creation_date_token.is_some();
    let change = match action {
        BulkAction::SetActive(false) | BulkAction::Delete if own => {
            return Err(skip(text::OWN_KEY));
        }
        BulkAction::SetActive(active) if key.is_active == *active => {
            return Err(skip(text::already(*active)));
        }
        BulkAction::SetActive(active) => Change::SetKeyActive {
            id: key.id.clone(),
            active: *active,
        },
        BulkAction::Delete => Change::DeleteKey {
            id: key.id.clone(),
            app_key: key.app_key.clone(),
        },
        BulkAction::Role { add: false, id, .. } if own && may_carry_key_rights(state, *id) => {
            return Err(skip(text::OWN_KEY_ROLE));
        }
        BulkAction::Role { add, id, name } => {
            role_change(&key.id, key.roles.as_deref(), *add, *id, name).map_err(|r| skip(&r))?
        }
        BulkAction::FinishRenewal | BulkAction::UndoRenewal if nothing_pending => {
            return Err(skip(text::NOTHING_PENDING));
        }
        BulkAction::FinishRenewal => Change::FinishRenewal {
            app_key: key.app_key.clone(),
        },
        BulkAction::UndoRenewal => Change::UndoRenewal {
            app_key: key.app_key.clone(),
        },
    };
    Ok(item(&key.id, &key.app_key, &key.label, change))
}

/// The key the app signs in with may be listed here (an agency signed in to its client's
/// account): removing, deactivating or stripping it of key rights locks the caller out.
fn external(state: &State, key: &ExternalKey, action: &BulkAction) -> Result<Item, Skipped> {
    let own = state.is_own_key(&key.app_key);
    let skip = |reason: &str| Skipped {
        id: key.id.clone(),
        app_key: key.app_key.clone(),
        label: key.app_key.clone(),
        reason: reason.to_string(),
    };
    let change = match action {
        BulkAction::SetActive(false) | BulkAction::Delete if own => {
            return Err(skip(text::OWN_KEY));
        }
        BulkAction::Role { add: false, id, .. } if own && may_carry_key_rights(state, *id) => {
            return Err(skip(text::OWN_KEY_ROLE));
        }
        BulkAction::SetActive(active) if key.is_active == *active => {
            return Err(skip(text::already(*active)));
        }
        BulkAction::SetActive(active) => Change::SetExternalActive {
            id: key.id.clone(),
            active: *active,
        },
        BulkAction::Delete => Change::RemoveExternal {
            id: key.id.clone(),
            app_key: key.app_key.clone(),
        },
        BulkAction::Role { add, id, name } => {
            role_change(&key.id, key.roles.as_deref(), *add, *id, name).map_err(|r| skip(&r))?
        }
        BulkAction::FinishRenewal | BulkAction::UndoRenewal => {
            return Err(skip(text::EXTERNAL_HAVE_NO_TOKEN));
        }
    };
    // Named by appKey: one owner account often has several keys here.
    Ok(item(&key.id, &key.app_key, &key.app_key, change))
}

/// Adding a role the key holds, or removing one it does not, is skipped; with the roles not
/// known yet (servers without `expand`), the change is sent and the server decides.
/// Whether role `id` may give its holder a right over API keys (an administrator role, one
/// granting an API-key resource, or one whose resources the server does not say): taking it
/// from the caller's own key could lock the caller out, which the server refuses anyway.
fn may_carry_key_rights(state: &State, id: i64) -> bool {
    let role = state
        .roles
        .as_deref()
        .and_then(|roles| roles.iter().find(|r| r.id == id));
    match role {
        Some(role) => {
            role.is_admin
                || role
                    .api_key_resources
                    .as_ref()
                    .is_none_or(|resources| !resources.is_empty())
        }
        None => true,
    }
}

/// The administrator role an action grants, if it grants one (said, and acknowledged, first).
fn admin_granted(state: &State, action: &BulkAction) -> Option<String> {
    let BulkAction::Role {
        add: true,
        id,
        name,
    } = action
    else {
        return None;
    };
    let roles = state.roles.as_deref()?;
    roles
        .iter()
        .any(|role| role.id == *id && role.is_admin)
        .then(|| name.clone())
}

fn role_change(
    key_id: &str,
    held: Option<&[Role]>,
    add: bool,
    role: i64,
    name: &str,
) -> Result<Change, String> {
    let holds = held.map(|roles| roles.iter().any(|r| r.id == role));
    match (add, holds) {
        (true, Some(true)) => Err(text::already_holds(name)),
        (false, Some(false)) => Err(text::does_not_hold(name)),
        (true, _) => Ok(Change::SetRoles {
            id: key_id.to_string(),
            add: vec![role],
            remove: Vec::new(),
        }),
        (false, _) => Ok(Change::SetRoles {
            id: key_id.to_string(),
            add: Vec::new(),
            remove: vec![role],
        }),
    }
}

fn item(id: &str, app_key: &str, label: &str, change: Change) -> Item {
    Item {
        id: id.to_string(),
        app_key: app_key.to_string(),
        label: label.to_string(),
        change,
        rate_limited: 0,
    }
}
