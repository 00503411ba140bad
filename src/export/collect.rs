//! Gathering what is exported from the API. With the apikeys extensions the listing carries
//! roles and token dates and the external keys are listed; against VTEX's public API (no
//! `expand`) each key's roles are fetched on their own, a few at a time, and there is no
//! external-keys listing.

use crate::vtex::model::AppKey;
use crate::vtex::{ClientError, VtexClient};

use super::Export;

/// Which sheets to gather (a CSV file holds one, so the other need not be asked for).
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    pub generated: bool,
    pub external: bool,
}

impl Wanted {
    pub const BOTH: Wanted = Wanted {
        generated: true,
        external: true,
    };
}

/// The keys of the account that `wanted` names; `external` stays `None` where the server
/// has no external-keys listing. `progress(done, total)` is called as per-key roles arrive
/// (only against a server whose listing has no roles).
pub async fn gather(
    client: &VtexClient,
    wanted: Wanted,
    progress: impl FnMut(usize, usize) + Send,
) -> Result<Export, ClientError> {
    let mut generated = None;
    if wanted.generated {
        let mut keys = client.list_keys().await?;
        fill_roles(client, &mut keys, progress).await?;
        generated = Some(keys);
    }
    let external = if wanted.external && client.capabilities().await?.extensions {
        Some(client.list_external().await?)
    } else {
        None
    };
    Ok(Export {
        generated,
        external,
    })
}

/// Fetches the roles of the keys listed without them, with the client's bounded concurrency.
pub async fn fill_roles(
    client: &VtexClient,
    keys: &mut [AppKey],
    progress: impl FnMut(usize, usize) + Send,
) -> Result<(), ClientError> {
    let missing: Vec<String> = keys
        .iter()
        .filter(|key| key.roles.is_none())
        .map(|key| key.id.clone())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let roles = client.roles_of_reporting(&missing, progress).await?;
    for key in keys.iter_mut().filter(|key| key.roles.is_none()) {
        key.roles = Some(roles.get(&key.id).cloned().unwrap_or_default());
    }
    Ok(())
}
