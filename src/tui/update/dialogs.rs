//! Keys inside the dialogs.

use super::*;

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

/// Keys common to role pickers; true when handled.
pub(super) fn picker_key(picker: &mut RolePicker, key: &KeyEvent, page: usize) -> bool {
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

pub(super) fn on_dialog_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(dialog) = state.dialog.take() else {
        return Vec::new();
    };
    // Role pickers page by what they show, not by the table's height.
    let page = crate::tui::view::PICKER_ROWS;
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
                // What the clipboard did comes back as `Action::Copied`.
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
            return crate::tui::renew_by_key::on_key(state, app_key, key);
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
                let form = Dialog::EditRoles {
                    id: id.clone(),
                    app_key,
                    picker,
                    original,
                };
                return send_form_change(state, Change::SetRoles { id, add, remove }, form);
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
                    let form = Dialog::NewKey {
                        step,
                        label,
                        picker,
                        error: None,
                    };
                    return vec![request_for_form(state, call, form)];
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
                    let form = Dialog::AddExternal {
                        step,
                        app_key,
                        picker,
                        error: None,
                    };
                    return send_form_change(state, change, form);
                }
            }
        }
    }
    Vec::new()
}

/// What a key did to a two-step form (a text field, then a role picker).
pub(super) enum FormKey {
    Stay,
    Submit,
    Cancel,
}

/// The keys of the new-key and add-external forms: type, Enter checks the text (`check`
/// returns it normalized, or the reason it is refused) and moves to the roles; there Space
/// ticks, S-Tab or Backspace goes back, and Enter submits. Esc cancels at any step.
pub(super) fn form_key(
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
