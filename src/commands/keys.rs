//! `apikeys keys …`

mod delivery;
mod renewal;
mod show;
#[cfg(test)]
mod tests;

use chrono::Utc;
use serde_json::json;

use apikeys::listing::{self, Query, TokenAge};
use apikeys::output::{self, Format, Table};
use apikeys::vtex::model::{AppKey, CreatedKey, Role};
use apikeys::vtex::{ClientError, VtexClient};
use apikeys::{clipboard, keyformat};

use super::{CommandResult, Failure, csv_date, find_key, print, resolve_roles, table_day};
use crate::cli::KeysCommand;
use delivery::Delivery;

pub async fn run(
    client: &VtexClient,
    clipboard: &clipboard::Settings,
    command: KeysCommand,
) -> CommandResult {
    match command {
        KeysCommand::List { query, output } => list(client, &query.into(), output.output).await,
        KeysCommand::Show { key, limit, output } => {
            show::show(client, &key, limit, output.output).await
        }
        KeysCommand::Create {
            label,
            copy,
            roles,
            output,
            ..
        } => {
            // The Admin's rule, checked here as the app does: a bad label is a usage error.
            let label = keyformat::clean_label(&label)
                .map_err(|reason| Failure::Usage(format!("{reason} No key was created.")))?;
            let delivery = Delivery::prepare(
                copy,
                clipboard,
                "No key was created.",
                "TOKEN=$(apikeys keys create --label …)",
            )?;
            create(client, delivery, &label, &roles, output.output).await
        }
        KeysCommand::Activate { key } => set_active(client, &key, true).await,
        KeysCommand::Deactivate { key } => set_active(client, &key, false).await,
        KeysCommand::Delete { key, yes } => delete(client, &key, yes).await,
        KeysCommand::Roles {
            key,
            add,
            remove,
            output,
        } => roles(client, &key, &add, &remove, output.output).await,
        KeysCommand::Renew {
            key,
            copy,
            delete_old,
            output,
            ..
        } => {
            let delivery = Delivery::prepare(
                copy,
                clipboard,
                "Nothing was renewed.",
                "TOKEN=$(apikeys keys renew KEY)",
            )?;
            renewal::renew(client, delivery, &key, delete_old, output.output).await
        }
        KeysCommand::FinishRenewal { key } => renewal::finish(client, &key).await,
        KeysCommand::UndoRenewal { key } => renewal::undo(client, &key).await,
    }
}

/// The account's token duration; VTEX's default when the server cannot say.
async fn token_duration(client: &VtexClient) -> Result<u32, Failure> {
    match client.settings().await {
        Ok(settings) => Ok(settings.token_duration_months),
        Err(ClientError::ExtensionUnavailable { .. } | ClientError::Forbidden { .. }) => {
            Ok(listing::DEFAULT_TOKEN_DURATION_MONTHS)
        }
        Err(err) => Err(err.into()),
    }
}

/// "vtexappkey-… (label)", or the key alone when it has no label.
fn describe(key: &AppKey) -> String {
    if key.label.is_empty() {
        key.app_key.clone()
    } else {
        format!("{} ({})", key.app_key, output::for_terminal(&key.label, 80))
    }
}

fn roles_text(roles: Option<&[Role]>) -> String {
    match roles {
        Some(roles) => roles
            .iter()
            .map(|r| &*r.name)
            .collect::<Vec<_>>()
            .join("; "),
        None => "?".into(),
    }
}

fn token_text(key: &AppKey, months: u32) -> String {
    let now = Utc::now();
    let Some(created) = key.creation_date_token else {
        return "-".into(); // the server does not report token dates
    };
    let mut text = format!("{}d", (now - created.0).num_days().max(0));
    match key.token_age(months, now) {
        Some(TokenAge::Outdated) => text += " outdated",
        Some(TokenAge::LongOutdated) => text += " outdated 3m+",
        _ => {}
    }
    if key.renewal_pending() {
        text += ", old token pending deletion";
    }
    text
}

fn date(at: Option<apikeys::vtex::time::Timestamp>) -> String {
    table_day(at).unwrap_or_else(|| "?".into())
}

async fn list(client: &VtexClient, query: &Query, format: Format) -> CommandResult {
    let mut keys = client.list_keys().await?;
    let has_token_dates = keys.iter().all(|k| k.creation_date_token.is_some());
    if !has_token_dates && query.needs_token_dates() {
        return Err(ClientError::ExtensionUnavailable {
            feature: apikeys::vtex::client::feature::TOKEN_DATES,
        }
        .into());
    }
    let months = token_duration(client).await?;
    let now = Utc::now();
    // The status first: without the listing extension, roles (which the text filter looks at)
    // come per key, so only for the keys still in the running.
    keys.retain(|key| query.status.matches(key, months, now));
    let missing: Vec<String> = keys
        .iter()
        .filter(|k| k.roles.is_none())
        .map(|k| k.id.clone())
        .collect();
    if !missing.is_empty() {
        let roles = client.roles_of(&missing).await?;
        for key in keys.iter_mut().filter(|k| k.roles.is_none()) {
            key.roles = roles.get(&key.id).cloned();
        }
    }
    let shown: Vec<&AppKey> = query
        .keys(&keys, months, now)
        .into_iter()
        .map(|i| &keys[i])
        .collect();

    match format {
        Format::Json => print(&output::json(&shown)),
        Format::Table => {
            let mut table = Table::new(vec!["KEY", "LABEL", "ROLES", "TOKEN", "CREATED", "STATUS"]);
            for key in &shown {
                table.push(vec![
                    key.app_key.clone(),
                    key.label.clone(),
                    roles_text(key.roles.as_deref()),
                    token_text(key, months),
                    date(key.created_in),
                    if key.is_active { "Active" } else { "Inactive" }.into(),
                ]);
            }
            print(&table.render(Format::Table));
            if shown.is_empty() {
                eprintln!("No key matches the filter.");
            }
        }
        Format::Csv => {
            let mut table = Table::new(vec![
                "id",
                "appKey",
                "label",
                "createdIn",
                "isActive",
                "roles",
                "creationDateToken",
                "creationDateNewToken",
            ]);
            for key in &shown {
                table.push(vec![
                    key.id.clone(),
                    key.app_key.clone(),
                    key.label.clone(),
                    csv_date(key.created_in),
                    key.is_active.to_string(),
                    roles_text(key.roles.as_deref()),
                    csv_date(key.creation_date_token),
                    csv_date(key.creation_date_new_token),
                ]);
            }
            print(&table.render(Format::Csv));
        }
    }
    Ok(())
}

