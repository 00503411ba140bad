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
    /// Held roles first, then the rest, each group by name regardless of case.
    pub roles: Vec<(i64, String)>,
    pub chosen: BTreeSet<i64>,
    /// Position in `shown()`, the roles the filter lets through.
    pub cursor: usize,
    pub offset: usize,
    /// Typed after `/`: only roles whose name contains it (any case) are shown.
    pub filter: Input,
    /// The filter has the keyboard.
    pub filtering: bool,
    /// The administrator roles (`isAdmin`: they hold everything), asked about before granting.
    pub admin: BTreeSet<i64>,
    /// Accepted with an administrator role newly ticked: the picker asks before sending.
    pub asking_admin: bool,
    /// The administrator roles the user just declined to grant (n/Esc to the question): they
    /// were unticked, and the summary says so until the next tick.
    pub declined_admin: Vec<String>,
}

impl RolePicker {
    pub fn new(roles: &[RoleDetails], chosen: BTreeSet<i64>) -> RolePicker {
        let mut listed: Vec<(i64, String)> = roles.iter().map(|r| (r.id, r.name.clone())).collect();
        // Stable: roles of the same name keep the server's order.
        listed.sort_by_cached_key(|(id, name)| (!chosen.contains(id), name.to_lowercase()));
        RolePicker {
            roles: listed,
            chosen,
            admin: roles.iter().filter(|r| r.is_admin).map(|r| r.id).collect(),
            ..RolePicker::default()
        }
    }

    /// Indices into `roles` of the roles the filter shows, in order.
    pub fn shown(&self) -> Vec<usize> {
        let needle = self.filter.value().trim().to_lowercase();
        (0..self.roles.len())
            .filter(|&i| needle.is_empty() || self.roles[i].1.to_lowercase().contains(&needle))
            .collect()
    }

    /// The role under the cursor, if the filter shows any. A cursor past the end (the filter
    /// narrowed by a paste) is on the last role, as drawn.
    pub fn current(&self) -> Option<&(i64, String)> {
        let shown = self.shown();
        let at = self.cursor.min(shown.len().checked_sub(1)?);
        self.roles.get(shown[at])
    }

    /// The name of an administrator role ticked now and not in `held`: granting it asks first.
    pub fn granted_admin(&self, held: &BTreeSet<i64>) -> Option<&str> {
        self.roles
            .iter()
            .find(|(id, _)| {
                self.admin.contains(id) && self.chosen.contains(id) && !held.contains(id)
            })
            .map(|(_, name)| name.as_str())
    }

    /// Unticks the administrator roles ticked now and not in `held`, remembering their names.
    pub fn untick_granted_admin(&mut self, held: &BTreeSet<i64>) {
        let granted: Vec<(i64, String)> = self
            .roles
            .iter()
            .filter(|(id, _)| {
                self.admin.contains(id) && self.chosen.contains(id) && !held.contains(id)
            })
            .cloned()
            .collect();
        for (id, _) in &granted {
            self.chosen.remove(id);
        }
        self.declined_admin = granted.into_iter().map(|(_, name)| name).collect();
    }

