//! Accounts and their settings (token duration).

use rusqlite::{Connection, OptionalExtension, params};

use super::{Actor, StoreError, StoreResult, audit};
use crate::server::time::now_vtex;

/// Token durations the Admin offers, in months; 3 is the default and the recommendation.
pub const TOKEN_DURATIONS: [u32; 2] = [3, 6];

pub fn find(conn: &Connection, name: &str) -> StoreResult<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM accounts WHERE name = ?1", [name], |row| {
            row.get(0)
        })
        .optional()?)
}

pub fn is_empty(conn: &Connection) -> StoreResult<bool> {
    let count: i64 = conn.query_row("SELECT count(*) FROM accounts", [], |row| row.get(0))?;
    Ok(count == 0)
}

/// Creates an account with default settings. Account names are VTEX's: lowercase letters and digits.
pub fn create(conn: &Connection, name: &str) -> StoreResult<i64> {
    if !crate::keyformat::is_valid_account(name) {
        return Err(StoreError::Invalid(format!(
            "Account names are lowercase letters and digits; {name:?} is not one."
        )));
    }
    conn.execute(
        "INSERT INTO accounts (name, created_at) VALUES (?1, ?2)",
        params![name, now_vtex()],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute("INSERT INTO settings (account_id) VALUES (?1)", [id])?;
    Ok(id)
}

pub fn token_duration_months(conn: &Connection, account_id: i64) -> StoreResult<u32> {
    Ok(conn.query_row(
        "SELECT token_duration_months FROM settings WHERE account_id = ?1",
        [account_id],
        |row| row.get(0),
    )?)
}

pub fn set_token_duration_months(tx: &Connection, actor: &Actor, months: u32) -> StoreResult<u32> {
    if !TOKEN_DURATIONS.contains(&months) {
        return Err(StoreError::Invalid(format!(
            "tokenDurationMonths must be 3 (recommended) or 6; got {months}."
        )));
    }
    let before = token_duration_months(tx, actor.account_id)?;
    tx.execute(
        "UPDATE settings SET token_duration_months = ?1 WHERE account_id = ?2",
        params![months, actor.account_id],
    )?;
    audit::record(
        tx,
        actor,
        "settings.update",
        "settings",
        &format!("tokenDurationMonths {before} → {months}"),
    )?;
    Ok(months)
}
