//! One rotation run: each key through renew, hand off, verify and finish, a few at a time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::{StreamExt, stream};
use secrecy::SecretString;

use super::journal::{Journal, Record, Step};
use super::{KeyReport, Outcome, Stage, Target, sink, template};
use crate::vtex::{ClientError, VtexClient};

/// A person taking a token: shows it, says whether it was stored.
pub type ShowToken = dyn Fn(&Target, &SecretString) -> Result<(), String> + Send + Sync;

/// Who takes the new token.
#[derive(Clone)]
pub enum Handoff {
    /// A command given the token on its standard input (`sink` in the config, `--sink`).
    Command(String),
    /// A person at a terminal: the token is shown once and they confirm they stored it. Runs
    /// on a blocking thread, one key at a time.
    Shown(Arc<ShowToken>),
}

#[derive(Clone)]
pub struct Settings {
    pub handoff: Handoff,
    /// A command that checks the integration itself, with the new token on its stdin.
    pub verify: Option<String>,
    /// How long the old token keeps working after the new one is verified (0: deleted at once).
    pub grace: Duration,
    /// The time limit of each sink and verify command.
    pub timeout: Duration,
    /// Keys rotated at once.
    pub jobs: usize,
}

/// What a run tells its caller as it goes.
#[derive(Debug, Clone)]
pub enum Event {
    /// A key entered a step.
    Step { app_key: String, stage: Stage },
    /// A key is done.
    Done(KeyReport),
}

/// A rotation run against one server, journaled.
pub struct Rotation {
    pub(super) client: VtexClient,
    pub(super) journal: Arc<Journal>,
    pub(super) server: String,
    pub(super) settings: Settings,
    pub(super) can_undo: bool,
}

/// One key's progress: the report being built and the journal it is written to.
pub(super) struct Progress<'a> {
    pub(super) rotation: &'a Rotation,
    pub(super) target: Target,
    started: Instant,
    steps: Vec<(Stage, Duration)>,
    journal_error: Mutex<Option<String>>,
    from_journal: bool,
}

