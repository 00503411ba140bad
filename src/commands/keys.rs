//! `apikeys keys …`

use chrono::Utc;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use apikeys::clipboard;
use apikeys::listing::{self, SortBy, StatusFilter, TokenAge};
use apikeys::output::{self, Format, Table};
use apikeys::vtex::model::{AppKey, Role};
use apikeys::vtex::{ClientError, VtexClient};

use super::{CommandResult, Failure, find_key, print, resolve_roles};
use crate::cli::{DeleteOld, KeysCommand, SortArg, StatusArg};

pub async fn run(
    client: &VtexClient,
    clipboard: &clipboard::Settings,
    command: KeysCommand,
) -> CommandResult {
    let delivery = |copy: bool| {
        if copy {
            Delivery::Copy(clipboard)
        } else {
            Delivery::Print
        }
    };
    match command {
        KeysCommand::List {
            filter,
            status,
            sort,
            reverse,
            output,
        } => {
            list(
                client,
                filter.as_deref(),
                status,
                sort,
                reverse,
                output.output,
            )
            .await
        }
        KeysCommand::Create {
            label,
            copy,
            roles,
            output,
        } => create(client, &delivery(copy), &label, &roles, output.output).await,
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
        } => renew(client, &delivery(copy), &key, delete_old, output.output).await,
        KeysCommand::FinishRenewal { key } => {
            let key = find_key(client, &key).await?;
            client.finish_renewal(&key.app_key).await?;
            eprintln!(
                "The old token of {} is deleted; only the new one works now.",
                key.app_key
            );
            Ok(())
        }
        KeysCommand::UndoRenewal { key } => {
            let key = find_key(client, &key).await?;
            client.undo_renewal(&key.app_key).await?;
            eprintln!(
                "The renewal of {} is undone: the new token is gone, the old one still works.",
                key.app_key
            );
            Ok(())
        }
    }
}

/// The account's token duration; VTEX's default when the server cannot say.
async fn token_duration(client: &VtexClient) -> Result<u32, Failure> {
    match client.settings().await {
        Ok(settings) => Ok(settings.token_duration_months),
        Err(ClientError::ExtensionUnavailable { .. } | ClientError::Forbidden { .. }) => Ok(3),
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
            .map(|r| r.name.as_str())
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
    at.map(|t| t.0.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "?".into())
}

async fn list(
    client: &VtexClient,
    filter: Option<&str>,
    status: Option<StatusArg>,
    sort: SortArg,
    reverse: bool,
    format: Format,
) -> CommandResult {
    let status = match status {
        None => StatusFilter::All,
        Some(StatusArg::Active) => StatusFilter::Active,
        Some(StatusArg::Inactive) => StatusFilter::Inactive,
        Some(StatusArg::Outdated) => StatusFilter::Outdated,
        Some(StatusArg::Pending) => StatusFilter::PendingRenewal,
    };
    let sort = match sort {
        SortArg::Name => SortBy::Name,
        SortArg::Key => SortBy::Key,
        SortArg::Created => SortBy::Created,
        SortArg::TokenAge => SortBy::TokenAge,
        SortArg::Status => SortBy::Status,
    };
    let mut keys = client.list_keys().await?;
    let has_token_dates = keys.iter().all(|k| k.creation_date_token.is_some());
    if !has_token_dates && (status.needs_token_dates() || sort == SortBy::TokenAge) {
        return Err(ClientError::ExtensionUnavailable {
            feature: apikeys::vtex::client::feature::TOKEN_DATES,
        }
        .into());
    }
    let months = token_duration(client).await?;
    let now = Utc::now();
    keys.retain(|key| status.matches(key, months, now));
    // Without the listing extension, roles come per key: only for the keys still shown.
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
    let needle = filter.map(|f| f.trim().to_lowercase()).unwrap_or_default();
    let mut indices: Vec<usize> = (0..keys.len())
        .filter(|&i| listing::text_matches(&keys[i], &needle))
        .collect();
    listing::sort_indices(&keys, &mut indices, sort, reverse);
    let shown: Vec<&AppKey> = indices.iter().map(|&i| &keys[i]).collect();

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
            let stamp = |t: Option<apikeys::vtex::time::Timestamp>| {
                t.map(|t| t.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                    .unwrap_or_default()
            };
            for key in &shown {
                table.push(vec![
                    key.id.clone(),
                    key.app_key.clone(),
                    key.label.clone(),
                    stamp(key.created_in),
                    key.is_active.to_string(),
                    roles_text(key.roles.as_deref()),
                    stamp(key.creation_date_token),
                    stamp(key.creation_date_new_token),
                ]);
            }
            print(&table.render(Format::Csv));
        }
    }
    Ok(())
}

/// How a new token reaches the user: printed once, or put on the clipboard (then never printed).
pub enum Delivery<'a> {
    Print,
    Copy(&'a clipboard::Settings),
}

/// The terminal to send OSC 52 to: the controlling terminal, even when stdout is a pipe.
fn controlling_terminal() -> Box<dyn std::io::Write + Send> {
    match std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        Ok(tty) => Box::new(tty),
        Err(_) => Box::new(std::io::stderr()),
    }
}

