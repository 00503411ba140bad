//! The details of one key, generated or external: every field, all its roles, for a generated
//! key its token dates and age class, and its audit trail (servers with the apikeys extension
//! only). Taller than the screen, it scrolls.

use chrono::{DateTime, Months, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::keys::{age_style, days_since, role_names};
use super::scroll::{self, Overlay};
use super::theme;
use super::time::{self, Zone};
use super::widgets::{self, DialogFrame, Hint, clean};
use crate::listing::TokenAge;
use crate::tui::action::Failure;
use crate::tui::state::{DetailsDialog, KeyList, State};
use crate::tui::strings::details as text;
use crate::vtex::model::{AppKey, AuditEntry, ExternalKey, Role};

/// Width of the field names column ("New token  ").
const LABEL_WIDTH: usize = 15;

/// The dialog's outer width, clamped to the screen.
const WIDTH: u16 = 100;

fn when(at: DateTime<Utc>, zone: Zone) -> String {
    time::date_time(at, zone)
}

fn field(name: &str, value: &str, style: Style, max: usize) -> Vec<Line<'static>> {
    let lead = Span::styled(widgets::pad(name, LABEL_WIDTH), theme::dim());
    widgets::hanging(lead, value, style, max)
}

/// The details dialog, scrolled as it says.
pub fn render(
    state: &State,
    dialog: &DetailsDialog,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
) {
    scroll::draw(
        frame,
        region,
        overlay(state, dialog, hints, region),
        dialog.scroll,
    );
}

/// The details as an overlay for `region`: the key's fields, then its audit trail.
pub fn overlay(state: &State, dialog: &DetailsDialog, hints: &[Hint], region: Rect) -> Overlay {
    let max = widgets::dialog_inner_width(region, WIDTH);
    let gone = |sentence| widgets::wrapped(sentence, theme::dim(), max);
    let (title, mut body) = match dialog.list {
        KeyList::Generated => match state.keys.rows.iter().find(|k| k.id == dialog.key_id) {
            Some(key) => (
                text::title_of(&clean(&key.app_key)),
                fields(state, key, max),
            ),
            None => (text::TITLE.into(), gone(text::NOT_IN_LIST)),
        },
        KeyList::External => match state.external.rows.iter().find(|k| k.id == dialog.key_id) {
            Some(key) => (
                text::external_title_of(&clean(&key.app_key)),
                external_fields(state, key, max),
            ),
            None => (
                text::EXTERNAL_TITLE.into(),
                gone(text::EXTERNAL_NOT_IN_LIST),
            ),
        },
    };
    body.push(Line::raw(""));
    body.push(Line::styled(text::AUDIT, theme::heading()));
    body.extend(audit_lines(dialog.audit.as_ref(), state.zone, max));
    let mut footer = vec![Line::raw("")];
    footer.extend(widgets::hint_lines(hints, max));
    let spec = DialogFrame {
        title,
        destructive: false,
        width: WIDTH,
    };
    Overlay { spec, body, footer }
}

/// An external key: who owns it, when it was added, its status and the roles it has here.
fn external_fields(state: &State, key: &ExternalKey, max: usize) -> Vec<Line<'static>> {
    let plain = theme::plain();
    let mut lines = Vec::new();
    lines.extend(field("Key", &clean(&key.app_key), theme::bold(), max));
    lines.extend(field("Owner account", &clean(&key.account), plain, max));
    lines.extend(field("Id", &clean(&key.id), plain, max));
    let added = key
        .added_on
        .map_or(text::UNKNOWN.to_string(), |t| when(t.0, state.zone));
    lines.extend(field("Added on", &added, plain, max));
    let pending = state.external.pending_toggles.contains_key(&key.id);
    let (status, style) = status_of(key.is_active, pending);
    lines.extend(field("Status", status, style, max));
    lines.extend(field("Roles", &roles_of(key.roles.as_deref()), plain, max));
    lines.extend(field("Token", text::EXTERNAL_TOKEN, theme::dim(), max));
    lines
}

/// The roles a key holds, "none", or that they are still loading.
fn roles_of(roles: Option<&[Role]>) -> String {
    match roles {
        Some([]) => text::NO_ROLES.to_string(),
        Some(roles) => role_names(roles),
        None => text::ROLES_LOADING.to_string(),
    }
}

