//! Token rotation that never breaks an integration, shared by `apikeys rotate` and the app's
//! `:rotate`: for each key **renew** (both tokens work), **hand off** the new token to the
//! user's sink (on its standard input), **verify** it (VTEX ID's login, then the user's verify
//! command), **finish** (delete the old token now, or when a grace period ends).
//!
//! A failed hand-off or verification takes the renewal back (undo, where the server offers it;
//! VTEX's public API does not, and then the renewal is left pending with what to do). Each step
//! is journaled before it is relied on ([`journal`]), and every run first reconciles what an
//! earlier run left open ([`Rotation::reconcile`]).

pub mod duration;
mod engine;
pub mod journal;
mod plan;
mod reconcile;
pub mod sink;
mod steps;
pub mod template;

use std::time::Duration;

use chrono::{DateTime, Utc};

pub use engine::{Event, Handoff, NOT_STARTED, Rotation, Settings, ShowToken, Stopper};
pub use plan::{Plan, PlanError, Selection, Skip, from_listing, plan, skip_of};
pub use reconcile::{Pending, pending, waiting};

/// The server name journal records carry for the embedded demo (its port changes every run).
pub const EMBEDDED_DEMO: &str = "embedded demo";

/// The sink's default time limit.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// How many keys are rotated at once by default.
pub const DEFAULT_JOBS: usize = 4;

/// A key to rotate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    pub app_key: String,
    pub label: String,
    pub account: String,
}

impl Target {
    /// "vtexappkey-… (label)", the label made safe for a terminal and cut with "…" past 60
    /// characters; the appKey alone when there is no label.
    pub fn named(&self) -> String {
        if self.label.trim().is_empty() {
            self.app_key.clone()
        } else {
            let label = crate::output::for_terminal(&self.label, 60);
            format!("{} ({label})", self.app_key)
        }
    }

    /// The values the sink and verify commands may name.
    pub fn fields(&self) -> template::Fields<'_> {
        template::Fields {
            app_key: &self.app_key,
            label: &self.label,
            id: &self.id,
            account: &self.account,
        }
    }
}

/// The steps of a rotation, as reports name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Renew,
    HandOff,
    Verify,
    Finish,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Renew => "renew",
            Stage::HandOff => "hand-off",
            Stage::Verify => "verify",
            Stage::Finish => "finish",
        }
    }
}

/// How a key's rotation ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Renewed, handed off, verified, and the old token deleted.
    Rotated,
    /// Renewed, handed off and verified; the old token works until `finish_due`.
    InGrace { finish_due: DateTime<Utc> },
    /// A step failed and the renewal was undone: the old token works, the new one is gone.
    Undone { stage: Stage, reason: String },
    /// A step failed and the renewal could not be undone: both tokens work; `advice` says
    /// what to do.
    LeftPending {
        stage: Stage,
        reason: String,
        advice: String,
    },
    /// Everything but deleting the old token worked; both work, a later run deletes it.
    FinishFailed { reason: String },
    /// The renewal was refused or never answered: nothing changed.
    RenewFailed { reason: String },
    /// The person at the terminal did not store the token (`undo`, or the terminal closed):
    /// the renewal was undone.
    Declined { reason: String },
    /// The renewal was finished behind a hand-off that never ended: the key's only token is
    /// one nobody stored. Whatever uses the key is refused until it is rotated again.
    Broken { reason: String },
    /// Not rotated, for `reason` (decided before anything was sent).
    Skipped { reason: String },
    /// A journal entry found already settled on the server (finished or undone elsewhere).
    Settled { note: String },
}

impl Outcome {
    /// Whether the key is where the rotation meant it to be.
    pub fn succeeded(&self) -> bool {
        matches!(
            self,
            Outcome::Rotated | Outcome::InGrace { .. } | Outcome::Settled { .. }
        )
    }

