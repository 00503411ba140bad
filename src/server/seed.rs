//! `--seed-demo`: a believable account from assets/demo-seed.json. Dates are relative to the
//! moment of seeding (so the mix of fresh, orange and red tokens holds whenever it runs), and
//! key names come from a fixed-seed generator, so every seeded database looks the same.
//! Tokens are still drawn from the CSPRNG: nobody may be able to predict them.

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::Deserialize;

use super::store::roles::{self, Holder, ProductGrant};
use super::store::{StoreError, StoreResult, accounts, external, keys, tokens};
use super::time::format_vtex;

const DEMO_SEED: &str = include_str!("../../assets/demo-seed.json");
const FIXED_SEED: u64 = 0x5EED_A91C_E75D_E300;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Seed {
    account: SeedAccount,
    roles: Vec<SeedRole>,
    keys: Vec<SeedKey>,
    external_keys: Vec<SeedExternalKey>,
}

/// The names GET /api/vlm/account answers with.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedAccount {
    company_name: String,
    trading_name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedRole {
    name: String,
    products: Vec<SeedGrant>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedGrant {
    product: String,
    resources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedKey {
    label: String,
    created_days_ago: i64,
    token_age_days: i64,
    is_active: bool,
    pending_renewal_days_ago: Option<i64>,
    roles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedExternalKey {
    app_key: String,
    account: String,
    added_days_ago: i64,
    is_active: bool,
    roles: Vec<String>,
}

/// SplitMix64: tiny, well-distributed, and reproducible from a fixed seed.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    pub(crate) fn letters(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b'A' + self.below(26) as u8))
            .collect()
    }
}

/// How many generated and external keys the demo data holds.
pub fn demo_counts() -> (usize, usize) {
    let seed = parse();
    (seed.keys.len(), seed.external_keys.len())
}

fn parse() -> Seed {
    serde_json::from_str(DEMO_SEED).expect("assets/demo-seed.json is checked by the test suite")
}

/// Fills the account with the demo data, inside the caller's transaction.
pub fn seed_demo(
    conn: &Connection,
    account_id: i64,
    account: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let seed = parse();
    accounts::set_names(
        conn,
        account_id,
        &seed.account.company_name,
        &seed.account.trading_name,
    )?;
    for role in &seed.roles {
        seed_role(conn, account_id, role)?;
    }
    let mut seeder = Seeder {
        conn,
        account_id,
        account,
        now,
        rng: SplitMix64(FIXED_SEED),
    };
    for key in &seed.keys {
        seeder.key(key)?;
    }
    for ext in &seed.external_keys {
        seeder.external_key(ext)?;
    }
    Ok(())
}

/// Only the demo's roles, so generated keys (`--seed-keys` without `--seed-demo`) hold real,
/// varied roles.
pub fn seed_demo_roles(conn: &Connection, account_id: i64) -> StoreResult<()> {
    for role in &parse().roles {
        seed_role(conn, account_id, role)?;
    }
    Ok(())
}

fn seed_role(conn: &Connection, account_id: i64, role: &SeedRole) -> StoreResult<()> {
    let resources: Vec<Vec<&str>> = role
        .products
        .iter()
        .map(|grant| grant.resources.iter().map(String::as_str).collect())
        .collect();
    let grants: Vec<ProductGrant> = role
        .products
        .iter()
        .zip(&resources)
        .map(|(grant, resources)| ProductGrant {
            product: &grant.product,
            resources,
        })
        .collect();
    roles::create(conn, account_id, &role.name, false, &grants)?;
    Ok(())
}

/// Inserts the seed's keys, with dates relative to `now` and suffixes from a fixed seed.
struct Seeder<'a> {
    conn: &'a Connection,
    account_id: i64,
    account: &'a str,
    now: DateTime<Utc>,
    rng: SplitMix64,
}

impl Seeder<'_> {
    /// A time of day per item, so the rows do not all share the seeding second.
    fn days_ago(&mut self, days: i64) -> String {
        let seconds = self.rng.below(36_000) as i64;
        format_vtex(self.now - Duration::days(days) - Duration::seconds(seconds))
    }

    fn role_refs(&self, names: &[String]) -> StoreResult<Vec<roles::RoleRef>> {
        names
            .iter()
            .map(|name| roles::by_name(self.conn, self.account_id, name))
            .collect()
    }

    fn key(&mut self, key: &SeedKey) -> StoreResult<()> {
        if key.token_age_days > key.created_days_ago {
            return Err(StoreError::Invalid(format!(
                "seed key {:?}: token older than key",
                key.label
            )));
        }
        let suffix = unused_suffix(self.conn, self.account, &mut self.rng)?;
        let created_in = self.days_ago(key.created_days_ago);
        let token_created = if key.token_age_days == key.created_days_ago {
            created_in.clone()
        } else {
            self.days_ago(key.token_age_days)
        };
        let (record, _token) = keys::insert(
            self.conn,
            self.account_id,
            self.account,
            &keys::NewKey {
                label: &key.label,
                created_in: &created_in,
                token_created: &token_created,
                is_active: key.is_active,
                suffix: Some(&suffix),
            },
        )?;
        if let Some(pending) = key.pending_renewal_days_ago {
            let at = self.days_ago(pending);
            tokens::insert(self.conn, &record.id, tokens::Slot::New, &at)?;
        }
        let holder = Holder::Generated {
            id: record.id,
            app_key: record.app_key,
        };
        roles::assign(self.conn, &holder, self.role_refs(&key.roles)?)?;
        Ok(())
    }

    fn external_key(&mut self, ext: &SeedExternalKey) -> StoreResult<()> {
        let added = self.days_ago(ext.added_days_ago);
        let key = external::insert(
            self.conn,
            self.account_id,
            self.account,
            &ext.app_key,
            &added,
            ext.is_active,
        )?;
        if key.account != ext.account {
            return Err(StoreError::Invalid(format!(
                "seed external key {}: account mismatch",
                ext.app_key
            )));
        }
        let holder = Holder::External {
            id: key.id,
            app_key: key.app_key,
        };
        roles::assign(self.conn, &holder, self.role_refs(&ext.roles)?)?;
        Ok(())
    }
}

fn unused_suffix(conn: &Connection, account: &str, rng: &mut SplitMix64) -> StoreResult<String> {
    loop {
        let suffix = rng.letters(crate::keyformat::KEY_SUFFIX_LEN);
        if !keys::is_taken(conn, &crate::keyformat::app_key_name(account, &suffix))? {
            return Ok(suffix);
        }
    }
}
