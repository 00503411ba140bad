//! `:rotate` in the app: the profile's rotation settings (`Setup`), the plan a confirmation
//! shows (`RotatePlan`, from the keys the app already holds), the run's progress (`Run`) and
//! the keys whose grace is running ("rotation due", from the journal). Pure bookkeeping:
//! `update::rotation` decides, `task` does the run and the journal reading off the UI thread.

pub mod task;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::RotationConfig;
use crate::rotation::journal::Record;
use crate::rotation::{self, KeyReport, Selection, Stage, Target, duration, template};
use crate::tui::strings::rotation as text;
use crate::vtex::model::AppKey;

/// What the app rotates with, for the profile on screen: its `[profiles.NAME.rotation]`
/// table, the journal, and how the journal names this server.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    pub config: RotationConfig,
    /// The profile's name, for the sentence that says where to configure a sink.
    pub profile: Option<String>,
    /// The config file, as messages name it.
    pub file: String,
    /// `rotation::EMBEDDED_DEMO`, else the client's base URL.
    pub server: String,
    /// The journal; `None`: rotation is unavailable (no state directory).
    pub journal: Option<PathBuf>,
}

/// The rotation side of the app's state.
#[derive(Debug, Default)]
pub struct RotationState {
    pub setup: Setup,
    /// appKey → when its old token goes, for the keys of this server whose grace is running.
    pub due: HashMap<String, DateTime<Utc>>,
    pub run: Option<Run>,
    /// The Settings pane's (outdated, rotatable) counts, kept between frames.
    pub outdated_memo: crate::tui::memo::Memo<(usize, usize)>,
}

/// Which keys `:rotate` means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The marked keys, else the selected one.
    Marked,
    /// Every outdated key of the account.
    Outdated,
}

/// The settings of a run, checked (the engine's `Settings` is built from them in the task).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub sink: String,
    pub verify: Option<String>,
    pub grace: Duration,
    /// The grace as the config file writes it ("24h"), for the confirmation.
    pub grace_text: String,
    pub timeout: Duration,
}

impl Prepared {
    /// From the profile's table; a missing sink or a bad value is the sentence to show.
    pub fn from_setup(setup: &Setup) -> Result<Prepared, String> {
        let config = &setup.config;
        let Some(sink) = config.sink.clone().filter(|s| !s.trim().is_empty()) else {
            return Err(match setup.profile.as_deref() {
                Some(profile) => text::no_sink(profile, &setup.file),
                None => text::no_profile_sink(),
            });
        };
        template::check(&sink, "the sink").map_err(|reason| text::bad_setting(&reason))?;
        if let Some(verify) = &config.verify {
            template::check(verify, "the verify command")
                .map_err(|reason| text::bad_setting(&reason))?;
        }
        let grace = match &config.grace {
            Some(grace) => duration::parse(grace)
                .map_err(|reason| text::bad_setting(&format!("grace: {reason}")))?,
            None => Duration::ZERO,
        };
        let timeout = config
            .timeout_secs
            .map_or(rotation::DEFAULT_TIMEOUT, Duration::from_secs);
        if timeout.is_zero() {
            return Err(text::bad_setting(text::TIMEOUT_ZERO));
        }
        let grace_text = match &config.grace {
            Some(text) if !grace.is_zero() => text.trim().to_string(),
            _ => duration::show(grace),
        };
        Ok(Prepared {
            sink,
            verify: config.verify.clone().filter(|v| !v.trim().is_empty()),
            grace,
            grace_text,
            timeout,
        })
    }

    pub fn settings(&self) -> rotation::Settings {
        rotation::Settings {
            handoff: rotation::Handoff::Command(self.sink.clone()),
            verify: self.verify.clone(),
            grace: self.grace,
            timeout: self.timeout,
            jobs: rotation::DEFAULT_JOBS,
        }
    }
}

/// What a confirmed `:rotate` does: the keys, those left out and why, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotatePlan {
    pub targets: Vec<Target>,
    pub skipped: Vec<(Target, String)>,
    pub prepared: Prepared,
    /// `Some(false)`: the server cannot undo a renewal (VTEX's public API).
    pub can_undo: Option<bool>,
}

impl RotatePlan {
    /// The sink command as it runs for the first key (its values substituted, shell-quoted).
    pub fn first_sink(&self) -> Option<String> {
        let first = self.targets.first()?;
        Some(template::shown(&self.prepared.sink, &first.fields()))
    }

    /// The verify command as it runs for the first key, if there is one.
    pub fn first_verify(&self) -> Option<String> {
        let first = self.targets.first()?;
        let verify = self.prepared.verify.as_ref()?;
        Some(template::shown(verify, &first.fields()))
    }
}

/// The plan for `chosen` (ids of rows of `keys`, or every outdated key).
pub fn plan(
    keys: &[AppKey],
    chosen: Option<Vec<String>>,
    own_app_key: &str,
    months: u32,
    due: &HashMap<String, DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<rotation::Plan, String> {
    let selection = match chosen {
        Some(ids) => Selection::Named(ids),
        None => Selection::Outdated,
    };
    rotation::from_listing(keys, &selection, own_app_key, months, due, now)
        .map_err(|err| err.message)
}

/// A run going on: what the status line counts.
#[derive(Debug, Clone)]
pub struct Run {
    pub total: usize,
    /// The latest step a key entered.
    pub current: Option<(String, Stage)>,
    /// Keys done, in the order they finished.
    pub reports: Vec<KeyReport>,
    /// What the journal held from an earlier run, settled first.
    pub reconciled: Vec<KeyReport>,
    pub skipped: Vec<(Target, String)>,
    /// The appKeys of the planned keys (their rows are remarked at the end).
    pub targets: Vec<Target>,
    /// Stops the run between keys (Esc); known once the run has started.
    pub stopper: Option<crate::rotation::Stopper>,
    /// Esc was pressed: the keys under way finish, no other starts.
    pub stopping: bool,
}

impl Run {
    pub fn new(plan: &RotatePlan) -> Run {
        Run {
            total: plan.targets.len(),
            current: None,
            reports: Vec::new(),
            reconciled: Vec::new(),
            skipped: plan.skipped.clone(),
            targets: plan.targets.clone(),
            stopper: None,
            stopping: false,
        }
    }

    pub fn failed(&self) -> usize {
        self.reports
            .iter()
            .filter(|r| !r.outcome.succeeded())
            .count()
    }
}

/// What a run tells the app, as it goes (`Action::Rotation`).
#[derive(Debug)]
pub enum Progress {
    /// The run has started; this stops it between keys.
    Started(crate::rotation::Stopper),
    /// What the journal held from an earlier run, settled before the run.
    Reconciled(Vec<KeyReport>),
    Step {
        app_key: String,
        stage: Stage,
    },
    Done(KeyReport),
    /// Every key is done.
    Finished,
    /// The run could not start (the journal busy or unwritable, the server unreachable).
    Failed(String),
}

/// What a rotation run needs: the keys, the settings, the journal and how it names the server.
#[derive(Debug, Clone)]
pub struct Request {
    pub targets: Vec<Target>,
    pub prepared: Prepared,
    pub journal: PathBuf,
    pub server: String,
}

/// appKey → when the old token goes, for the keys of `account` whose grace is running.
pub fn due_from(records: Vec<Record>, account: &str) -> HashMap<String, DateTime<Utc>> {
    let open = rotation::journal::latest_open(records);
    rotation::waiting(&open, account, Utc::now())
}
