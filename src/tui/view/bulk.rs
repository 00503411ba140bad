//! The bulk actions on screen: the confirmation (what, how many, the first labels, what is
//! skipped and why, the acknowledgement when it cannot be undone), the summary overlay, the
//! progress on the status line, and the "n marked" note above a list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::buttons::Buttons;
use super::hit::Hits;
use super::scroll::{self, Overlay};
use super::theme;
use super::widgets::{self, DialogFrame, Hint};
use crate::tui::bulk::{Plan, Run};
use crate::tui::marks::Marks;
use crate::tui::state::{BulkConfirm, BulkSummary, State};
use crate::tui::strings::{bulk as text, panes};

const WIDTH: u16 = 72;

pub fn confirm(
    dialog: &BulkConfirm,
    hints: &[Hint],
    frame: &mut Frame,
    region: Rect,
    hits: &mut Hits,
) {
    let Plan {
        action: Some(action),
        list,
        items,
        skipped,
        hidden,
        grants_admin,
    } = &dialog.plan
    else {
        return;
    };
    let spec = DialogFrame {
        title: widgets::clean(&text::confirm_title(action, *list, items.len())),
        destructive: true,
        width: WIDTH,
    };
    let max = widgets::dialog_inner_width(region, spec.width);
    let body_text = widgets::clean(&text::confirm_body(action, *list, items, *hidden));
    let mut body = widgets::wrapped(&body_text, theme::plain(), max);
    if let Some(role) = grants_admin {
        body.push(Line::raw(""));
        let warning = widgets::clean(&text::grants_admin(role));
        body.extend(widgets::wrapped(&warning, theme::error(), max));
    }
    if !skipped.is_empty() {
        body.push(Line::raw(""));
        let heading = format!("{} ({}):", text::SKIPPED_HEADING, skipped.len());
        body.push(Line::styled(heading, theme::heading()));
        for line in text::skipped_lines(skipped) {
            body.extend(widgets::wrapped(
                &format!("  {}", widgets::clean(&line)),
                theme::dim(),
                max,
            ));
        }
    }
    // The acknowledgement and the buttons are never cut: short of room, the list above goes.
    let mut tail = vec![Line::raw("")];
    let needs_ack = dialog.needs_acknowledgement();
    if needs_ack {
        let mark = if dialog.understood { "[x]" } else { "[ ]" };
        let tick = match grants_admin {
            Some(role) => text::understood_admin(role, items.len(), *list),
            None => text::understood(items.len(), *list),
        };
        // Wrapped, not cut: the count (and an administrator role's power) must show.
        let tick = widgets::clean(&format!("{mark}{tick}"));
        tail.extend(widgets::wrapped(&tick, theme::bold(), max));
        tail.push(Line::raw(""));
    }
    let buttons = Buttons {
        action: text::confirm_accept(action, *list),
        destructive: true,
        enabled: dialog.understood || !needs_ack,
        focus: dialog.focus,
    };
    tail.push(buttons.line());
    let mut footer = vec![Line::raw("")];
    footer.extend(widgets::hint_lines(hints, max));
    let inner = widgets::dialog_inner_height(region);
    // The footer's blank line is the first thing draw_dialog drops when short.
    let footer_rows = footer.len().min(inner).saturating_sub(1);
    if inner.saturating_sub(footer_rows + tail.len()) < 2 {
        // Short of room, the tail's blank lines go before the description does.
        tail.retain(|line| widgets::spans_width(&line.spans) > 0);
    }
    widgets::cut_to(&mut body, inner.saturating_sub(footer_rows + tail.len()));
    let at = body.len() + tail.len() - 1;
    body.extend(tail);
    let drawn = widgets::draw_dialog(frame, region, &spec, body, footer);
    buttons.record(&drawn, at, hits);
}

/// The summary as an overlay for `region` (it scrolls when longer than the screen).
pub fn summary_overlay(dialog: &BulkSummary, hints: &[Hint], region: Rect) -> Overlay {
    let max = widgets::dialog_inner_width(region, WIDTH);
    let mut body = Vec::new();
    for line in &dialog.lines {
        let style = if line.ends_with("):") {
            theme::heading()
        } else {
            theme::plain()
        };
        if line.is_empty() {
            body.push(Line::raw(""));
        } else {
            body.extend(widgets::wrapped(&widgets::clean(line), style, max));
        }
    }
    let mut footer = vec![Line::raw("")];
    footer.extend(widgets::hint_lines(hints, max));
    Overlay {
        spec: DialogFrame {
            title: widgets::clean(&dialog.title),
            destructive: false,
            width: WIDTH,
        },
        body,
        footer,
    }
}

pub fn summary(dialog: &BulkSummary, hints: &[Hint], frame: &mut Frame, region: Rect) {
    scroll::draw(
        frame,
        region,
        summary_overlay(dialog, hints, region),
        dialog.scroll,
    );
}

/// The status line while a run goes on.
pub fn progress(state: &State, run: &Run) -> String {
    let waiting = run.waiting(state.now).map(|left| {
        let millis = left.num_milliseconds();
        (millis + 999) / 1000
    });
    text::progress(
        &run.action,
        run.list,
        run.done(),
        run.total,
        run.failed.len(),
        waiting,
        run.stopped.is_some(),
    )
}

/// "✓ 12 marked", "(3 hidden by the filter)" when some are not shown; nothing without marks.
pub fn marked_spans(marks: &Marks, shown: &[usize]) -> Vec<Span<'static>> {
    if marks.is_empty() {
        return Vec::new();
    }
    let mut spans = vec![Span::styled(
        panes::marked(marks.len()),
        theme::marked_note(),
    )];
    let hidden = marks.hidden(shown);
    if hidden > 0 {
        spans.push(Span::styled(panes::marked_hidden(hidden), theme::dim()));
    }
    spans.push(Span::styled(panes::MARKED_SEPARATOR, theme::dim()));
    spans
}
