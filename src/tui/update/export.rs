//! `E` and `:export [FORMAT] [PATH]`: the rows to export, chosen here (pure), written by the
//! loop (`Effect::Export`, see `tui::export_job`). On a key list: its marked rows, else what
//! the filter shows, in the list's order; on Settings: every key of both lists.

use std::path::PathBuf;

use super::*;
use crate::export::{CsvSheet, Export, Format};
use crate::tui::export_job::ExportJob;
use crate::tui::marks::Marks;
use crate::tui::strings::export as text;

pub(super) fn start(
    state: &mut State,
    format: Option<Format>,
    path: Option<String>,
) -> Vec<Effect> {
    let path = path.map(PathBuf::from);
    let format = match Format::for_output(format, path.as_deref()) {
        Ok(format) => format.unwrap_or(Format::Xlsx),
        Err(reason) => {
            complain(state, text::refused(&reason));
            return Vec::new();
        }
    };
    if state.keys.load != Load::Loaded && state.tab != Tab::External {
        say(state, text::NOT_LOADED);
        return Vec::new();
    }
    if state.tab == Tab::Settings
        && format != Format::Csv
        && let Some(refusal) = external_not_ready(state)
    {
        say(state, refusal);
        return Vec::new();
    }
    let (export, sheet) = match state.tab {
        Tab::Keys => (
            Export {
                generated: Some(chosen(
                    &state.keys.rows,
                    &state.keys.visible,
                    &state.keys.marks,
                )),
                external: None,
            },
            CsvSheet::Generated,
        ),
        Tab::External => (
            Export {
                generated: None,
                external: Some(chosen(
                    &state.external.rows,
                    &state.external.visible,
                    &state.external.marks,
                )),
            },
            CsvSheet::External,
        ),
        Tab::Settings => (
            Export {
                generated: Some(state.keys.rows.clone()),
                external: (state.external.load == Load::Loaded)
                    .then(|| state.external.rows.clone()),
            },
            CsvSheet::Generated,
        ),
    };
    let rows = export.generated.as_ref().map_or(0, Vec::len)
        + export.external.as_ref().map_or(0, Vec::len);
    if rows == 0 {
        say(state, text::NOTHING_SHOWN);
        return Vec::new();
    }
    say(state, text::exporting(rows));
    let account = account_name(state);
    let job = ExportJob {
        export,
        format,
        sheet,
        path,
        account,
        today: crate::timefmt::date(state.now, crate::timefmt::Zone::Local),
        both: state.tab == Tab::Settings,
    };
    vec![Effect::Export(Box::new(job))]
}

/// On Settings a workbook or JSON holds both lists. Their external sheet is left out only
/// where the server has none (VTEX's public API); elsewhere the export waits for the listing,
/// so no file is missing a sheet for a reason it does not say.
fn external_not_ready(state: &State) -> Option<&'static str> {
    if state.access.extensions == Some(false) {
        return None;
    }
    match state.external.load {
        Load::Loaded => None,
        Load::Failed(_) => Some(text::EXTERNAL_FAILED),
        Load::NotLoaded | Load::Loading => Some(text::EXTERNAL_NOT_LOADED),
    }
}

/// The marked rows (those the filter shows first, in its order, then the hidden ones), else
/// the rows the filter shows.
fn chosen<T: Clone>(rows: &[T], visible: &[usize], marks: &Marks) -> Vec<T> {
    if marks.is_empty() {
        return visible.iter().map(|&i| rows[i].clone()).collect();
    }
    let shown = visible.iter().copied().filter(|&i| marks.contains(i));
    let mut order: Vec<usize> = shown.collect();
    let listed: std::collections::HashSet<usize> = order.iter().copied().collect();
    order.extend((0..rows.len()).filter(|i| marks.contains(*i) && !listed.contains(i)));
    order.into_iter().map(|i| rows[i].clone()).collect()
}

/// The account for the file's name: the header's, else the one in the caller's appKey.
fn account_name(state: &State) -> String {
    let account = state.header.account.trim();
    if !account.is_empty() {
        return account.to_string();
    }
    crate::keyformat::app_key_account(&state.header.caller_key)
        .unwrap_or("account")
        .to_string()
}
