//! The findings themselves: pure functions over the listing, the roles and the audit trail.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};

use super::{Finding, KeyRef, Kind, Missing, Posture, Thresholds};
use crate::listing::TokenAge;
use crate::permissions::{Resource, ResourceSet};
use crate::vtex::model::{AppKey, AuditEntry, ExternalKey, Role, RoleDetails};

/// The name VTEX gives its administrator role.
const OWNER_ROLE: &str = "Owner (Admin Super)";

/// VTEX's predefined role documented to hold all four API-key permissions: known by name, so
/// it counts where the role list does not say what a role grants (VTEX's public API).
const ALL_PERMISSIONS_ROLE: &str = "User Administrator - RESTRICTED";

/// What the findings are computed from. `None` says the server does not offer it.
pub struct Inputs<'a> {
    /// Generated keys, with their roles where known (`roles: None` = unknown).
    pub keys: &'a [AppKey],
    pub external: Option<&'a [ExternalKey]>,
    pub roles: &'a [RoleDetails],
    /// The audit trail, newest first; `None` where the server has none.
    pub audit: Option<&'a [AuditEntry]>,
    /// Whether the listing carries token dates (servers with the extension).
    pub token_dates: bool,
    pub token_duration_months: u32,
    pub thresholds: Thresholds,
    pub now: DateTime<Utc>,
}

/// Every finding that applies, most severe first, and what could not be computed.
pub fn assess(inputs: &Inputs) -> Posture {
    let mut posture = Posture::default();
    let mut add = |kind: Kind, keys: Vec<KeyRef>| {
        if !keys.is_empty() {
            posture.findings.push(Finding { kind, keys });
        }
    };
    let judge = RoleJudge::new(inputs.roles);
    if inputs.token_dates {
        add(
            Kind::TokenLongOutdated,
            by_age(inputs, TokenAge::LongOutdated),
        );
        add(Kind::RenewalPending, pending(inputs));
        add(Kind::TokenOutdated, by_age(inputs, TokenAge::Outdated));
    }
    add(
        Kind::Powerful,
        generated(inputs, |k| judge.powerful(k.roles.as_deref())),
    );
    if let Some(external) = inputs.external {
        add(
            Kind::ExternalPowerful,
            externals(external, |k| judge.powerful(k.roles.as_deref())),
        );
    }
    add(
        Kind::NoRole,
        generated(inputs, |k| k.roles.as_ref().is_some_and(Vec::is_empty)),
    );
    if let Some(audit) = inputs.audit {
        add(Kind::Inactive, inactive(inputs, audit));
    }
    add(Kind::SharedLabel, shared_labels(inputs.keys));
    if let Some(external) = inputs.external {
        add(
            Kind::ExternalInactive,
            externals(external, |k| !k.is_active),
        );
    }
    posture.not_computed = not_computed(inputs);
    posture
}

fn not_computed(inputs: &Inputs) -> Vec<(Kind, Missing)> {
    let mut missing = Vec::new();
    if !inputs.token_dates {
        for kind in [
            Kind::TokenLongOutdated,
            Kind::RenewalPending,
            Kind::TokenOutdated,
        ] {
            missing.push((kind, Missing::TokenDates));
        }
    }
    if inputs.audit.is_none() {
        missing.push((Kind::Inactive, Missing::Audit));
    }
    if inputs.external.is_none() {
        missing.push((Kind::ExternalPowerful, Missing::ExternalKeys));
        missing.push((Kind::ExternalInactive, Missing::ExternalKeys));
    }
    if inputs.roles.iter().any(|r| r.api_key_resources.is_none()) {
        missing.push((Kind::Powerful, Missing::RoleResources));
    }
    if inputs.keys.iter().any(|k| k.roles.is_none()) {
        missing.push((Kind::Powerful, Missing::Roles));
        missing.push((Kind::NoRole, Missing::Roles));
    }
    missing
}

fn key_ref(key: &AppKey) -> KeyRef {
    KeyRef {
        id: key.id.clone(),
        app_key: key.app_key.clone(),
        label: key.label.clone(),
    }
}

