//! Renewing a key named by its appKey: a key holding "Renew API Token" without "View API Keys"
//! (what a rotation bot holds) cannot list keys, but VTEX's renewal endpoints take the appKey.
//! The Generated keys pane offers it when the listing is refused; the appKey typed here then
//! goes through the usual renew dialog (delete the old token now or later).

use tui_input::Input;

use super::state::{Dialog, Op, State};
use super::strings;
use crate::keyformat;

/// Opens the appKey prompt, unless the caller may not renew at all.
pub fn open(state: &mut State) {
    if let Err(reason) = state.access.check(Op::Renew) {
        super::update::say(state, strings::cannot("renew a token", &reason));
        return;
    }
    state.dialog = Some(Dialog::RenewByKey {
        app_key: Input::default(),
        error: None,
    });
}

/// The appKey as typed, without spaces (pasted keys often carry them), if it can be renewed
/// from here; else why not.
fn check(state: &State, typed: &str) -> Result<String, String> {
    let app_key: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(account) = keyformat::app_key_account(&app_key) else {
        return Err(strings::EXPECTED_AN_APP_KEY.into());
    };
    let own_account = state.header.account.as_str();
    if !own_account.is_empty() && account != own_account {
        return Err(strings::other_account(account, own_account));
    }
    if app_key == state.header.caller_key {
        return Err(strings::RENEW_OWN_KEY.into());
    }
    Ok(app_key)
}

/// Enter in the prompt: on to the renew dialog, or the reason the appKey is refused.
pub fn next(state: &mut State) {
    let Some(Dialog::RenewByKey { app_key, .. }) = &state.dialog else {
        return;
    };
    match check(state, app_key.value()) {
        Ok(app_key) => {
            state.dialog = Some(Dialog::Renew {
                app_key,
                // Unknown without the listing; the renewal's answer names it.
                label: String::new(),
                delete_now: false,
            });
        }
        Err(reason) => {
            if let Some(Dialog::RenewByKey { error, .. }) = &mut state.dialog {
                *error = Some(reason);
            }
        }
    }
}
