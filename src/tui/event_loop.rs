//! The loop: input events, API answers and the clock become actions; effects are carried out;
//! the screen is drawn when the queue is empty. Input is a stream, so tests drive this very
//! loop with scripted keys on a `TestBackend`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::Event;
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use secrecy::SecretString;
use tokio::sync::mpsc;

use super::action::{Action, Effect};
use super::connector::Connector;
use super::state::State;
use super::{redraw, runner, update};
use crate::vtex::VtexClient;

/// Where copied tokens go (the real one is [`crate::clipboard::Clipboard`]).
pub trait Clipboard: Send {
    /// Copies, and says what happened in words for the token dialog.
    fn copy(&mut self, token: &SecretString) -> crate::clipboard::Report;
    /// Copies an appKey (not a secret), and says what happened.
    fn copy_app_key(&mut self, app_key: &str) -> crate::clipboard::Report;
    /// The timed clear; says what it did, if anything.
    fn clear(&mut self) -> Option<String>;
}

impl Clipboard for crate::clipboard::Clipboard {
    fn copy(&mut self, token: &SecretString) -> crate::clipboard::Report {
        crate::clipboard::Clipboard::copy(self, token)
    }

    fn copy_app_key(&mut self, app_key: &str) -> crate::clipboard::Report {
        crate::clipboard::Clipboard::copy_app_key(self, app_key)
    }

    fn clear(&mut self) -> Option<String> {
        crate::clipboard::Clipboard::clear(self)
    }
}

/// Sees the state and the screen as shown after every turn of the loop (tests read the
/// screen through it).
pub trait Observer: Send {
    fn frame(&mut self, state: &State, buffer: &Buffer);
}

/// An observer that looks at nothing.
pub struct NoObserver;

impl Observer for NoObserver {
    fn frame(&mut self, _: &State, _: &Buffer) {}
}

pub struct Parts<'a, B: Backend> {
    pub terminal: &'a mut Terminal<B>,
    pub client: &'a VtexClient,
    /// The profiles one can switch to; `None`: no switching (the picker says so).
    pub connector: Option<Arc<Connector>>,
    pub clipboard: &'a mut dyn Clipboard,
    pub observer: &'a mut dyn Observer,
    pub clock: &'a (dyn Fn() -> DateTime<Utc> + Send + Sync),
    /// How often the clock ticks (the spinner and message expiry follow it).
    pub tick: Duration,
}

fn to_action(event: Event) -> Option<Action> {
    match event {
        Event::Key(key) => Some(Action::Key(key)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(mouse) => Some(Action::Mouse(mouse)),
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        Event::FocusGained | Event::FocusLost => None,
    }
}

/// Runs until the user quits or the input ends.
pub async fn run<B, I>(parts: Parts<'_, B>, state: &mut State, mut input: I) -> anyhow::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    I: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let Parts {
        terminal,
        client,
        connector,
        clipboard,
        observer,
        clock,
        tick,
    } = parts;
    let (results_tx, mut results) = mpsc::unbounded_channel::<Action>();
    // Dropped when the loop ends, which cancels every call still in flight.
    if let Some(connector) = &connector {
        know_profiles(state, connector);
    }
    let mut runner = EffectRunner {
        client: client.clone(),
        tasks: runner::Tasks::default(),
        results: results_tx,
        connector,
        connecting: None,
        rotating: None,
    };

    let size = terminal.size()?;
    update::update(state, Action::Tick(clock()));
    update::update(
        state,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );
    let effects = update::init(state);
    runner.carry_out(effects, clipboard);
    let mut ticker = tokio::time::interval(tick);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    // Written only when what it shows changed, so an idle app sends nothing to the terminal.
    let mut screen = redraw::Screen::new();
    loop {
        observer.frame(state, screen.draw(terminal, state)?);
        let action = tokio::select! {
            event = input.next() => match event {
                // A click is resolved against the frame it was aimed at: the one on screen.
                Some(Ok(event)) => match to_action(event) {
                    Some(action) => screen.hits().resolve(action),
                    None => continue,
                },
                Some(Err(err)) => return Err(anyhow::anyhow!("cannot read the terminal: {err}")),
                None => return Ok(()),
            },
            Some(action) = results.recv() => action,
            Some(action) = runner.tasks.next() => action,
            _ = ticker.tick() => Action::Tick(clock()),
        };
        let mut quit = runner.carry_out(update::update(state, action), clipboard);
        // Apply every answer already waiting before drawing again.
        while let Some(action) = runner.tasks.try_next().or_else(|| results.try_recv().ok()) {
            quit |= runner.carry_out(update::update(state, action), clipboard);
        }
        if quit || state.quit {
            observer.frame(state, screen.draw(terminal, state)?);
            return Ok(());
        }
    }
}

