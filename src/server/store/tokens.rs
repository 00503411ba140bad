//! App tokens and the renewal state machine. As VTEX runs it: renew → both tokens work (409 on
//! a second renew); finish-renewal → the old token is gone. Our extension: undo-renewal → the
//! new token is gone. A key may not delete the very token it is calling with. Only SHA-256
//! hashes are stored.

use rusqlite::{Connection, OptionalExtension, params};
use secrecy::SecretString;

use super::{Actor, StoreError, StoreResult, accounts, audit};
use crate::server::secrets::{new_token, token_hash};
use crate::server::time::now_vtex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Current,
    New,
}

impl Slot {
    fn as_str(self) -> &'static str {
        match self {
            Slot::Current => "current",
            Slot::New => "new",
        }
    }
}

/// Draws a token, stores its hash in `slot`, and hands the token back (the only time it exists in clear).
pub fn insert(
    conn: &Connection,
    key_id: &str,
    slot: Slot,
    created_at: &str,
) -> StoreResult<SecretString> {
    let token = new_token();
    conn.prepare_cached(
        "INSERT INTO app_tokens (key_id, slot, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        key_id,
        slot.as_str(),
        token_hash(&token),
        created_at
    ])?;
    Ok(token)
}

/// The key a token belongs to, as found by the token's hash.
#[derive(Debug, Clone)]
pub struct TokenOwner {
    pub key_id: String,
    pub app_key: String,
    pub is_active: bool,
    pub account_id: i64,
    pub account: String,
    /// The slot of the app token used (for a session, of the token it was issued for).
    pub slot: Slot,
}

pub fn owner_of(conn: &Connection, token: &SecretString) -> StoreResult<Option<TokenOwner>> {
    owner_by_hash(conn, &token_hash(token))
}

/// As [`owner_of`], by the token's hash (a caller is re-checked by the hash it signed in with).
pub fn owner_by_hash(conn: &Connection, hash: &[u8]) -> StoreResult<Option<TokenOwner>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.app_key, k.is_active, k.account_id, a.name, t.slot FROM app_tokens t
         JOIN app_keys k ON k.id = t.key_id
         JOIN accounts a ON a.id = k.account_id
         WHERE t.token_hash = ?1",
    )?;
    Ok(stmt.query_row([hash], TokenOwner::from_row).optional()?)
}

impl TokenOwner {
    /// Reads `key id, app_key, is_active, account_id, account name, slot`, in that order.
    pub(super) fn from_row(row: &rusqlite::Row) -> rusqlite::Result<TokenOwner> {
        let slot: String = row.get(5)?;
        Ok(TokenOwner {
            key_id: row.get(0)?,
            app_key: row.get(1)?,
            is_active: row.get(2)?,
            account_id: row.get(3)?,
            account: row.get(4)?,
            slot: if slot == "new" {
                Slot::New
            } else {
                Slot::Current
            },
        })
    }
}

/// A key's token dates, as the renewal endpoints report them.
#[derive(Debug, Clone)]
pub struct RenewalState {
    pub key_id: String,
    pub label: String,
    pub token_created: String,
    pub new_token_created: Option<String>,
}

fn state_by_app_key(
    conn: &Connection,
    account_id: i64,
    app_key: &str,
) -> StoreResult<RenewalState> {
    conn.query_row(
        "SELECT k.id, k.label, cur.created_at, new.created_at FROM app_keys k
         JOIN app_tokens cur ON cur.key_id = k.id AND cur.slot = 'current'
         LEFT JOIN app_tokens new ON new.key_id = k.id AND new.slot = 'new'
         WHERE k.app_key = ?1 AND k.account_id = ?2",
        params![app_key, account_id],
        |row| {
            Ok(RenewalState {
                key_id: row.get(0)?,
                label: row.get(1)?,
                token_created: row.get(2)?,
                new_token_created: row.get(3)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("No API key {app_key:?} in this account.")))
}

pub struct Renewed {
    pub state: RenewalState,
    pub expiration_days: u32,
    pub new_token: SecretString,
}

/// Starts a renewal: a new token that works alongside the current one.
pub fn renew(tx: &Connection, actor: &Actor, app_key: &str) -> StoreResult<Renewed> {
    let mut state = state_by_app_key(tx, actor.account_id, app_key)?;
    if state.new_token_created.is_some() {
        return Err(StoreError::Conflict(format!(
            "{app_key} already has a renewed token pending; finish or undo that renewal first."
        )));
    }
    let now = now_vtex();
    let new_token = insert(tx, &state.key_id, Slot::New, &now)?;
    state.new_token_created = Some(now);
    let months = accounts::token_duration_months(tx, actor.account_id)?;
    audit::record(
        tx,
        actor,
        "token.renew",
        app_key,
        "new token issued; old token still valid",
    )?;
    Ok(Renewed {
        state,
        // The Admin counts a month as 30 days when it reports the period.
        expiration_days: months * 30,
        new_token,
    })
}

/// Ends a pending renewal: the old token is deleted and the new one becomes current.
pub fn finish_renewal(tx: &Connection, actor: &Actor, app_key: &str) -> StoreResult<RenewalState> {
    let state = state_by_app_key(tx, actor.account_id, app_key)?;
    let Some(new_created) = state.new_token_created else {
        return Err(no_pending(app_key));
    };
    if state.key_id == actor.key_id && actor.token_slot == Some(Slot::Current) {
        return Err(StoreError::Conflict(format!(
            "You are signed in with the old token of {app_key}; deleting it would lock you out. \
             Sign in with the new token, then delete the old one."
        )));
    }
    tx.execute(
        "DELETE FROM app_tokens WHERE key_id = ?1 AND slot = 'current'",
        [&state.key_id],
    )?;
    tx.execute(
        "UPDATE app_tokens SET slot = 'current' WHERE key_id = ?1 AND slot = 'new'",
        [&state.key_id],
    )?;
    audit::record(
        tx,
        actor,
        "token.finish_renewal",
        app_key,
        "old token deleted",
    )?;
    Ok(RenewalState {
        token_created: new_created,
        new_token_created: None,
        ..state
    })
}

/// Drops the pending new token; the old one stays current.
pub fn undo_renewal(tx: &Connection, actor: &Actor, app_key: &str) -> StoreResult<RenewalState> {
    let state = state_by_app_key(tx, actor.account_id, app_key)?;
    if state.new_token_created.is_none() {
        return Err(no_pending(app_key));
    }
    if state.key_id == actor.key_id && actor.token_slot == Some(Slot::New) {
        return Err(StoreError::Conflict(format!(
            "You are signed in with the new token of {app_key}; undoing the renewal would lock you out. \
             Sign in with the old token to undo it."
        )));
    }
    tx.execute(
        "DELETE FROM app_tokens WHERE key_id = ?1 AND slot = 'new'",
        [&state.key_id],
    )?;
    audit::record(
        tx,
        actor,
        "token.undo_renewal",
        app_key,
        "new token dropped; old token kept",
    )?;
    Ok(RenewalState {
        new_token_created: None,
        ..state
    })
}

fn no_pending(app_key: &str) -> StoreError {
    StoreError::NotFound(format!("No renewed API token was found for {app_key}."))
}
