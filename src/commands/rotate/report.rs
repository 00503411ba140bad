//! What `rotate` says: a line per key as it finishes (stderr), the report at the end (stdout,
//! a table or JSON), and the plan of a dry run.

use std::path::Path;

use chrono::Utc;
use serde_json::{Value, json};

use apikeys::output::{self, Format, Table};
use apikeys::rotation::journal;
use apikeys::rotation::{
    self, Handoff, KeyReport, Outcome, Pending, Plan, Selection, Settings, Target, duration,
    template,
};
use apikeys::session::Session;

use crate::cli::ReportFormat;
use crate::commands::{CommandResult, Failure, print};

/// "Rotating 12 keys (4 at a time); 3 left out." — before the run.
pub fn announce(plan: &Plan, can_undo: bool) -> String {
    let n = plan.targets.len();
    let mut text = format!("Rotating {n} key{}", if n == 1 { "" } else { "s" });
    if !plan.skipped.is_empty() {
        text += &format!("; {} left out (see the report)", plan.skipped.len());
    }
    text.push('.');
    if !can_undo && n > 0 {
        text += " This server cannot undo a renewal (VTEX's public API): a key whose hand-off \
                 or verification fails is left pending, its old token still working.";
    }
    text
}

/// "✓ vtexappkey-… (ERP): rotated in 12 ms" — as each key finishes.
pub fn progress_line(report: &KeyReport) -> String {
    report.line(Some(&took(report.elapsed)))
}

/// "16 ms", "1.2 s": milliseconds below a second (most keys take a few).
fn took(elapsed: std::time::Duration) -> String {
    if elapsed < std::time::Duration::from_secs(1) {
        format!("{} ms", elapsed.as_millis())
    } else {
        format!("{:.1} s", elapsed.as_secs_f64())
    }
}

fn steps_text(report: &KeyReport) -> String {
    report
        .steps
        .iter()
        .map(|(stage, spent)| format!("{} {}", stage.name(), took(*spent)))
        .collect::<Vec<_>>()
        .join(" › ")
}

/// The report: every key the run touched (the journal's first), then those left out.
pub fn report(reports: &[KeyReport], skipped: &[(Target, String)], format: ReportFormat) {
    if format.json() {
        let keys: Vec<Value> = reports.iter().map(report_json).collect();
        let left_out: Vec<Value> = skipped
            .iter()
            .map(|(target, reason)| {
                json!({"appKey": target.app_key, "id": target.id, "label": target.label,
                       "outcome": "skipped", "succeeded": false, "reason": reason})
            })
            .collect();
        print(&output::json(&json!({"keys": keys, "skipped": left_out})));
        return;
    }
    let mut table = Table::new(vec!["KEY", "LABEL", "OUTCOME", "STEPS", "TIME", "REASON"]);
    let mut ordered: Vec<&KeyReport> = reports.iter().collect();
    ordered.sort_by_key(|report| !report.from_journal);
    for report in ordered {
        table.push(vec![
            report.target.app_key.clone(),
            report.target.label.clone(),
            report.outcome.name().to_string(),
            steps_text(report),
            took(report.elapsed),
            with_journal_note(report),
        ]);
    }
    for (target, reason) in skipped {
        table.push(vec![
            target.app_key.clone(),
            target.label.clone(),
            "skipped".into(),
            String::new(),
            String::new(),
            reason.clone(),
        ]);
    }
    if reports.is_empty() && skipped.is_empty() {
        eprintln!("Nothing was rotated or settled.");
    }
    print(&table.render(Format::Table));
}

fn with_journal_note(report: &KeyReport) -> String {
    let mut reason = report.outcome.reason();
    if report.from_journal {
        reason = format!("(from the journal) {reason}");
    }
    if let Some(err) = &report.journal_error {
        reason += &format!(" The journal could not be written: {err}.");
    }
    reason
}

