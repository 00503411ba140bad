//! The dialogs, one type each, as plain data. Each names its key table here (from which its
//! footer and hints are drawn); each handles its own commands in `update::dialogs`.

use std::collections::BTreeSet;

use secrecy::SecretString;
use tui_input::Input;

use super::action::{Change, Failure};
use super::keymap::{self, Binding};
use super::overlay::Scroll;
use crate::vtex::model::{AuditEntry, RoleDetails};

/// A list of roles with check marks, for new keys and role editing.
#[derive(Debug, Clone, Default)]
pub struct RolePicker {
    pub roles: Vec<(i64, String)>,
    pub chosen: BTreeSet<i64>,
    pub cursor: usize,
    pub offset: usize,
}

impl RolePicker {
    pub fn new(roles: &[RoleDetails], chosen: BTreeSet<i64>) -> RolePicker {
        RolePicker {
            roles: roles.iter().map(|r| (r.id, r.name.clone())).collect(),
            chosen,
            cursor: 0,
            offset: 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKeyStep {
    Label,
    Roles,
}

/// A confirmation that, when accepted, sends `change`.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub body: String,
    /// The button's text, e.g. "Deactivate".
    pub accept: String,
    pub destructive: bool,
    pub change: Change,
}

/// Deleting a key asks for an explicit "I understand this cannot be undone".
#[derive(Debug, Clone)]
pub struct DeleteKeyDialog {
    pub id: String,
    pub app_key: String,
    pub label: String,
    pub understood: bool,
}

/// A new key: its label, then its roles.
#[derive(Debug, Clone)]
pub struct NewKeyDialog {
    pub step: NewKeyStep,
    pub label: Input,
    pub picker: RolePicker,
    pub error: Option<String>,
}

/// The roles of a key, ticked; saving sends what changed from `original`.
#[derive(Debug, Clone)]
pub struct EditRolesDialog {
    pub id: String,
    pub app_key: String,
    pub picker: RolePicker,
    pub original: BTreeSet<i64>,
}

/// Renew: delete the old token now, or keep it until "delete old token".
#[derive(Debug, Clone)]
pub struct RenewDialog {
    pub app_key: String,
    pub label: String,
    pub delete_now: bool,
}

/// Renew a key named by its appKey, for a caller that may not list keys.
#[derive(Debug, Clone, Default)]
pub struct RenewByKeyDialog {
    pub app_key: Input,
    pub error: Option<String>,
}

/// An external key: its appKey, then the roles it gets here.
#[derive(Debug, Clone)]
pub struct AddExternalDialog {
    pub step: NewKeyStep,
    pub app_key: Input,
    pub picker: RolePicker,
    pub error: Option<String>,
}

/// The token dialog: the secret is shown once, masked until asked.
pub struct TokenDialog {
    pub app_key: String,
    pub label: String,
    pub token: SecretString,
    pub revealed: bool,
    /// What the last copy did, for the dialog to say.
    pub copied: Option<String>,
    /// Set after a renewal: whether the old token was deleted (now) or kept (later).
    pub old_token: Option<String>,
}

impl std::fmt::Debug for TokenDialog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenDialog")
            .field("app_key", &self.app_key)
            .field("token", &"[redacted]")
            .finish()
    }
}

/// Which list a details dialog's key is in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KeyList {
    #[default]
    Generated,
    External,
}

/// Every field of a key, its roles, token dates and audit entries; scrolls when taller than
/// the screen.
#[derive(Debug, Default)]
pub struct DetailsDialog {
    pub key_id: String,
    pub list: KeyList,
    pub audit: Option<Result<Vec<AuditEntry>, Failure>>,
    pub scroll: Scroll,
}

/// The help overlay: every binding of the screen under it; scrolls when taller than the screen.
#[derive(Debug, Clone, Copy, Default)]
pub struct HelpDialog {
    pub scroll: Scroll,
}

#[derive(Debug)]
pub enum Dialog {
    Confirm(Confirm),
    DeleteKey(DeleteKeyDialog),
    NewKey(NewKeyDialog),
    EditRoles(EditRolesDialog),
    Renew(RenewDialog),
    RenewByKey(RenewByKeyDialog),
    AddExternal(AddExternalDialog),
    Token(TokenDialog),
    Details(DetailsDialog),
    Help(HelpDialog),
}

/// A dialog's text field, while it has the keyboard: keys no binding takes are typed into it.
pub struct TextField<'a> {
    pub input: &'a mut Input,
    /// The dialog's complaint about the text, cleared as the user types.
    pub error: &'a mut Option<String>,
    /// An appKey field: pasted spaces are dropped (pasted keys often carry them).
    pub app_key: bool,
}

impl Dialog {
    /// The text field that has the keyboard, if the dialog shows one now.
    pub fn text_field(&mut self) -> Option<TextField<'_>> {
        let (input, error, app_key) = match self {
            Dialog::NewKey(NewKeyDialog {
                step: NewKeyStep::Label,
                label,
                error,
                ..
            }) => (label, error, false),
            Dialog::AddExternal(AddExternalDialog {
                step: NewKeyStep::Label,
                app_key,
                error,
                ..
            })
            | Dialog::RenewByKey(RenewByKeyDialog { app_key, error }) => (app_key, error, true),
            _ => return None,
        };
        Some(TextField {
            input,
            error,
            app_key,
        })
    }

    /// The open dialog's bindings (its footer); keys not in them are typed into its text
    /// field, if any.
    pub fn bindings(&self) -> &'static [Binding] {
        match self {
            Dialog::Confirm(dialog) => dialog.bindings(),
            Dialog::DeleteKey(dialog) => dialog.bindings(),
            Dialog::NewKey(dialog) => dialog.bindings(),
            Dialog::EditRoles(dialog) => dialog.bindings(),
            Dialog::Renew(dialog) => dialog.bindings(),
            Dialog::RenewByKey(dialog) => dialog.bindings(),
            Dialog::AddExternal(dialog) => dialog.bindings(),
            Dialog::Token(dialog) => dialog.bindings(),
            Dialog::Details(dialog) => dialog.bindings(),
            Dialog::Help(dialog) => dialog.bindings(),
        }
    }
}

impl Confirm {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::CONFIRM
    }
}

impl DeleteKeyDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::DELETE_KEY
    }
}

impl NewKeyDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        match self.step {
            NewKeyStep::Label => keymap::FORM_TEXT,
            NewKeyStep::Roles => keymap::NEW_KEY_ROLES,
        }
    }
}

impl EditRolesDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::EDIT_ROLES
    }
}

impl RenewDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::RENEW
    }
}

impl RenewByKeyDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::RENEW_BY_KEY
    }
}

impl AddExternalDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        match self.step {
            NewKeyStep::Label => keymap::FORM_TEXT,
            NewKeyStep::Roles => keymap::ADD_EXTERNAL_ROLES,
        }
    }
}

impl TokenDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::TOKEN
    }
}

impl DetailsDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::DETAILS
    }
}

impl HelpDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::HELP
    }
}
