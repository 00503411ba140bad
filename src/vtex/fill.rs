//! Roles for the keys a listing gave without them (VTEX's public API has no `expand`): one
//! request per key, bounded, for the export, the posture report and the app alike.

use super::model::AppKey;
use super::{ClientError, VtexClient};

impl VtexClient {
    /// Gives every key of `keys` whose roles are unknown its roles, fetched a few at a time;
    /// `progress(done, total)` as they arrive. A key the answers leave out gets no roles.
    pub async fn fill_roles(
        &self,
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
        let mut roles = self.roles_of_reporting(&missing, progress).await?;
        for key in keys.iter_mut().filter(|key| key.roles.is_none()) {
            key.roles = Some(roles.remove(&key.id).unwrap_or_default());
        }
        Ok(())
    }
}
