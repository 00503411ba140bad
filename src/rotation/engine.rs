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
    /// The account the caller signs in to: journal entries are its by their appKey.
    pub(super) account: String,
    stop: Stopper,
    /// Journal lines reconciling could not read (cut by a crash) and dropped.
    pub(super) unreadable: std::sync::atomic::AtomicUsize,
    /// Set before settling what a run interrupted by a signal left: reports say so.
    pub(super) interrupted: std::sync::atomic::AtomicBool,
}

/// Stops a run between keys: the keys under way finish their steps (or are taken back), the
/// others are not started. Cheap to clone; any clone stops the run.
#[derive(Debug, Clone, Default)]
pub struct Stopper(Arc<std::sync::atomic::AtomicBool>);

impl Stopper {
    pub fn stop(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn stopped(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// The reason given for the keys a stopped run did not start.
pub const NOT_STARTED: &str = "not started: the run was stopped before this key";

/// What came of asking for the renewal.
enum Renewed {
    Token(SecretString),
    /// Renewed, but the answer held no token.
    NoToken,
    /// A definite refusal: nothing changed.
    Refused(Outcome),
    /// No answer that says (a lost connection, a timeout, a 5xx): it may have been renewed.
    Unknown(String),
}

/// Whether the server's answer says it did not renew (so nothing changed).
fn refused(err: &ClientError) -> bool {
    matches!(
        err,
        ClientError::Unauthorized { .. }
            | ClientError::Forbidden { .. }
            | ClientError::NotFound { .. }
            | ClientError::Conflict { .. }
            | ClientError::RateLimited { .. }
            | ClientError::Rejected { .. }
            | ClientError::Rule { .. }
            | ClientError::ExtensionUnavailable { .. }
            | ClientError::CrossOriginRedirect { .. }
    )
}

/// One key's progress: the report being built and the journal it is written to.
pub(super) struct Progress<'a> {
    pub(super) rotation: &'a Rotation,
    pub(super) target: Target,
    started: Instant,
    steps: Vec<(Stage, Duration)>,
    journal_error: Mutex<Option<String>>,
    from_journal: bool,
    /// When the server says the new token was created: tells this rotation's renewal from
    /// one someone makes later.
    pub(super) new_token_created: Option<chrono::DateTime<Utc>>,
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
        let client_key = &client.app_key().to_string();
        Ok(Rotation {
            client,
            journal,
            server,
            settings,
            can_undo,
            account: crate::keyformat::app_key_account(client_key)
                .unwrap_or_default()
                .to_string(),
            stop: Stopper::default(),
            unreadable: Default::default(),
            interrupted: Default::default(),
        })
    }

    /// Says that the next reconcile settles this run's own keys, stopped by a signal.
    pub fn mark_interrupted(&self) {
        self.interrupted
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// How many journal lines could not be read and were dropped by reconciling.
    pub fn unreadable_lines(&self) -> usize {
        self.unreadable.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// What stops this run between keys (Ctrl-C in the CLI, Esc in the app).
    pub fn stopper(&self) -> Stopper {
        self.stop.clone()
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
                let report = if self.stop.stopped() {
                    Progress::new(self, target, false).end(Outcome::Skipped {
                        reason: NOT_STARTED.into(),
                    })
                } else {
                    self.rotate(target, on_event).await
                };
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
            Renewed::Token(token) => token,
            Renewed::NoToken => {
                let reason = "the server did not return the new token".to_string();
                return key.take_back(Stage::Renew, reason).await;
            }
            Renewed::Refused(outcome) => return key.end(outcome),
            Renewed::Unknown(reason) => return key.take_back_unknown(reason).await,
        };
        if let Some(reason) = key.journal_broken() {
            return key.take_back(Stage::Renew, reason).await;
        }
        say(Stage::HandOff);
        if let Err(mut reason) = key.hand_off(&token).await {
            if sink::is_missing_command(&reason) {
                // Not this key's fault: every other key would fail the same way.
                self.stop.stop();
                reason += "; the run stops here (the sink command itself is missing or not \
                           executable)";
            }
            return key.take_back(Stage::HandOff, reason).await;
        }
        if let Some(reason) = key.journal_broken() {
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
        if let Some(reason) = key.journal_broken() {
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
            new_token_created: None,
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
            new_token_created: self.new_token_created,
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

    async fn renew(&mut self) -> Renewed {
        let since = Instant::now();
        let client = &self.rotation.client;
        let app_key = &self.target.app_key;
        let renewal = super::steps::patiently(|| client.renew(app_key)).await;
        self.timed(Stage::Renew, since);
        match renewal {
            Ok(renewal) => {
                self.new_token_created = renewal.creation_date_new_token.map(|at| at.0);
                let _ = self.note(Step::Renewed, |_| {});
                match renewal.new_token {
                    Some(token) => Renewed::Token(token),
                    None => Renewed::NoToken,
                }
            }
            Err(err) if refused(&err) => {
                let reason = match err {
                    // Not "finish or undo": whether its new token is stored anywhere is unknown.
                    ClientError::Conflict { .. } => format!(
                        "a renewal of {} is already pending (its old token still works); \
                         undo it — in the Admin where the API cannot — then rotate the key again",
                        self.target.app_key
                    ),
                    err => err.to_string(),
                };
                let _ = self.note(Step::Failed, |record| record.reason = Some(reason.clone()));
                Renewed::Refused(Outcome::RenewFailed { reason })
            }
            // The journal still says `renew-started`: until it is taken back, it stays open.
            Err(err) => Renewed::Unknown(err.to_string()),
        }
    }

    /// Why the rotation must be taken back when the journal stopped taking its steps: a run
    /// that cannot record what it did must not go on to delete a token.
    fn journal_broken(&self) -> Option<String> {
        let error = self.journal_error.lock().unwrap_or_else(|p| p.into_inner());
        error.as_ref().map(|err| {
            format!("the journal stopped taking the rotation's steps ({err}), so it is not taken further")
        })
    }

    async fn hand_off(&mut self, token: &SecretString) -> Result<(), String> {
        let since = Instant::now();
        let outcome = match &self.rotation.settings.handoff {
            Handoff::Command(command) => {
                let command = template::positional(command);
                let fields = self.target.fields();
                let this = &*self;
                let job = sink::Job {
                    kind: "sink",
                    command: &command,
                    args: &template::args(&fields),
                    token,
                    input: sink::Input::MustRead,
                    timeout: self.rotation.settings.timeout,
                };
                // The group is journaled as soon as it exists, while the sink runs: a later
                // run kills what a crashed one left behind before taking the renewal back.
                sink::run(job, |group| {
                    let _ = this.note(Step::HandOffStarted, |record| {
                        record.sink_group = Some(group.id);
                        record.sink_started = group.started;
                    });
                })
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
