//! `apikeys rotate`: the settings from flags and the profile, then one journaled run (see
//! `apikeys::rotation`), reported per key. Not bound by `--timeout` as a whole: each call
//! is, and each sink by its own time limit.

mod interrupt;
mod report;
mod terminal;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use apikeys::config::RotationConfig;
use apikeys::rotation::journal::{self, Journal};
use apikeys::rotation::{
    self, Handoff, KeyReport, Outcome, Rotation, Selection, Settings, duration, template,
};
use apikeys::session::Session;

use super::{CommandResult, Failure};
use crate::cli::{ReportFormat, RotateArgs};

pub async fn run(session: &Session, args: RotateArgs) -> CommandResult {
    let (config, file) = session.rotation_config();
    let settings = settings(&args, &config, &file)?;
    let path = journal::default_path().map_err(|err| Failure::Failed(err.to_string()))?;
    let account = apikeys::keyformat::app_key_account(session.client.app_key())
        .unwrap_or_default()
        .to_string();
    let selection = selection(&args);
    if args.dry_run {
        return report::dry_run(
            session,
            &settings,
            &path,
            &account,
            selection.as_ref(),
            args.output,
        )
        .await;
    }
    let journal = Arc::new(Journal::open(&path).map_err(|err| Failure::Failed(err.to_string()))?);
    if selection.is_none() && !anything_to_settle(&journal, &account) {
        // `--finish-due` from cron with nothing due: no request at all, so an unreachable
        // server is no failure when there was nothing to do.
        say_waiting(&journal, &account);
        report::report(&[], &[], args.output);
        return Ok(());
    }
    let server = session.journal_server();
    let rotation = Rotation::new(session.client.clone(), journal, server, settings).await?;
    // Every run first settles what an earlier one left open.
    let mut reports = rotation
        .reconcile()
        .await
        .map_err(|err| Failure::Failed(format!("cannot read the rotation journal: {err}")))?;
    say_reconciled(&reports);
    if rotation.unreadable_lines() > 0 {
        eprintln!(
            "apikeys: {} line(s) of {} could not be read (cut by a crash?) and were dropped.",
            rotation.unreadable_lines(),
            rotation.journal().path().display()
        );
    }
    let plan = match &selection {
        Some(selection) => {
            let in_grace = in_grace(rotation.journal(), &account);
            match make_plan(session, selection, &in_grace).await {
                Ok(plan) => Some(plan),
                // What reconciling did is reported all the same.
                Err(failure) => {
                    if !reports.is_empty() {
                        report::report(&reports, &[], args.output);
                    }
                    return Err(failure);
                }
            }
        }
        None => None,
    };
    let mut skipped = Vec::new();
    if let Some(plan) = plan {
        eprintln!("{}", report::announce(&plan, rotation.can_undo()));
        let run = interrupt::run(&rotation, plan.targets).await;
        // A key rotated again is reported by this run, not by the entry it supersedes.
        reports.retain(|old| {
            !run.iter()
                .any(|new| new.target.app_key == old.target.app_key)
        });
        reports.extend(run);
        skipped = plan.skipped;
    }
    say_waiting(rotation.journal(), &account);
    let named = matches!(selection, Some(Selection::Named(_)));
    report::report(&reports, &skipped, args.output);
    verdict(&reports, &skipped, named)
}

async fn make_plan(
    session: &Session,
    selection: &Selection,
    in_grace: &HashMap<String, DateTime<Utc>>,
) -> Result<rotation::Plan, Failure> {
    rotation::plan(&session.client, selection, in_grace)
        .await
        .map_err(|err| match err.usage {
            true => Failure::Usage(err.message),
            false => Failure::Failed(err.message),
        })
}

