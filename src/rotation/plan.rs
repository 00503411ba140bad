//! Which keys a run rotates, and which it leaves out and why — decided before anything is sent.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::Target;
use crate::keyformat;
use crate::listing::{self, TokenAge};
use crate::vtex::model::AppKey;
use crate::vtex::{ClientError, VtexClient};

/// The keys asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// By id, appKey or exact label.
    Named(Vec<String>),
    /// Every key whose token is past the account's token duration.
    Outdated,
    /// Every key (that can be rotated).
    All,
}

/// The keys to rotate, and those left out with the reason.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub targets: Vec<Target>,
    pub skipped: Vec<(Target, String)>,
}

/// Why no plan could be made: `usage` when the request itself is wrong (exit 2).
#[derive(Debug)]
pub struct PlanError {
    pub usage: bool,
    pub message: String,
}

impl From<ClientError> for PlanError {
    fn from(err: ClientError) -> PlanError {
        PlanError {
            usage: false,
            message: err.to_string(),
        }
    }
}

/// Lists the keys (unless every name is an appKey and the listing is refused: a rotation
/// bot's key holds only Renew API Token) and plans from them. `in_grace`: appKeys whose earlier
/// rotation waits for its grace to end, with when.
pub async fn plan(
    client: &VtexClient,
    selection: &Selection,
    in_grace: &HashMap<String, DateTime<Utc>>,
) -> Result<Plan, PlanError> {
    let keys = match client.list_keys().await {
        Ok(keys) => keys,
        Err(ClientError::Forbidden { .. }) if all_app_keys(selection) => {
            return Ok(unlisted(client.app_key(), selection));
        }
        Err(err) => return Err(err.into()),
    };
    let no_dates = !keys.is_empty() && keys.iter().all(|k| k.creation_date_token.is_none());
    if *selection == Selection::Outdated && no_dates {
        return Err(PlanError {
            usage: true,
            message: "--outdated needs each token's age, which this server's listing does not \
                      give (VTEX's public API has no token dates); name the keys to rotate, or \
                      use --all"
                .into(),
        });
    }
    let months = token_duration(client).await?;
    from_listing(
        &keys,
        selection,
        client.app_key(),
        months,
        in_grace,
        Utc::now(),
    )
}

fn all_app_keys(selection: &Selection) -> bool {
    matches!(selection, Selection::Named(names)
        if names.iter().all(|name| keyformat::app_key_account(name.trim()).is_some()))
}

/// Targets from appKeys alone (id and label unknown; the server checks the rest).
fn unlisted(own: &str, selection: &Selection) -> Plan {
    let mut plan = Plan::default();
    let Selection::Named(names) = selection else {
        return plan;
    };
    let mut seen = HashSet::new();
    for name in names.iter().map(|name| name.trim()) {
        if !seen.insert(name) {
            continue;
        }
        let target = Target {
            id: String::new(),
            app_key: name.to_string(),
            label: String::new(),
            account: keyformat::app_key_account(name)
                .unwrap_or_default()
                .to_string(),
        };
        match own_key_reason(own, name) {
            Some(reason) => plan.skipped.push((target, reason)),
            None => plan.targets.push(target),
        }
    }
    plan
}

/// The account's token duration; VTEX's default when the server cannot say.
async fn token_duration(client: &VtexClient) -> Result<u32, PlanError> {
    match client.settings().await {
        Ok(settings) => Ok(settings.token_duration_months),
        Err(ClientError::ExtensionUnavailable { .. } | ClientError::Forbidden { .. }) => {
            Ok(listing::DEFAULT_TOKEN_DURATION_MONTHS)
        }
        Err(err) => Err(err.into()),
    }
}

fn own_key_reason(own: &str, app_key: &str) -> Option<String> {
    (own == app_key).then(|| {
        "the key apikeys signs in with: VTEX renews a key only from another key".to_string()
    })
}

