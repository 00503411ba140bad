//! The audit trail: one row per change, written in the change's own transaction. Rows name
//! keys by appKey and never carry a token.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Actor, StoreResult};
use crate::server::time::now_vtex;

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

pub fn record(
    conn: &Connection,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO audit (account_id, at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![actor.account_id, now_vtex(), actor.app_key, action, target, detail],
    )?;
    Ok(())
}

/// Newest first. `before` pages by row id; `target` keeps the rows about one key, named by
/// its appKey (as rows name keys) or by the id of a key this account still has.
pub fn list(
    conn: &Connection,
    account_id: i64,
    limit: u32,
    before: Option<i64>,
    target: Option<&str>,
) -> StoreResult<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, actor, action, target, detail FROM audit
         WHERE account_id = ?1 AND id < ?2 AND (?3 IS NULL OR target = ?3
               OR target = (SELECT app_key FROM app_keys WHERE id = ?3 AND account_id = ?1)
               OR target = (SELECT app_key FROM external_keys WHERE id = ?3 AND account_id = ?1))
         ORDER BY id DESC LIMIT ?4",
    )?;
    let rows = stmt.query_map(
        params![account_id, before.unwrap_or(i64::MAX), target, limit],
        |row| {
            Ok(AuditEntry {
                id: row.get(0)?,
                at: row.get(1)?,
                actor: row.get(2)?,
                action: row.get(3)?,
                target: row.get(4)?,
                detail: row.get(5)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}
