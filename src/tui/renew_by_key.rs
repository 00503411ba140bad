//! Renewing a key named by its appKey: a key holding "Renew API Token" without "View API Keys"
//! (what a rotation bot holds) cannot list keys, but VTEX's renewal endpoints take the appKey.
//! The Generated keys pane offers it when the listing is refused; the appKey typed there (its
//! dialog checks it with [`check`]) then goes through the usual renew dialog (delete the old
//! token now or later).

use super::state::{Dialog, Op, RenewByKeyDialog, State};
use super::strings;
use crate::keyformat;

/// Opens the appKey prompt, unless the caller may not renew at all.
pub fn open(state: &mut State) {
    if let Err(reason) = state.check_selected(Op::Renew) {
        super::update::say(state, strings::cannot("renew a token", &reason));
        return;
    }
    state.dialog = Some(Dialog::RenewByKey(RenewByKeyDialog::default()));
}

/// The appKey as typed, without spaces (pasted keys often carry them), if it can be renewed
/// by the caller signed in to `own_account` with `caller_key`; else why not.
pub fn check(own_account: &str, caller_key: &str, typed: &str) -> Result<String, String> {
    let app_key: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(account) = keyformat::app_key_account(&app_key) else {
        return Err(strings::EXPECTED_AN_APP_KEY.into());
    };
    if !own_account.is_empty() && account != own_account {
        return Err(strings::other_account(account, own_account));
    }
    if app_key == caller_key {
        return Err(strings::RENEW_OWN_KEY.into());
    }
    Ok(app_key)
}