impl Rotation {
    /// A run on `client`'s server, named `server` in the journal; asks the server once
    /// whether it can undo a renewal.
    pub async fn new(
        client: VtexClient,
        journal: Arc<Journal>,
        server: String,
        settings: Settings,
    ) -> Result<Rotation, ClientError> {
        let can_undo = client.can_undo_renewal().await?;
        Ok(Rotation {
            client,
            journal,
            server,
            settings,
            can_undo,
        })
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn can_undo(&self) -> bool {
        self.can_undo
    }

    /// The deadline of one call to the server.
    pub(super) fn client_timeout(&self) -> Duration {
        self.client.timeout()
    }

    /// Rotates every target, at most `jobs` at once (one when a person takes the tokens);
    /// a failure never stops the others. Reports come in the order keys finish.
    pub async fn run(
        &self,
        targets: Vec<Target>,
        on_event: &(dyn Fn(Event) + Send + Sync),
    ) -> Vec<KeyReport> {
        let jobs = match self.settings.handoff {
            Handoff::Shown(_) => 1,
            Handoff::Command(_) => self.settings.jobs.max(1),
        };
        stream::iter(targets)
            .map(|target| async move {
                let report = self.rotate(target, on_event).await;
                on_event(Event::Done(report.clone()));
                report
            })
            .buffer_unordered(jobs)
            .collect()
            .await
    }

    async fn rotate(&self, target: Target, on_event: &(dyn Fn(Event) + Send + Sync)) -> KeyReport {
        let app_key = target.app_key.clone();
        let mut key = Progress::new(self, target, false);
        let say = |stage| {
            on_event(Event::Step {
                app_key: app_key.clone(),
                stage,
            })
        };
        say(Stage::Renew);
        if let Err(err) = key.note(Step::RenewStarted, |_| {}) {
            return key.end(Outcome::RenewFailed {
                reason: format!("the journal could not be written, so nothing was sent: {err}"),
            });
        }
        let token = match key.renew().await {
            Ok(Some(token)) => token,
            Ok(None) => {
                let reason = "the server did not return the new token".to_string();
                return key.take_back(Stage::Renew, reason).await;
            }
            Err(outcome) => return key.end(outcome),
        };
        say(Stage::HandOff);
        if let Err(reason) = key.hand_off(&token).await {
            return key.take_back(Stage::HandOff, reason).await;
        }
        say(Stage::Verify);
        let due = (!self.settings.grace.is_zero()).then(|| {
            Utc::now()
                + chrono::Duration::from_std(self.settings.grace).unwrap_or(chrono::Duration::MAX)
        });
        if let Err(reason) = key.verify(&token, due).await {
            return key.take_back(Stage::Verify, reason).await;
        }
        drop(token);
        match due {
            None => {
                say(Stage::Finish);
                key.finish().await
            }
            Some(due) => {
                let _ = key.note(Step::Grace, |record| record.finish_due = Some(due));
                key.end(Outcome::InGrace { finish_due: due })
            }
        }
    }
}

impl<'a> Progress<'a> {
    pub(super) fn new(rotation: &'a Rotation, target: Target, from_journal: bool) -> Progress<'a> {
        Progress {
            rotation,
            target,
            started: Instant::now(),
            steps: Vec::new(),
            journal_error: Mutex::new(None),
            from_journal,
        }
    }

    /// Journals `step` (with what `fill` adds); a failure is kept for the report.
    pub(super) fn note(&self, step: Step, fill: impl FnOnce(&mut Record)) -> Result<(), String> {
        let mut record = Record {
            at: Utc::now(),
            server: self.rotation.server.clone(),
            app_key: self.target.app_key.clone(),
            id: self.target.id.clone(),
            label: self.target.label.clone(),
            step,
            finish_due: None,
            sink_group: None,
            sink_started: None,
            reason: None,
        };
        fill(&mut record);
        self.rotation.journal.record(&record).map_err(|err| {
            let text = format!(
                "cannot write {}: {err}",
                self.rotation.journal.path().display()
            );
            *self.journal_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(text.clone());
            text
        })
    }

    pub(super) fn timed(&mut self, stage: Stage, since: Instant) {
        self.steps.push((stage, since.elapsed()));
    }

    pub(super) fn end(self, outcome: Outcome) -> KeyReport {
        KeyReport {
            target: self.target,
            steps: self.steps,
            elapsed: self.started.elapsed(),
            outcome,
            from_journal: self.from_journal,
            journal_error: self
                .journal_error
                .into_inner()
                .unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// `Ok(None)`: renewed, but the answer held no token (the caller takes it back).
    async fn renew(&mut self) -> Result<Option<SecretString>, Outcome> {
        let since = Instant::now();
        let client = &self.rotation.client;
        let app_key = &self.target.app_key;
        let renewal = super::steps::patiently(|| client.renew(app_key)).await;
        self.timed(Stage::Renew, since);
        match renewal {
            Ok(renewal) => {
                let _ = self.note(Step::Renewed, |_| {});
                Ok(renewal.new_token)
            }
            Err(err) => {
                let reason = err.to_string();
                let _ = self.note(Step::Failed, |record| record.reason = Some(reason.clone()));
                Err(Outcome::RenewFailed { reason })
            }
        }
    }

    async fn hand_off(&mut self, token: &SecretString) -> Result<(), String> {
        let since = Instant::now();
        let outcome = match &self.rotation.settings.handoff {
            Handoff::Command(command) => {
                let command = template::substitute(command, &self.target.fields());
                let timeout = self.rotation.settings.timeout;
                let this = &*self;
                // The group is journaled as soon as it exists, while the sink runs: a later
                // run kills what a crashed one left behind before taking the renewal back.
                sink::run(
                    "sink",
                    &command,
                    (token, sink::Input::MustRead),
                    timeout,
                    |group| {
                        let _ = this.note(Step::HandOffStarted, |record| {
                            record.sink_group = Some(group.id);
                            record.sink_started = group.started;
                        });
                    },
                )
                .await
            }
            Handoff::Shown(show) => {
                let (show, target, token) = (show.clone(), self.target.clone(), token.clone());
                let _ = self.note(Step::HandOffStarted, |_| {});
                tokio::task::spawn_blocking(move || show(&target, &token))
                    .await
                    .unwrap_or_else(|_| Err("the terminal hand-off stopped".into()))
            }
        };
        self.timed(Stage::HandOff, since);
        if outcome.is_ok() {
            let _ = self.note(Step::HandedOff, |_| {});
        }
        outcome
    }
}
