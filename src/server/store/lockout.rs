//! The lockout rule: no change may leave an account without an active generated key holding
//! Edit API Keys (through a role granting it, or an admin role). Checked inside the change's
//! own transaction, just before commit, so two concurrent changes cannot both pass it.

use rusqlite::Connection;

use super::{StoreError, StoreResult};
use crate::permissions::{LICENSE_MANAGER, Resource};

/// Whether any active generated key of the account can still manage keys.
pub fn any_edit_holder(conn: &Connection, account_id: i64) -> StoreResult<bool> {
    // EXISTS stops at the first holder: a count over every key made each change (a renewal,
    // a finish) cost O(keys), and so a rotation of every key O(keys²).
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM app_keys k
           JOIN app_key_roles kr ON kr.key_id = k.id
           JOIN roles r ON r.id = kr.role_id
           LEFT JOIN role_resources rr
             ON rr.role_id = r.id AND rr.product = ?2 AND rr.resource = ?3
           WHERE k.account_id = ?1 AND k.is_active = 1 AND (r.is_admin = 1 OR rr.role_id IS NOT NULL))",
        rusqlite::params![account_id, LICENSE_MANAGER, Resource::EditApiKeys.key()],
        |row| row.get(0),
    )?)
}

/// Refuses a change that took the account's last Edit API Keys holder away. `before`: whether
/// there was one before the change (an account that somehow had none is not made to fail every
/// change).
pub fn ensure_edit_holder_left(
    conn: &Connection,
    account_id: i64,
    before: bool,
) -> StoreResult<()> {
    if before && !any_edit_holder(conn, account_id)? {
        return Err(StoreError::Conflict(
            "This change would leave the account without an active key holding Edit API Keys, \
             so nobody could manage keys any more; give that permission to another active key first."
                .into(),
        ));
    }
    Ok(())
}
