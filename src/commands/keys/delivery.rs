//! How a new token reaches the user: printed once on stdout, or copied (then never printed).
//! Whether a copy can happen is decided before anything is created or renewed: a token that
//! can be neither printed nor copied would be lost.

use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use apikeys::clipboard::{self, Clipboard, Report, Via};
use apikeys::output::{self, Format, Table};

use crate::commands::{Failure, print};

pub enum Delivery {
    Print,
    Copy(Clipboard),
}

impl Delivery {
    /// Printing, or copying when `copy` and a copy can happen here. When it cannot, a usage
    /// error (exit 2, before any request) that says `nothing_done` and how to get the token
    /// instead (`instead`: the same command without `--copy`).
    pub fn prepare(
        copy: bool,
        settings: &clipboard::Settings,
        nothing_done: &str,
        instead: &str,
    ) -> Result<Delivery, Failure> {
        if !copy {
            return Ok(Delivery::Print);
        }
        let mut clipboard = Clipboard::system(settings.clone());
        match clipboard.ready() {
            Ok(_) => Ok(Delivery::Copy(clipboard)),
            Err(reason) => Err(Failure::Usage(format!(
                "--copy cannot copy the token here: {reason}. {nothing_done} Run without --copy \
                 to get the token on stdout alone, e.g. `{instead}`."
            ))),
        }
    }

    /// Copies the token now when copying (`Ok(None)` when it is to be printed); `Err` says
    /// why the copy failed after all, so the caller can take back what it made.
    pub fn hand_over(&mut self, token: &SecretString) -> Result<Option<Report>, String> {
        let Delivery::Copy(clipboard) = self else {
            return Ok(None);
        };
        let report = clipboard.copy(token);
        match report.via {
            Some(_) => Ok(Some(report)),
            None => Err(report.message),
        }
    }

    /// Says what happened: the token itself when printing, what the copy did when copying.
    pub fn announce(
        &self,
        format: Format,
        heading: &str,
        token: &SecretString,
        mut json_fields: serde_json::Value,
        copied: Option<&Report>,
    ) {
        let Some(report) = copied else {
            print_token(format, heading, token, json_fields);
            return;
        };
        match format {
            Format::Json => {
                json_fields["copied"] = json!(report.message);
                print(&output::json(&json_fields));
            }
            _ => eprintln!("{heading} {}", report.message),
        }
    }

    /// A desktop clipboard's content lives only as long as its owner: keeps serving it until
    /// the timed clear (or, with clearing off, until something else is copied).
    pub async fn hold(&mut self, copied: Option<&Report>) {
        let (Delivery::Copy(clipboard), Some(report)) = (self, copied) else {
            return;
        };
        if report.via != Some(Via::Native) {
            return;
        }
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
