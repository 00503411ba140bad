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

/// Creates an account with default settings. Account names are VTEX's: lowercase letters and
/// digits. Until told otherwise (the demo seed does), its company and trading names are its name.
pub fn create(conn: &Connection, name: &str) -> StoreResult<i64> {
    if !crate::keyformat::is_valid_account(name) {
        return Err(StoreError::Invalid(format!(
            "Account names are lowercase letters and digits; {name:?} is not one."
        )));
    }
    conn.execute(
        "INSERT INTO accounts (name, created_at, company_name, trading_name) VALUES (?1, ?2, ?1, ?1)",
        params![name, now_vtex()],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute("INSERT INTO settings (account_id) VALUES (?1)", [id])?;
    Ok(id)
}

pub fn set_names(
    conn: &Connection,
    account_id: i64,
    company_name: &str,
    trading_name: &str,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE accounts SET company_name = ?1, trading_name = ?2 WHERE id = ?3",
        params![company_name, trading_name, account_id],
    )?;
    Ok(())
}

/// What the account tells about itself (GET /api/vlm/account).
#[derive(Debug, Clone)]
pub struct AccountProfile {
    pub id: i64,
    pub name: String,
    pub company_name: String,
    pub trading_name: String,
    pub created_at: String,
    /// The products the account's roles grant resources of, by name.
    pub products: Vec<String>,
}

pub fn profile(conn: &Connection, account_id: i64) -> StoreResult<AccountProfile> {
    let (name, company, trading, created_at): (String, Option<String>, Option<String>, String) =
        conn.query_row(
            "SELECT name, company_name, trading_name, created_at FROM accounts WHERE id = ?1",
            [account_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )?;
    let mut statement = conn.prepare(
        "SELECT DISTINCT rr.product FROM role_resources rr JOIN roles r ON r.id = rr.role_id
         WHERE r.account_id = ?1 ORDER BY rr.product",
    )?;
    let products = statement
        .query_map([account_id], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(AccountProfile {
        id: account_id,
        company_name: company.unwrap_or_else(|| name.clone()),
        trading_name: trading.unwrap_or_else(|| name.clone()),
        name,
        created_at,
        products,
    })
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
