//! `:rotate` as effects: asked once (`ask_rotation` opens the confirmation, or says why it
//! cannot run), carried out off the UI thread (`Effect::Rotate`), its progress counted, and at
//! the end one refresh, the journal read again and the summary. The keys not rotated stay
//! marked, so the same key retries them.

use std::collections::HashSet;

use super::*;
use crate::rotation;
use crate::tui::rotation::{self as rot, Prepared, Progress, RotatePlan, Run};
use crate::tui::strings::rotation as text;

/// `o` or `:rotate`: on the marked keys, else the selected one; `outdated`: on every outdated
/// key of the account (the Settings pane's `o`, `:rotate outdated`).
pub(super) fn ask_rotation(state: &mut State, outdated: bool) -> Vec<Effect> {
    let plan = match prepare(state, outdated) {
        Ok(plan) => plan,
        Err(Refusal::Said) => return Vec::new(),
        Err(Refusal::Error(reason)) => {
            complain(state, reason);
            return Vec::new();
        }
        Err(Refusal::Info(reason)) => {
            say(state, reason);
            return Vec::new();
        }
    };
    state.dialog = Some(Dialog::Rotate(RotateConfirm {
        plan,
        focus: Focus::Action,
    }));
    Vec::new()
}

enum Refusal {
    /// Already said on the status line.
    Said,
    Error(String),
    Info(String),
}

/// The plan the confirmation shows, or why there is none. Nothing is sent.
fn prepare(state: &mut State, outdated: bool) -> Result<RotatePlan, Refusal> {
    if state.rotation.run.is_some() {
        refuse_briefly(state, text::ALREADY_RUNNING);
        return Err(Refusal::Said);
    }
    if state.bulk.is_some() {
        refuse_briefly(state, text::BULK_RUNNING);
        return Err(Refusal::Said);
    }
    if let Some(name) = state.profile_switch.switching_to() {
        return Err(Refusal::Info(text::switching(name)));
    }
    if state.tab == Tab::External && !outdated {
        return Err(Refusal::Info(text::NOT_ON_EXTERNAL.into()));
    }
    if !allowed(state, Op::Rotate, text::WHAT) {
        return Err(Refusal::Said);
    }
    if state.rotation.setup.journal.is_none() {
        return Err(Refusal::Error(text::NO_JOURNAL.into()));
    }
    let prepared = Prepared::from_setup(&state.rotation.setup).map_err(Refusal::Error)?;
    if state.keys.rows.is_empty() && state.keys.load != Load::Loaded {
        return Err(Refusal::Info(text::KEYS_NOT_LOADED.into()));
    }
    let chosen = if outdated {
        None
    } else {
        Some(chosen_ids(state).ok_or_else(|| Refusal::Info(text::NO_KEY.into()))?)
    };
    let rotation::Plan { targets, skipped } = rot::plan(
        &state.keys.rows,
        chosen,
        &state.header.caller_key,
        state.token_months(),
        &state.rotation.due,
        state.now,
    )
    .map_err(Refusal::Error)?;
    if targets.is_empty() {
        return Err(Refusal::Info(if skipped.is_empty() {
            text::NO_OUTDATED.to_string()
        } else {
            text::nothing_to_rotate(&skipped)
        }));
    }
    Ok(RotatePlan {
        targets,
        skipped,
        prepared,
        can_undo: state.access.extensions,
    })
}

/// The ids of the marked keys, else of the selected one.
fn chosen_ids(state: &State) -> Option<Vec<String>> {
    let pane = &state.keys;
    if !pane.marks.is_empty() {
        let ids: Vec<String> = (pane.marks.rows())
            .filter_map(|row| pane.rows.get(row))
            .map(|key| key.id.clone())
            .collect();
        return (!ids.is_empty()).then_some(ids);
    }
    pane.selected_key().map(|key| vec![key.id.clone()])
}

/// The confirmation was accepted: the run starts off the UI thread.
pub(super) fn start_rotation(state: &mut State, plan: RotatePlan) -> Vec<Effect> {
    let Some(journal) = state.rotation.setup.journal.clone() else {
        complain(state, text::NO_JOURNAL);
        return Vec::new();
    };
    if state.rotation.run.is_some() {
        refuse_briefly(state, text::ALREADY_RUNNING);
        return Vec::new();
    }
    if let Some(name) = state.profile_switch.switching_to() {
        say(state, text::switching(name));
        return Vec::new();
    }
    state.rotation.run = Some(Run::new(&plan));
    // The progress line replaces what the status line said.
    state.status = None;
    vec![Effect::Rotate(rot::Request {
        targets: plan.targets,
        prepared: plan.prepared,
        journal,
        server: state.rotation.setup.server.clone(),
    })]
}

