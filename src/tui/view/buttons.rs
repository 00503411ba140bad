//! A dialog's two buttons, the action and Cancel: drawn with the focus showing, and recorded
//! where they were drawn so a click can press them.

use ratatui::text::{Line, Span};

use super::hit::{Hits, Target};
use super::theme;
use super::widgets::{DrawnDialog, button};
use crate::tui::state::Focus;
use crate::tui::strings::dialogs as text;
use ratatui::layout::Rect;

/// A dialog's two buttons, the action and Cancel, on one line: the focused one reversed and
/// bold (so it shows without colour too), the other plain.
pub struct Buttons {
    pub action: String,
    pub destructive: bool,
    pub enabled: bool,
    pub focus: Focus,
}

const BUTTON_GAP: &str = "  ";

impl Buttons {
    fn spans(&self) -> [Span<'static>; 3] {
        let style = |span: Span<'static>, focused: bool| {
            if focused {
                span.patch_style(theme::focused_button())
            } else {
                span.patch_style(theme::unfocused_button())
            }
        };
        let action = button(&self.action, self.destructive, self.enabled);
        [
            style(action, self.focus == Focus::Action),
            Span::raw(BUTTON_GAP),
            style(
                button(text::CANCEL, false, true),
                self.focus == Focus::Cancel,
            ),
        ]
    }

    pub fn line(&self) -> Line<'static> {
        Line::from(self.spans().to_vec())
    }

    /// Records where the buttons were drawn, body line `index` of `drawn`.
    pub fn record(&self, drawn: &DrawnDialog, index: usize, hits: &mut Hits) {
        let Some(row) = drawn.body_line(index) else {
            return;
        };
        let [action, gap, cancel] = self.spans();
        let mut x = row.x;
        for (span, focus) in [
            (action, Some(Focus::Action)),
            (gap, None),
            (cancel, Some(Focus::Cancel)),
        ] {
            let width = (span.width() as u16).min(row.right().saturating_sub(x));
            if let Some(focus) = focus {
                hits.add(Rect { x, width, ..row }, Target::Button(focus));
            }
            x = x.saturating_add(width);
        }
    }
}
