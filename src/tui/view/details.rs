//! The details of one generated key: every field, all its roles, its token dates and age
//! class, and its audit trail (servers with the apikeys extension only).

use chrono::{DateTime, Months, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::keys::{age_style, days_since, role_names};
use super::theme;
use super::widgets::{self, DialogFrame, Hint, clean};
use crate::listing::TokenAge;
use crate::tui::action::Failure;
use crate::tui::state::State;
use crate::vtex::model::{AppKey, AuditEntry};

/// Width of the field names column ("New token  ").
const LABEL_WIDTH: usize = 15;

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn field(name: &str, value: &str, style: Style, max: usize) -> Vec<Line<'static>> {
    let lead = Span::styled(widgets::pad(name, LABEL_WIDTH), theme::dim());
    widgets::hanging(lead, value, style, max)
}

pub fn render(
    state: &State,
    key_id: &str,
    audit: Option<&Result<Vec<AuditEntry>, Failure>>,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
) {
    let key = state.keys.rows.iter().find(|k| k.id == key_id);
    let spec = DialogFrame {
        title: match key {
            Some(key) => format!("Key details · {}", clean(&key.app_key)),
            None => "Key details".into(),
        },
        destructive: false,
        width: 100,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let mut body = match key {
        Some(key) => fields(state, key, max),
        None => widgets::wrapped(
            "This key is no longer in the list (deleted, or the list was refreshed without it).",
            theme::dim(),
            max,
        ),
    };
    body.push(Line::raw(""));
    body.push(Line::styled("Audit", theme::heading()));
    body.extend(audit_lines(audit, max));
    let mut footer = vec![Line::raw("")];
    footer.extend(widgets::hint_lines(hints, max));
    widgets::draw_dialog(frame, region, &spec, body, footer);
}

fn fields(state: &State, key: &AppKey, max: usize) -> Vec<Line<'static>> {
    let months = state.token_months();
    let now = state.now;
    let plain = theme::plain();
    let mut lines = Vec::new();
    lines.extend(field("Key", &clean(&key.app_key), theme::bold(), max));
    let label = if key.label.trim().is_empty() {
        "(no label)".to_string()
    } else {
        clean(&key.label)
    };
    lines.extend(field("Label", &label, plain, max));
    lines.extend(field("Id", &clean(&key.id), plain, max));
    let created = key.created_in.map_or("unknown".to_string(), |t| when(t.0));
    lines.extend(field("Created", &created, plain, max));
    let pending = state.keys.pending_toggles.contains_key(&key.id);
    let (status, style) = match (key.is_active, pending) {
        (true, false) => ("Active", theme::active()),
        (false, false) => ("Inactive", theme::inactive()),
        (true, true) => ("Active… (waiting for the server)", theme::pending()),
        (false, true) => ("Inactive… (waiting for the server)", theme::pending()),
    };
    lines.extend(field("Status", status, style, max));
    let roles = match key.roles.as_deref() {
        Some([]) => "none: the key can call nothing".to_string(),
        Some(roles) => role_names(roles),
        None => "loading…".to_string(),
    };
    lines.extend(field("Roles", &roles, plain, max));

    match key.creation_date_token {
        Some(created) => {
            let days = days_since(created.0, now);
            lines.extend(field(
                "Token created",
                &format!("{} ({days} days ago)", when(created.0)),
                plain,
                max,
            ));
        }
        None => lines.extend(field(
            "Token created",
            "not reported by this server",
            theme::dim(),
            max,
        )),
    }
    match (key.creation_date_new_token, key.creation_date_token) {
        (Some(new), _) => lines.extend(field(
            "New token",
            &format!(
                "{}: old token pending deletion (both work; F deletes the old one, u undoes the renewal)",
                when(new.0)
            ),
            theme::pending(),
            max,
        )),
        (None, Some(_)) => lines.extend(field("New token", "none pending", theme::dim(), max)),
        (None, None) => {}
    }
    let age = match (key.creation_date_token, key.token_age(months, now)) {
        (Some(created), Some(age)) => {
            let due = created
                .0
                .checked_add_months(Months::new(months))
                .unwrap_or(created.0);
            let text = match age {
                TokenAge::Fresh => format!(
                    "fresh: within the {months}-month duration (outdated from {})",
                    due.format("%Y-%m-%d")
                ),
                TokenAge::Outdated => format!(
                    "outdated: past the {months}-month duration since {}; the token still works",
                    due.format("%Y-%m-%d")
                ),
                TokenAge::LongOutdated => format!(
                    "long outdated: 3 months or more past the {months}-month duration (due {}); the token still works",
                    due.format("%Y-%m-%d")
                ),
            };
            Some((text, age_style(age)))
        }
        _ => None,
    };
    if let Some((text, style)) = age {
        lines.extend(field("Token age", &text, style, max));
    }
    lines
}

fn audit_lines(audit: Option<&Result<Vec<AuditEntry>, Failure>>, max: usize) -> Vec<Line<'static>> {
    match audit {
        None => vec![Line::styled("Loading…", theme::dim())],
        Some(Err(failure)) if failure.unavailable() => widgets::wrapped(
            "The audit trail needs the apikeys server extension; VTEX's public API has none.",
            theme::dim(),
            max,
        ),
        Some(Err(failure)) => widgets::wrapped(&clean(&failure.message), theme::error(), max),
        Some(Ok(entries)) if entries.is_empty() => {
            vec![Line::styled("No entry for this key.", theme::dim())]
        }
        Some(Ok(entries)) => entries
            .iter()
            .flat_map(|entry| {
                let at = entry.at.map_or("—".to_string(), |t| {
                    t.0.format("%Y-%m-%d %H:%M").to_string()
                });
                let lead = Span::styled(format!("{at}  "), theme::dim());
                let mut text = format!("{} by {}", clean(&entry.action), clean(&entry.actor));
                if !entry.detail.trim().is_empty() {
                    text.push_str(&format!(" · {}", clean(&entry.detail)));
                }
                widgets::hanging(lead, &text, theme::plain(), max)
            })
            .collect(),
    }
}
