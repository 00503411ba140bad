//! User tokens issued by `apptoken/login`, valid 24 hours, stored hashed, at most
//! [`MAX_PER_KEY`] live ones per key; expired ones are purged at each login and each start.

use rusqlite::{Connection, OptionalExtension, params};
use secrecy::SecretString;

use super::StoreResult;
use super::tokens::TokenOwner;
use crate::server::secrets::{new_token, token_hash};

pub const LIFETIME_SECS: i64 = 24 * 60 * 60;

/// Live sessions a key may hold; a new login beyond this ends that key's oldest session.
pub const MAX_PER_KEY: i64 = 20;

/// Issues a session for the key whose app token is `source`; returns the token and its expiry
/// (unix seconds). The session ends early if `source` is deleted (finish or undo of a renewal).
pub fn create(
    conn: &Connection,
    key_id: &str,
    source: &SecretString,
    now_unix: i64,
) -> StoreResult<(SecretString, i64)> {
    let token = new_token();
    let expires = now_unix + LIFETIME_SECS;
    conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now_unix])?;
    conn.execute(
        "INSERT INTO sessions (token_hash, key_id, expires_at, source_hash) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash(&token), key_id, expires, token_hash(source)],
    )?;
    conn.execute(
        "DELETE FROM sessions WHERE key_id = ?1 AND rowid NOT IN
           (SELECT rowid FROM sessions WHERE key_id = ?1 ORDER BY expires_at DESC, rowid DESC LIMIT ?2)",
        params![key_id, MAX_PER_KEY],
    )?;
    Ok((token, expires))
}

/// Deletes expired sessions (also done at each login); returns how many.
pub fn purge_expired(conn: &Connection, now_unix: i64) -> StoreResult<usize> {
    Ok(conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now_unix])?)
}

pub fn owner_of(
    conn: &Connection,
    token: &SecretString,
    now_unix: i64,
) -> StoreResult<Option<TokenOwner>> {
    owner_by_hash(conn, &token_hash(token), now_unix)
}

/// As [`owner_of`], by the session token's hash.
pub fn owner_by_hash(
    conn: &Connection,
    hash: &[u8],
    now_unix: i64,
) -> StoreResult<Option<TokenOwner>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.app_key, k.is_active, k.account_id, a.name, t.slot FROM sessions s
         JOIN app_tokens t ON t.token_hash = s.source_hash AND t.key_id = s.key_id
         JOIN app_keys k ON k.id = s.key_id
         JOIN accounts a ON a.id = k.account_id
         WHERE s.token_hash = ?1 AND s.expires_at > ?2",
    )?;
    Ok(stmt
        .query_row(params![hash, now_unix], TokenOwner::from_row)
        .optional()?)
}
