//! External keys: other accounts' keys granted access to this one. Their tokens live with
//! their own account and are never stored here.

use rusqlite::{Connection, OptionalExtension, params};

use super::roles::{self, Holder, RoleRef};
use super::{Actor, StoreError, StoreResult, audit};
use crate::keyformat::app_key_account;
use crate::server::time::now_vtex;

#[derive(Debug, Clone)]
pub struct ExternalKey {
    pub id: String,
    pub app_key: String,
    pub account: String,
    pub added_on: String,
    pub is_active: bool,
    pub roles: Option<Vec<RoleRef>>,
}

fn from_row(row: &rusqlite::Row) -> rusqlite::Result<ExternalKey> {
    Ok(ExternalKey {
        id: row.get(0)?,
        app_key: row.get(1)?,
        account: row.get(2)?,
        added_on: row.get(3)?,
        is_active: row.get(4)?,
        roles: None,
    })
}

pub fn list(conn: &Connection, account_id: i64, with_roles: bool) -> StoreResult<Vec<ExternalKey>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, app_key, owner_account, added_on, is_active FROM external_keys
         WHERE account_id = ?1 ORDER BY added_on, id",
    )?;
    let mut keys: Vec<ExternalKey> = stmt
        .query_map([account_id], from_row)?
        .collect::<Result<_, _>>()?;
    if with_roles {
        let mut by_key = roles::by_key(conn, account_id, true)?;
        for key in &mut keys {
            key.roles = Some(by_key.remove(&key.id).unwrap_or_default());
        }
    }
    Ok(keys)
}

pub fn get(conn: &Connection, account_id: i64, id: &str) -> StoreResult<ExternalKey> {
    conn.query_row(
        "SELECT id, app_key, owner_account, added_on, is_active FROM external_keys WHERE id = ?1 AND account_id = ?2",
        params![id, account_id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("No external key with id {id:?} in this account.")))
}

/// Inserts an external key with an explicit date, no audit row (seed and `add` share it).
pub fn insert(
    conn: &Connection,
    account_id: i64,
    own_account: &str,
    app_key: &str,
    added_on: &str,
    is_active: bool,
) -> StoreResult<ExternalKey> {
    let app_key = app_key.trim();
    let Some(owner) = app_key_account(app_key) else {
        return Err(StoreError::Invalid(format!(
            "{app_key:?} is not an app key; expected vtexappkey-{{account}}-{{6 uppercase letters}}."
        )));
    };
    if owner == own_account {
        return Err(StoreError::Invalid(format!(
            "{app_key} belongs to this account; external keys come from other accounts."
        )));
    }
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM external_keys WHERE account_id = ?1 AND app_key = ?2)",
        params![account_id, app_key],
        |row| row.get(0),
    )?;
    if exists {
        return Err(StoreError::Conflict(format!(
            "{app_key} was already added to this account."
        )));
    }
    let key = ExternalKey {
        id: uuid::Uuid::new_v4().to_string(),
        app_key: app_key.to_string(),
        account: owner.to_string(),
        added_on: added_on.to_string(),
        is_active,
        roles: None,
    };
    conn.execute(
        "INSERT INTO external_keys (id, account_id, app_key, owner_account, added_on, is_active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            key.id,
            account_id,
            key.app_key,
            key.account,
            key.added_on,
            key.is_active
        ],
    )?;
    Ok(key)
}

/// Adds another account's key, active, with the given roles, inside the caller's transaction.
pub fn add(
    tx: &Connection,
    actor: &Actor,
    app_key: &str,
    role_ids: &[i64],
) -> StoreResult<ExternalKey> {
    let mut key = insert(
        tx,
        actor.account_id,
        &actor.account,
        app_key,
        &now_vtex(),
        true,
    )?;
    audit::record(
        tx,
        actor,
        "external.add",
        &key.app_key,
        &format!("owner account {}", key.account),
    )?;
    let holder = Holder::External {
        id: key.id.clone(),
        app_key: key.app_key.clone(),
    };
    roles::add(tx, actor, &holder, role_ids)?;
    key.roles = Some(roles::of_holder(tx, &holder)?);
    Ok(key)
}

pub fn set_active(tx: &Connection, actor: &Actor, id: &str, active: bool) -> StoreResult<()> {
    let key = get(tx, actor.account_id, id)?;
    if key.is_active != active {
        tx.execute(
            "UPDATE external_keys SET is_active = ?1 WHERE id = ?2",
            params![active, id],
        )?;
        let detail = if active { "activated" } else { "deactivated" };
        audit::record(tx, actor, "external.status", &key.app_key, detail)?;
    }
    Ok(())
}

pub fn remove(tx: &Connection, actor: &Actor, id: &str) -> StoreResult<()> {
    let key = get(tx, actor.account_id, id)?;
    tx.execute("DELETE FROM external_keys WHERE id = ?1", [id])?;
    audit::record(
        tx,
        actor,
        "external.remove",
        &key.app_key,
        &format!("owner account {}", key.account),
    )?;
    Ok(())
}
