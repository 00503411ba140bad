//! `apikeys report`: the account's key posture (see `apikeys::posture`), as a table for people
//! or JSON with every key; `--fail-on` turns a finding into exit 1 for a scheduled job.

use serde_json::{Value, json};

use apikeys::output::{self, Format, Table};
use apikeys::posture::gather::{self, Assessment};
use apikeys::posture::{Finding, KeyRef, Severity};
use apikeys::session::Session;

use super::{CommandResult, Failure, print};
use crate::cli::{FailOn, ReportFormat};

/// How many keys a table row names before "and N more".
const FIRST_KEYS: usize = 3;

pub async fn run(
    session: &Session,
    format: ReportFormat,
    fail_on: Option<FailOn>,
) -> CommandResult {
    let thresholds = session.posture_thresholds();
    let assessment =
        gather::assess_account(&session.client, thresholds, chrono::Utc::now()).await?;
    match format {
        ReportFormat::Json => print(&output::json(&as_json(&assessment))),
        ReportFormat::Table => print_table(&assessment),
    }
    verdict(&assessment, fail_on)
}

fn print_table(assessment: &Assessment) {
    let posture = &assessment.posture;
    let mut table = Table::new(vec![
        "SEVERITY",
        "FINDING",
        "KEYS",
        "FIRST KEYS",
        "WHAT TO DO",
    ]);
    for finding in &posture.findings {
        table.push(vec![
            finding.severity().word().to_uppercase(),
            finding.kind.title().to_string(),
            finding.keys.len().to_string(),
            first_keys(finding),
            finding.kind.what_to_do().to_string(),
        ]);
    }
    print(&table.render(Format::Table));
    if posture.findings.is_empty() {
        eprintln!(
            "No findings among {} generated and {} external keys.",
            assessment.keys, assessment.external
        );
    }
    for (kind, missing) in &posture.not_computed {
        eprintln!("Not computed: {} — {}.", kind.title(), missing.sentence());
    }
}

/// "ERP orders, BI export, vtexappkey-… and 4 more": labels, else appKeys.
fn first_keys(finding: &Finding) -> String {
    let named: Vec<&str> = finding.keys.iter().take(FIRST_KEYS).map(shown).collect();
    let more = finding.keys.len().saturating_sub(FIRST_KEYS);
    match more {
        0 => named.join(", "),
        more => format!("{} and {more} more", named.join(", ")),
    }
}

fn shown(key: &KeyRef) -> &str {
    match key.label.trim() {
        "" => &key.app_key,
        label => label,
    }
}

fn as_json(assessment: &Assessment) -> Value {
    let posture = &assessment.posture;
    let findings: Vec<Value> = posture
        .findings
        .iter()
        .map(|finding| {
            json!({
                "id": finding.kind.id(),
                "severity": finding.severity(),
                "pane": finding.kind.pane(),
                "title": finding.kind.title(),
                "why": finding.kind.why(),
                "whatToDo": finding.kind.what_to_do(),
                "count": finding.keys.len(),
                "keys": finding.keys,
            })
        })
        .collect();
    let not_computed: Vec<Value> = posture
        .not_computed
        .iter()
        .map(|(kind, missing)| json!({ "id": kind.id(), "reason": missing.sentence() }))
        .collect();
    json!({
        "tokenDurationMonths": assessment.ages.duration_months,
        "keys": assessment.keys,
        "externalKeys": assessment.external,
        "counts": {
            "alert": posture.count(Severity::Alert),
            "warning": posture.count(Severity::Warning),
            "info": posture.count(Severity::Info),
        },
        "findings": findings,
        "notComputed": not_computed,
    })
}

/// Exit 1 when `--fail-on` names a severity a finding reaches.
fn verdict(assessment: &Assessment, fail_on: Option<FailOn>) -> CommandResult {
    let Some(fail_on) = fail_on else {
        return Ok(());
    };
    let least = match fail_on {
        FailOn::Warning => Severity::Warning,
        FailOn::Alert => Severity::Alert,
    };
    let failing: Vec<&Finding> = assessment
        .posture
        .findings
        .iter()
        .filter(|f| f.severity() >= least)
        .collect();
    if failing.is_empty() {
        return Ok(());
    }
    let titles: Vec<String> = failing
        .iter()
        .map(|f| format!("{} ({})", f.kind.title(), f.keys.len()))
        .collect();
    Err(Failure::Failed(format!(
        "{} finding(s) at {} or worse (--fail-on {}): {}.",
        failing.len(),
        least.word(),
        least.word(),
        titles.join("; ")
    )))
}
