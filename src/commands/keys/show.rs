//! `apikeys keys show KEY`: everything about one key, then its audit trail, newest first.

use chrono::Utc;
use serde_json::json;

use apikeys::keyformat;
use apikeys::listing::TokenAge;
use apikeys::output::{self, Format, Table};
use apikeys::vtex::model::AppKey;
use apikeys::vtex::time::Timestamp;
use apikeys::vtex::{ClientError, VtexClient};

use super::{roles_text, token_duration};
use crate::commands::account::audit_text;
use crate::commands::{CommandResult, csv_date, find_key, print, table_moment};

pub async fn show(client: &VtexClient, wanted: &str, limit: u32, format: Format) -> CommandResult {
    let mut key = find_key(client, wanted).await?;
    if key.roles.is_none() {
        key.roles = Some(client.key_roles(&key.id).await?);
    }
    let months = token_duration(client).await?;
    // Against VTEX itself there is no audit trail: the key is still shown, and that is said.
    let audit = match client.audit(limit, None, Some(&key.app_key)).await {
        Ok(entries) => Some(entries),
        Err(err @ ClientError::ExtensionUnavailable { .. }) => {
            eprintln!("{err}");
            None
        }
        Err(err) => return Err(err.into()),
    };
    match format {
        Format::Json => print(&output::json(&json!({ "key": key, "audit": audit }))),
        format => {
            print(&fields(&key, months, format).render(format));
            match &audit {
                Some(entries) if entries.is_empty() && format == Format::Table => {
                    print("\nThe audit trail holds nothing about this key.\n");
                }
                Some(entries) => {
                    // CSV: a blank line, then the trail as `apikeys audit --output csv` prints it.
                    let heading = match format {
                        Format::Table => "\nAudit trail, newest first:\n",
                        _ => "\n",
                    };
                    print(&(heading.to_string() + &audit_text(entries, format)));
                }
                None => {}
            }
        }
    }
    Ok(())
}

/// One "field  value" row per fact about the key. CSV keeps the API's field names and dates.
fn fields(key: &AppKey, months: u32, format: Format) -> Table {
    let csv = format == Format::Csv;
    let date = |at: Option<Timestamp>| {
        if csv {
            csv_date(at)
        } else {
            table_moment(at).unwrap_or_else(|| "-".into())
        }
    };
    let outdated = match key.token_age(months, Utc::now()) {
        Some(TokenAge::Fresh) => "no",
        Some(TokenAge::Outdated) => "yes",
        Some(TokenAge::LongOutdated) => "yes, for 3 months or more",
        None => "unknown (the server does not report token dates)",
    };
    let rows: [(&str, &str, String); 10] = [
        ("id", "id", key.id.clone()),
        ("appKey", "appKey", key.app_key.clone()),
        ("label", "label", key.label.clone()),
        (
            "status",
            "isActive",
            if csv {
                key.is_active.to_string()
            } else if key.is_active {
                "Active".into()
            } else {
                "Inactive".into()
            },
        ),
        ("roles", "roles", roles_text(key.roles.as_deref())),
        ("created", "createdIn", date(key.created_in)),
        (
            "token created",
            "creationDateToken",
            date(key.creation_date_token),
        ),
        (
            "new token pending since",
            "creationDateNewToken",
            date(key.creation_date_new_token),
        ),
        (
            "outdated",
            "outdated",
            format!("{outdated} (tokens last {months} months)"),
        ),
        (
            "owner",
            "account",
            keyformat::app_key_account(&key.app_key)
                .unwrap_or_default()
                .to_string(),
        ),
    ];
    let mut table = if csv {
        Table::new(vec!["field", "value"])
    } else {
        Table::new(vec!["FIELD", "VALUE"])
    };
    for (label, name, value) in rows {
        table.push(vec![if csv { name } else { label }.to_string(), value]);
    }
    table
}
