//! Roles, their resources, and which keys (generated or external) hold them.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Actor, StoreError, StoreResult, audit};
use crate::permissions::{LICENSE_MANAGER, Resource, ResourceSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleRef {
    pub id: i64,
    pub name: String,
}

/// A role as the paged role list shows it.
#[derive(Debug, Clone)]
pub struct RoleInfo {
    pub id: i64,
    pub name: String,
    pub is_admin: bool,
    pub role_type: i64,
    pub products: Vec<String>,
}

/// A product and the resources of it that a role grants.
pub struct ProductGrant<'a> {
    pub product: &'a str,
    pub resources: &'a [&'a str],
}

pub fn create(
    conn: &Connection,
    account_id: i64,
    name: &str,
    is_admin: bool,
    grants: &[ProductGrant],
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO roles (account_id, name, is_admin) VALUES (?1, ?2, ?3)",
        params![account_id, name, is_admin],
    )
    .map_err(|err| match err {
        rusqlite::Error::SqliteFailure(e, _)
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Conflict(format!("A role named {name:?} already exists."))
        }
        other => other.into(),
    })?;
    let role_id = conn.last_insert_rowid();
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO role_resources (role_id, product, resource) VALUES (?1, ?2, ?3)",
    )?;
    for grant in grants {
        for resource in grant.resources {
            insert.execute(params![role_id, grant.product, resource])?;
        }
    }
    Ok(role_id)
}

/// Convenience for roles made only of API-key resources (tests, bootstrap).
pub fn create_with_resources(
    conn: &Connection,
    account_id: i64,
    name: &str,
    resources: &[Resource],
) -> StoreResult<i64> {
    let keys: Vec<&str> = resources.iter().map(|r| r.key()).collect();
    create(
        conn,
        account_id,
        name,
        false,
        &[ProductGrant {
            product: LICENSE_MANAGER,
            resources: &keys,
        }],
    )
}

pub fn by_name(conn: &Connection, account_id: i64, name: &str) -> StoreResult<RoleRef> {
    conn.query_row(
        "SELECT id, name FROM roles WHERE account_id = ?1 AND name = ?2",
        params![account_id, name],
        |row| {
            Ok(RoleRef {
                id: row.get(0)?,
                name: row.get(1)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("No role named {name:?} in this account.")))
}

/// The API-key resources a generated key holds through its roles. An admin role holds all.
pub fn resources_of_key(conn: &Connection, key_id: &str) -> StoreResult<ResourceSet> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.is_admin, rr.resource FROM app_key_roles kr
         JOIN roles r ON r.id = kr.role_id
         LEFT JOIN role_resources rr ON rr.role_id = r.id AND rr.product = ?2
         WHERE kr.key_id = ?1",
    )?;
    let mut set = ResourceSet::default();
    let mut rows = stmt.query(params![key_id, LICENSE_MANAGER])?;
    while let Some(row) = rows.next()? {
        if row.get::<_, bool>(0)? {
            return Ok(ResourceSet::all());
        }
        if let Some(resource) = row
            .get::<_, Option<String>>(1)?
            .as_deref()
            .and_then(Resource::from_key)
        {
            set.insert(resource);
        }
    }
    Ok(set)
}

/// The API-key resources one role grants. An admin role grants all four.
pub fn api_key_resources_of_role(
    conn: &Connection,
    role_id: i64,
    is_admin: bool,
) -> StoreResult<ResourceSet> {
    if is_admin {
        return Ok(ResourceSet::all());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT resource FROM role_resources WHERE role_id = ?1 AND product = ?2",
    )?;
    let resources = stmt.query_map(params![role_id, LICENSE_MANAGER], |row| {
        row.get::<_, String>(0)
    })?;
    let mut set = ResourceSet::default();
    for resource in resources {
        if let Some(resource) = Resource::from_key(&resource?) {
            set.insert(resource);
        }
    }
    Ok(set)
}

/// A key that can hold roles: one of this account's generated keys, or an external key added here.
#[derive(Debug, Clone)]
pub enum Holder {
    Generated { id: String, app_key: String },
    External { id: String, app_key: String },
}