/// "Active", or "Active… (waiting for the server)" while a toggle is on its way.
fn status_of(active: bool, pending: bool) -> (&'static str, Style) {
    match (active, pending) {
        (true, false) => ("Active", theme::active()),
        (false, false) => ("Inactive", theme::inactive()),
        (true, true) => (text::ACTIVE_WAITING, theme::pending()),
        (false, true) => (text::INACTIVE_WAITING, theme::pending()),
    }
}

fn fields(state: &State, key: &AppKey, max: usize) -> Vec<Line<'static>> {
    let months = state.token_months();
    let now = state.now;
    let plain = theme::plain();
    let mut lines = Vec::new();
    lines.extend(field("Key", &clean(&key.app_key), theme::bold(), max));
    let label = if key.label.trim().is_empty() {
        text::NO_LABEL.to_string()
    } else {
        clean(&key.label)
    };
    lines.extend(field("Label", &label, plain, max));
    lines.extend(field("Id", &clean(&key.id), plain, max));
    let created = key
        .created_in
        .map_or(text::UNKNOWN.to_string(), |t| when(t.0, state.zone));
    lines.extend(field("Created", &created, plain, max));
    let pending = state.keys.pending_toggles.contains_key(&key.id);
    let (status, style) = status_of(key.is_active, pending);
    lines.extend(field("Status", status, style, max));
    lines.extend(field("Roles", &roles_of(key.roles.as_deref()), plain, max));

    match key.creation_date_token {
        Some(created) => {
            let days = days_since(created.0, now);
            lines.extend(field(
                "Token created",
                &text::token_created(&when(created.0, state.zone), days),
                plain,
                max,
            ));
        }
        None => lines.extend(field(
            "Token created",
            text::TOKEN_DATE_UNREPORTED,
            theme::dim(),
            max,
        )),
    }
    match (key.creation_date_new_token, key.creation_date_token) {
        (Some(new), _) => lines.extend(field(
            "New token",
            &text::new_token_pending(&when(new.0, state.zone)),
            theme::pending(),
            max,
        )),
        (None, Some(_)) => lines.extend(field("New token", text::NO_NEW_TOKEN, theme::dim(), max)),
        (None, None) => {}
    }
    let age = match (key.creation_date_token, key.token_age(months, now)) {
        (Some(created), Some(age)) => {
            let due = created
                .0
                .checked_add_months(Months::new(months))
                .unwrap_or(created.0);
            let due = time::date(due, state.zone);
            let sentence = match age {
                TokenAge::Fresh => text::age_fresh(months, &due),
                TokenAge::Outdated => text::age_outdated(months, &due),
                TokenAge::LongOutdated => text::age_long_outdated(months, &due),
            };
            Some((sentence, age_style(age)))
        }
        _ => None,
    };
    if let Some((sentence, style)) = age {
        lines.extend(field("Token age", &sentence, style, max));
    }
    if let Some(due) = state.rotation.due.get(&key.app_key) {
        let sentence = crate::tui::strings::rotation::due_detail(&when(*due, state.zone));
        lines.extend(field("Rotation", &sentence, theme::pending(), max));
    }
    lines
}

fn audit_lines(
    audit: Option<&Result<Vec<AuditEntry>, Failure>>,
    zone: Zone,
    max: usize,
) -> Vec<Line<'static>> {
    match audit {
        None => vec![Line::styled(text::AUDIT_LOADING, theme::dim())],
        Some(Err(failure)) if failure.unavailable() => {
            widgets::wrapped(text::AUDIT_UNAVAILABLE, theme::dim(), max)
        }
        Some(Err(failure)) => widgets::wrapped(&clean(&failure.message), theme::error(), max),
        Some(Ok(entries)) if entries.is_empty() => {
            vec![Line::styled(text::AUDIT_EMPTY, theme::dim())]
        }
        Some(Ok(entries)) => entries
            .iter()
            .flat_map(|entry| {
                let at = entry.at.map_or("—".to_string(), |t| when(t.0, zone));
                let lead = Span::styled(format!("{at}  "), theme::dim());
                let mut line = text::audit_entry(&clean(&entry.action), &clean(&entry.actor));
                if !entry.detail.trim().is_empty() {
                    line.push_str(&format!(" · {}", clean(&entry.detail)));
                }
                widgets::hanging(lead, &line, theme::plain(), max)
            })
            .collect(),
    }
}
