//! The dialogs that choose or confirm: delete (with its acknowledgement), renew (old token now
//! or later), and the token dialog (reveal, copy, close).

use super::*;

pub(super) fn delete_command(
    id: &str,
    app_key: &str,
    understood: &mut bool,
    command: Command,
) -> Next {
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

pub(super) fn renew_command(
    app_key: &str,
    label: &str,
    delete_now: &mut bool,
    command: Command,
) -> Next {
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

pub(super) fn token_command(token: &mut TokenDialog, command: Command) -> Next {
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