/// The profiles the picker offers, what each points at, and the one on screen.
fn know_profiles(state: &mut State, connector: &Connector) {
    let entries = connector.profiles();
    state.profiles = entries.iter().map(|entry| entry.name.clone()).collect();
    state.profile_switch.targets = entries
        .into_iter()
        .filter_map(|entry| Some((entry.name, entry.target?)))
        .collect();
    state.profile_switch.current = connector.current_at_start().map(str::to_string);
}

/// A task that is aborted when this is dropped (a newer switch, or the loop ending).
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Carries out effects: API calls on the task set, copies and timed clears on the clipboard,
/// connections to another profile on a task of their own.
struct EffectRunner {
    /// The account calls go to; swapped by a profile switch.
    client: VtexClient,
    tasks: runner::Tasks,
    results: mpsc::UnboundedSender<Action>,
    connector: Option<Arc<Connector>>,
    /// The connection attempt under way (only the latest one runs).
    connecting: Option<AbortOnDrop>,
    /// The rotation run, stopped if the loop ends first (Ctrl-c): its journal lets the next
    /// run settle what it left.
    rotating: Option<AbortOnDrop>,
}

impl EffectRunner {
    /// Resolves and tries `profile` off the UI thread; the answer comes back as an action.
    fn connect(&mut self, attempt: u64, profile: String) {
        let results = self.results.clone();
        let Some(connector) = self.connector.clone() else {
            let reason = super::strings::profiles::NO_PROFILES.to_string();
            let _ = results.send(Action::Connected {
                attempt,
                profile,
                result: Err(reason),
            });
            return;
        };
        let task = tokio::spawn(async move {
            let result = connector.connect(&profile).await.map(Box::new);
            let _ = results.send(Action::Connected {
                attempt,
                profile,
                result,
            });
        });
        // The previous attempt, if still running, is superseded: aborted here.
        self.connecting = Some(AbortOnDrop(task.abort_handle()));
    }

    /// Calls go to `client` from now on; the old account's calls in flight are cancelled
    /// (the task set is dropped) and their ids were forgotten by `update`.
    fn use_client(&mut self, client: VtexClient) {
        self.client = client;
        self.tasks = runner::Tasks::default();
        self.connecting = None;
    }

    /// Returns whether an effect asked to quit. The state is not touched here: what an effect
    /// did comes back as an action.
    fn carry_out(&mut self, effects: Vec<Effect>, clipboard: &mut dyn Clipboard) -> bool {
        let mut quit = false;
        for effect in effects {
            match effect {
                Effect::Api { id, call } => self.tasks.spawn(&self.client, id, call),
                Effect::Connect { attempt, profile } => self.connect(attempt, profile),
                Effect::UseClient(use_client) => self.use_client(use_client.0),
                // Dropping the handle aborts the task; its token command dies with its group.
                Effect::CancelConnect => self.connecting = None,
                // What the clipboard did goes back through `update`, like any other event.
                Effect::Copy(token) => {
                    let _ = self.results.send(Action::Copied(clipboard.copy(&token)));
                }
                Effect::CopyAppKey(app_key) => {
                    let report = clipboard.copy_app_key(&app_key);
                    let _ = self.results.send(Action::CopiedAppKey(report));
                }
                Effect::ClearClipboard => {
                    if let Some(said) = clipboard.clear() {
                        let _ = self.results.send(Action::Notice(said));
                    }
                }
                Effect::SaveHistory { path, line } => {
                    if let Some(said) = super::command_line::history::save(&path, &line) {
                        let _ = self.results.send(Action::Notice(said));
                    }
                }
                Effect::Rotate(request) => {
                    let (client, results) = (self.client.clone(), self.results.clone());
                    let task = tokio::spawn(super::rotation::task::run(client, request, results));
                    self.rotating = Some(AbortOnDrop(task.abort_handle()));
                }
                Effect::ReadRotationDue { journal, server } => {
                    let results = self.results.clone();
                    let account = crate::keyformat::app_key_account(self.client.app_key())
                        .unwrap_or_default()
                        .to_string();
                    let read = super::rotation::task::read_due(journal, server, account, results);
                    tokio::spawn(read);
                }
                Effect::Export(job) => {
                    super::export_job::spawn(*job, self.client.clone(), self.results.clone());
                }
                Effect::Quit => quit = true,
            }
        }
        quit
    }
}
