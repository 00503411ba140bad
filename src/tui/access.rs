//! What the caller may do: the server's extensions and the session's permissions
//! (`Access`), and the rules of the selected row and the session (`State::check_selected`):
//! each operation is allowed or refused with the sentence that says why.

use super::state::{Connection, State, Tab};
use crate::permissions::{Resource, ResourceSet};

/// What the server can do and what the caller may do, once known.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// The apikeys extensions; `None` until the first answer.
    pub extensions: Option<bool>,
    /// The four API-key resources the session reports; `None` when the server cannot say.
    pub permissions: Option<ResourceSet>,
    pub read_only: bool,
}

/// Something the user can ask for; each is allowed or refused with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    ToggleKey,
    NewKey,
    EditRoles,
    Renew,
    FinishRenewal,
    UndoRenewal,
    DeleteKey,
    AddExternal,
    RemoveExternal,
    ToggleExternal,
    EditExternalRoles,
    SetDuration,
    ViewAudit,
    /// `:rotate`: renew, hand off, verify, finish.
    Rotate,
}

/// VTEX's rotation guide, as the key bar and help give it for the caller's own row.
pub const OWN_KEY_RENEWAL: &str = super::strings::access::OWN_KEY_RENEWAL;

impl State {
    /// As [`Access::check`], plus the rules that depend on the session and the selected row:
    /// nothing while the server refuses the credentials; the caller's own key cannot renew
    /// itself (VTEX's rule), nor be deactivated or deleted (the server refuses what would lock
    /// the caller out); a key whose renewal is pending is not renewed again (VTEX refuses it).
    pub fn check_selected(&self, op: Op) -> Result<(), String> {
        if self.connection == Connection::Unauthorized {
            // Every change would be refused too; the pane says which credential to fix.
            return Err(super::strings::access::CREDENTIALS_REFUSED.into());
        }
        self.access.check(op)?;
        if self.tab == Tab::External
            && let Some(external) = self.external.selected_key()
            && self.is_own_key(&external.app_key)
        {
            // An agency signed in to its client's account with the key listed here.
            use super::strings::access::{OWN_KEY_DEACTIVATION, OWN_KEY_REMOVAL};
            match op {
                Op::ToggleExternal => return Err(OWN_KEY_DEACTIVATION.into()),
                Op::RemoveExternal => return Err(OWN_KEY_REMOVAL.into()),
                _ => {}
            }
        }
        let selected = match self.tab {
            Tab::Keys => self.keys.selected_key(),
            _ => None,
        };
        let Some(selected) = selected else {
            return Ok(());
        };
        if self.is_own_key(&selected.app_key) {
            match op {
                Op::Renew => return Err(OWN_KEY_RENEWAL.into()),
                Op::ToggleKey => return Err(super::strings::access::OWN_KEY_DEACTIVATION.into()),
                Op::DeleteKey => return Err(super::strings::access::OWN_KEY_DELETION.into()),
                _ => {}
            }
        }
        if op == Op::Renew && selected.renewal_pending() {
            return Err(self.renewal_pending_reason());
        }
        Ok(())
    }

    /// Why `r` is refused while a renewal is pending, naming the keys that act on it instead
    /// (only those the caller may use).
    fn renewal_pending_reason(&self) -> String {
        use super::strings::access;
        let may = |op| self.check_selected(op).is_ok();
        let mut instead = Vec::new();
        if may(Op::FinishRenewal) {
            instead.push(access::PENDING_FINISH);
        }
        if may(Op::UndoRenewal) {
            instead.push(access::PENDING_UNDO);
        }
        access::renewal_pending(&instead)
    }

    /// Whether `app_key` is the key the app is signed in with.
    pub fn is_own_key(&self, app_key: &str) -> bool {
        !self.header.caller_key.is_empty() && app_key == self.header.caller_key
    }
}

impl Access {
    /// Ok, or the one-line reason the operation is not available here.
    pub fn check(&self, op: Op) -> Result<(), String> {
        let (needs_extension, permission) = match op {
            Op::ToggleKey | Op::NewKey | Op::EditRoles => (false, Resource::EditApiKeys),
            Op::Renew | Op::FinishRenewal | Op::Rotate => (false, Resource::RenewApiToken),
            Op::UndoRenewal => (true, Resource::RenewApiToken),
            Op::DeleteKey
            | Op::AddExternal
            | Op::RemoveExternal
            | Op::ToggleExternal
            | Op::EditExternalRoles => (true, Resource::EditApiKeys),
            Op::SetDuration => (true, Resource::EditApiKeysSettings),
            Op::ViewAudit => (true, Resource::ViewApiKeys),
        };
        if self.read_only && op != Op::ViewAudit {
            return Err(super::strings::access::READ_ONLY.into());
        }
        if needs_extension && self.extensions == Some(false) {
            return Err(super::strings::access::NEEDS_EXTENSION.into());
        }
        if let Some(held) = &self.permissions
            && !held.contains(permission)
        {
            return Err(super::strings::access::lacks_permission(
                permission.display_name(),
            ));
        }
        Ok(())
    }
}
