//! Everything that can happen to the app (`Action`) and everything it can ask the loop to do
//! (`Effect`). `update` turns one into the other without touching the outside world.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};
use secrecy::SecretString;

use crate::vtex::Capabilities;
use crate::vtex::model::{
    Account, AppKey, AuditEntry, CreatedKey, ExternalKey, Renewal, Role, RoleDetails, Settings,
};

/// Identifies a request, so an answer to an older request can be recognized and dropped.
pub type RequestId = u64;

#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    /// A left click on something the last frame drew as clickable (see `view::hit`).
    Click(super::view::hit::Target),
    Resize {
        width: u16,
        height: u16,
    },
    /// The clock, once a second (tests send fixed times).
    Tick(DateTime<Utc>),
    /// An API call finished.
    Api {
        id: RequestId,
        outcome: Outcome,
    },
    /// What a copy to the clipboard did (the loop carried out `Effect::Copy`).
    Copied(crate::clipboard::Report),
    /// What a copy of an appKey did (`Effect::CopyAppKey`): said, with no timed clear.
    CopiedAppKey(crate::clipboard::Report),
    /// Something the loop wants said on the status line.
    Notice(String),
    /// A profile switch (`Effect::Connect`) was tried: connected, or why not.
    Connected {
        attempt: u64,
        profile: String,
        result: std::result::Result<Box<super::connector::Connected>, String>,
    },
    /// A rotation run (`Effect::Rotate`) moved on.
    Rotation(super::rotation::Progress),
    /// The journal was read (`Effect::ReadRotationDue`): the keys of `server` in their grace.
    RotationDue {
        server: String,
        due: HashMap<String, DateTime<Utc>>,
    },
}

pub use super::failure::{Failure, FailureKind};

pub type Result<T> = std::result::Result<T, Failure>;

/// What an API call returned, one variant per call.
#[derive(Debug)]
pub enum Outcome {
    Capabilities(Result<Capabilities>),
    Account(Result<Account>),
    Keys(Result<Vec<AppKey>>),
    External(Result<Vec<ExternalKey>>),
    Roles(Result<Vec<RoleDetails>>),
    Settings(Result<Settings>),
    /// Roles fetched per key, for servers whose listing has none.
    KeyRoles(Result<HashMap<String, Vec<Role>>>),
    Audit {
        key_id: String,
        result: Result<Vec<AuditEntry>>,
    },
    /// A change finished; `what` is said on the status line when it succeeded.
    Changed {
        change: Change,
        result: Result<()>,
    },
    Created(Result<CreatedKey>, /* roles added */ Result<()>),
    /// The call panicked (a bug); the request is over and nothing is known of its result.
    Crashed,
    Renewed {
        app_key: String,
        label: String,
        result: Result<Renewal>,
        old_deleted: Option<Result<()>>,
    },
    /// The account's posture, for the Insights overlay.
    Assessed(Result<Box<crate::posture::gather::Assessment>>),
}

/// A change to the account, as sent to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    SetKeyActive {
        id: String,
        active: bool,
    },
    DeleteKey {
        id: String,
        app_key: String,
    },
    SetRoles {
        id: String,
        add: Vec<i64>,
        remove: Vec<i64>,
    },
    FinishRenewal {
        app_key: String,
    },
    UndoRenewal {
        app_key: String,
    },
    SetTokenDuration {
        months: u32,
    },
    AddExternal {
        app_key: String,
        roles: Vec<i64>,
    },
    SetExternalActive {
        id: String,
        active: bool,
    },
    RemoveExternal {
        id: String,
        app_key: String,
    },
}

/// An API call the loop carries out on a tokio task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Capabilities,
    Account,
    ListKeys,
    ListExternal,
    ListRoles,
    GetSettings,
    KeyRoles {
        ids: Vec<String>,
    },
    Audit {
        key_id: String,
        app_key: String,
    },
    Change(Change),
    CreateKey {
        label: String,
        roles: Vec<i64>,
    },
    Renew {
        app_key: String,
        label: String,
        delete_old_now: bool,
    },
    /// The account's posture (listing, roles, external keys, audit trail), as `apikeys report`.
    Assess {
        thresholds: crate::posture::Thresholds,
    },
}

#[derive(Debug)]
pub enum Effect {
    Api {
        id: RequestId,
        call: Call,
    },
    /// Send this token to the clipboard.
    Copy(SecretString),
    /// Send this appKey to the clipboard (not a secret: nothing to clear later).
    CopyAppKey(String),
    /// Clear what the latest copy put on the clipboard (its deadline, kept in the state, has
    /// passed on the injected clock).
    ClearClipboard,
    /// Append a command line to the history file (never a line that may hold a token).
    SaveHistory {
        path: std::path::PathBuf,
        line: String,
    },
    /// Resolve this profile and try a connection to it, off the UI thread; the answer comes
    /// back as `Action::Connected`.
    Connect {
        attempt: u64,
        profile: String,
    },
    /// From now on, calls go to this client; calls still in flight for the old one are
    /// dropped. The effects after it (the first listings) already use the new one.
    UseClient(UseClient),
    /// The connection attempt under way is given up: stop it (and its token command).
    CancelConnect,
    /// Run this rotation on the current client, off the UI thread; it reports as
    /// `Action::Rotation`.
    Rotate(super::rotation::Request),
    /// Read the rotation journal for the keys in their grace; answered as `Action::RotationDue`.
    ReadRotationDue {
        journal: std::path::PathBuf,
        server: String,
    },
    /// Export these rows to a file, off the UI thread; what it did comes back as a notice.
    Export(Box<super::export_job::ExportJob>),
    Quit,
}

/// The client of the profile switched to (not `Debug`-printed: it holds a token).
pub struct UseClient(pub crate::vtex::VtexClient);

impl std::fmt::Debug for UseClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UseClient({})", self.0.base_url())
    }
}
