//! Versioned migrations. `PRAGMA user_version` records how many have run; each runs in its
//! own transaction, so a crash never leaves a half-migrated file.

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    // 1: the whole first schema.
    r#"
    CREATE TABLE accounts (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        created_at  TEXT NOT NULL
    );
    CREATE TABLE settings (
        account_id            INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        token_duration_months INTEGER NOT NULL DEFAULT 3 CHECK (token_duration_months IN (3, 6))
    );
    CREATE TABLE roles (
        id          INTEGER PRIMARY KEY,
        account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        is_admin    INTEGER NOT NULL DEFAULT 0,
        role_type   INTEGER NOT NULL DEFAULT 0,
        UNIQUE (account_id, name)
    );
    CREATE TABLE role_resources (
        role_id   INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        product   TEXT NOT NULL,
        resource  TEXT NOT NULL,
        PRIMARY KEY (role_id, product, resource)
    );
    CREATE TABLE app_keys (
        id          TEXT PRIMARY KEY,
        account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        app_key     TEXT NOT NULL UNIQUE,
        label       TEXT NOT NULL,
        created_in  TEXT NOT NULL,
        is_active   INTEGER NOT NULL
    );
    CREATE INDEX app_keys_by_account ON app_keys (account_id, created_in);
    -- A key has its current token and, while a renewal is pending, a new one.
    CREATE TABLE app_tokens (
        key_id      TEXT NOT NULL REFERENCES app_keys(id) ON DELETE CASCADE,
        slot        TEXT NOT NULL CHECK (slot IN ('current', 'new')),
        token_hash  BLOB NOT NULL UNIQUE,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (key_id, slot)
    );
    CREATE TABLE app_key_roles (
        key_id   TEXT NOT NULL REFERENCES app_keys(id) ON DELETE CASCADE,
        role_id  INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        PRIMARY KEY (key_id, role_id)
    );
    CREATE TABLE external_keys (
        id             TEXT PRIMARY KEY,
        account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        app_key        TEXT NOT NULL,
        owner_account  TEXT NOT NULL,
        added_on       TEXT NOT NULL,
        is_active      INTEGER NOT NULL,
        UNIQUE (account_id, app_key)
    );
    CREATE TABLE external_key_roles (
        key_id   TEXT NOT NULL REFERENCES external_keys(id) ON DELETE CASCADE,
        role_id  INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        PRIMARY KEY (key_id, role_id)
    );
    -- User tokens issued by apptoken/login, stored hashed like app tokens.
    CREATE TABLE sessions (
        token_hash  BLOB PRIMARY KEY,
        key_id      TEXT NOT NULL REFERENCES app_keys(id) ON DELETE CASCADE,
        expires_at  INTEGER NOT NULL
    );
    CREATE TABLE audit (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        target      TEXT NOT NULL,
        detail      TEXT NOT NULL
    );
    CREATE INDEX audit_by_account ON audit (account_id, id);
    "#,
    // 2: a user token lives only as long as the app token it was issued for: a session
    // remembers that token's hash (sessions from before have none and stop working).
    r#"
    ALTER TABLE sessions ADD COLUMN source_hash BLOB;
    "#,
    // 3: what GET /api/vlm/account tells about the account (VTEX's AccountResponse). Accounts
    // from before have neither; the answer then uses the account name for both.
    r#"
    ALTER TABLE accounts ADD COLUMN company_name TEXT;
    ALTER TABLE accounts ADD COLUMN trading_name TEXT;
    "#,
];

/// Brings the database up to the latest schema. The version is read inside each migration's
/// write transaction, so two processes opening a new file at once run each migration once.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let applied: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if usize::try_from(applied).unwrap_or(0) > index {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// How many migrations this build knows; a file with a higher version came from a newer build.
pub fn latest_version() -> usize {
    MIGRATIONS.len()
}
