//! The `:` command line, drawn in the status line, and its completion candidates on the row
//! above it when there are several.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme;
use super::widgets::{self, put_line};
use crate::tui::command_line::CommandLine;

pub fn render(open: &CommandLine, frame: &mut Frame, pane: Rect, status: Rect) {
    let max = usize::from(status.width).saturating_sub(3);
    let text = widgets::input_text(&open.input, max, true);
    let line = Line::from(vec![
        Span::styled(" :", theme::key()),
        Span::styled(text, theme::plain()),
    ]);
    put_line(
        frame,
        status,
        0,
        &Line::from(widgets::fit_spans(line.spans, usize::from(status.width))),
    );
    let Some(cycle) = open.cycle.as_ref().filter(|c| c.words.len() > 1) else {
        return;
    };
    if pane.height == 0 {
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    for (index, word) in cycle.words.iter().enumerate() {
        if index > 0 {
            spans.push(Span::raw("  "));
        }
        let style = if cycle.at == Some(index) {
            theme::selected_row()
        } else {
            theme::plain()
        };
        spans.push(Span::styled(word.clone(), style));
    }
    let width = usize::from(pane.width);
    let used: usize = spans.iter().map(Span::width).sum();
    spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
    let row = pane.height - 1;
    put_line(
        frame,
        pane,
        row,
        &Line::from(widgets::fit_spans(spans, width)),
    );
}