impl Holder {
    fn table(&self) -> &'static str {
        match self {
            Holder::Generated { .. } => "app_key_roles",
            Holder::External { .. } => "external_key_roles",
        }
    }

    fn id(&self) -> &str {
        match self {
            Holder::Generated { id, .. } | Holder::External { id, .. } => id,
        }
    }

    fn app_key(&self) -> &str {
        match self {
            Holder::Generated { app_key, .. } | Holder::External { app_key, .. } => app_key,
        }
    }

    fn audit_prefix(&self) -> &'static str {
        match self {
            Holder::Generated { .. } => "key",
            Holder::External { .. } => "external",
        }
    }
}

/// Finds the key `id` within the account; keys of other accounts are simply not found.
pub fn holder(conn: &Connection, account_id: i64, id: &str) -> StoreResult<Holder> {
    let generated = conn
        .query_row(
            "SELECT app_key FROM app_keys WHERE id = ?1 AND account_id = ?2",
            params![id, account_id],
            |row| row.get::<_, String>(0),
        )
        .optional()?;
    if let Some(app_key) = generated {
        return Ok(Holder::Generated {
            id: id.to_string(),
            app_key,
        });
    }
    let external = conn
        .query_row(
            "SELECT app_key FROM external_keys WHERE id = ?1 AND account_id = ?2",
            params![id, account_id],
            |row| row.get::<_, String>(0),
        )
        .optional()?;
    external
        .map(|app_key| Holder::External {
            id: id.to_string(),
            app_key,
        })
        .ok_or_else(|| StoreError::NotFound(format!("No API key with id {id:?} in this account.")))
}

