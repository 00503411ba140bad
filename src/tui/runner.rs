//! Carries out API calls for the UI: one tokio task per call, answered as an `Action`.

use tokio::sync::mpsc::UnboundedSender;

use super::action::{Action, Call, Change, Failure, Outcome, RequestId};
use crate::vtex::VtexClient;

/// Starts `call` on a task; its outcome comes back on `results` tagged with `id`.
pub fn spawn(client: &VtexClient, id: RequestId, call: Call, results: UnboundedSender<Action>) {
    let client = client.clone();
    tokio::spawn(async move {
        let outcome = perform(&client, call).await;
        // The receiver is gone only when the app is quitting.
        let _ = results.send(Action::Api { id, outcome });
    });
}

pub async fn perform(client: &VtexClient, call: Call) -> Outcome {
    match call {
        Call::Capabilities => {
            Outcome::Capabilities(client.capabilities().await.map_err(Failure::from))
        }
        Call::ListKeys => Outcome::Keys(client.list_keys().await.map_err(Failure::from)),
        Call::ListExternal => {
            Outcome::External(client.list_external().await.map_err(Failure::from))
        }
        Call::ListRoles => Outcome::Roles(client.list_roles().await.map_err(Failure::from)),
        Call::GetSettings => Outcome::Settings(client.settings().await.map_err(Failure::from)),
        Call::KeyRoles { ids } => {
            Outcome::KeyRoles(client.roles_of(&ids).await.map_err(Failure::from))
        }
        Call::Audit { key_id, app_key } => Outcome::Audit {
            key_id,
            result: client
                .audit(200, None, Some(&app_key))
                .await
                .map_err(Failure::from),
        },
        Call::Change(change) => {
            let result = change_key(client, &change).await.map_err(Failure::from);
            Outcome::Changed { change, result }
        }
        Call::CreateKey { label, roles } => match client.create_key(&label).await {
            Ok(created) => {
                let roles_added = if roles.is_empty() {
                    Ok(())
                } else {
                    client
                        .add_roles(&created.id, &roles)
                        .await
                        .map_err(Failure::from)
                };
                Outcome::Created(Ok(created), roles_added)
            }
            Err(err) => Outcome::Created(Err(err.into()), Ok(())),
        },
        Call::Renew {
            app_key,
            label,
            delete_old_now,
        } => {
            let result = client.renew(&app_key).await.map_err(Failure::from);
            let old_deleted = if delete_old_now && result.is_ok() {
                Some(
                    client
                        .finish_renewal(&app_key)
                        .await
                        .map(|_| ())
                        .map_err(Failure::from),
                )
            } else {
                None
            };
            Outcome::Renewed {
                app_key,
                label,
                result,
                old_deleted,
            }
        }
    }
}

async fn change_key(client: &VtexClient, change: &Change) -> Result<(), crate::vtex::ClientError> {
    match change {
        Change::SetKeyActive { id, active } => client.set_key_active(id, *active).await,
        Change::DeleteKey { id, .. } => client.delete_key(id).await,
        Change::SetRoles { id, add, remove } => {
            if !add.is_empty() {
                client.add_roles(id, add).await?;
            }
            for role in remove {
                client.remove_role(id, *role).await?;
            }
            Ok(())
        }
        Change::FinishRenewal { app_key } => client.finish_renewal(app_key).await.map(|_| ()),
        Change::UndoRenewal { app_key } => client.undo_renewal(app_key).await.map(|_| ()),
        Change::SetTokenDuration { months } => client.set_token_duration(*months).await.map(|_| ()),
        Change::AddExternal { app_key, roles } => {
            client.add_external(app_key, roles).await.map(|_| ())
        }
        Change::SetExternalActive { id, active } => client.set_external_active(id, *active).await,
        Change::RemoveExternal { id, .. } => client.remove_external(id).await,
    }
}
