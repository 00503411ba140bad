//! The two-step forms: new key and add external key (a text field, then a role picker).

use super::*;

/// An external key as typed: without spaces (pasted keys often carry them), of another
/// account, and not already added (compared exactly, as the server does: an appKey's case is
/// fixed by its format).
pub(super) fn check_external(
    text: &str,
    own_account: &str,
    added: &[ExternalKey],
) -> Result<String, String> {
    let wanted: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match crate::keyformat::app_key_account(&wanted) {
        Some(account) if account == own_account => Err(strings::EXTERNAL_OWN_ACCOUNT.into()),
        Some(_) if added.iter().any(|key| key.app_key == wanted) => {
            Err(strings::dialogs::external_already_added(&wanted))
        }
        Some(_) => Ok(wanted),
        None => Err(strings::EXPECTED_APP_KEY.into()),
    }
}

impl NewKeyDialog {
    pub(super) fn on_command(&mut self, command: Command, ctx: &DialogContext) -> Next {
        let form = Form {
            step: &mut self.step,
            input: &mut self.label,
            error: &mut self.error,
            picker: &mut self.picker,
        };
        form.command(
            command,
            ctx,
            crate::keyformat::clean_label,
            |label, roles| Call::CreateKey { label, roles },
        )
    }
}

impl AddExternalDialog {
    pub(super) fn on_command(&mut self, command: Command, ctx: &DialogContext) -> Next {
        let form = Form {
            step: &mut self.step,
            input: &mut self.app_key,
            error: &mut self.error,
            picker: &mut self.picker,
        };
        let check = |text: &str| check_external(text, ctx.own_account, ctx.external_keys);
        form.command(command, ctx, check, |app_key, roles| {
            Call::Change(Change::AddExternal { app_key, roles })
        })
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
    /// Next (Enter, Tab) checks the text (`check` returns it normalized, or the reason it is
    /// refused) and moves to the roles; there the picker keys work, Back (Esc) returns to the
    /// text keeping it and the ticks, and Accept sends what `submit` makes of the text and
    /// the ticked roles, asking first if that grants an administrator role.
    fn command(
        self,
        command: Command,
        ctx: &DialogContext,
        check: impl Fn(&str) -> Result<String, String>,
        submit: impl FnOnce(String, Vec<i64>) -> Call,
    ) -> Next {
        if let Some(next) = ask_before_admin(self.picker, command, &BTreeSet::new()) {
            return next;
        }
        match command {
            Command::Next => match check(self.input.value()) {
                Ok(normalized) => {
                    *self.input = Input::new(normalized);
                    *self.step = NewKeyStep::Roles;
                    *self.error = None;
                }
                Err(reason) => *self.error = Some(reason),
            },
            Command::Back => {
                if !picker_command(self.picker, command, ctx.picker_page) {
                    *self.step = NewKeyStep::Label;
                }
            }
            Command::Accept => {
                let roles = self.picker.chosen.iter().copied().collect();
                return Next::SendForm(submit(self.input.value().to_string(), roles));
            }
            Command::Cancel => return Next::Close,
            _ => {
                picker_command(self.picker, command, ctx.picker_page);
            }
        }
        Next::Stay
    }
}