pub fn of_holder(conn: &Connection, holder: &Holder) -> StoreResult<Vec<RoleRef>> {
    let sql = format!(
        "SELECT r.id, r.name FROM {} kr JOIN roles r ON r.id = kr.role_id WHERE kr.key_id = ?1 ORDER BY r.name",
        holder.table()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([holder.id()], |row| {
        Ok(RoleRef {
            id: row.get(0)?,
            name: row.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Roles of every key of the account in one query, for listings with `expand=roles`.
pub fn by_key(
    conn: &Connection,
    account_id: i64,
    external: bool,
) -> StoreResult<HashMap<String, Vec<RoleRef>>> {
    let (assignments, keys) = if external {
        ("external_key_roles", "external_keys")
    } else {
        ("app_key_roles", "app_keys")
    };
    let sql = format!(
        "SELECT kr.key_id, r.id, r.name FROM {assignments} kr
         JOIN {keys} k ON k.id = kr.key_id
         JOIN roles r ON r.id = kr.role_id
         WHERE k.account_id = ?1 ORDER BY r.name"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut map: HashMap<String, Vec<RoleRef>> = HashMap::new();
    let mut rows = stmt.query([account_id])?;
    while let Some(row) = rows.next()? {
        map.entry(row.get(0)?).or_default().push(RoleRef {
            id: row.get(1)?,
            name: row.get(2)?,
        });
    }
    Ok(map)
}

/// The roles of the generated keys in `positions` (key id → index), sorted by name, as a
/// vector in that index order; one pass over the assignments (see [`super::keys::list`]).
pub fn by_position(
    conn: &Connection,
    account_id: i64,
    positions: &HashMap<&str, usize>,
) -> StoreResult<Vec<Vec<RoleRef>>> {
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT id, name FROM roles WHERE account_id = ?1")?;
    let mut rows = stmt.query([account_id])?;
    while let Some(row) = rows.next()? {
        names.insert(row.get(0)?, row.get(1)?);
    }
    let mut held = vec![Vec::new(); positions.len()];
    let mut stmt = conn.prepare_cached("SELECT key_id, role_id FROM app_key_roles")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let Some(&at) = positions.get(super::borrowed_text(row, 0)?) else {
            continue; // another account's key
        };
        let id: i64 = row.get(1)?;
        if let Some(name) = names.get(&id) {
            held[at].push(RoleRef {
                id,
                name: name.clone(),
            });
        }
    }
    for roles in &mut held {
        roles.sort_unstable_by(|a: &RoleRef, b: &RoleRef| a.name.cmp(&b.name));
    }
    Ok(held)
}

/// Checks every id belongs to the account, naming the ones that do not; returns their names.
fn resolve(conn: &Connection, account_id: i64, role_ids: &[i64]) -> StoreResult<Vec<RoleRef>> {
    let mut stmt =
        conn.prepare_cached("SELECT name FROM roles WHERE id = ?1 AND account_id = ?2")?;
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for &id in role_ids {
        match stmt
            .query_row(params![id, account_id], |row| row.get::<_, String>(0))
            .optional()?
        {
            Some(name) => found.push(RoleRef { id, name }),
            None => unknown.push(id.to_string()),
        }
    }
    if !unknown.is_empty() {
        return Err(StoreError::Invalid(format!(
            "Roles list contains roles that do not exist in this account: {}",
            unknown.join(", ")
        )));
    }
    Ok(found)
}

/// "API Keys Viewer (role 3)": the name first, so the id does not read as a count.
fn describe(roles: &[RoleRef]) -> String {
    roles
        .iter()
        .map(|r| format!("{} (role {})", r.name, r.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Gives roles to a key without an audit row (bootstrap and demo seed); returns those newly given.
pub fn assign(
    conn: &Connection,
    holder: &Holder,
    roles: Vec<RoleRef>,
) -> StoreResult<Vec<RoleRef>> {
    let sql = format!(
        "INSERT OR IGNORE INTO {} (key_id, role_id) VALUES (?1, ?2)",
        holder.table()
    );
    let mut insert = conn.prepare_cached(&sql)?;
    let mut added = Vec::new();
    for role in roles {
        if insert.execute(params![holder.id(), role.id])? > 0 {
            added.push(role);
        }
    }
    Ok(added)
}

/// Adds roles (VTEX's PUT adds, it does not replace). All ids are checked before anything is written.
pub fn add(conn: &Connection, actor: &Actor, holder: &Holder, role_ids: &[i64]) -> StoreResult<()> {
    let roles = resolve(conn, actor.account_id, role_ids)?;
    let added = assign(conn, holder, roles)?;
    if !added.is_empty() {
        audit::record(
            conn,
            actor,
            &format!("{}.roles.add", holder.audit_prefix()),
            holder.app_key(),
            &format!("added {}", describe(&added)),
        )?;
    }
    Ok(())
}

pub fn remove(conn: &Connection, actor: &Actor, holder: &Holder, role_id: i64) -> StoreResult<()> {
    let role = resolve(conn, actor.account_id, &[role_id])?;
    let sql = format!(
        "DELETE FROM {} WHERE key_id = ?1 AND role_id = ?2",
        holder.table()
    );
    if conn.execute(&sql, params![holder.id(), role_id])? > 0 {
        audit::record(
            conn,
            actor,
            &format!("{}.roles.remove", holder.audit_prefix()),
            holder.app_key(),
            &format!("removed {}", describe(&role)),
        )?;
    }
    Ok(())
}

/// How the paged role list may be ordered.
#[derive(Debug, Clone, Copy)]
pub enum RoleSort {
    Id,
    Name,
}

pub fn list_paged(
    conn: &Connection,
    account_id: i64,
    per_page: u32,
    page: u32,
    sort: RoleSort,
    descending: bool,
) -> StoreResult<(Vec<RoleInfo>, u64)> {
    let total: i64 = conn.query_row(
        "SELECT count(*) FROM roles WHERE account_id = ?1",
        [account_id],
        |row| row.get(0),
    )?;
    let order = match (sort, descending) {
        (RoleSort::Id, false) => "id ASC",
        (RoleSort::Id, true) => "id DESC",
        (RoleSort::Name, false) => "name ASC",
        (RoleSort::Name, true) => "name DESC",
    };
    let sql = format!(
        "SELECT id, name, is_admin, role_type,
                (SELECT group_concat(product, char(31)) FROM (SELECT DISTINCT product FROM role_resources WHERE role_id = roles.id ORDER BY product))
         FROM roles WHERE account_id = ?1 ORDER BY {order} LIMIT ?2 OFFSET ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
    let rows = stmt.query_map(params![account_id, per_page, offset], |row| {
        let products: Option<String> = row.get(4)?;
        Ok(RoleInfo {
            id: row.get(0)?,
            name: row.get(1)?,
            is_admin: row.get(2)?,
            role_type: row.get(3)?,
            products: products
                .map(|p| p.split('\u{1f}').map(str::to_string).collect())
                .unwrap_or_default(),
        })
    })?;
    Ok((rows.collect::<Result<_, _>>()?, total.unsigned_abs()))
}
