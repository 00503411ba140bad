//! The dialogs that choose or confirm: confirmations, delete (with its acknowledgement), renew
//! (old token now or later), renew by appKey, and the token dialog (reveal, copy, close).

use super::*;

impl Confirm {
    pub(super) fn on_command(&mut self, command: Command) -> Next {
        if let Some(focus) = self.focus.after(command) {
            self.focus = focus;
            return Next::Stay;
        }
        match command {
            Command::Accept => Next::Send(self.change.clone()),
            Command::Press if self.focus == Focus::Action => Next::Send(self.change.clone()),
            _ => Next::Close,
        }
    }
}

/// The keys of a confirmation whose action waits for "I understand": the focus moves, the
/// tick toggles (both answered `None`: stay); Enter presses the focused button. What is left
/// is Accept or a cancel.
fn acknowledging(focus: &mut Focus, understood: &mut bool, command: Command) -> Option<Command> {
    if let Some(moved) = focus.after(command) {
        *focus = moved;
        return None;
    }
    match (command, *focus) {
        (Command::Acknowledge, _) => {
            *understood = !*understood;
            None
        }
        (Command::Press, Focus::Action) => Some(Command::Accept),
        (Command::Press, Focus::Cancel) => Some(Command::Cancel),
        (command, _) => Some(command),
    }
}

impl RotateConfirm {
    /// As the single confirmations: y or the focused button starts the run.
    pub(super) fn on_command(&mut self, command: Command) -> Next {
        if let Some(focus) = self.focus.after(command) {
            self.focus = focus;
            return Next::Stay;
        }
        match command {
            Command::Accept => Next::StartRotation(self.plan.clone()),
            Command::Press if self.focus == Focus::Action => Next::StartRotation(self.plan.clone()),
            _ => Next::Close,
        }
    }
}

impl BulkConfirm {
    /// As the single confirmations: y or the focused button accepts; an action that cannot be
    /// undone waits for its acknowledgement, as deleting one key does.
    pub(super) fn on_command(&mut self, command: Command) -> Next {
        let needs_tick = self.needs_acknowledgement();
        let Some(command) = acknowledging(&mut self.focus, &mut self.understood, command) else {
            return Next::Stay;
        };
        match command {
            Command::Accept if self.understood || !needs_tick => {
                Next::StartBulk(std::mem::take(&mut self.plan))
            }
            Command::Accept => Next::Say(strings::bulk::TICK_TO_CONFIRM),
            _ => Next::Close,
        }
    }
}

impl DeleteKeyDialog {
    pub(super) fn on_command(&mut self, command: Command) -> Next {
        let Some(command) = acknowledging(&mut self.focus, &mut self.understood, command) else {
            return Next::Stay;
        };
        match command {
            Command::Accept if self.understood => Next::Send(Change::DeleteKey {
                id: self.id.clone(),
                app_key: self.app_key.clone(),
            }),
            Command::Accept => Next::Say(strings::TICK_TO_DELETE),
            _ => Next::Close,
        }
    }
}

impl RenewDialog {
    pub(super) fn on_command(&mut self, command: Command) -> Next {
        match command {
            Command::Accept => Next::Call(Call::Renew {
                app_key: self.app_key.clone(),
                label: self.label.clone(),
                delete_old_now: self.delete_now,
            }),
            Command::Choose => {
                self.delete_now = !self.delete_now;
                Next::Stay
            }
            _ => Next::Close,
        }
    }
}

impl RenewByKeyDialog {
    /// Next goes on to the renew dialog, or says why the appKey is refused.
    pub(super) fn on_command(&mut self, command: Command, ctx: &DialogContext) -> Next {
        if command != Command::Next {
            return Next::Close;
        }
        let checked =
            crate::tui::renew_by_key::check(ctx.own_account, ctx.caller_key, self.app_key.value());
        match checked {
            Ok(app_key) => Next::Replace(Dialog::Renew(RenewDialog {
                app_key,
                // Unknown without the listing; the renewal's answer names it.
                label: String::new(),
                delete_now: false,
            })),
            Err(reason) => {
                self.error = Some(reason);
                Next::Stay
            }
        }
    }
}

impl TokenDialog {
    pub(super) fn on_command(&mut self, command: Command) -> Next {
        if self.closing {
            // "It cannot be shown again. Close anyway?"
            return match command {
                Command::Accept => Next::CloseSaying(strings::TOKEN_WIPED),
                _ => {
                    self.closing = false;
                    Next::Stay
                }
            };
        }
        match command {
            Command::Reveal => {
                self.revealed = !self.revealed;
                self.seen |= self.revealed;
                Next::Stay
            }
            // What the clipboard did comes back as `Action::Copied`.
            Command::Copy => Next::Copy(self.token.clone()),
            // The appKey, not the token; it comes back as `Action::CopiedAppKey`.
            Command::CopyAppKey => Next::CopyAppKey(self.app_key.clone()),
            // A token never seen nor copied is lost on close: ask once.
            _ if !self.taken() => {
                self.closing = true;
                Next::Stay
            }
            // Closing drops the dialog, and with it the token (SecretString zeroizes on drop).
            _ => Next::CloseSaying(strings::TOKEN_WIPED),
        }
    }
}
