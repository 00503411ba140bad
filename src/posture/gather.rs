//! Fetches what the findings need — the listing, the roles (per key where the listing has
//! none), external keys, the token duration, the audit trail — and assesses it. Used by
//! `apikeys report` and the app's Insights overlay.

use chrono::{DateTime, Utc};

use super::{Inputs, Posture, Thresholds, TokenAges, assess};
use crate::listing::DEFAULT_TOKEN_DURATION_MONTHS;
use crate::vtex::model::{AppKey, AuditEntry};
use crate::vtex::{ClientError, VtexClient};

/// How many audit entries are read at most (1000 a page): enough for every key's last entry
/// on any account a person administers, bounded against a huge trail.
const AUDIT_MAX: usize = 20_000;

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
    fill_roles(client, &mut keys).await?;
    let roles = client.list_roles().await?;
    let external = optional(client.list_external().await)?;
    let duration = match optional(client.settings().await)? {
        Some(settings) => settings.token_duration_months,
        None => DEFAULT_TOKEN_DURATION_MONTHS,
    };
    let audit = match extensions {
        true => optional(whole_audit(client).await)?,
        false => None,
    };
    let token_dates = extensions && keys.iter().all(|k| k.creation_date_token.is_some());
    let posture = assess(&Inputs {
        keys: &keys,
        external: external.as_deref(),
        roles: &roles,
        audit: audit.as_deref(),
        token_dates,
        token_duration_months: duration,
        thresholds,
        now,
    });
    Ok(Assessment {
        posture,
        ages: TokenAges::of(&keys, duration, now),
        keys: keys.len(),
        external: external.as_ref().map_or(0, Vec::len),
    })
}

/// Against VTEX's public API the listing has no roles: each key's are fetched (bounded
/// concurrency, in the client).
async fn fill_roles(client: &VtexClient, keys: &mut [AppKey]) -> Result<(), ClientError> {
    let missing: Vec<String> = keys
        .iter()
        .filter(|k| k.roles.is_none())
        .map(|k| k.id.clone())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut found = client.roles_of(&missing).await?;
    for key in keys.iter_mut().filter(|k| k.roles.is_none()) {
        key.roles = found.remove(&key.id);
    }
    Ok(())
}

/// What a server without the extension cannot answer becomes `None`.
fn optional<T>(result: Result<T, ClientError>) -> Result<Option<T>, ClientError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(ClientError::ExtensionUnavailable { .. } | ClientError::NotFound { .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

async fn whole_audit(client: &VtexClient) -> Result<Vec<AuditEntry>, ClientError> {
    const PAGE: u32 = 1000;
    let mut entries: Vec<AuditEntry> = Vec::new();
    loop {
        let before = entries.last().and_then(|e| e.id);
        let page = client.audit(PAGE, before, None).await?;
        let short = page.len() < PAGE as usize;
        entries.extend(page);
        if short || before == entries.last().and_then(|e| e.id) || entries.len() >= AUDIT_MAX {
            return Ok(entries);
        }
    }
}