/// Plans from a listing: what `selection` names, less what cannot be rotated now.
pub fn from_listing(
    keys: &[AppKey],
    selection: &Selection,
    own: &str,
    months: u32,
    in_grace: &HashMap<String, DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Plan, PlanError> {
    let chosen: Vec<&AppKey> = match selection {
        Selection::All => keys.iter().collect(),
        Selection::Outdated => keys
            .iter()
            .filter(|key| {
                matches!(
                    key.token_age(months, now),
                    Some(TokenAge::Outdated | TokenAge::LongOutdated)
                )
            })
            .collect(),
        Selection::Named(names) => named(keys, names)?,
    };
    let mut plan = Plan::default();
    for key in chosen {
        let target = target_of(key);
        match skip_reason(key, own, in_grace) {
            Some(reason) => plan.skipped.push((target, reason)),
            None => plan.targets.push(target),
        }
    }
    Ok(plan)
}

/// The keys `names` name, each once, in the order named; a name no key has is a failure.
fn named<'k>(keys: &'k [AppKey], names: &[String]) -> Result<Vec<&'k AppKey>, PlanError> {
    let mut chosen: Vec<&AppKey> = Vec::new();
    for name in names.iter().map(|name| name.trim()) {
        let by_label: Vec<&AppKey> = keys.iter().filter(|k| k.label == name).collect();
        let found = match keys.iter().find(|k| k.id == name || k.app_key == name) {
            Some(key) => key,
            None => match by_label.as_slice() {
                [key] => key,
                [] => {
                    return Err(PlanError {
                        usage: false,
                        message: format!(
                            "no key has the id, appKey or label {name:?}; nothing was rotated \
                             (`apikeys keys list` shows them)"
                        ),
                    });
                }
                several => {
                    return Err(PlanError {
                        usage: true,
                        message: format!(
                            "{} keys are labelled {name:?}; name one by its appKey. Nothing was \
                             rotated.",
                            several.len()
                        ),
                    });
                }
            },
        };
        if !chosen.iter().any(|k| k.id == found.id) {
            chosen.push(found);
        }
    }
    Ok(chosen)
}

fn target_of(key: &AppKey) -> Target {
    Target {
        id: key.id.clone(),
        app_key: key.app_key.clone(),
        label: key.label.clone(),
        account: keyformat::app_key_account(&key.app_key)
            .unwrap_or_default()
            .to_string(),
    }
}

/// Why a listed key is left out of a rotation (decided before anything is sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// The key apikeys signs in with.
    Own,
    /// An earlier rotation's grace is running; its old token goes then.
    InGrace(DateTime<Utc>),
    Inactive,
    RenewalPending,
}

/// Whether `key` is left out, and why: the one rule the plan and the app's Settings count use.
pub fn skip_of(key: &AppKey, own: &str, in_grace: &HashMap<String, DateTime<Utc>>) -> Option<Skip> {
    if key.app_key == own {
        Some(Skip::Own)
    } else if let Some(due) = in_grace.get(&key.app_key) {
        Some(Skip::InGrace(*due))
    } else if !key.is_active {
        Some(Skip::Inactive)
    } else if key.renewal_pending() {
        Some(Skip::RenewalPending)
    } else {
        None
    }
}

impl Skip {
    /// The reason, as the report and the confirmation say it.
    pub fn reason(self, app_key: &str) -> String {
        match self {
            Skip::Own => own_key_reason(app_key, app_key).unwrap_or_default(),
            Skip::InGrace(due) => format!(
                "rotated already: its old token goes at {} (`apikeys rotate --finish-due`)",
                due.format("%Y-%m-%d %H:%M:%S UTC")
            ),
            Skip::Inactive => "inactive: a new token could not be verified (activate the key \
                               first, or delete it)"
                .into(),
            Skip::RenewalPending => format!(
                "a renewal is already pending: finish it or undo it first (`apikeys keys \
                 finish-renewal {app_key}` or `apikeys keys undo-renewal {app_key}`)"
            ),
        }
    }
}

fn skip_reason(
    key: &AppKey,
    own: &str,
    in_grace: &HashMap<String, DateTime<Utc>>,
) -> Option<String> {
    skip_of(key, own, in_grace).map(|skip| skip.reason(&key.app_key))
}
