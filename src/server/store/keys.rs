//! Generated keys: this account's own API keys.

use rusqlite::{Connection, OptionalExtension, params};
use secrecy::SecretString;

use super::roles::{self, RoleRef};
use super::{Actor, StoreError, StoreResult, audit, clean_label, tokens};
use crate::keyformat::{KEY_SUFFIX_LEN, app_key_name};
use crate::server::secrets;
use crate::server::time::now_vtex;

#[derive(Debug, Clone)]
pub struct KeyRecord {
    pub id: String,
    pub app_key: String,
    pub label: String,
    pub created_in: String,
    pub is_active: bool,
    /// Filled when the listing asks for `expand=roles`.
    pub roles: Option<Vec<RoleRef>>,
    /// Filled when the listing asks for `expand=token`.
    pub token_dates: Option<TokenDates>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenDates {
    pub current: String,
    pub pending_new: Option<String>,
}

/// What to add to each row of a listing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expand {
    pub roles: bool,
    pub token: bool,
}

pub fn list(conn: &Connection, account_id: i64, expand: Expand) -> StoreResult<Vec<KeyRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.app_key, k.label, k.created_in, k.is_active, cur.created_at, new.created_at
         FROM app_keys k
         LEFT JOIN app_tokens cur ON cur.key_id = k.id AND cur.slot = 'current'
         LEFT JOIN app_tokens new ON new.key_id = k.id AND new.slot = 'new'
         WHERE k.account_id = ?1 ORDER BY k.created_in, k.id",
    )?;
    let mut roles_by_key = if expand.roles {
        roles::by_key(conn, account_id, false)?
    } else {
        Default::default()
    };
    let rows = stmt.query_map([account_id], |row| {
        let id: String = row.get(0)?;
        let current: Option<String> = row.get(5)?;
        Ok(KeyRecord {
            roles: expand
                .roles
                .then(|| roles_by_key.remove(&id).unwrap_or_default()),
            token_dates: expand.token.then(|| TokenDates {
                current: current.unwrap_or_default(),
                pending_new: row.get(6).ok().flatten(),
            }),
            id,
            app_key: row.get(1)?,
            label: row.get(2)?,
            created_in: row.get(3)?,
            is_active: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A key of the account, by id. Another account's key is not found.
pub fn get(conn: &Connection, account_id: i64, id: &str) -> StoreResult<KeyRecord> {
    conn.query_row(
        "SELECT id, app_key, label, created_in, is_active FROM app_keys WHERE id = ?1 AND account_id = ?2",
        params![id, account_id],
        |row| {
            Ok(KeyRecord {
                id: row.get(0)?,
                app_key: row.get(1)?,
                label: row.get(2)?,
                created_in: row.get(3)?,
                is_active: row.get(4)?,
                roles: None,
                token_dates: None,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("No API key with id {id:?} in this account.")))
}

/// The fields of a new key; timestamps are explicit so the demo seed can backdate them.
pub struct NewKey<'a> {
    pub label: &'a str,
    pub created_in: &'a str,
    pub token_created: &'a str,
    pub is_active: bool,
    /// The random part of the appKey; drawn from the CSPRNG when `None`.
    pub suffix: Option<&'a str>,
}

/// Inserts a key and its first token, without an audit row (callers decide who the actor is).
pub fn insert(
    conn: &Connection,
    account_id: i64,
    account: &str,
    new: &NewKey,
) -> StoreResult<(KeyRecord, SecretString)> {
    let label = clean_label(new.label)?;
    let app_key = match new.suffix {
        Some(suffix) => app_key_name(account, suffix),
        None => unused_app_key(conn, account)?,
    };
    let id = uuid::Uuid::new_v4().to_string();
    // Cached: `--seed-keys` inserts 100 000 keys in one go.
    conn.prepare_cached(
        "INSERT INTO app_keys (id, account_id, app_key, label, created_in, is_active) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, account_id, app_key, label, new.created_in, new.is_active])?;
    let token = tokens::insert(conn, &id, tokens::Slot::Current, new.token_created)?;
    let record = KeyRecord {
        id,
        app_key,
        label,
        created_in: new.created_in.to_string(),
        is_active: new.is_active,
        roles: None,
        token_dates: None,
    };
    Ok((record, token))
}

fn unused_app_key(conn: &Connection, account: &str) -> StoreResult<String> {
    // 26^6 names per account: a collision is rare, and a few draws make it vanish.
    for _ in 0..16 {
        let candidate = app_key_name(account, &secrets::random_letters(KEY_SUFFIX_LEN));
        if !is_taken(conn, &candidate)? {
            return Ok(candidate);
        }
    }
    Err(StoreError::Conflict(
        "Could not find an unused key name; try again.".into(),
    ))
}

pub fn is_taken(conn: &Connection, app_key: &str) -> StoreResult<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM app_keys WHERE app_key = ?1)",
        [app_key],
        |row| row.get(0),
    )?)
}

/// Creates an active key with a fresh token and no roles, as the Admin does.
pub fn create(
    tx: &Connection,
    actor: &Actor,
    label: &str,
) -> StoreResult<(KeyRecord, SecretString)> {
    let now = now_vtex();
    let created = insert(
        tx,
        actor.account_id,
        &actor.account,
        &NewKey {
            label,
            created_in: &now,
            token_created: &now,
            is_active: true,
            suffix: None,
        },
    )?;
    audit::record(
        tx,
        actor,
        "key.create",
        &created.0.app_key,
        &format!("label {:?}", created.0.label),
    )?;
    Ok(created)
}

pub fn set_active(tx: &Connection, actor: &Actor, id: &str, active: bool) -> StoreResult<()> {
    let key = get(tx, actor.account_id, id)?;
    if !active && key.id == actor.key_id {
        return Err(StoreError::Conflict(
            "This is the key you are signed in with; deactivating it would lock you out. Use another key.".into(),
        ));
    }
    if key.is_active != active {
        tx.execute(
            "UPDATE app_keys SET is_active = ?1 WHERE id = ?2",
            params![active, id],
        )?;
        let detail = if active { "activated" } else { "deactivated" };
        audit::record(tx, actor, "key.status", &key.app_key, detail)?;
    }
    Ok(())
}

pub fn delete(tx: &Connection, actor: &Actor, id: &str) -> StoreResult<()> {
    let key = get(tx, actor.account_id, id)?;
    if key.id == actor.key_id {
        return Err(StoreError::Conflict(
            "This is the key you are signed in with; deleting it would lock you out. Use another key.".into(),
        ));
    }
    tx.execute("DELETE FROM app_keys WHERE id = ?1", [id])?;
    audit::record(
        tx,
        actor,
        "key.delete",
        &key.app_key,
        &format!("label {:?}", key.label),
    )?;
    Ok(())
}
