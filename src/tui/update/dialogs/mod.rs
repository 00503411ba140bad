//! Keys inside the dialogs. Each dialog is a type (`tui::dialog`) that names its key table
//! (which also draws its footer) and handles its command in place with `on_command`, saying
//! what happens next; this module carries that out.

use secrecy::SecretString;

use crate::vtex::model::ExternalKey;

mod choices;
mod form;
mod insights;
mod overlay;
mod profiles;
mod roles;

pub(super) use overlay::clamp_overlay;
use roles::*;

use super::*;

/// What a dialog's command leads to.
// Returned once per key and matched at once: a dialog moved by value costs nothing worth a Box.
#[allow(clippy::large_enum_variant)]
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
    /// Copy this appKey (not a secret: no timed clear).
    CopyAppKey(String),
    /// Open this dialog in place of the current one.
    Replace(Dialog),
    /// Close and start this bulk run.
    StartBulk(crate::tui::bulk::Plan),
    /// Close and ask for this bulk action (its confirmation opens).
    AskBulk(crate::tui::bulk::BulkAction),
    /// Close and switch to this profile.
    SwitchProfile(String),
    /// Close and start this rotation.
    StartRotation(crate::tui::rotation::RotatePlan),
    /// Insights: close and show the keys of this finding (its index).
    ShowFinding(usize),
    /// Insights: read the account again.
    Reassess,
}

/// What a dialog may read of the rest of the state while it handles a command.
pub(super) struct DialogContext<'a> {
    /// The account signed in to, e.g. "acme".
    pub(super) own_account: &'a str,
    /// The appKey the app is signed in with.
    pub(super) caller_key: &'a str,
    /// The external keys the app has listed, so a form can refuse one added already.
    pub(super) external_keys: &'a [ExternalKey],
    /// The rows a role picker's page keys move, for this terminal.
    pub(super) picker_page: usize,
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

/// A click on a dialog's button: it takes the focus and is pressed, as Enter would.
pub(super) fn press_button(state: &mut State, focus: Focus) -> Vec<Effect> {
    match &mut state.dialog {
        Some(Dialog::Confirm(Confirm { focus: at, .. }))
        | Some(Dialog::DeleteKey(DeleteKeyDialog { focus: at, .. }))
        | Some(Dialog::Bulk(BulkConfirm { focus: at, .. }))
        | Some(Dialog::Rotate(RotateConfirm { focus: at, .. })) => *at = focus,
        _ => return Vec::new(),
    }
    run(state, Command::Press)
}

/// A key no binding takes goes to the dialog's text field, if it has one.
fn type_into(state: &mut State, key: KeyEvent) {
    if let Some(field) = state.dialog.as_mut().and_then(Dialog::text_field) {
        field.input.handle_event(&Event::Key(key));
        if let Some(error) = field.error {
            *error = None;
        }
    }
    // A role filter that changed shows other roles: the cursor starts at the first.
    if let Some(picker) = state.dialog.as_mut().and_then(Dialog::picker_mut)
        && picker.filtering
    {
        picker.cursor = 0;
        picker.offset = 0;
    }
}

fn run(state: &mut State, command: Command) -> Vec<Effect> {
    // Measured before the dialog is borrowed: what a scroll may move.
    let window = match command {
        Command::Scroll(_) => crate::tui::view::overlay_window(state),
        _ => None,
    };
    let Some(dialog) = &mut state.dialog else {
        return Vec::new();
    };
    let ctx = DialogContext {
        own_account: &state.header.account,
        caller_key: &state.header.caller_key,
        external_keys: &state.external.rows,
        picker_page: crate::tui::view::picker_page(state.size.1),
    };
    let next = match dialog {
        Dialog::Help(dialog) => dialog.on_command(command, window),
        Dialog::Details(dialog) => dialog.on_command(command, window),
        Dialog::BulkSummary(dialog) => dialog.on_command(command, window),
        Dialog::Bulk(dialog) => dialog.on_command(command),
        Dialog::BulkRoles(dialog) => dialog.on_command(command, &ctx),
        Dialog::RenewByKey(dialog) => dialog.on_command(command, &ctx),
        Dialog::Token(dialog) => dialog.on_command(command),
        Dialog::Confirm(dialog) => dialog.on_command(command),
        Dialog::DeleteKey(dialog) => dialog.on_command(command),
        Dialog::Renew(dialog) => dialog.on_command(command),
        Dialog::EditRoles(dialog) => dialog.on_command(command, &ctx),
        Dialog::NewKey(dialog) => dialog.on_command(command, &ctx),
        Dialog::AddExternal(dialog) => dialog.on_command(command, &ctx),
        Dialog::Profiles(dialog) => dialog.on_command(command),
        Dialog::Rotate(dialog) => dialog.on_command(command),
        Dialog::Insights(dialog) => dialog.on_command(command),
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
            match state.dialog.take() {
                Some(Dialog::Token(TokenDialog {
                    after_close: Some(notice),
                    ..
                })) => say(state, strings::token_wiped_then(&notice)),
                _ => say(state, text),
            }
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
            if let Dialog::NewKey(NewKeyDialog { error, .. })
            | Dialog::AddExternal(AddExternalDialog { error, .. }) = &mut form
            {
                *error = None;
            }
            vec![request_for_form(state, call, form)]
        }
        Next::Copy(token) => vec![Effect::Copy(token)],
        Next::CopyAppKey(app_key) => vec![Effect::CopyAppKey(app_key)],
        Next::Replace(dialog) => {
            state.dialog = Some(dialog);
            Vec::new()
        }
        Next::StartBulk(plan) => {
            state.dialog = None;
            start(state, plan)
        }
        Next::AskBulk(action) => {
            state.dialog = None;
            ask(state, action)
        }
        Next::SwitchProfile(name) => {
            state.dialog = None;
            switch_profile(state, Some(name))
        }
        Next::StartRotation(plan) => {
            state.dialog = None;
            start_rotation(state, plan)
        }
        Next::ShowFinding(at) => super::insights::show_finding(state, at),
        Next::Reassess => super::insights::assess(state),
    }
}
