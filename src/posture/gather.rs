//! Fetches what the findings need — the listing, the roles (per key where the listing has
//! none), external keys, the token duration, the audit trail — and assesses it. Used by
//! `apikeys report` and the app's Insights overlay.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Inputs, Kind, Missing, Posture, Thresholds, TokenAges, assess};
use crate::listing::DEFAULT_TOKEN_DURATION_MONTHS;
use crate::vtex::model::AuditEntry;
use crate::vtex::{ClientError, VtexClient};

/// Audit entries asked for a page.
const AUDIT_PAGE: u32 = 1000;
/// A safety cap on the pages read (2 million entries within the inactivity threshold, as
/// `text::missing` says): past
/// it the trail is not complete enough to call a key inactive, and the report says so.
const AUDIT_MAX_PAGES: usize = 2000;

/// An assessment and the chart beside it.
#[derive(Debug, Clone, Default)]
pub struct Assessment {
    pub posture: Posture,
    pub ages: TokenAges,
    pub keys: usize,
    pub external: usize,
}

/// Reads the account and assesses it as of `now`.
pub async fn assess_account(
    client: &VtexClient,
    thresholds: Thresholds,
    now: DateTime<Utc>,
) -> Result<Assessment, ClientError> {
    let extensions = client.capabilities().await?.extensions;
    let mut keys = client.list_keys().await?;
    client.fill_roles(&mut keys, |_, _| {}).await?;
    let roles = client.list_roles().await?;
    let external = optional(client.list_external().await)?;
    let duration = match optional(client.settings().await)? {
        Some(settings) => settings.token_duration_months,
        None => DEFAULT_TOKEN_DURATION_MONTHS,
    };
    let since = now - chrono::Duration::days(i64::from(thresholds.inactive_days));
    let audit = match extensions {
        true => optional(recent_audit(client, since).await)?,
        false => None,
    };
    let cut_short = matches!(audit, Some(Trail::CutShort));
    let audit = audit.and_then(Trail::complete);
    let token_dates = extensions && keys.iter().all(|k| k.creation_date_token.is_some());
    let mut posture = assess(&Inputs {
        keys: &keys,
        external: external.as_deref(),
        roles: &roles,
        audit: audit.as_deref(),
        token_dates,
        token_duration_months: duration,
        thresholds,
        now,
    });
    if cut_short {
        // The server has a trail, too long to read whole: say that, not "no audit trail".
        for (kind, missing) in &mut posture.not_computed {
            if *kind == Kind::Inactive && *missing == Missing::Audit {
                *missing = Missing::AuditTooLong;
            }
        }
    }
    Ok(Assessment {
        posture,
        ages: TokenAges::of(&keys, duration, now),
        keys: keys.len(),
        external: external.as_ref().map_or(0, Vec::len),
    })
}

/// What a server without the extension cannot answer becomes `None`.
fn optional<T>(result: Result<T, ClientError>) -> Result<Option<T>, ClientError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(ClientError::ExtensionUnavailable { .. } | ClientError::NotFound { .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

/// The audit trail as far as an inactivity verdict needs it.
enum Trail {
    /// Each key's newest entry, newest first.
    Complete(Vec<AuditEntry>),
    /// The safety cap on pages was reached before the threshold.
    CutShort,
}

impl Trail {
    fn complete(self) -> Option<Vec<AuditEntry>> {
        match self {
            Trail::Complete(entries) => Some(entries),
            Trail::CutShort => None,
        }
    }
}

/// Pages the trail newest first and stops at the first page whose oldest entry is older than
/// `since`: an older entry cannot make a key active within the threshold, so nothing older
/// changes a verdict. Only each target's newest entry is kept (all a verdict reads), so a
/// busy account's trail costs memory by keys, not by entries.
async fn recent_audit(client: &VtexClient, since: DateTime<Utc>) -> Result<Trail, ClientError> {
    let mut newest: HashMap<String, AuditEntry> = HashMap::new();
    let mut before = None;
    for _ in 0..AUDIT_MAX_PAGES {
        let page = client.audit(AUDIT_PAGE, before, None).await?;
        let short = page.len() < AUDIT_PAGE as usize;
        let last_id = page.last().and_then(|e| e.id);
        let reached_since = page
            .last()
            .and_then(|e| e.at)
            .is_some_and(|at| at.0 < since);
        for entry in page {
            keep_newest(&mut newest, entry);
        }
        // A page without ids cannot be paged further.
        if short || reached_since || last_id.is_none() || last_id == before {
            let mut entries: Vec<AuditEntry> = newest.into_values().collect();
            entries.sort_by_key(|e| std::cmp::Reverse(e.at));
            return Ok(Trail::Complete(entries));
        }
        before = last_id;
    }
    Ok(Trail::CutShort)
}

fn keep_newest(newest: &mut HashMap<String, AuditEntry>, entry: AuditEntry) {
    match newest.get_mut(&entry.target) {
        Some(kept) if kept.at >= entry.at => {}
        Some(kept) => *kept = entry,
        None => {
            newest.insert(entry.target.clone(), entry);
        }
    }
}
