//! `apikeys roles list`, `settings`, `audit`, `whoami`.

use serde_json::json;

use apikeys::keyformat;
use apikeys::output::{self, Format, Table};
use apikeys::permissions::Resource;
use apikeys::vtex::VtexClient;
use apikeys::vtex::client::feature;
use apikeys::vtex::model::{AuditEntry, RoleDetails};

use super::{CommandResult, Failure, csv_date, find_key, print, table_moment};
use crate::cli::{RolesCommand, SettingsCommand};

pub async fn roles(client: &VtexClient, command: RolesCommand) -> CommandResult {
    let RolesCommand::List { output } = command;
    let mut roles = client.list_roles().await?;
    // By name in any case, as the app's role picker lists them (the server's order is by
    // byte, "CRM…" before "Call…").
    roles.sort_by_cached_key(|role| (role.name.to_lowercase(), role.id));
    if roles.iter().any(|role| role.api_key_resources.is_none()) {
        eprintln!(
            "This server does not say which API-key permissions a role grants (VTEX's role \
             list has no such field); they show as \"?\"."
        );
    }
    match output.output {
        Format::Json => print(&output::json(&roles)),
        format => {
            let csv = format == Format::Csv;
            let headers = if csv {
                vec!["id", "name", "isAdmin", "apiKeyResources", "products"]
            } else {
                vec!["ID", "NAME", "ADMIN", "API KEYS", "PRODUCTS"]
            };
            let mut table = Table::new(headers);
            for role in &roles {
                table.push(vec![
                    role.id.to_string(),
                    role.name.clone(),
                    match (csv, role.is_admin) {
                        (true, admin) => admin.to_string(),
                        (false, true) => "yes".into(),
                        (false, false) => "no".into(),
                    },
                    api_key_permissions(role.api_key_resources.as_deref(), csv),
                    products(role, csv),
                ]);
            }
            print(&table.render(format));
        }
    }
    Ok(())
}