fn generated(inputs: &Inputs, keep: impl Fn(&AppKey) -> bool) -> Vec<KeyRef> {
    inputs
        .keys
        .iter()
        .filter(|k| keep(k))
        .map(key_ref)
        .collect()
}

fn externals(keys: &[ExternalKey], keep: impl Fn(&ExternalKey) -> bool) -> Vec<KeyRef> {
    keys.iter()
        .filter(|k| keep(k))
        .map(|k| KeyRef {
            id: k.id.clone(),
            app_key: k.app_key.clone(),
            label: k.account.clone(),
        })
        .collect()
}

/// Keys whose token is of class `age`. A key with a renewal pending is left out: its old token
/// is on its way out and a second renewal is refused, so the renewal-pending finding judges it.
fn by_age(inputs: &Inputs, age: TokenAge) -> Vec<KeyRef> {
    generated(inputs, |k| {
        k.creation_date_new_token.is_none()
            && k.token_age(inputs.token_duration_months, inputs.now) == Some(age)
    })
}

fn pending(inputs: &Inputs) -> Vec<KeyRef> {
    let limit = inputs.now - Duration::days(i64::from(inputs.thresholds.pending_days));
    generated(inputs, |k| {
        k.creation_date_new_token
            .is_some_and(|since| since.0 < limit)
    })
}

/// Inactive keys whose last sign of life (created, a token made, an audit entry about them) is
/// older than the threshold.
fn inactive(inputs: &Inputs, audit: &[AuditEntry]) -> Vec<KeyRef> {
    let mut last_entry: HashMap<&str, DateTime<Utc>> = HashMap::new();
    for entry in audit {
        if let Some(at) = entry.at {
            let seen = last_entry.entry(entry.target.as_str()).or_insert(at.0);
            *seen = (*seen).max(at.0);
        }
    }
    let limit = inputs.now - Duration::days(i64::from(inputs.thresholds.inactive_days));
    generated(inputs, |k| {
        if k.is_active {
            return false;
        }
        let dates = [
            k.created_in,
            k.creation_date_token,
            k.creation_date_new_token,
        ];
        let last = dates
            .into_iter()
            .flatten()
            .map(|t| t.0)
            .chain(last_entry.get(k.app_key.as_str()).copied())
            .max();
        last.is_some_and(|last| last < limit)
    })
}

/// Keys whose label (trimmed, any case) another key also has; unlabelled keys are left out.
fn shared_labels(keys: &[AppKey]) -> Vec<KeyRef> {
    let mut groups: BTreeMap<String, Vec<&AppKey>> = BTreeMap::new();
    for key in keys {
        let label = key.label.trim().to_lowercase();
        if !label.is_empty() {
            groups.entry(label).or_default().push(key);
        }
    }
    groups
        .into_values()
        .filter(|group| group.len() > 1)
        .flatten()
        .map(key_ref)
        .collect()
}

/// Which roles make a key powerful: an administrator role, VTEX's predefined all-four role, or
/// all four API-key permissions between its roles (where the server says what a role grants).
struct RoleJudge<'a> {
    by_id: HashMap<i64, &'a RoleDetails>,
}

impl<'a> RoleJudge<'a> {
    fn new(roles: &'a [RoleDetails]) -> Self {
        RoleJudge {
            by_id: roles.iter().map(|r| (r.id, r)).collect(),
        }
    }

    fn powerful(&self, held: Option<&[Role]>) -> bool {
        let Some(held) = held else { return false };
        let mut granted = ResourceSet::default();
        for role in held {
            let details = self.by_id.get(&role.id);
            if details.is_some_and(|d| d.is_admin)
                || [OWNER_ROLE, ALL_PERMISSIONS_ROLE].contains(&&*role.name)
            {
                return true;
            }
            let resources = details.and_then(|d| d.api_key_resources.as_deref());
            for resource in resources.unwrap_or_default() {
                if let Some(resource) = Resource::from_key(resource) {
                    granted.insert(resource);
                }
            }
        }
        granted == ResourceSet::all()
    }
}
