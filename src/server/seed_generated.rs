//! `--seed-keys N`: N generated keys for trying the app at scale (filtering 100 000 keys).
//! Deterministic like the demo seed: a fixed-seed SplitMix64 decides labels, statuses, roles,
//! token ages and pending renewals, with dates relative to the moment of seeding, so the same
//! N gives the same account. Tokens are still drawn from the CSPRNG and stored hashed, as for
//! any key: every generated key is real (nobody knows its token, as nobody is shown it).

mod words;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use super::seed::SplitMix64;
use super::store::roles::{self, Holder, RoleRef};
use super::store::{StoreError, StoreResult, external, keys, tokens};
use super::time::format_vtex;
use crate::keyformat::{KEY_SUFFIX_LEN, app_key_name};

/// Separate streams, so a suffix redrawn after a collision does not shift labels or roles.
const PLAN_SEED: u64 = 0x5EED_0C0F_FEE0_0001;
const SUFFIX_SEED: u64 = 0x5EED_0C0F_FEE0_0002;
const EXTERNAL_SEED: u64 = 0x5EED_0C0F_FEE0_0003;

const DAY: i64 = 86_400;

/// What one generated key will be, before it is written. Ages are in seconds before seeding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedKey {
    pub label: String,
    pub created_ago: i64,
    pub token_ago: i64,
    pub is_active: bool,
    /// When the pending renewal's new token was issued, if one waits.
    pub pending_ago: Option<i64>,
    /// Indexes into the account's non-admin roles (distinct).
    pub roles: Vec<usize>,
    /// Whether the key also holds the Owner (admin) role.
    pub owner: bool,
}

/// The plan for `count` keys over a pool of `role_count` non-admin roles: the same arguments
/// give the same plan.
pub fn plan(count: usize, role_count: usize) -> Vec<PlannedKey> {
    let mut rng = SplitMix64(PLAN_SEED);
    (0..count).map(|_| plan_key(&mut rng, role_count)).collect()
}

fn plan_key(rng: &mut SplitMix64, role_count: usize) -> PlannedKey {
    let label = words::label(rng);
    let token_ago = token_age(rng);
    // A third of the keys never renewed: the token is as old as the key.
    let created_ago = if rng.below(3) == 0 {
        token_ago
    } else {
        token_ago + rng.below(900 * DAY as u64) as i64
    };
    let is_active = rng.below(10) != 0;
    let pending_ago =
        (rng.below(50) == 0).then(|| rng.below(token_ago.clamp(1, 14 * DAY) as u64) as i64);
    let mut roles = pick_roles(rng, role_count);
    // One key in 200 is an Owner; Owner counts among its (at most three) roles.
    let owner = rng.below(200) == 0;
    if owner {
        roles.truncate(2);
    }
    PlannedKey {
        label,
        created_ago,
        token_ago,
        is_active,
        pending_ago,
        roles,
        owner,
    }
}

/// Half fresh (the default duration is 3 months), a quarter in the orange alert, a quarter
/// red, up to 400 days.
fn token_age(rng: &mut SplitMix64) -> i64 {
    let days = match rng.below(4) {
        0 | 1 => rng.below(90),
        2 => 90 + rng.below(90),
        _ => 180 + rng.below(220),
    } as i64;
    days * DAY + rng.below(DAY as u64) as i64
}

/// 0 to 3 distinct roles: one key in ten has none, most have one or two.
fn pick_roles(rng: &mut SplitMix64, role_count: usize) -> Vec<usize> {
    let wanted = match rng.below(20) {
        0 | 1 => 0,
        2..=9 => 1,
        10..=16 => 2,
        _ => 3,
    }
    .min(role_count);
    let mut picked = Vec::with_capacity(wanted);
    while picked.len() < wanted {
        let role = rng.below(role_count as u64) as usize;
        if !picked.contains(&role) {
            picked.push(role);
        }
    }
    picked
}

/// The account's roles, split into the Owner (admin) role and the others, in id order.
struct RolePool {
    owner: Option<RoleRef>,
    others: Vec<RoleRef>,
}

fn role_pool(conn: &Connection, account_id: i64) -> StoreResult<RolePool> {
    let mut stmt =
        conn.prepare("SELECT id, name, is_admin FROM roles WHERE account_id = ?1 ORDER BY id")?;
    let mut pool = RolePool {
        owner: None,
        others: Vec::new(),
    };
    let mut rows = stmt.query([account_id])?;
    while let Some(row) = rows.next()? {
        let role = RoleRef {
            id: row.get(0)?,
            name: row.get(1)?,
        };
        if row.get::<_, bool>(2)? && pool.owner.is_none() {
            pool.owner = Some(role);
        } else {
            pool.others.push(role);
        }
    }
    Ok(pool)
}

