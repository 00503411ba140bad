//! Carries out API calls for the UI: one tokio task per call, answered as an `Action`.

use std::collections::HashMap;

use tokio::task::{self, JoinSet};

use super::action::{Action, Call, Change, Failure, Outcome, RequestId};
use crate::vtex::VtexClient;

/// The calls in flight, in a `JoinSet`: each answer comes back with its request id, a panic
/// too (the set names the task that panicked), and dropping the set — quitting — cancels
/// every call still in flight.
#[derive(Default)]
pub struct Tasks {
    set: JoinSet<Outcome>,
    requests: HashMap<task::Id, RequestId>,
}

impl Tasks {
    /// Starts `call` for request `id`, under one deadline (--timeout) for the whole action.
    pub fn spawn(&mut self, client: &VtexClient, id: RequestId, call: Call) {
        let client = client.clone();
        let handle = self
            .set
            .spawn(async move { client.within_deadline(perform(&client, call)).await });
        self.requests.insert(handle.id(), id);
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// The next answer; `None` when nothing is in flight. Cancel-safe, for `select!`.
    pub async fn next(&mut self) -> Option<Action> {
        loop {
            let joined = self.set.join_next_with_id().await?;
            if let Some(action) = self.answer(joined) {
                return Some(action);
            }
        }
    }

    /// An answer that is already there, without waiting.
    pub fn try_next(&mut self) -> Option<Action> {
        loop {
            let joined = self.set.try_join_next_with_id()?;
            if let Some(action) = self.answer(joined) {
                return Some(action);
            }
        }
    }

    /// A finished task as the answer to its request; a panic is `Outcome::Crashed`.
    fn answer(&mut self, joined: Result<(task::Id, Outcome), task::JoinError>) -> Option<Action> {
        let (task, outcome) = match joined {
            Ok((task, outcome)) => (task, outcome),
            Err(err) if err.is_panic() => (err.id(), Outcome::Crashed),
            Err(err) => {
                // Cancelled: nobody waits for it.
                self.requests.remove(&err.id());
                return None;
            }
        };
        let id = self.requests.remove(&task)?;
        Some(Action::Api { id, outcome })
    }
}

pub async fn perform(client: &VtexClient, call: Call) -> Outcome {
    match call {
        Call::Capabilities => {
            Outcome::Capabilities(client.capabilities().await.map_err(Failure::from))
        }
        Call::Account => Outcome::Account(client.account().await.map_err(Failure::from)),
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
        Call::Assess { thresholds } => Outcome::Assessed(
            crate::posture::gather::assess_account(client, thresholds, chrono::Utc::now())
                .await
                .map(Box::new)
                .map_err(Failure::from),
        ),
        Call::Change(change) => {
            let result = change_key(client, &change).await;
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

/// One add, then one removal per role: when a later step fails, say that earlier ones held.
async fn set_roles(
    client: &VtexClient,
    id: &str,
    add: &[i64],
    remove: &[i64],
) -> Result<(), Failure> {
    let mut applied = false;
    let partial = |applied: bool, err: crate::vtex::ClientError| {
        let mut failure = Failure::from(err);
        if applied {
            failure.message = format!(
                "Some role changes were applied before this failed: {}",
                failure.message
            );
        }
        failure
    };
    if !add.is_empty() {
        client
            .add_roles(id, add)
            .await
            .map_err(|err| partial(applied, err))?;
        applied = true;
    }
    for role in remove {
        client
            .remove_role(id, *role)
            .await
            .map_err(|err| partial(applied, err))?;
        applied = true;
    }
    Ok(())
}

async fn change_key(client: &VtexClient, change: &Change) -> Result<(), Failure> {
    let result = match change {
        Change::SetRoles { id, add, remove } => return set_roles(client, id, add, remove).await,
        Change::SetKeyActive { id, active } => client.set_key_active(id, *active).await,
        Change::DeleteKey { id, .. } => client.delete_key(id).await,
        Change::FinishRenewal { app_key } => client.finish_renewal(app_key).await.map(|_| ()),
        Change::UndoRenewal { app_key } => client.undo_renewal(app_key).await.map(|_| ()),
        Change::SetTokenDuration { months } => client.set_token_duration(*months).await.map(|_| ()),
        Change::AddExternal { app_key, roles } => {
            client.add_external(app_key, roles).await.map(|_| ())
        }
        Change::SetExternalActive { id, active } => client.set_external_active(id, *active).await,
        Change::RemoveExternal { id, .. } => client.remove_external(id).await,
    };
    result.map_err(Failure::from)
}
