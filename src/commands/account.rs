//! `apikeys roles list`, `settings`, `audit`, `whoami`.

use serde_json::json;

use apikeys::output::{self, Format, Table};
use apikeys::vtex::VtexClient;
use apikeys::vtex::client::feature;

use super::{CommandResult, print};
use crate::cli::{RolesCommand, SettingsCommand};

pub async fn roles(client: &VtexClient, command: RolesCommand) -> CommandResult {
    let RolesCommand::List { output } = command;
    let roles = client.list_roles().await?;
    match output.output {
        Format::Json => print(&output::json(&roles)),
        format => {
            let mut table = Table::new(vec!["ID", "NAME", "ADMIN", "PRODUCTS"]);
            for role in &roles {
                table.push(vec![
                    role.id.to_string(),
                    role.name.clone(),
                    if role.is_admin { "yes" } else { "" }.into(),
                    role.products
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ]);
            }
            print(&table.render(format));
        }
    }
    Ok(())
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

pub async fn audit(client: &VtexClient, limit: u32, format: Format) -> CommandResult {
    // --limit is 1 to 1000 (checked when parsing): what the server pages by.
    let entries = client.audit(limit, None, None).await?;
    match format {
        Format::Json => print(&output::json(&entries)),
        format => {
            let mut table = Table::new(vec!["AT", "ACTOR", "ACTION", "TARGET", "DETAIL"]);
            for entry in &entries {
                table.push(vec![
                    entry
                        .at
                        .map(|t| t.0.format("%Y-%m-%d %H:%M:%S").to_string())
                        .unwrap_or_default(),
                    entry.actor.clone(),
                    entry.action.clone(),
                    entry.target.clone(),
                    entry.detail.clone(),
                ]);
            }
            print(&table.render(format));
        }
    }
    Ok(())
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