/// The run's settings: each flag, else the profile's `rotation` table, else the default.
fn settings(args: &RotateArgs, config: &RotationConfig, file: &str) -> Result<Settings, Failure> {
    let in_config = |key: &str| format!("`{key}` in the rotation table of {file}");
    let grace = match (args.grace, &config.grace) {
        (Some(grace), _) => grace,
        (None, Some(text)) => duration::parse(text)
            .map_err(|reason| Failure::Usage(format!("{}: {reason}", in_config("grace"))))?,
        (None, None) => Duration::ZERO,
    };
    let sink = args.sink.clone().or_else(|| config.sink.clone());
    let verify = args.verify.clone().or_else(|| config.verify.clone());
    for (command, name) in [(&sink, "the sink"), (&verify, "the verify command")] {
        if let Some(command) = command {
            if command.trim().is_empty() {
                return Err(Failure::Usage(format!("{name} is empty")));
            }
            template::check(command, name).map_err(Failure::Usage)?;
        }
    }
    let timeout = args
        .sink_timeout
        .or(config.timeout_secs)
        .map_or(rotation::DEFAULT_TIMEOUT, Duration::from_secs);
    if timeout.is_zero() {
        return Err(Failure::Usage(format!(
            "{} must be at least 1 second",
            in_config("timeout_secs")
        )));
    }
    let handoff = match sink {
        Some(command) => Handoff::Command(command),
        // --finish-due hands nothing over; a dry run plans what the real run would do.
        None if args.finish_due => Handoff::Command(String::new()),
        None => terminal::handoff()?,
    };
    Ok(Settings {
        handoff,
        verify,
        grace,
        timeout,
        jobs: usize::from(args.jobs),
    })
}

fn selection(args: &RotateArgs) -> Option<Selection> {
    if args.finish_due {
        None
    } else if args.outdated {
        Some(Selection::Outdated)
    } else if args.all {
        Some(Selection::All)
    } else {
        Some(Selection::Named(args.keys.clone()))
    }
}

/// Whether the journal holds an entry of the account that a run would act on now.
fn anything_to_settle(journal: &Journal, account: &str) -> bool {
    let open = journal.open_entries().unwrap_or_default();
    rotation::pending(&open, account, Utc::now())
        .iter()
        .any(|pending| !matches!(pending, rotation::Pending::Waiting(_)))
}

/// The appKeys of the account whose grace is running, with when it ends.
fn in_grace(journal: &Journal, account: &str) -> HashMap<String, DateTime<Utc>> {
    let open = journal.open_entries().unwrap_or_default();
    rotation::waiting(&open, account, Utc::now())
}

fn say_reconciled(reports: &[KeyReport]) {
    if !reports.is_empty() {
        eprintln!(
            "The journal held {} key{} left open by an earlier run; settled first.",
            reports.len(),
            if reports.len() == 1 { "" } else { "s" }
        );
        for report in reports {
            eprintln!("{}", report::progress_line(report));
        }
    }
}

fn say_waiting(journal: &Journal, account: &str) {
    let waiting = in_grace(journal, account);
    if let Some(first) = waiting.values().min() {
        let n = waiting.len();
        eprintln!(
            "{n} {} for {} grace to end (the first at {}); `apikeys rotate --finish-due` deletes \
             the old {} then.",
            if n == 1 { "key waits" } else { "keys wait" },
            if n == 1 { "its" } else { "their" },
            first.format("%Y-%m-%d %H:%M:%S UTC"),
            if n == 1 { "token" } else { "tokens" },
        );
    }
}

/// Exit 0 only when every key is where the run meant it to be; a key named on the command
/// line and skipped counts as not rotated.
fn verdict(
    reports: &[KeyReport],
    skipped: &[(rotation::Target, String)],
    named: bool,
) -> CommandResult {
    let failed = reports.iter().filter(|r| !r.outcome.succeeded()).count()
        + if named { skipped.len() } else { 0 };
    if failed == 0 {
        return Ok(());
    }
    let pending = reports
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::LeftPending { .. }))
        .count();
    let total = reports.len() + if named { skipped.len() } else { 0 };
    let mut message = format!(
        "{failed} of {total} key{} {} not rotated; the report says why and what to do.",
        if total == 1 { "" } else { "s" },
        if failed == 1 { "was" } else { "were" },
    );
    if pending > 0 {
        message += &format!(
            " {pending} renewal{} left pending (the old tokens still work).",
            if pending == 1 { " is" } else { "s are" }
        );
    }
    Err(Failure::Failed(message))
}

/// Whether a person is there to be shown tokens.
fn on_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// The report's format, for the dry run too.
impl ReportFormat {
    fn json(self) -> bool {
        self == ReportFormat::Json
    }
}
