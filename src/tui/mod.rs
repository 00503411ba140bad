//! The terminal app: Elm-shaped. `State` holds the screen, `update` (pure) turns `Action`s
//! into state changes and `Effect`s, the event loop carries the effects out on tokio tasks and
//! feeds their results back as actions, and `view` draws the state.

pub mod access;
pub mod action;
pub mod bulk;
pub mod command_line;
pub mod connector;
pub mod dialog;
pub mod event_loop;
pub mod export_job;
pub mod failure;
pub mod insights;
pub mod keymap;
pub mod marks;
pub mod memo;
pub mod overlay;
pub mod profile_switch;
pub mod redraw;
pub mod renew_by_key;
pub mod requests;
pub mod rotation;
pub mod runner;
pub mod state;
pub mod status;
pub mod strings;
pub mod terminal;
pub mod update;
pub mod view;

use std::time::Duration;

use crossterm::event::EventStream;

use crate::vtex::VtexClient;
use state::{Header, State};

/// How the app was started.
pub struct Options {
    pub header: Header,
    pub read_only: bool,
    pub mouse: bool,
    /// Automatic refresh; zero turns it off.
    pub refresh_every: Duration,
    pub clipboard: crate::clipboard::Settings,
    /// The `:` command history file; `None`: kept in memory only.
    pub history: Option<std::path::PathBuf>,
    /// The profiles `P` and `:profile` switch between.
    pub connector: Option<std::sync::Arc<connector::Connector>>,
    /// `:rotate`: the profile's rotation settings and the journal (`None`: unavailable).
    pub rotation: rotation::Setup,
    /// The config file's `[posture]` thresholds, for the Insights overlay.
    pub posture: crate::posture::Thresholds,
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
    state.posture = options.posture;
    // Read once here: `update` does no I/O; new lines are appended through an effect.
    state.history = command_line::history::History::load(options.history);
    state.rotation.setup = options.rotation;
    state.zone = view::time::Zone::Local;
    state.no_color = view::theme::no_color_requested(std::env::var_os("NO_COLOR").as_deref());
    // OSC 52 goes to the controlling terminal (/dev/tty), between frames: never to stdout,
    // which may not be the terminal.
    let mut clipboard = crate::clipboard::Clipboard::system(options.clipboard);
    let (guard, mut terminal) = terminal::TerminalGuard::enter(options.mouse)?;
    let clock = chrono::Utc::now;
    let parts = event_loop::Parts {
        terminal: &mut terminal,
        client: &client,
        connector: options.connector.clone(),
        clipboard: &mut clipboard,
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
    // A copy waiting for its timed clear is cleared now: the token must not outlive the app.
    clipboard.clear_on_exit();
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
