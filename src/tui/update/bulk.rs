//! Bulk actions as requests: asked once (`ask` opens the confirmation), sent a few at a time
//! (`pump`), each answer counted (`on_bulk_answer`), a 429's wait resumed on the clock, Esc
//! stopping what is not sent, and at the end one refresh and the summary. The keys that
//! failed or were not sent stay marked, so a retry is one key press.

use std::collections::HashSet;

use super::*;
use crate::tui::bulk::{BulkAction, Plan, Run, plan};
use crate::tui::dialog::KeyList;
use crate::tui::strings::bulk as text;
use crate::vtex::model::RoleDetails;

/// Opens the confirmation for `action` on the marked keys (else the selected one), or says
/// why it cannot run.
pub(super) fn ask(state: &mut State, action: BulkAction) -> Vec<Effect> {
    // Said as brief errors: the progress line would cover a plain message.
    if state.bulk.is_some() {
        refuse_briefly(state, text::ALREADY_RUNNING);
        return Vec::new();
    }
    if state.rotation.run.is_some() {
        // The rotation is changing these keys' tokens: one thing at a time.
        refuse_briefly(state, strings::rotation::ALREADY_RUNNING);
        return Vec::new();
    }
    if let Some(name) = state.profile_switch.switching_to() {
        // Its answers would land in the other account's lists.
        refuse_briefly(state, text::switching(name));
        return Vec::new();
    }
    let plan = match plan::plan(state, &action) {
        Ok(plan) => plan,
        Err(reason) => {
            let verb = text::confirm_accept(&action, KeyList::Generated).to_lowercase();
            say(state, strings::cannot(&verb, &reason));
            return Vec::new();
        }
    };
    if plan.items.is_empty() {
        say(
            state,
            text::nothing_to_do(&action, plan.list, &plan.skipped),
        );
        return Vec::new();
    }
    state.dialog = Some(Dialog::Bulk(BulkConfirm {
        plan,
        understood: false,
        focus: Focus::Action,
    }));
    Vec::new()
}

/// `t` with marks: activates them when every marked key is inactive (your own key aside:
/// it cannot be deactivated here), else deactivates the active ones (the inactive are listed
/// as skipped).
pub(super) fn toggle_marked(state: &mut State, list: KeyList) -> Vec<Effect> {
    let rows = plan::targets(state, list);
    let active_and_not_own = |active: bool, app_key: &str| active && !state.is_own_key(app_key);
    let any_active = rows.iter().any(|&row| match list {
        KeyList::Generated => {
            (state.keys.rows.get(row)).is_some_and(|k| active_and_not_own(k.is_active, &k.app_key))
        }
        KeyList::External => (state.external.rows.get(row))
            .is_some_and(|k| active_and_not_own(k.is_active, &k.app_key)),
    });
    ask(state, BulkAction::SetActive(!any_active))
}

/// `e` with marks: the roles dialog of the marked keys (ticked: every one of them holds it).
pub(super) fn open_bulk_roles(state: &mut State, list: KeyList) -> Vec<Effect> {
    let op = match list {
        KeyList::Generated => Op::EditRoles,
        KeyList::External => Op::EditExternalRoles,
    };
    if !allowed(state, op, "edit roles") {
        return Vec::new();
    }
    let rows = plan::targets(state, list);
    let held = |row: usize| -> &[Role] {
        let roles = match list {
            KeyList::Generated => state.keys.rows.get(row).and_then(|k| k.roles.as_deref()),
            KeyList::External => state
                .external
                .rows
                .get(row)
                .and_then(|k| k.roles.as_deref()),
        };
        roles.unwrap_or(&[])
    };
    // The roles every marked key holds: ticked in the picker.
    let mut by_all: Option<BTreeSet<i64>> = None;
    for &row in &rows {
        let ids = held(row).iter().map(|r| r.id);
        by_all = Some(match by_all {
            Some(all) => ids.filter(|id| all.contains(id)).collect(),
            None => ids.collect(),
        });
    }
    let picker = picker(state, by_all.unwrap_or_default());
    state.dialog = Some(Dialog::BulkRoles(BulkRolesDialog {
        picker,
        count: rows.len(),
    }));
    roles_if_missing(state)
}