fn report_json(report: &KeyReport) -> Value {
    let steps: Vec<Value> = report
        .steps
        .iter()
        .map(|(stage, took)| json!({"step": stage.name(), "ms": took.as_millis() as u64}))
        .collect();
    let mut value = json!({
        "appKey": report.target.app_key,
        "id": report.target.id,
        "label": report.target.label,
        "outcome": report.outcome.code(),
        "succeeded": report.outcome.succeeded(),
        "steps": steps,
        "ms": report.elapsed.as_millis() as u64,
        "reason": report.outcome.reason(),
        "fromJournal": report.from_journal,
    });
    if let Some(stage) = report.outcome.stage() {
        value["stage"] = json!(stage.name());
    }
    if let Outcome::InGrace { finish_due } = &report.outcome {
        value["finishDue"] = json!(finish_due.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    if let Some(err) = &report.journal_error {
        value["journalError"] = json!(err);
    }
    value
}

/// `--dry-run`: what the journal calls for, which keys would be rotated with which sink
/// command, and when each old token would go. Sends nothing that changes anything.
pub async fn dry_run(
    session: &Session,
    settings: &Settings,
    path: &Path,
    account: &str,
    selection: Option<&Selection>,
    format: ReportFormat,
) -> CommandResult {
    let contents = journal::read(path)
        .map_err(|err| Failure::Failed(format!("cannot read {}: {err}", path.display())))?;
    let open = journal::latest_open(contents.records);
    let pending = rotation::pending(&open, account, Utc::now());
    let in_grace = rotation::waiting(&open, account, Utc::now());
    let plan = match selection {
        Some(selection) => rotation::plan(&session.client, selection, &in_grace)
            .await
            .map_err(|err| match err.usage {
                true => Failure::Usage(err.message),
                false => Failure::Failed(err.message),
            })?,
        None => Plan::default(),
    };
    let can_undo = session.client.can_undo_renewal().await?;
    let journal_rows: Vec<(String, String, String)> = pending
        .iter()
        .map(|p| {
            let record = p.record();
            let action = journal_action(p, can_undo);
            (record.app_key.clone(), record.label.clone(), action)
        })
        .collect();
    let rows: Vec<(Target, String, String)> = plan
        .targets
        .iter()
        .map(|t| (t.clone(), sink_text(settings, t), old_token_goes(settings)))
        .collect();
    if format.json() {
        print(&output::json(&dry_run_json(
            &journal_rows,
            &rows,
            &plan.skipped,
        )));
    } else {
        print(&dry_run_table(&journal_rows, &rows, &plan.skipped));
        eprintln!("Dry run: nothing was changed.");
    }
    Ok(())
}

fn journal_action(pending: &Pending, can_undo: bool) -> String {
    let due = |r: &journal::Record| {
        r.finish_due
            .map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_default()
    };
    match pending {
        Pending::TakeBack(_) if can_undo => "left by a run that stopped: undo the renewal".into(),
        Pending::TakeBack(_) => {
            "left by a run that stopped: report it pending (no undo here)".into()
        }
        Pending::Unverified(_) => "handed off, never verified: report it pending".into(),
        Pending::Finish(_) => "grace over: delete the old token".into(),
        Pending::Waiting(r) => format!("in its grace: the old token goes at {}", due(r)),
        Pending::Attention(r) => format!(
            "waits for you: {}",
            r.reason
                .as_deref()
                .unwrap_or("the rotation could not be finished")
        ),
    }
}

fn sink_text(settings: &Settings, target: &Target) -> String {
    match &settings.handoff {
        Handoff::Command(command) => template::shown(command, &target.fields()),
        Handoff::Shown(_) => "shown once on this terminal".into(),
    }
}

fn old_token_goes(settings: &Settings) -> String {
    if settings.grace.is_zero() {
        "once the new one is verified".into()
    } else {
        let at = Utc::now() + chrono::Duration::from_std(settings.grace).unwrap_or_default();
        format!(
            "{} after (about {})",
            duration::show(settings.grace),
            at.format("%Y-%m-%d %H:%M UTC")
        )
    }
}

fn dry_run_table(
    journal_rows: &[(String, String, String)],
    rows: &[(Target, String, String)],
    skipped: &[(Target, String)],
) -> String {
    let mut table = Table::new(vec!["KEY", "LABEL", "ACTION", "SINK", "OLD TOKEN GOES"]);
    for (app_key, label, action) in journal_rows {
        table.push(vec![
            app_key.clone(),
            label.clone(),
            action.clone(),
            String::new(),
            String::new(),
        ]);
    }
    for (target, sink, goes) in rows {
        table.push(vec![
            target.app_key.clone(),
            target.label.clone(),
            "rotate".into(),
            sink.clone(),
            goes.clone(),
        ]);
    }
    for (target, reason) in skipped {
        table.push(vec![
            target.app_key.clone(),
            target.label.clone(),
            format!("skip: {reason}"),
            String::new(),
            String::new(),
        ]);
    }
    table.render(Format::Table)
}

fn dry_run_json(
    journal_rows: &[(String, String, String)],
    rows: &[(Target, String, String)],
    skipped: &[(Target, String)],
) -> Value {
    json!({
        "dryRun": true,
        "journal": journal_rows.iter().map(|(k, l, a)| json!({"appKey": k, "label": l, "action": a})).collect::<Vec<_>>(),
        "rotate": rows.iter().map(|(t, sink, goes)| json!({
            "appKey": t.app_key, "id": t.id, "label": t.label, "sink": sink, "oldTokenGoes": goes,
        })).collect::<Vec<_>>(),
        "skipped": skipped.iter().map(|(t, reason)| json!({
            "appKey": t.app_key, "label": t.label, "reason": reason,
        })).collect::<Vec<_>>(),
    })
}