/// A step of the run: counted; at its end the summary.
pub(super) fn on_rotation(state: &mut State, progress: Progress) -> Vec<Effect> {
    let Some(run) = &mut state.rotation.run else {
        return Vec::new();
    };
    match progress {
        Progress::Started(stopper) => {
            // Esc pressed before the run could be told: it stops now.
            if run.stopping {
                stopper.stop();
            }
            run.stopper = Some(stopper);
        }
        Progress::Reconciled(reports) => run.reconciled = reports,
        Progress::Step { app_key, stage } => run.current = Some((app_key, stage)),
        Progress::Done(report) => {
            if run
                .current
                .as_ref()
                .is_some_and(|(key, _)| *key == report.target.app_key)
            {
                run.current = None;
            }
            run.reports.push(report);
        }
        Progress::Finished => return finish(state),
        Progress::Failed(reason) => {
            state.rotation.run = None;
            complain(state, reason);
        }
    }
    Vec::new()
}

/// The keys of this server in their grace, read from the journal.
pub(super) fn on_rotation_due(
    state: &mut State,
    server: String,
    due: std::collections::HashMap<String, chrono::DateTime<chrono::Utc>>,
) -> Vec<Effect> {
    if server == state.rotation.setup.server {
        state.rotation.due = due;
    }
    Vec::new()
}

/// Asks for the journal's keys in their grace (at start, after a switch, after a run).
pub(super) fn read_rotation_due(state: &State) -> Option<Effect> {
    let setup = &state.rotation.setup;
    Some(Effect::ReadRotationDue {
        journal: setup.journal.clone()?,
        server: setup.server.clone(),
    })
}

/// The run is over: the keys rotated (or skipped) are unmarked, those not rotated are
/// marked; one refresh, the journal read again, and the summary.
fn finish(state: &mut State) -> Vec<Effect> {
    let Some(run) = state.rotation.run.take() else {
        return Vec::new();
    };
    // A refusal that said the run goes on is over with it.
    let about_the_run = [text::QUIT_REFUSED, text::ALREADY_RUNNING];
    if (state.status.as_ref()).is_some_and(|s| about_the_run.contains(&s.text.as_str())) {
        state.status = None;
    }
    let failed: HashSet<&str> = (run.reports.iter())
        .filter(|r| !r.outcome.succeeded())
        .map(|r| r.target.id.as_str())
        .collect();
    let handled: HashSet<&str> = (run.reports.iter())
        .filter(|r| r.outcome.succeeded())
        .map(|r| r.target.id.as_str())
        .chain(run.skipped.iter().map(|(target, _)| target.id.as_str()))
        .collect();
    let pane = &mut state.keys;
    for (row, key) in pane.rows.iter().enumerate() {
        if failed.contains(key.id.as_str()) {
            pane.marks.mark(row);
        } else if handled.contains(key.id.as_str()) {
            pane.marks.unmark(row);
        }
    }
    let summary = BulkSummary {
        title: text::summary_title(run.total - run.failed(), run.total),
        lines: summary_lines(&run),
        scroll: Default::default(),
    };
    if state.dialog.is_none() {
        state.dialog = Some(Dialog::BulkSummary(summary));
    } else {
        state.waiting_forms.push_back(Dialog::BulkSummary(summary));
    }
    let mut effects = vec![request_keys(state)];
    effects.extend(read_rotation_due(state));
    effects
}

/// Per key its outcome and reason: the journal's first, then what failed, what went through,
/// what was skipped.
fn summary_lines(run: &Run) -> Vec<String> {
    let mut lines = Vec::new();
    let mut section = |heading: &str, each: Vec<String>| {
        if each.is_empty() {
            return;
        }
        lines.push(format!("{heading} ({}):", each.len()));
        lines.extend(each.into_iter().map(|line| format!("  {line}")));
        lines.push(String::new());
    };
    let (ok, not_ok): (Vec<_>, Vec<_>) = run.reports.iter().partition(|r| r.outcome.succeeded());
    section(
        text::RECONCILED_HEADING,
        run.reconciled.iter().map(text::report_line).collect(),
    );
    section(
        text::NOT_ROTATED_HEADING,
        not_ok.into_iter().map(text::report_line).collect(),
    );
    section(
        text::ROTATED_HEADING,
        ok.into_iter().map(text::report_line).collect(),
    );
    section(
        text::SKIPPED_HEADING,
        (run.skipped.iter())
            .map(|(target, reason)| text::skipped_line(target, reason))
            .collect(),
    );
    lines.push(
        if run.failed() > 0 {
            text::FAILED_STAY_MARKED
        } else {
            text::ALL_ROTATED
        }
        .to_string(),
    );
    lines
}

/// Esc during a rotation: no other key is started; those under way finish their steps (or are
/// taken back), then the summary comes as usual. `None` when no rotation runs.
pub(super) fn stop_rotation(state: &mut State) -> Option<Vec<Effect>> {
    let run = state.rotation.run.as_mut()?;
    if run.stopping {
        return None;
    }
    run.stopping = true;
    if let Some(stopper) = &run.stopper {
        stopper.stop();
    }
    Some(Vec::new())
}