    /// One word or two for tables and the app.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Rotated => "rotated",
            Outcome::InGrace { .. } => "grace",
            Outcome::Undone { .. } | Outcome::Declined { .. } => "undone",
            Outcome::Broken { .. } => "broken",
            Outcome::LeftPending { .. } => "left pending",
            Outcome::FinishFailed { .. } => "finish failed",
            Outcome::RenewFailed { .. } => "renew failed",
            Outcome::Skipped { .. } => "skipped",
            Outcome::Settled { .. } => "settled",
        }
    }

    /// The outcome for scripts (`--output json`): one word, kebab-case.
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::LeftPending { .. } => "left-pending",
            Outcome::FinishFailed { .. } => "finish-failed",
            Outcome::RenewFailed { .. } => "renew-failed",
            other => other.name(),
        }
    }

    /// The step that failed, when one did.
    pub fn stage(&self) -> Option<Stage> {
        match self {
            Outcome::Undone { stage, .. } | Outcome::LeftPending { stage, .. } => Some(*stage),
            Outcome::FinishFailed { .. } => Some(Stage::Finish),
            Outcome::RenewFailed { .. } => Some(Stage::Renew),
            _ => None,
        }
    }

    /// Why, and what to do, in a sentence or two (empty when all went well).
    pub fn reason(&self) -> String {
        match self {
            Outcome::Rotated => String::new(),
            Outcome::InGrace { finish_due } => format!(
                "both tokens work until {}; `apikeys rotate --finish-due` deletes the old one then",
                finish_due.format("%Y-%m-%d %H:%M:%S UTC")
            ),
            Outcome::Undone { stage, reason } => format!(
                "{} failed: {reason}. The renewal was undone: the old token still works.{}",
                stage.name(),
                match stage {
                    Stage::HandOff | Stage::Verify => {
                        " If the new token was stored anywhere before that, it no longer works: \
                         make sure the old one is still (or again) where it was."
                    }
                    _ => "",
                }
            ),
            Outcome::Declined { reason } => format!(
                "{reason}: the renewal was undone, the old token still works and the new one is \
                 gone."
            ),
            Outcome::Broken { reason } => format!(
                "{reason}. Whatever uses this key is refused until it has a token again: rotate \
                 it (`apikeys rotate KEY`) and deploy the token the sink stores."
            ),
            Outcome::LeftPending {
                stage,
                reason,
                advice,
            } => format!("{} failed: {reason}. {advice}", stage.name()),
            Outcome::FinishFailed { reason } => format!(
                "the new token is stored and works, but the old one was not deleted: {reason}. \
                 Both work; the next `apikeys rotate` (or `--finish-due`) deletes it."
            ),
            Outcome::RenewFailed { reason } => format!("nothing changed: {reason}"),
            Outcome::Skipped { reason } => reason.clone(),
            Outcome::Settled { note } => note.clone(),
        }
    }
}

/// What became of one key.
#[derive(Debug, Clone)]
pub struct KeyReport {
    pub target: Target,
    /// The steps done, each with the time it took.
    pub steps: Vec<(Stage, Duration)>,
    pub elapsed: Duration,
    pub outcome: Outcome,
    /// Found open in the journal (left by an earlier run), not planned by this one.
    pub from_journal: bool,
    /// The journal could not be written at some step (the rotation itself went on).
    pub journal_error: Option<String>,
}

/// The report of a key a stopped run never started.
pub fn not_started(target: Target) -> KeyReport {
    KeyReport {
        target,
        steps: Vec::new(),
        elapsed: Duration::ZERO,
        outcome: Outcome::Skipped {
            reason: NOT_STARTED.into(),
        },
        from_journal: false,
        journal_error: None,
    }
}

impl KeyReport {
    /// "✓ vtexappkey-… (ERP): rotated in 12 ms — reason", `took` (how long it took, as the
    /// caller writes it) left out when `None`: the CLI's progress and the app's summary.
    pub fn line(&self, took: Option<&str>) -> String {
        let mark = if self.outcome.succeeded() {
            "✓"
        } else {
            "✗"
        };
        let mut line = format!("{mark} {}: {}", self.target.named(), self.outcome.name());
        if let Some(took) = took {
            line += &format!(" in {took}");
        }
        let reason = self.outcome.reason();
        if !reason.is_empty() {
            line += &format!(" — {reason}");
        }
        line
    }
}