/// `:role add NAME` / `:role remove NAME`: the role named (any case, or a prefix only one
/// role has) added to or removed from the marked keys.
pub(super) fn ask_role(state: &mut State, add: bool, name: &str) -> Vec<Effect> {
    let roles = state.roles.as_deref().unwrap_or(&[]);
    let wanted = name.trim().to_lowercase();
    let exact = roles.iter().find(|r| r.name.to_lowercase() == wanted);
    let prefixed: Vec<&RoleDetails> = (roles.iter())
        .filter(|r| r.name.to_lowercase().starts_with(&wanted))
        .collect();
    let found = match (exact, prefixed.as_slice()) {
        (Some(role), _) | (None, &[role]) => role,
        (None, []) => {
            let known: Vec<String> = roles.iter().map(|r| r.name.clone()).collect();
            complain(state, text::unknown_role(name.trim(), &known));
            return roles_if_missing(state);
        }
        (None, several) => {
            let matching: Vec<String> = several.iter().map(|r| r.name.clone()).collect();
            complain(state, text::ambiguous_role(name.trim(), &matching));
            return Vec::new();
        }
    };
    let action = BulkAction::Role {
        add,
        id: found.id,
        name: found.name.clone(),
    };
    ask(state, action)
}

/// The confirmation was accepted: the run starts.
pub(super) fn start(state: &mut State, mut plan: Plan) -> Vec<Effect> {
    let Some(action) = plan.action.take() else {
        return Vec::new();
    };
    if let Some(name) = state.profile_switch.switching_to() {
        say(state, text::switching(name));
        return Vec::new();
    }
    state.bulk = Some(Run::new(plan, action, state.now));
    pump(state)
}

/// Sends what the run may send now; finishes it when nothing is left.
pub(super) fn pump(state: &mut State) -> Vec<Effect> {
    let now = state.now;
    let mut effects = Vec::new();
    let Some(run) = &mut state.bulk else {
        return effects;
    };
    while let Some(item) = run.next_to_send(now) {
        let call = Call::Change(item.change.clone());
        let id = state.requests.send(call.clone(), None);
        run.sent(id, item);
        effects.push(Effect::Api { id, call });
    }
    if run.finished() {
        effects.extend(finish(state));
    }
    effects
}

/// Whether request `id` belongs to the bulk run.
pub(super) fn owns(state: &State, id: RequestId) -> bool {
    state.bulk.as_ref().is_some_and(|run| run.owns(id))
}

/// One key's answer: counted, and the next key sent.
pub(super) fn on_bulk_answer(state: &mut State, id: RequestId, outcome: Outcome) -> Vec<Effect> {
    let result = match outcome {
        Outcome::Changed { change, result } => result.map_err(|failure| gone(&change, failure)),
        _ => Err(Failure::new(FailureKind::Other, strings::CRASHED)),
    };
    if result
        .as_ref()
        .is_err_and(|failure| failure.kind == FailureKind::Unauthorized)
    {
        state.connection = Connection::Unauthorized;
    }
    let now = state.now;
    if let Some(run) = &mut state.bulk {
        run.answered(id, result, now);
    }
    pump(state)
}

/// A 404 on a change to a listed key means someone deleted it meanwhile: said so, rather
/// than the server's words. (On a renewal step it means no renewal is pending: kept.)
fn gone(change: &Change, failure: Failure) -> Failure {
    let about_a_key = matches!(
        change,
        Change::SetKeyActive { .. }
            | Change::DeleteKey { .. }
            | Change::SetRoles { .. }
            | Change::SetExternalActive { .. }
            | Change::RemoveExternal { .. }
    );
    if about_a_key && failure.kind == FailureKind::NotFound {
        Failure::new(FailureKind::NotFound, text::GONE)
    } else {
        failure
    }
}

/// The clock: a 429's wait that is over lets the queue go on.
pub(super) fn on_bulk_tick(state: &mut State) -> Vec<Effect> {
    let now = state.now;
    match &state.bulk {
        Some(run) if run.paused_until.is_some_and(|until| until <= now) => pump(state),
        _ => Vec::new(),
    }
}

/// Esc while a run goes on: nothing more is sent. Returns `None` when no run was stopped.
pub(super) fn cancel(state: &mut State) -> Option<Vec<Effect>> {
    let run = state.bulk.as_mut()?;
    if run.stopped.is_some() {
        return None;
    }
    run.stop(crate::tui::bulk::Stop::Cancelled);
    Some(pump(state))
}

