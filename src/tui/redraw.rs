//! Drawing only when the screen changed.
//!
//! `Terminal::draw` diffs cells, yet every call still writes colour resets, the cursor state
//! and a flush: at a 200 ms tick an idle app sent ~125 bytes a second down an ssh session for
//! nothing. Here each loop turn renders into ratatui's own back buffer and compares it with
//! what the terminal shows; only a difference (or a new terminal size) is written. The test is
//! the drawing itself, so it holds whatever `update` did: a clock tick that changes nothing
//! visible (no spinner while nothing is in flight, no message expiring, no day passing) writes
//! nothing, and any input, answer or resize that changes the screen is drawn at once.

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;

use super::state::State;
use super::view;

/// What the terminal shows, to decide whether a new frame needs writing.
#[derive(Default)]
pub struct Screen {
    shown: Buffer,
    /// Where the latest frame drew what a click can hit.
    hits: view::hit::Hits,
}

impl Screen {
    pub fn new() -> Screen {
        Screen::default()
    }

    /// Renders `state` and writes it only when it differs from what the terminal shows.
    /// Returns the screen as the terminal now shows it.
    pub fn draw<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        state: &State,
    ) -> Result<&Buffer, B::Error> {
        // A new size clears the terminal and resizes the buffers, so the frame below differs
        // from `shown` (its area does) and is written whole.
        terminal.autoresize()?;
        self.hits = view::render_clickable(state, &mut terminal.get_frame());
        if *terminal.current_buffer_mut() == self.shown {
            // Nothing to write; the back buffer is left empty, as a draw leaves it.
            terminal.current_buffer_mut().reset();
        } else {
            let completed = terminal.apply_buffer()?;
            self.shown.clone_from(completed.buffer);
        }
        Ok(&self.shown)
    }

    /// The click regions of the frame last drawn.
    pub fn hits(&self) -> &view::hit::Hits {
        &self.hits
    }
}

#[cfg(test)]
mod tests {
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::tui::state::Header;

    fn state() -> State {
        let header = Header {
            account: "acme".into(),
            profile: "test".into(),
            caller_key: "vtexappkey-acme-ABCDEF".into(),
            trading_name: None,
            insecure_http: false,
            token_source: None,
        };
        State::new(header, chrono::Utc::now(), false, std::time::Duration::ZERO)
    }

    /// Frames written to the terminal so far.
    fn written(terminal: &mut Terminal<TestBackend>) -> usize {
        terminal.get_frame().count()
    }

    #[test]
    fn an_unchanged_screen_is_not_redrawn_and_a_resize_is() {
        let mut terminal = Terminal::new(TestBackend::new(80, 20)).unwrap();
        let mut screen = Screen::new();
        let mut state = state();
        screen.draw(&mut terminal, &state).unwrap();
        let first = terminal.backend().buffer().clone();
        assert_eq!(written(&mut terminal), 1);
        let shown = screen.draw(&mut terminal, &state).unwrap().clone();
        assert_eq!(shown, first, "the screen as shown is reported");
        assert_eq!(written(&mut terminal), 1, "nothing new, nothing written");

        state.tab = crate::tui::state::Tab::Settings;
        screen.draw(&mut terminal, &state).unwrap();
        assert_eq!(written(&mut terminal), 2, "a change is written");

        terminal.backend_mut().resize(90, 20);
        let shown = screen.draw(&mut terminal, &state).unwrap();
        assert_eq!(shown.area.width, 90);
        assert_eq!(written(&mut terminal), 3, "a new size is written");
        assert_eq!(terminal.backend().buffer().area.width, 90);
    }
}
