//! The terminal app: Elm-shaped. `State` holds the screen, `update` (pure) turns `Action`s
//! into state changes and `Effect`s, the event loop carries the effects out on tokio tasks and
//! feeds their results back as actions, and `view` draws the state.

pub mod action;
pub mod event_loop;
pub mod keymap;
pub mod runner;
pub mod state;
pub mod terminal;
pub mod update;
pub mod view;

use std::time::Duration;

use crossterm::event::EventStream;
use secrecy::SecretString;

use crate::vtex::VtexClient;
use state::{Header, State};

/// How the app was started.
pub struct Options {
    pub header: Header,
    pub read_only: bool,
    pub mouse: bool,
    /// Automatic refresh; zero turns it off.
    pub refresh_every: Duration,
}

/// Copies by OSC 52: the terminal sets its own clipboard, which works over ssh.
struct Osc52;

impl event_loop::Clipboard for Osc52 {
    fn copy(&mut self, token: &SecretString) -> String {
        use secrecy::ExposeSecret;
        use std::io::Write;
        let sequence = crate::clipboard::osc52(token);
        let mut out = std::io::stdout();
        // One write, between frames, so the sequence is never split by drawing.
        let sent = out
            .write_all(sequence.expose_secret().as_bytes())
            .and_then(|()| out.flush());
        match sent {
            Ok(()) => "Sent to your terminal (OSC 52); it cannot confirm the copy, so check before you rely on it.".into(),
            Err(err) => format!("Could not write to the terminal: {err}"),
        }
    }
}

/// Runs the app on the real terminal until the user quits, SIGTERM or SIGHUP.
pub async fn run(client: VtexClient, options: Options) -> anyhow::Result<()> {
    let mut state = State::new(
        options.header,
        chrono::Utc::now(),
        options.read_only,
        options.refresh_every,
    );
    state.mouse = options.mouse;
    let (guard, mut terminal) = terminal::TerminalGuard::enter(options.mouse)?;
    let clock = chrono::Utc::now;
    let parts = event_loop::Parts {
        terminal: &mut terminal,
        client: &client,
        clipboard: &mut Osc52,
        observer: &mut event_loop::NoObserver,
        clock: &clock,
        tick: Duration::from_millis(200),
    };
    let outcome = tokio::select! {
        outcome = event_loop::run(parts, &mut state, EventStream::new()) => outcome,
        _ = hangup_or_terminate() => Ok(()),
    };
    drop(terminal);
    drop(guard);
    outcome
}

/// Resolves on SIGTERM or SIGHUP (an ssh session dropping).
async fn hangup_or_terminate() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            (Ok(mut term), Ok(mut hup)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = hup.recv() => {}
                }
            }
            _ => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    std::future::pending::<()>().await;
}
