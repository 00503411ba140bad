//! Keys inside the dialogs. Each dialog's keys come from its table in `keymap` (which also
//! draws its footer); each dialog handles its command in place and says what happens next.

use secrecy::SecretString;

use super::*;

/// What a dialog's command leads to.
enum Next {
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

pub(super) fn move_picker(picker: &mut RolePicker, delta: isize, page: usize) {
    let mut selection = Selection {
        selected: picker.cursor,
        offset: picker.offset,
    };
    selection.move_by(delta, picker.roles.len(), page.max(1));
    picker.cursor = selection.selected;
    picker.offset = selection.offset;
}

pub(super) fn toggle_picker(picker: &mut RolePicker) {
    if let Some((id, _)) = picker.roles.get(picker.cursor)
        && !picker.chosen.remove(id)
    {
        picker.chosen.insert(*id);
    }
}

/// Picker commands; true when handled. Pickers page by what they show, not the table.
fn picker_command(picker: &mut RolePicker, command: Command) -> bool {
    let page = crate::tui::view::PICKER_ROWS;
    match command {
        Command::PickerMove(step) => move_picker(picker, delta(step, page), page),
        Command::PickerToggle => toggle_picker(picker),
        _ => return false,
    }
    true
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

fn delete_command(id: &str, app_key: &str, understood: &mut bool, command: Command) -> Next {
    match command {
        Command::Acknowledge => {
            *understood = !*understood;
            Next::Stay
        }
        Command::Accept if *understood => Next::Send(Change::DeleteKey {
            id: id.to_string(),
            app_key: app_key.to_string(),
        }),
        Command::Accept => Next::Say(strings::TICK_TO_DELETE),
        _ => Next::Close,
    }
}

fn renew_command(app_key: &str, label: &str, delete_now: &mut bool, command: Command) -> Next {
    match command {
        Command::Accept => Next::Call(Call::Renew {
            app_key: app_key.to_string(),
            label: label.to_string(),
            delete_old_now: *delete_now,
        }),
        Command::Choose => {
            *delete_now = !*delete_now;
            Next::Stay
        }
        _ => Next::Close,
    }
}

fn token_command(token: &mut TokenDialog, command: Command) -> Next {
    match command {
        Command::Reveal => {
            token.revealed = !token.revealed;
            Next::Stay
        }
        // What the clipboard did comes back as `Action::Copied`.
        Command::Copy => Next::Copy(token.token.clone()),
        // Closing drops the dialog, and with it the token (SecretString zeroizes on drop).
        _ => Next::CloseSaying(strings::TOKEN_WIPED),
    }
}

fn edit_roles(
    id: &str,
    picker: &mut RolePicker,
    original: &BTreeSet<i64>,
    command: Command,
) -> Next {
    if picker_command(picker, command) {
        return Next::Stay;
    }
    if command != Command::Accept {
        return Next::Close;
    }
    let add: Vec<i64> = picker.chosen.difference(original).copied().collect();
    let remove: Vec<i64> = original.difference(&picker.chosen).copied().collect();
    if add.is_empty() && remove.is_empty() {
        return Next::CloseSaying(strings::NO_ROLE_CHANGED);
    }
    Next::SendForm(Call::Change(Change::SetRoles {
        id: id.to_string(),
        add,
        remove,
    }))
}

/// An external key as typed: without spaces (pasted keys often carry them), of another account.
fn check_external(text: &str, own_account: &str) -> Result<String, String> {
    let wanted: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match crate::keyformat::app_key_account(&wanted) {
        Some(account) if account == own_account => Err(strings::EXTERNAL_OWN_ACCOUNT.into()),
        Some(_) => Ok(wanted),
        None => Err(strings::EXPECTED_APP_KEY.into()),
    }
}

/// The two-step forms (a text field, then a role picker), borrowed from their dialog.
struct Form<'a> {
    step: &'a mut NewKeyStep,
    input: &'a mut Input,
    error: &'a mut Option<String>,
    picker: &'a mut RolePicker,
}

impl Form<'_> {
    /// Next checks the text (`check` returns it normalized, or the reason it is refused) and
    /// moves to the roles; there the picker keys work, Back returns to the text, and Accept
    /// sends what `submit` makes of the text and the ticked roles.
    fn command(
        self,
        command: Command,
        check: impl Fn(&str) -> Result<String, String>,
        submit: impl FnOnce(String, Vec<i64>) -> Call,
    ) -> Next {
        match command {
            Command::Next => match check(self.input.value()) {
                Ok(normalized) => {
                    *self.input = Input::new(normalized);
                    *self.step = NewKeyStep::Roles;
                    *self.error = None;
                }
                Err(reason) => *self.error = Some(reason),
            },
            Command::Back => *self.step = NewKeyStep::Label,
            Command::Accept => {
                let roles = self.picker.chosen.iter().copied().collect();
                return Next::SendForm(submit(self.input.value().to_string(), roles));
            }
            Command::Cancel => return Next::Close,
            _ => {
                picker_command(self.picker, command);
            }
        }
        Next::Stay
    }
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