    /// The picker's keys now: the administrator question, the filter, or the list's own.
    fn bindings_or(&self, list: &'static [Binding]) -> &'static [Binding] {
        if self.asking_admin {
            keymap::GRANT_ADMIN
        } else if self.filtering {
            keymap::PICKER_FILTERING
        } else {
            list
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKeyStep {
    Label,
    Roles,
}

/// Which of a dialog's two buttons, the action and Cancel, has the focus: it is drawn focused
/// and Enter presses it. The action is focused first everywhere (the delete dialog's action is
/// guarded by its acknowledgement instead), so Enter does what it always did, honestly drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Action,
    Cancel,
}

impl Focus {
    /// The focus after a focus-moving command; `None` when `command` moves no focus.
    pub fn after(self, command: keymap::Command) -> Option<Focus> {
        use keymap::Command;
        match command {
            Command::FocusLeft => Some(Focus::Action),
            Command::FocusRight => Some(Focus::Cancel),
            Command::FocusOther => Some(match self {
                Focus::Action => Focus::Cancel,
                Focus::Cancel => Focus::Action,
            }),
            _ => None,
        }
    }
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
    pub focus: Focus,
}

/// Deleting a key asks for an explicit "I understand this cannot be undone".
#[derive(Debug, Clone)]
pub struct DeleteKeyDialog {
    pub id: String,
    pub app_key: String,
    pub label: String,
    pub understood: bool,
    pub focus: Focus,
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
    /// The token was shown at least once (`revealed` is only whether it is shown now).
    pub seen: bool,
    /// A close was asked for while the token was neither seen nor copied: the dialog asks
    /// once whether to close anyway.
    pub closing: bool,
    /// Said once the dialog closes, after the wipe: the created key is hidden by the filter
    /// (the notice given while the token was shown is replaced by the close's message).
    pub after_close: Option<String>,
}

impl TokenDialog {
    pub fn new(
        app_key: String,
        label: String,
        token: SecretString,
        old_token: Option<String>,
    ) -> TokenDialog {
        TokenDialog {
            app_key,
            label,
            token,
            revealed: false,
            copied: None,
            old_token,
            seen: false,
            closing: false,
            after_close: None,
        }
    }

    /// Whether the user has the token: seen on screen, or a copy was made.
    pub fn taken(&self) -> bool {
        self.seen || self.copied.is_some()
    }
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

/// A bulk action, asked once: the action, how many keys, the first labels, the keys skipped
/// and why. Deleting (or removing) asks for the acknowledgement the single delete does.
#[derive(Debug, Clone)]
pub struct BulkConfirm {
    pub plan: crate::tui::bulk::Plan,
    pub understood: bool,
    pub focus: Focus,
}

impl BulkConfirm {
    /// Whether the action cannot be undone: the acknowledgement guards the button.
    pub fn needs_acknowledgement(&self) -> bool {
        use crate::tui::bulk::BulkAction;
        self.plan.grants_admin.is_some()
            || matches!(
                self.plan.action,
                Some(BulkAction::Delete | BulkAction::FinishRenewal | BulkAction::UndoRenewal)
            )
    }

    pub fn bindings(&self) -> &'static [Binding] {
        if self.needs_acknowledgement() {
            keymap::DELETE_KEY
        } else {
            keymap::CONFIRM
        }
    }
}

/// `:rotate`, asked once: the keys, the sink command for the first, the grace, what is
/// skipped and why.
#[derive(Debug, Clone)]
pub struct RotateConfirm {
    pub plan: crate::tui::rotation::RotatePlan,
    pub focus: Focus,
}

impl RotateConfirm {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::CONFIRM
    }
}

/// A role for the marked keys: the one under the cursor is added to (Enter) or removed from
/// (x) every marked key, through the bulk confirmation. Ticked: every marked key holds it.
#[derive(Debug, Clone)]
pub struct BulkRolesDialog {
    pub picker: RolePicker,
    pub count: usize,
}

impl BulkRolesDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        self.picker.bindings_or(keymap::BULK_ROLES)
    }
}

/// What a bulk run did, when anything failed or was not sent: every failure with its reason.
#[derive(Debug, Clone, Default)]
pub struct BulkSummary {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: Scroll,
}

impl BulkSummary {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::BULK_SUMMARY
    }
}

/// The help overlay: every binding of the screen under it; scrolls when taller than the screen.
#[derive(Debug, Clone, Copy, Default)]
pub struct HelpDialog {
    pub scroll: Scroll,
}