/// Writes `count` generated keys and `max(3, count / 1000)` external keys, inside the
/// caller's transaction.
pub fn seed_generated(
    conn: &Connection,
    account_id: i64,
    account: &str,
    count: usize,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let pool = role_pool(conn, account_id)?;
    let mut names = KeyNames::load(conn, account)?;
    let cache_before: i64 = conn.query_row("PRAGMA cache_size", [], |row| row.get(0))?;
    // Random ids, names and hashes land all over the indexes: with SQLite's default 2 MB of
    // cache, the transaction would spill pages to disk and read them back, again and again.
    conn.pragma_update(None, "cache_size", SEED_CACHE_KIB)?;
    let seeded = plan(count, pool.others.len())
        .iter()
        .try_for_each(|planned| {
            insert_planned(conn, account_id, account, planned, &pool, &mut names, now)
        })
        .and_then(|()| seed_external(conn, account_id, account, external_count(count), &pool, now));
    conn.pragma_update(None, "cache_size", cache_before)?;
    seeded
}

/// Page cache while seeding, in KiB as SQLite counts a negative `cache_size`: room for the
/// whole file of 100 000 keys (about 65 MB); given back afterwards.
const SEED_CACHE_KIB: i64 = -256 * 1024;

/// How many external keys go with `count` generated ones: enough that the pane is not empty.
pub fn external_count(count: usize) -> usize {
    (count / 1000).max(3)
}

/// The app keys already taken, so a suffix is checked in memory instead of by a query per key.
struct KeyNames {
    account: String,
    taken: HashSet<String>,
    rng: SplitMix64,
}

impl KeyNames {
    fn load(conn: &Connection, account: &str) -> StoreResult<KeyNames> {
        let mut stmt = conn.prepare("SELECT app_key FROM app_keys")?;
        let taken = stmt
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(KeyNames {
            account: account.to_string(),
            taken,
            rng: SplitMix64(SUFFIX_SEED),
        })
    }

    fn unused_suffix(&mut self) -> String {
        loop {
            let suffix = self.rng.letters(KEY_SUFFIX_LEN);
            if self.taken.insert(app_key_name(&self.account, &suffix)) {
                return suffix;
            }
        }
    }
}

fn ago(now: DateTime<Utc>, seconds: i64) -> String {
    format_vtex(now - Duration::seconds(seconds))
}

fn insert_planned(
    conn: &Connection,
    account_id: i64,
    account: &str,
    planned: &PlannedKey,
    pool: &RolePool,
    names: &mut KeyNames,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let suffix = names.unused_suffix();
    let (record, _token) = keys::insert(
        conn,
        account_id,
        account,
        &keys::NewKey {
            label: &planned.label,
            created_in: &ago(now, planned.created_ago),
            token_created: &ago(now, planned.token_ago),
            is_active: planned.is_active,
            suffix: Some(&suffix),
        },
    )?;
    if let Some(pending) = planned.pending_ago {
        tokens::insert(conn, &record.id, tokens::Slot::New, &ago(now, pending))?;
    }
    let mut held: Vec<RoleRef> = planned
        .roles
        .iter()
        .map(|&index| pool.others[index].clone())
        .collect();
    if let Some(owner) = pool.owner.as_ref().filter(|_| planned.owner) {
        held.push(owner.clone());
    }
    let holder = Holder::Generated {
        id: record.id,
        app_key: record.app_key,
    };
    roles::assign(conn, &holder, held)?;
    Ok(())
}

/// Partner accounts whose keys were granted access here (agencies, integrators, marketplaces).
const PARTNER_ACCOUNTS: &[&str] = &[
    "agenciaparana",
    "integradoraandes",
    "consultoriabi",
    "marketplacesul",
    "hubfulfillment",
    "agencianorte",
    "solucionesretail",
    "logisticaexpressa",
];

fn seed_external(
    conn: &Connection,
    account_id: i64,
    account: &str,
    count: usize,
    pool: &RolePool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let mut rng = SplitMix64(EXTERNAL_SEED);
    let mut added = 0;
    while added < count {
        let partner = PARTNER_ACCOUNTS[rng.below(PARTNER_ACCOUNTS.len() as u64) as usize];
        let app_key = app_key_name(partner, &rng.letters(KEY_SUFFIX_LEN));
        let added_on = ago(now, rng.below(500 * DAY as u64) as i64);
        let is_active = rng.below(10) != 0;
        let key = match external::insert(conn, account_id, account, &app_key, &added_on, is_active)
        {
            Ok(key) => key,
            // Drawn twice (or a partner named like this account): draw another.
            Err(StoreError::Conflict(_) | StoreError::Invalid(_)) => continue,
            Err(other) => return Err(other),
        };
        let roles = pick_roles(&mut rng, pool.others.len())
            .into_iter()
            .map(|index| pool.others[index].clone())
            .collect();
        let holder = Holder::External {
            id: key.id,
            app_key: key.app_key,
        };
        roles::assign(conn, &holder, roles)?;
        added += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
