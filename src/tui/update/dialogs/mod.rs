//! Keys inside the dialogs. Each dialog's keys come from its table in `keymap` (which also
//! draws its footer); each dialog handles its command in place and says what happens next.

use secrecy::SecretString;

mod choices;
mod form;
mod roles;

use choices::*;
use form::*;
use roles::*;

use super::*;

/// What a dialog's command leads to.
pub(super) enum Next {
    Stay,
    /// Stay, and say why nothing happened.
    Say(&'static str),
    Close,
    CloseSaying(&'static str),
    /// Close and send this change.
    Send(Change),
    /// Close and make this call.
    Call(Call),
    /// Close and make this call; the dialog is kept as its form, reopened if the call fails.
    SendForm(Call),
    Copy(SecretString),
}

/// `command` is what `keymap::command_for` found for `key` in the open dialog's table.
pub(super) fn on_dialog_key(
    state: &mut State,
    key: KeyEvent,
    command: Option<Command>,
) -> Vec<Effect> {
    match command {
        Some(command) => run(state, command),
        None => {
            type_into(state, key);
            Vec::new()
        }
    }
}

/// A key no binding takes goes to the dialog's text field, if it has one.
fn type_into(state: &mut State, key: KeyEvent) {
    let (input, error) = match &mut state.dialog {
        Some(Dialog::NewKey {
            step: NewKeyStep::Label,
            label: input,
            error,
            ..
        })
        | Some(Dialog::AddExternal {
            step: NewKeyStep::Label,
            app_key: input,
            error,
            ..
        })
        | Some(Dialog::RenewByKey {
            app_key: input,
            error,
        }) => (input, error),
        _ => return,
    };
    input.handle_event(&Event::Key(key));
    *error = None;
}

fn run(state: &mut State, command: Command) -> Vec<Effect> {
    let own_account = state.header.account.clone();
    let next = match &mut state.dialog {
        None => return Vec::new(),
        Some(Dialog::Help) | Some(Dialog::Details { .. }) => Next::Close,
        Some(Dialog::RenewByKey { .. }) => match command {
            Command::Next => {
                crate::tui::renew_by_key::next(state);
                return Vec::new();
            }
            _ => Next::Close,
        },
        Some(Dialog::Token(token)) => token_command(token, command),
        Some(Dialog::Confirm(confirm)) => match command {
            Command::Accept => Next::Send(confirm.change.clone()),
            _ => Next::Close,
        },
        Some(Dialog::DeleteKey {
            id,
            app_key,
            understood,
            ..
        }) => delete_command(id, app_key, understood, command),
        Some(Dialog::Renew {
            app_key,
            label,
            delete_now,
        }) => renew_command(app_key, label, delete_now, command),
        Some(Dialog::EditRoles {
            id,
            picker,
            original,
            ..
        }) => edit_roles(id, picker, original, command),
        Some(Dialog::NewKey {
            step,
            label,
            picker,
            error,
        }) => {
            let form = Form {
                step,
                input: label,
                error,
                picker,
            };
            form.command(command, crate::keyformat::clean_label, |label, roles| {
                Call::CreateKey { label, roles }
            })
        }
        Some(Dialog::AddExternal {
            step,
            app_key,
            picker,
            error,
        }) => {
            let form = Form {
                step,
                input: app_key,
                error,
                picker,
            };
            let check = |text: &str| check_external(text, &own_account);
            form.command(command, check, |app_key, roles| {
                Call::Change(Change::AddExternal { app_key, roles })
            })
        }
    };
    apply(state, next)
}

fn apply(state: &mut State, next: Next) -> Vec<Effect> {
    match next {
        Next::Stay => Vec::new(),
        Next::Say(text) => {
            say(state, text);
            Vec::new()
        }
        Next::Close => {
            state.dialog = None;
            Vec::new()
        }
        Next::CloseSaying(text) => {
            state.dialog = None;
            say(state, text);
            Vec::new()
        }
        Next::Send(change) => {
            state.dialog = None;
            send_change(state, change)
        }
        Next::Call(call) => {
            state.dialog = None;
            vec![request(state, call)]
        }
        Next::SendForm(call) => {
            let Some(mut form) = state.dialog.take() else {
                return Vec::new();
            };
            if let Dialog::NewKey { error, .. } | Dialog::AddExternal { error, .. } = &mut form {
                *error = None;
            }
            vec![request_for_form(state, call, form)]
        }
        Next::Copy(token) => vec![Effect::Copy(token)],
    }
}