/// The products a role grants resources in. An admin role holds everything without a grant
/// per product (its list is empty), which a table says as "all"; CSV keeps the API's list.
fn products(role: &RoleDetails, csv: bool) -> String {
    if role.is_admin && role.products.is_empty() && !csv {
        return "all (admin role)".into();
    }
    role.products
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Which of the four API-key permissions a role grants: short words in a table ("View, Edit,
/// Renew, Edit settings"), the resource keys in CSV; "?" when the server does not say.
fn api_key_permissions(granted: Option<&[String]>, csv: bool) -> String {
    let Some(granted) = granted else {
        return if csv { String::new() } else { "?".into() };
    };
    let held: Vec<Resource> = Resource::ALL
        .into_iter()
        .filter(|r| granted.iter().any(|key| key == r.key()))
        .collect();
    if csv {
        return held.iter().map(|r| r.key()).collect::<Vec<_>>().join(";");
    }
    if held.is_empty() {
        return "-".into();
    }
    held.iter()
        .map(|r| match r {
            Resource::ViewApiKeys => "View",
            Resource::EditApiKeys => "Edit",
            Resource::RenewApiToken => "Renew",
            Resource::EditApiKeysSettings => "Edit settings",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn settings(client: &VtexClient, command: SettingsCommand) -> CommandResult {
    match command {
        SettingsCommand::Get { output } => {
            let settings = client.settings().await?;
            match output.output {
                Format::Json => print(&output::json(&settings)),
                format => {
                    let mut table = Table::new(vec!["SETTING", "VALUE"]);
                    table.push(vec![
                        "tokenDurationMonths".into(),
                        settings.token_duration_months.to_string(),
                    ]);
                    print(&table.render(format));
                }
            }
        }
        SettingsCommand::Set { token_duration } => {
            let months: u32 = token_duration.parse().expect("clap allows only 3 or 6");
            let settings = client.set_token_duration(months).await?;
            eprintln!(
                "Token duration is now {} months: keys whose token is older show as outdated.",
                settings.token_duration_months
            );
        }
    }
    Ok(())
}

pub async fn audit(
    client: &VtexClient,
    limit: u32,
    key: Option<&str>,
    format: Format,
) -> CommandResult {
    let target = match key {
        Some(key) => Some(audit_target(client, key).await?),
        None => None,
    };
    // --limit is 1 to 1000 (checked when parsing): what the server pages by.
    let entries = client.audit(limit, None, target.as_deref()).await?;
    print(&audit_text(&entries, format));
    if entries.is_empty() && format == Format::Table {
        eprintln!(
            "{}",
            if target.is_some() {
                "The audit trail holds nothing about this key."
            } else {
                "The audit trail is empty."
            }
        );
    }
    Ok(())
}

/// The appKey the audit trail names a key by. An appKey is taken as it is (its key may have
/// been deleted since); an id or a label is looked up in the listing.
async fn audit_target(client: &VtexClient, wanted: &str) -> Result<String, Failure> {
    let wanted = wanted.trim();
    if keyformat::app_key_account(wanted).is_some() {
        return Ok(wanted.to_string());
    }
    Ok(find_key(client, wanted).await?.app_key)
}

/// Audit entries as a table (the user's local time to the second, with its offset), or
/// as JSON and CSV with the API's field names and RFC 3339 dates.
pub fn audit_text(entries: &[AuditEntry], format: Format) -> String {
    let (headers, csv) = match format {
        Format::Json => return output::json(&entries),
        Format::Csv => (
            vec!["id", "at", "actor", "action", "target", "detail"],
            true,
        ),
        Format::Table => (vec!["AT", "ACTOR", "ACTION", "TARGET", "DETAIL"], false),
    };
    let mut table = Table::new(headers);
    for entry in entries {
        let mut row = vec![
            if csv {
                csv_date(entry.at)
            } else {
                table_moment(entry.at).unwrap_or_default()
            },
            entry.actor.clone(),
            entry.action.clone(),
            entry.target.clone(),
            entry.detail.clone(),
        ];
        if csv {
            row.insert(0, entry.id.map(|id| id.to_string()).unwrap_or_default());
        }
        table.push(row);
    }
    table.render(format)
}

pub async fn whoami(client: &VtexClient, format: Format) -> CommandResult {
    let capabilities = client.capabilities().await?;
    let session = capabilities.session.clone();
    // VTEX's account information; older servers answer 404, and then it is simply not shown.
    let trading_name = client
        .account()
        .await
        .ok()
        .map(|account| account.trading_name)
        .filter(|name| !name.trim().is_empty());
    let unavailable: Vec<&str> = if capabilities.extensions {
        Vec::new()
    } else {
        feature::ALL.to_vec()
    };
    let value = json!({
        "baseUrl": client.base_url().as_str(),
        "appKey": client.app_key(),
        "account": session.as_ref().map(|s| s.account.clone()),
        "tradingName": trading_name,
        "resources": session.as_ref().map(|s| s.resources.clone()),
        "extensions": capabilities.extensions,
        "unavailableFeatures": unavailable,
    });
    match format {
        Format::Json => print(&output::json(&value)),
        format => {
            let mut table = Table::new(vec!["FIELD", "VALUE"]);
            let unknown = || "unknown (the server does not say)".to_string();
            table.push(vec!["server".into(), client.base_url().to_string()]);
            table.push(vec!["appKey".into(), client.app_key().to_string()]);
            table.push(vec![
                "account".into(),
                session.as_ref().map_or_else(unknown, |s| s.account.clone()),
            ]);
            table.push(vec![
                "tradingName".into(),
                trading_name
                    .clone()
                    .unwrap_or_else(|| "unknown (the server does not say)".into()),
            ]);
            table.push(vec![
                "permissions".into(),
                session
                    .as_ref()
                    .map_or_else(unknown, |s| s.resources.join(", ")),
            ]);
            table.push(vec![
                "extensions".into(),
                if capabilities.extensions {
                    "available"
                } else {
                    "not available (VTEX public API only)"
                }
                .into(),
            ]);
            print(&table.render(format));
        }
    }
    Ok(())
}