/// Hands over a token that will not be shown again, in the chosen format.
async fn deliver_token(
    delivery: &Delivery<'_>,
    format: Format,
    heading: &str,
    token: &SecretString,
    mut json_fields: serde_json::Value,
) -> CommandResult {
    let Delivery::Copy(settings) = delivery else {
        print_token(format, heading, token, json_fields);
        return Ok(());
    };
    let mut clipboard = clipboard::Clipboard::system((*settings).clone(), controlling_terminal());
    let report = clipboard.copy(token);
    let Some(via) = report.via else {
        return Err(Failure::Failed(format!(
            "{heading} The token was not printed and could not be copied: {} Renew the key to get a new one.",
            report.message
        )));
    };
    match format {
        Format::Json => {
            json_fields["copied"] = json!(report.message);
            print(&output::json(&json_fields));
        }
        _ => eprintln!("{heading} {}", report.message),
    }
    // A desktop clipboard's content lives only as long as its owner: keep serving it until the
    // timed clear (or, with clearing off, until something else is copied).
    if via == clipboard::Via::Native {
        match report.clear_in {
            Some(after) => {
                eprintln!(
                    "Holding the clipboard for {} s (Ctrl-C stops early).",
                    after.as_secs()
                );
                tokio::time::sleep(after).await;
                if let Some(said) = clipboard.clear() {
                    eprintln!("{said}");
                }
            }
            None => {
                eprintln!("Holding the clipboard until something else is copied (Ctrl-C stops).");
                while clipboard.still_ours() {
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            }
        }
    }
    Ok(())
}

/// Prints a token that will not be shown again, in the chosen format.
fn print_token(
    format: Format,
    heading: &str,
    token: &SecretString,
    json_fields: serde_json::Value,
) {
    match format {
        Format::Json => {
            let mut value = json_fields;
            value["appToken"] = json!(token.expose_secret());
            print(&output::json(&value));
        }
        Format::Csv => {
            let mut table = Table::new(vec!["appKey", "appToken"]);
            table.push(vec![
                json_fields["appKey"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                token.expose_secret().to_string(),
            ]);
            print(&table.render(Format::Csv));
        }
        Format::Table => {
            eprintln!("{heading}");
            eprintln!("The token below is shown once: store it now.");
            print(&format!("{}\n", token.expose_secret()));
        }
    }
}

async fn create(
    client: &VtexClient,
    delivery: &Delivery<'_>,
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
    let role_list = if added.is_ok() {
        client.key_roles(&created.id).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    deliver_token(
        delivery,
        format,
        &format!("Created {} ({}).", created.app_key, created.label),
        token,
        json!({
            "id": created.id,
            "appKey": created.app_key,
            "label": created.label,
            "createdIn": created.created_in,
            "isActive": created.is_active,
            "roles": role_list,
        }),
    )
    .await?;
    added.map_err(|err| {
        Failure::Failed(format!(
            "{} was created, but its roles were not added: {err}",
            created.app_key
        ))
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
        return Err(Failure::Usage(
            "deleting a key cannot be undone; add --yes to confirm.".into(),
        ));
    }
    let key = find_key(client, wanted).await?;
    client.delete_key(&key.id).await?;
    eprintln!("Deleted {}.", describe(&key));
    Ok(())
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
                table.push(vec![role.id.to_string(), role.name.clone()]);
            }
            print(&table.render(format));
        }
    }
}

async fn renew(
    client: &VtexClient,
    delivery: &Delivery<'_>,
    wanted: &str,
    delete_old: DeleteOld,
    format: Format,
) -> CommandResult {
    let key = find_key(client, wanted).await?;
    let renewal = client.renew(&key.app_key).await?;
    let Some(token) = &renewal.new_token else {
        return Err(Failure::Failed(format!(
            "the renewal of {} started, but the server did not return the new token; undo it with \
             `apikeys keys undo-renewal {}` and try again.",
            key.app_key, key.app_key
        )));
    };
    let finished = match delete_old {
        DeleteOld::Now => Some(client.finish_renewal(&key.app_key).await),
        DeleteOld::Later => None,
    };
    let old_deleted = matches!(finished, Some(Ok(_)));
    deliver_token(
        delivery,
        format,
        &format!("New token for {} ({}).", key.app_key, key.label),
        token,
        json!({
            "id": key.id,
            "appKey": key.app_key,
            "keyName": renewal.key_name,
            "creationDateToken": renewal.creation_date_token,
            "creationDateNewToken": renewal.creation_date_new_token,
            "expirationPeriod": renewal.expiration_period,
            "oldTokenDeleted": old_deleted,
        }),
    )
    .await?;
    match finished {
        None => {
            eprintln!(
                "The old token keeps working until `apikeys keys finish-renewal {}`.",
                key.app_key
            );
            Ok(())
        }
        Some(Ok(_)) => {
            eprintln!("The old token is deleted.");
            Ok(())
        }
        Some(Err(err)) => Err(Failure::Failed(format!(
            "the new token works, but the old one was NOT deleted: {err}"
        ))),
    }
}
