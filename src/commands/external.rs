//! `apikeys external …`

use apikeys::keyformat;
use apikeys::listing::Query;
use apikeys::output::{self, Format, Table};
use apikeys::vtex::VtexClient;
use apikeys::vtex::model::ExternalKey;

use super::keys::not_confirmed;
use super::{CommandResult, Failure, csv_date, named_key, print, resolve_roles, table_day};
use crate::cli::ExternalCommand;

pub async fn run(client: &VtexClient, command: ExternalCommand) -> CommandResult {
    match command {
        ExternalCommand::List { query, output } => list(client, &query.into(), output.output).await,
        ExternalCommand::Add {
            app_key,
            roles,
            output,
        } => {
            let app_key = app_key.trim();
            if keyformat::app_key_account(app_key).is_none() {
                return Err(Failure::Usage(format!(
                    "{} is not an appKey; an external key is named \
                     vtexappkey-{{account}}-{{6 uppercase letters}}.",
                    output::for_terminal(app_key, 80)
                )));
            }
            let role_ids = resolve_roles(client, &roles).await?;
            let key = client.add_external(app_key, &role_ids).await?;
            eprintln!("Added {} from account {}.", key.app_key, key.account);
            print_keys(&[key], output.output);
            Ok(())
        }
        ExternalCommand::Remove { key, yes } => {
            if !yes {
                return Err(not_confirmed("removing", &key));
            }
            let key = find(client, &key).await?;
            client.remove_external(&key.id).await?;
            eprintln!("Removed {} (account {}).", key.app_key, key.account);
            Ok(())
        }
        ExternalCommand::Activate { key } => set_active(client, &key, true).await,
        ExternalCommand::Deactivate { key } => set_active(client, &key, false).await,
    }
}

async fn set_active(client: &VtexClient, wanted: &str, active: bool) -> CommandResult {
    let key = find(client, wanted).await?;
    client.set_external_active(&key.id, active).await?;
    let state = if active { "active" } else { "inactive" };
    eprintln!("{} (account {}) is {state}.", key.app_key, key.account);
    Ok(())
}

/// An external key by id or appKey.
async fn find(client: &VtexClient, wanted: &str) -> Result<ExternalKey, Failure> {
    let wanted = named_key(wanted, "its id or appKey", "apikeys external list")?;
    client
        .list_external()
        .await?
        .into_iter()
        .find(|key| key.id == wanted || key.app_key == wanted)
        .ok_or_else(|| {
            Failure::Failed(format!(
                "no external key has the id or appKey {wanted:?}; `apikeys external list` shows them."
            ))
        })
}

async fn list(client: &VtexClient, query: &Query, format: Format) -> CommandResult {
    let keys = client.list_external().await?;
    let shown: Vec<ExternalKey> = query
        .external(&keys)
        .into_iter()
        .map(|i| keys[i].clone())
        .collect();
    print_keys(&shown, format);
    Ok(())
}

fn print_keys(keys: &[ExternalKey], format: Format) {
    if format == Format::Json {
        print(&output::json(&keys));
        return;
    }
    let (headers, csv) = match format {
        Format::Csv => (
            vec!["id", "appKey", "account", "addedOn", "isActive", "roles"],
            true,
        ),
        _ => (vec!["KEY", "OWNER", "ROLES", "ADDED ON", "STATUS"], false),
    };
    let mut table = Table::new(headers);
    for key in keys {
        let roles = key
            .roles
            .as_ref()
            .map(|roles| {
                roles
                    .iter()
                    .map(|r| &*r.name)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        table.push(if csv {
            vec![
                key.id.clone(),
                key.app_key.clone(),
                key.account.clone(),
                csv_date(key.added_on),
                key.is_active.to_string(),
                roles,
            ]
        } else {
            vec![
                key.app_key.clone(),
                key.account.clone(),
                roles,
                table_day(key.added_on).unwrap_or_default(),
                if key.is_active { "Active" } else { "Inactive" }.into(),
            ]
        });
    }
    print(&table.render(format));
    if keys.is_empty() && !csv {
        eprintln!("No external key matches the filter.");
    }
}
