//! The Insights overlay: opening it reads the account's posture (as `apikeys report` does);
//! choosing a finding shows exactly its keys in their list.

use std::collections::HashSet;

use super::*;
use crate::posture::Pane;
use crate::tui::insights::InsightFilter;
use crate::tui::strings::insights as text;

/// `I` or `:insights`: opens the overlay and asks for the assessment.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    state.dialog = Some(Dialog::Insights(InsightsDialog::default()));
    assess(state)
}

/// Reads the account again for the open overlay (the chart and findings say "reading…").
pub(super) fn assess(state: &mut State) -> Vec<Effect> {
    let call = Call::Assess {
        thresholds: state.posture,
    };
    let effect = request(state, call);
    if let (Some(Dialog::Insights(dialog)), Effect::Api { id, .. }) = (&mut state.dialog, &effect) {
        dialog.request = Some(*id);
        dialog.assessment = None;
        dialog.failure = None;
    }
    vec![effect]
}

pub(super) fn on_assessed(
    state: &mut State,
    id: RequestId,
    result: Result<Box<crate::posture::gather::Assessment>, Failure>,
) {
    let Some(Dialog::Insights(dialog)) = &mut state.dialog else {
        return;
    };
    if dialog.request != Some(id) {
        return;
    }
    match result {
        Ok(assessment) => {
            let findings = assessment.posture.findings.len();
            dialog.cursor = dialog.cursor.min(findings.saturating_sub(1));
            dialog.assessment = Some(assessment);
        }
        Err(failure) => dialog.failure = Some(text::failed(&failure.message)),
    }
}

/// Closes the overlay and filters the finding's list to exactly its keys.
pub(super) fn show_finding(state: &mut State, at: usize) -> Vec<Effect> {
    let Some(Dialog::Insights(dialog)) = state.dialog.take() else {
        return Vec::new();
    };
    let Some(finding) = dialog
        .assessment
        .and_then(|a| a.posture.findings.into_iter().nth(at))
    else {
        return Vec::new();
    };
    let chosen = InsightFilter {
        title: finding.kind.title(),
        ids: finding
            .keys
            .iter()
            .map(|k| k.id.clone())
            .collect::<HashSet<_>>(),
    };
    let (months, now, page) = (state.token_months(), state.now, state.page_rows);
    let shown = match finding.kind.pane() {
        Pane::Generated => {
            let pane = &mut state.keys;
            clear_narrowing(&mut pane.filter, &mut pane.status_filter);
            pane.insight = Some(chosen);
            pane.refresh_view(months, now, page);
            state.tab = Tab::Keys;
            state.keys.visible.len()
        }
        Pane::External => {
            let pane = &mut state.external;
            clear_narrowing(&mut pane.filter, &mut pane.status_filter);
            pane.insight = Some(chosen);
            pane.refresh_view(page);
            state.tab = Tab::External;
            state.external.visible.len()
        }
    };
    say(state, text::showing_finding(finding.kind.title(), shown));
    Vec::new()
}

/// A finding shows all its keys: a text or status filter left from before would hide some.
fn clear_narrowing(filter: &mut Filter, status: &mut StatusFilter) {
    filter.input.reset();
    filter.editing = false;
    *status = StatusFilter::All;
}

/// Esc on a list a finding filters: every key again. Returns whether there was one.
pub(super) fn clear_finding(state: &mut State) -> bool {
    let (months, now, page) = (state.token_months(), state.now, state.page_rows);
    let cleared = match state.tab {
        Tab::Keys if state.keys.insight.is_some() => {
            state.keys.insight = None;
            state.keys.refresh_view(months, now, page);
            true
        }
        Tab::External if state.external.insight.is_some() => {
            state.external.insight = None;
            state.external.refresh_view(page);
            true
        }
        _ => false,
    };
    if cleared {
        say(state, text::SHOWING_ALL);
    }
    cleared
}