/// The run is over: what went through (or was skipped) is unmarked and what failed or was
/// not sent is marked, so the same key retries it; other marks (made meanwhile) stay. One
/// refresh, and the summary (a sentence when everything went through).
fn finish(state: &mut State) -> Vec<Effect> {
    let Some(run) = state.bulk.take() else {
        return Vec::new();
    };
    // A key deleted meanwhile has nothing left to retry: it is not marked again.
    let gone = |failed: &&crate::tui::bulk::Failed| failed.reason == text::GONE;
    let handled: HashSet<String> = (run.succeeded.iter().cloned())
        .chain(run.skipped.iter().map(|skipped| skipped.id.clone()))
        .chain(run.failed.iter().filter(gone).map(|f| f.item.id.clone()))
        .collect();
    let retry: HashSet<String> = (run.failed.iter())
        .filter(|failed| !gone(failed))
        .map(|failed| failed.item.id.clone())
        .chain(run.not_sent.iter().map(|item| item.id.clone()))
        .collect();
    match run.list {
        KeyList::Generated => {
            let pane = &mut state.keys;
            remark(&mut pane.marks, &pane.rows, &handled, &retry, |k| &k.id);
        }
        KeyList::External => {
            let pane = &mut state.external;
            remark(&mut pane.marks, &pane.rows, &handled, &retry, |k| &k.id);
        }
    }
    if run.failed.is_empty() && run.not_sent.is_empty() {
        let (skipped, slowed) = (run.skipped.len(), run.rate_limited);
        let done = text::all_done(&run.action, run.list, run.total, skipped, slowed);
        say(state, done);
    } else {
        let summary = summary(&run, !retry.is_empty());
        if state.dialog.is_none() {
            state.dialog = Some(Dialog::BulkSummary(summary));
        } else {
            state.waiting_forms.push_back(Dialog::BulkSummary(summary));
        }
    }
    match run.list {
        KeyList::Generated => vec![request_keys(state)],
        KeyList::External => vec![request_external(state)],
    }
}

/// Unmarks the rows whose key is in `handled`, marks those in `retry`.
fn remark<T>(
    marks: &mut crate::tui::marks::Marks,
    rows: &[T],
    handled: &HashSet<String>,
    retry: &HashSet<String>,
    id: impl Fn(&T) -> &str,
) {
    for (row, key) in rows.iter().enumerate() {
        let key_id = id(key);
        if retry.contains(key_id) {
            marks.mark(row);
        } else if handled.contains(key_id) {
            marks.unmark(row);
        }
    }
}

/// Keys a summary names under each heading; the rest are counted (a run over 100 000 keys
/// would make a summary too long to read, or to draw each frame).
const SUMMARY_LINES: usize = 200;

/// Adds a heading and one line per key, the first `SUMMARY_LINES` of them.
fn listed(lines: &mut Vec<String>, heading: &str, each: Vec<String>) {
    if each.is_empty() {
        return;
    }
    lines.push(format!("{heading} ({}):", each.len()));
    let more = each.len().saturating_sub(SUMMARY_LINES);
    lines.extend(
        each.into_iter()
            .take(SUMMARY_LINES)
            .map(|line| format!("  {line}")),
    );
    if more > 0 {
        lines.push(format!("  {}", text::and_more_marked(more)));
    }
    lines.push(String::new());
}

/// The summary: how many went through, every failure with its reason, what was not sent,
/// what was skipped.
fn summary(run: &Run, retry_marked: bool) -> BulkSummary {
    let mut lines = Vec::new();
    if let Some(stop) = run.stopped {
        lines.push(text::stopped_because(stop).to_string());
        lines.push(String::new());
    }
    listed(
        &mut lines,
        text::FAILED_HEADING,
        run.failed.iter().map(text::failed_line).collect(),
    );
    listed(
        &mut lines,
        text::NOT_SENT_HEADING,
        run.not_sent.iter().map(text::not_sent_line).collect(),
    );
    if !run.skipped.is_empty() {
        lines.push(format!(
            "{} ({}):",
            text::SKIPPED_HEADING,
            run.skipped.len()
        ));
        lines.extend(
            text::skipped_lines(&run.skipped)
                .into_iter()
                .map(|l| format!("  {l}")),
        );
        lines.push(String::new());
    }
    if run.rate_limited > 0 {
        lines.push(text::rate_limited_note(run.rate_limited));
    }
    // Only when there is something to retry: else the same key would act on the selected row.
    lines.push(
        if retry_marked {
            text::FAILED_STAY_MARKED
        } else {
            text::NOTHING_TO_RETRY
        }
        .to_string(),
    );
    BulkSummary {
        title: text::summary_title(&run.action, run.list, run.succeeded.len(), run.total),
        lines,
        scroll: Default::default(),
    }
}