/// The Insights overlay (`I`, `:insights`): the token-age chart, then the findings; Enter on
/// one shows its keys in their list.
#[derive(Debug, Clone, Default)]
pub struct InsightsDialog {
    /// The assessment once it arrived; `None` while it is read.
    pub assessment: Option<Box<crate::posture::gather::Assessment>>,
    /// Why the assessment could not be made.
    pub failure: Option<String>,
    /// The finding under the cursor.
    pub cursor: usize,
    /// The request whose answer fills it (an older one's is dropped).
    pub request: Option<super::action::RequestId>,
}

impl InsightsDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::INSIGHTS
    }
}

/// The profile picker (`P`, `:profile`): the config file's profiles and the embedded demo.
#[derive(Debug, Clone, Default)]
pub struct ProfilePicker {
    /// Each profile's name, and what it points at when known without a token.
    pub entries: Vec<(String, Option<String>)>,
    /// The profile on screen, marked.
    pub current: Option<String>,
    pub cursor: usize,
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
    Bulk(BulkConfirm),
    BulkRoles(BulkRolesDialog),
    BulkSummary(BulkSummary),
    Profiles(ProfilePicker),
    Rotate(RotateConfirm),
    Insights(InsightsDialog),
}

/// A dialog's text field, while it has the keyboard: keys no binding takes are typed into it.
pub struct TextField<'a> {
    pub input: &'a mut Input,
    /// The dialog's complaint about the text, cleared as the user types (a role filter in
    /// the role editor has none).
    pub error: Option<&'a mut Option<String>>,
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
            }) => (label, Some(error), false),
            Dialog::AddExternal(AddExternalDialog {
                step: NewKeyStep::Label,
                app_key,
                error,
                ..
            })
            | Dialog::RenewByKey(RenewByKeyDialog { app_key, error }) => {
                (app_key, Some(error), true)
            }
            Dialog::NewKey(NewKeyDialog { picker, error, .. })
            | Dialog::AddExternal(AddExternalDialog { picker, error, .. })
                if picker.filtering =>
            {
                (&mut picker.filter, Some(error), false)
            }
            Dialog::EditRoles(EditRolesDialog { picker, .. })
            | Dialog::BulkRoles(BulkRolesDialog { picker, .. })
                if picker.filtering =>
            {
                (&mut picker.filter, None, false)
            }
            _ => return None,
        };
        Some(TextField {
            input,
            error,
            app_key,
        })
    }

    /// The role picker the dialog shows now, if any.
    pub fn picker_mut(&mut self) -> Option<&mut RolePicker> {
        match self {
            Dialog::NewKey(NewKeyDialog {
                step: NewKeyStep::Roles,
                picker,
                ..
            })
            | Dialog::AddExternal(AddExternalDialog {
                step: NewKeyStep::Roles,
                picker,
                ..
            })
            | Dialog::EditRoles(EditRolesDialog { picker, .. })
            | Dialog::BulkRoles(BulkRolesDialog { picker, .. }) => Some(picker),
            _ => None,
        }
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
            Dialog::Bulk(dialog) => dialog.bindings(),
            Dialog::BulkRoles(dialog) => dialog.bindings(),
            Dialog::BulkSummary(dialog) => dialog.bindings(),
            Dialog::Profiles(dialog) => dialog.bindings(),
            Dialog::Rotate(dialog) => dialog.bindings(),
            Dialog::Insights(dialog) => dialog.bindings(),
        }
    }
}

impl ProfilePicker {
    pub fn bindings(&self) -> &'static [Binding] {
        keymap::PROFILES
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
            NewKeyStep::Roles => self.picker.bindings_or(keymap::NEW_KEY_ROLES),
        }
    }
}

impl EditRolesDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        self.picker.bindings_or(keymap::EDIT_ROLES)
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
            NewKeyStep::Roles => self.picker.bindings_or(keymap::ADD_EXTERNAL_ROLES),
        }
    }
}

impl TokenDialog {
    pub fn bindings(&self) -> &'static [Binding] {
        if self.closing {
            keymap::TOKEN_CLOSING
        } else {
            keymap::TOKEN
        }
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
