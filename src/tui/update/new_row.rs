//! After a create (generated key) or an add (external key): the refreshed list selects the
//! new row and scrolls to it; if the filter hides it, the status line says so.

use super::*;

/// Remembers the row to select when the list that holds it arrives.
pub(super) fn expect_new_row(state: &mut State, row: NewRow) {
    state.new_row = Some(row);
}

/// The generated keys arrived: select the created key, if that is what is awaited.
pub(super) fn select_new_key(state: &mut State) {
    let Some(NewRow::Key { id, app_key }) = &state.new_row else {
        return;
    };
    let (id, app_key) = (id.clone(), app_key.clone());
    state.new_row = None;
    let keys = &mut state.keys;
    let at = keys.visible.iter().position(|&i| keys.rows[i].id == id);
    let listed = keys.rows.iter().any(|key| key.id == id);
    let len = keys.visible.len();
    place(state, at, listed, len, &app_key, Tab::Keys);
}

/// The external keys arrived: select the added key, if that is what is awaited.
pub(super) fn select_new_external(state: &mut State) {
    let Some(NewRow::External { app_key }) = &state.new_row else {
        return;
    };
    let app_key = app_key.clone();
    state.new_row = None;
    let external = &mut state.external;
    let at = external
        .visible
        .iter()
        .position(|&i| external.rows[i].app_key == app_key);
    let listed = external.rows.iter().any(|key| key.app_key == app_key);
    let len = external.visible.len();
    place(state, at, listed, len, &app_key, Tab::External);
}

/// Selects row `at` of the `tab`'s table, or says the filter hides the `listed` key.
fn place(state: &mut State, at: Option<usize>, listed: bool, len: usize, app_key: &str, tab: Tab) {
    let page = state.page_rows;
    match (at, tab) {
        (Some(at), Tab::Keys) => state.keys.selection.to(at, len, page),
        (Some(at), _) => state.external.selection.to(at, len, page),
        (None, _) if listed => {
            let notice = strings::dialogs::hidden_by_filter(app_key, tab == Tab::External);
            keep_for_token(state, app_key, &notice);
            // An error (roles not granted, say) is not replaced by this.
            if !showing_error(state) {
                say(state, notice);
            }
        }
        (None, _) => {}
    }
}

/// The created key's token dialog, open or waiting, says `notice` once it closes: closing
/// replaces the status line, and the user must still learn the filter hides the key.
fn keep_for_token(state: &mut State, app_key: &str, notice: &str) {
    let open = match &mut state.dialog {
        Some(Dialog::Token(token)) => Some(token),
        _ => None,
    };
    let token = open
        .into_iter()
        .chain(state.waiting_tokens.iter_mut())
        .find(|token| token.app_key == app_key);
    if let Some(token) = token {
        token.after_close = Some(notice.to_string());
    }
}

fn showing_error(state: &State) -> bool {
    state
        .status
        .as_ref()
        .is_some_and(|status| status.kind == MessageKind::Error)
}
