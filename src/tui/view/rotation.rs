//! `:rotate` on screen: the confirmation (the keys, the sink command for the first, the
//! grace, what is skipped and why) and the progress on the status line. The summary is the
//! bulk summary overlay. No token is ever drawn: none reaches the state.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::buttons::Buttons;
use super::hit::Hits;
use super::theme;
use super::widgets::{self, DialogFrame, Hint};
use crate::tui::rotation::Run;
use crate::tui::state::RotateConfirm;
use crate::tui::strings::rotation as text;

const WIDTH: u16 = 76;

pub fn confirm(
    dialog: &RotateConfirm,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
    hits: &mut Hits,
) {
    let plan = &dialog.plan;
    let spec = DialogFrame {
        title: widgets::clean(&text::confirm_title(plan.targets.len())),
        destructive: true,
        width: WIDTH,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let paragraph = |body: &mut Vec<Line<'static>>, line: &str, style| {
        body.extend(widgets::wrapped(&widgets::clean(line), style, max));
    };
    let mut body = Vec::new();
    paragraph(
        &mut body,
        &text::confirm_keys(&plan.targets),
        theme::plain(),
    );
    body.push(Line::raw(""));
    if let Some(sink) = plan.first_sink() {
        paragraph(&mut body, &text::confirm_sink(&sink), theme::bold());
    }
    if let Some(verify) = plan.first_verify() {
        paragraph(&mut body, &text::confirm_verify(&verify), theme::plain());
    }
    paragraph(
        &mut body,
        &text::confirm_grace(plan.prepared.grace, &plan.prepared.grace_text),
        theme::plain(),
    );
    let failures = match plan.can_undo {
        Some(false) => text::CONFIRM_NO_UNDO,
        _ => text::CONFIRM_FAILURES,
    };
    paragraph(&mut body, failures, theme::dim());
    if !plan.skipped.is_empty() {
        body.push(Line::raw(""));
        let heading = format!("{} ({}):", text::SKIPPED_HEADING, plan.skipped.len());
        body.push(Line::styled(heading, theme::heading()));
        for (target, reason) in &plan.skipped {
            let line = format!("  {}", text::skipped_line(target, reason));
            paragraph(&mut body, &line, theme::dim());
        }
    }
    let buttons = Buttons {
        action: text::ACCEPT.to_string(),
        destructive: true,
        enabled: true,
        focus: dialog.focus,
    };
    let tail = vec![Line::raw(""), buttons.line()];
    let mut footer = vec![Line::raw("")];
    footer.extend(widgets::hint_lines(hints, max));
    let inner = widgets::dialog_inner_height(region);
    let footer_rows = footer.len().min(inner).saturating_sub(1);
    // The buttons are never cut: short of room, the list of skipped keys goes first.
    widgets::cut_to(&mut body, inner.saturating_sub(footer_rows + tail.len()));
    let at = body.len() + tail.len() - 1;
    body.extend(tail);
    let drawn = widgets::draw_dialog(frame, region, &spec, body, footer);
    buttons.record(&drawn, at, hits);
}

/// The status line while a run goes on.
pub fn progress(run: &Run) -> String {
    let current = (run.current.as_ref()).map(|(app_key, stage)| (app_key.as_str(), stage.name()));
    let line = text::progress(run.reports.len(), run.total, current, run.failed());
    if run.stopping {
        format!("{line}{}", text::STOPPING)
    } else {
        format!("{line}{}", text::ESC_STOPS)
    }
}
