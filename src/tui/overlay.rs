//! Overlays that only show something (the help, a key's details) may be taller than the
//! screen: each keeps how far it is scrolled, and this one implementation moves it. How many
//! lines there are and how many fit is measured by the view (`view::overlay_window`), which
//! draws them the same way.

use super::keymap::Step;

/// An overlay's content height and the rows of it the screen shows now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub lines: usize,
    pub rows: usize,
}

impl Window {
    /// The offset that shows the last line at the bottom.
    pub fn max_offset(self) -> usize {
        self.lines.saturating_sub(self.rows)
    }

    pub fn overflows(self) -> bool {
        self.lines > self.rows
    }
}

/// How far an overlay is scrolled: the first content line shown (0 = the top).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub offset: usize,
}

impl Scroll {
    /// Moves by `step` within `window`; a page keeps one line of the last one in view.
    pub fn step(&mut self, step: Step, window: Window) {
        let page = window.rows.saturating_sub(1).max(1);
        let offset = self.offset.min(window.max_offset());
        self.offset = match step {
            Step::Down => offset.saturating_add(1),
            Step::Up => offset.saturating_sub(1),
            Step::PageDown => offset.saturating_add(page),
            Step::PageUp => offset.saturating_sub(page),
            Step::Top => 0,
            Step::Bottom => window.max_offset(),
        }
        .min(window.max_offset());
    }

    /// Keeps the offset within `window` (the terminal grew, or the content shrank), so the
    /// next key moves the view at once.
    pub fn clamp(&mut self, window: Window) {
        self.offset = self.offset.min(window.max_offset());
    }

    /// The offset to draw with in `window`.
    pub fn shown(self, window: Window) -> usize {
        self.offset.min(window.max_offset())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_stay_within_the_content() {
        let window = Window {
            lines: 30,
            rows: 10,
        };
        let mut scroll = Scroll::default();
        scroll.step(Step::Up, window);
        assert_eq!(scroll.offset, 0);
        scroll.step(Step::PageDown, window);
        assert_eq!(scroll.offset, 9);
        scroll.step(Step::Bottom, window);
        assert_eq!(scroll.offset, 20);
        scroll.step(Step::Down, window);
        assert_eq!(scroll.offset, 20);
        scroll.step(Step::Up, window);
        assert_eq!(scroll.offset, 19);
        scroll.clamp(Window {
            lines: 30,
            rows: 25,
        });
        assert_eq!(scroll.offset, 5);
        scroll.step(Step::Top, window);
        assert_eq!(scroll.offset, 0);
        let fits = Window { lines: 5, rows: 10 };
        scroll.step(Step::Bottom, fits);
        assert_eq!(scroll.offset, 0);
        assert!(!fits.overflows());
    }
}
