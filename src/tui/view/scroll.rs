//! Overlays that may be taller than the screen (the help, a key's details): the window of
//! their lines that fits, drawn with where it is ("↓ lines 1–17 of 24") in the bottom
//! border. The same layout measures them for `update` (`overlay_window`), so the keys move
//! exactly what is drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Padding, Paragraph};

use super::theme;
use super::widgets::{self, DialogFrame, fit, spans_width};
use crate::tui::overlay::{Scroll, Window};
use crate::tui::strings::dialogs as text;

/// An overlay's frame, its content (which scrolls) and its footer (which stays).
pub struct Overlay {
    pub spec: DialogFrame,
    pub body: Vec<Line<'static>>,
    pub footer: Vec<Line<'static>>,
}

/// How an overlay's rows are shared out in `region`, as `widgets::draw_dialog` does it.
struct Rows {
    /// Short of room, the footer's blank spacing line goes first.
    drop_spacer: bool,
    footer: usize,
    body: usize,
}

fn rows(region: Rect, overlay: &Overlay) -> Rows {
    let max_rows = widgets::dialog_inner_height(region);
    let footer_lines = overlay.footer.len();
    let drop_spacer = overlay.body.len() + footer_lines > max_rows
        && overlay
            .footer
            .first()
            .is_some_and(|line| spans_width(&line.spans) == 0);
    let footer = (footer_lines - usize::from(drop_spacer)).min(max_rows);
    Rows {
        drop_spacer,
        footer,
        body: max_rows - footer,
    }
}

impl Overlay {
    /// Its content's height and the rows of it `region` shows.
    pub fn window(&self, region: Rect) -> Window {
        Window {
            lines: self.body.len(),
            rows: rows(region, self).body,
        }
    }
}

/// Draws the overlay scrolled by `scroll`; one that fits is drawn whole, as any dialog.
pub fn draw(frame: &mut Frame, region: Rect, overlay: Overlay, scroll: Scroll) {
    let region = region.intersection(frame.area());
    if region.is_empty() {
        return;
    }
    let rows = rows(region, &overlay);
    let window = overlay.window(region);
    if !window.overflows() || rows.body == 0 {
        widgets::draw_dialog(frame, region, &overlay.spec, overlay.body, overlay.footer);
        return;
    }
    let offset = scroll.shown(window);
    let last = (offset + rows.body).min(window.lines);
    let position = text::lines_shown(offset + 1, last, window.lines);
    let arrows = match (offset > 0, last < window.lines) {
        (true, true) => "↑↓",
        (true, false) => "↑",
        _ => "↓",
    };
    let mut lines: Vec<Line<'static>> = overlay
        .body
        .into_iter()
        .skip(offset)
        .take(rows.body)
        .collect();
    lines.extend(
        overlay
            .footer
            .into_iter()
            .skip(usize::from(rows.drop_spacer))
            .take(rows.footer),
    );
    let height = (lines.len() as u16).saturating_add(2);
    let area = widgets::centered(region, overlay.spec.width, height);
    let room = usize::from(area.width.saturating_sub(2));
    let block = Block::bordered()
        .border_style(theme::border(overlay.spec.destructive))
        .title(Line::styled(
            fit(&format!(" {} ", overlay.spec.title), room),
            theme::heading(),
        ))
        .title_bottom(
            Line::styled(fit(&format!(" {arrows} {position} "), room), theme::dim())
                .right_aligned(),
        )
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
}
