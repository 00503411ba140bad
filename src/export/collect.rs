//! Gathering what is exported from the API. With the apikeys extensions the listing carries
//! roles and token dates and the external keys are listed; against VTEX's public API (no
//! `expand`) each key's roles are fetched on their own, a few at a time, and there is no
//! external-keys listing.

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
        client.fill_roles(&mut keys, progress).await?;
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