async fn create(
    client: &VtexClient,
    mut delivery: Delivery,
    label: &str,
    roles: &[String],
    format: Format,
) -> CommandResult {
    // Check the roles before creating anything, so a typo does not leave a key without them.
    let role_ids = resolve_roles(client, roles).await?;
    let created = client.create_key(label).await?;
    let added = if role_ids.is_empty() {
        Ok(())
    } else {
        client.add_roles(&created.id, &role_ids).await
    };
    let Some(token) = &created.app_token else {
        return Err(Failure::Failed(format!(
            "{} was created, but the server did not return the token; renew it to get one \
             (`apikeys keys renew {} --delete-old now`).",
            created.app_key, created.app_key
        )));
    };
    let heading = format!("Created {} ({}).", created.app_key, created.label);
    let copied = match delivery.hand_over(token) {
        Ok(copied) => copied,
        Err(reason) => return Err(take_back(client, &created, &heading, &reason).await),
    };
    let role_list = if added.is_ok() {
        client.key_roles(&created.id).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let fields = json!({
        "id": created.id,
        "appKey": created.app_key,
        "label": created.label,
        "createdIn": created.created_in,
        "isActive": created.is_active,
        "roles": role_list,
    });
    delivery.announce(format, &heading, token, fields, copied.as_ref());
    delivery.hold(copied.as_ref()).await;
    added.map_err(|err| {
        Failure::Failed(format!(
            "{} was created, but its roles were not added: {err}",
            created.app_key
        ))
    })
}

/// The copy failed after the key was created: nobody has its token, so the key is deleted
/// again rather than left behind.
async fn take_back(
    client: &VtexClient,
    created: &CreatedKey,
    heading: &str,
    reason: &str,
) -> Failure {
    Failure::Failed(match client.delete_key(&created.id).await {
        Ok(()) => format!(
            "{heading} Its token could not be copied ({reason}), so the key was deleted again. \
             Run without --copy to get the token on stdout."
        ),
        Err(err) => format!(
            "{heading} Its token could not be copied ({reason}), and deleting the key again \
             failed: {err} Delete it (`apikeys keys delete {} --yes`), or renew it without \
             --copy to get a token.",
            created.app_key
        ),
    })
}

async fn set_active(client: &VtexClient, wanted: &str, active: bool) -> CommandResult {
    let key = find_key(client, wanted).await?;
    client.set_key_active(&key.id, active).await?;
    let state = if active { "active" } else { "inactive" };
    eprintln!("{} is {state}.", describe(&key));
    Ok(())
}

async fn delete(client: &VtexClient, wanted: &str, yes: bool) -> CommandResult {
    if !yes {
        return Err(not_confirmed("deleting", wanted));
    }
    let key = find_key(client, wanted).await?;
    client.delete_key(&key.id).await?;
    eprintln!("Deleted {}.", describe(&key));
    Ok(())
}

/// A change that cannot be undone, asked for without --yes: refused before any request.
pub fn not_confirmed(doing: &str, wanted: &str) -> Failure {
    Failure::Usage(format!(
        "{doing} {} cannot be undone; add --yes to confirm.",
        output::for_terminal(wanted.trim(), 80)
    ))
}

async fn roles(
    client: &VtexClient,
    wanted: &str,
    add: &[String],
    remove: &[String],
    format: Format,
) -> CommandResult {
    let key = find_key(client, wanted).await?;
    let add_ids = resolve_roles(client, add).await?;
    let remove_ids = resolve_roles(client, remove).await?;
    if !add_ids.is_empty() {
        client.add_roles(&key.id, &add_ids).await?;
    }
    for role_id in remove_ids {
        client.remove_role(&key.id, role_id).await?;
    }
    let roles = client.key_roles(&key.id).await?;
    print_roles(&roles, format);
    Ok(())
}

pub fn print_roles(roles: &[Role], format: Format) {
    match format {
        Format::Json => print(&output::json(&roles)),
        format => {
            let mut table = Table::new(vec!["ID", "NAME"]);
            for role in roles {
                table.push(vec![role.id.to_string(), role.name.to_string()]);
            }
            print(&table.render(format));
        }
    }
}
