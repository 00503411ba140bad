//! The two sheets as VTEX's Admin exports them: their column names and one row per key, in
//! cells that each format writes its own way (text, or a date).

use chrono::{DateTime, Utc};

use crate::vtex::model::{AppKey, ExternalKey, Role};
use crate::vtex::time::Timestamp;

/// The Admin's generated-keys columns. `keyName` is the key (`vtexappkey-…`), as the Admin's
/// "Key/Name" column shows it; the label has its own column.
pub const GENERATED_COLUMNS: [&str; 8] = [
    "id",
    "keyName",
    "roles",
    "label",
    "creationDate",
    "creationDateToken",
    "creationDateNewToken",
    "status",
];

/// The Admin's external-keys columns (`account` is the account that owns the key).
pub const EXTERNAL_COLUMNS: [&str; 6] =
    ["id", "keyName", "roles", "account", "addedDate", "status"];

/// Between role names in the `roles` cell, as `keys list` writes them.
pub const ROLE_SEPARATOR: &str = "; ";

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Text(&'a str),
    /// Text built for the export (the role names, the status).
    Owned(String),
    /// A moment in UTC; `None` is an empty cell (no renewal pending, a date the server did
    /// not give).
    Date(Option<DateTime<Utc>>),
}

impl Cell<'_> {
    /// The cell as text, dates in RFC 3339 UTC as the CLI's JSON and CSV write them.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => (*text).to_string(),
            Cell::Owned(text) => text.clone(),
            Cell::Date(at) => at.map(|at| Timestamp(at).rfc3339()).unwrap_or_default(),
        }
    }
}

/// The Admin's words for a key's status.
pub fn status(is_active: bool) -> &'static str {
    if is_active { "Active" } else { "Inactive" }
}

/// Role names in the order the server gave them; empty when the key holds none.
pub fn roles(roles: Option<&[Role]>) -> String {
    roles
        .unwrap_or_default()
        .iter()
        .map(|role| &*role.name)
        .collect::<Vec<_>>()
        .join(ROLE_SEPARATOR)
}

fn date(at: Option<Timestamp>) -> Cell<'static> {
    Cell::Date(at.map(|at| at.0))
}

pub fn generated_row(key: &AppKey) -> [Cell<'_>; 8] {
    [
        Cell::Text(&key.id),
        Cell::Text(&key.app_key),
        Cell::Owned(roles(key.roles.as_deref())),
        Cell::Text(&key.label),
        date(key.created_in),
        date(key.creation_date_token),
        date(key.creation_date_new_token),
        Cell::Text(status(key.is_active)),
    ]
}

pub fn external_row(key: &ExternalKey) -> [Cell<'_>; 6] {
    [
        Cell::Text(&key.id),
        Cell::Text(&key.app_key),
        Cell::Owned(roles(key.roles.as_deref())),
        Cell::Text(&key.account),
        date(key.added_on),
        Cell::Text(status(key.is_active)),
    ]
}
