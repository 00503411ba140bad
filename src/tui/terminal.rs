//! Taking over the terminal and always giving it back: on a normal exit, an error, a panic,
//! and (through the caller's signal handling) SIGTERM and SIGHUP.

use std::io::{Stdout, Write, stdout};
use std::sync::Once;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// While alive, the terminal is in raw mode on the alternate screen; dropping it restores.
pub struct TerminalGuard {
    _private: (),
}

static PANIC_HOOK: Once = Once::new();

/// Puts the terminal back: main screen, cooked mode, cursor shown. Safe to call twice.
pub fn restore() {
    let _ = disable_raw_mode();
    let mut out = stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = out.flush();
}

impl TerminalGuard {
    pub fn enter(
        mouse: bool,
    ) -> anyhow::Result<(TerminalGuard, Terminal<CrosstermBackend<Stdout>>)> {
        PANIC_HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                // The UI runs on the main thread (block_on); a panic there ends the app, so
                // restore first and the message lands on a usable screen. A panic in a worker
                // task is reported by the app itself, which keeps the screen.
                if std::thread::current().name() == Some("main") {
                    restore();
                }
                previous(info);
            }));
        });
        enable_raw_mode()?;
        let guard = TerminalGuard { _private: () };
        let mut out = stdout();
        execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
        if mouse {
            execute!(out, EnableMouseCapture)?;
        }
        let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        Ok((guard, terminal))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}
