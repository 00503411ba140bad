//! Every run first settles what an earlier one left open in the journal: a renewal that was
//! never handed off is taken back (its sink killed if it still runs), a finish that came due is
//! done. Entries of other servers are left alone.

use std::collections::HashMap;
use std::io;

use chrono::{DateTime, Utc};
use futures_util::{StreamExt, stream};

use super::engine::{Progress, Rotation};
use super::journal::{self, Record, Step};
use super::sink::Group;
use super::steps::{no_undo_advice, patiently};
use super::{KeyReport, Outcome, Stage, Target};
use crate::vtex::ClientError;
use crate::vtex::time::Timestamp;

/// What a run does about an entry an earlier run left open.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// Renewed (or about to be) but never handed off: undone, or reported where undo is
    /// unavailable.
    TakeBack(Record),
    /// The sink took the token but the run stopped before verifying it: left pending, reported.
    Unverified(Record),
    /// Verified, and its old token is due for deletion now.
    Finish(Record),
    /// Verified, its old token deleted only at `finish_due`.
    Waiting(Record),
    /// Left pending or broken: waits for a person; reported by every run until settled.
    Attention(Record),
}

impl Pending {
    pub fn record(&self) -> &Record {
        match self {
            Pending::TakeBack(record)
            | Pending::Unverified(record)
            | Pending::Finish(record)
            | Pending::Waiting(record)
            | Pending::Attention(record) => record,
        }
    }
}

/// What each open entry of `account` in `open` calls for at `now`. Entries are the account's
/// by their appKey (`vtexappkey-{account}-…`), whatever address the run that wrote them used
/// (acme.myvtex.com, acme.vtexcommercestable.com.br, a proxy).
pub fn pending(open: &[Record], account: &str, now: DateTime<Utc>) -> Vec<Pending> {
    open.iter()
        .filter(|record| crate::keyformat::app_key_account(&record.app_key) == Some(account))
        .filter_map(|record| {
            let record = record.clone();
            Some(match record.step {
                Step::RenewStarted | Step::Renewed | Step::HandOffStarted => {
                    Pending::TakeBack(record)
                }
                Step::HandedOff => Pending::Unverified(record),
                Step::LeftPending | Step::Broken => Pending::Attention(record),
                // A verified record carries the grace's end when there is one.
                Step::Verified | Step::Grace => match record.finish_due {
                    Some(due) if due > now => Pending::Waiting(record),
                    _ => Pending::Finish(record),
                },
                _ => return None,
            })
        })
        .collect()
}

/// appKey → (when its current token was made, when its pending new token was made), from one
/// listing of a server with token dates.
type Listed = HashMap<String, (Option<Timestamp>, Option<Timestamp>)>;

/// Why a renewal found pending is not the one the stopped run made (so it must not be undone),
/// or why there is nothing to take back; `None` when it may be ours.
fn not_ours(
    record: &Record,
    renewals: &Option<Listed>,
    call_timeout: std::time::Duration,
) -> Option<String> {
    let renewals = renewals.as_ref()?;
    let Some((_, pending)) = renewals.get(&record.app_key) else {
        return Some("the key no longer exists".into());
    };
    let Some(created) = pending else {
        return Some(
            "no renewal is pending: it never happened, or was finished or undone since".into(),
        );
    };
    // The renewal's own answer said when its token was made: anything else is not ours.
    // (The answer and the listing give the same stored date: compared exactly.)
    if let Some(ours) = record.new_token_created {
        return (created.0 != ours).then(|| someone_elses(created));
    }
    // Else: ours was made before the last step journaled (or, with only `renew-started`, within
    // the call's deadline); five minutes allow for the server's clock.
    let slack = chrono::Duration::minutes(5)
        + match record.step {
            Step::RenewStarted => chrono::Duration::from_std(call_timeout).unwrap_or_default(),
            _ => chrono::Duration::zero(),
        };
    (created.0 > record.at + slack).then(|| someone_elses(created))
}

fn someone_elses(created: &Timestamp) -> String {
    format!(
        "the renewal pending now (its new token dates from {}) is not the one this rotation \
         made: it is someone else's and was left alone",
        created.0.format("%Y-%m-%d %H:%M:%S UTC")
    )
}

fn target_of(record: &Record) -> Target {
    Target {
        id: record.id.clone(),
        app_key: record.app_key.clone(),
        label: record.label.clone(),
        account: crate::keyformat::app_key_account(&record.app_key)
            .unwrap_or_default()
            .to_string(),
    }
}

impl Rotation {
    /// Settles every entry of this server the journal holds open (those still in their grace
    /// stay), then compacts the journal to what is still open.
    pub async fn reconcile(&self) -> io::Result<Vec<KeyReport>> {
        let open = self.journal.open_entries()?;
        let work: Vec<Pending> = pending(&open, &self.account, Utc::now())
            .into_iter()
            .filter(|pending| !matches!(pending, Pending::Waiting(_)))
            .collect();
        let renewals = self.pending_renewals(&work).await;
        let reports = stream::iter(work)
            .map(|pending| self.settle(pending, &renewals))
            .buffer_unordered(self.settings.jobs.max(1))
            .collect::<Vec<_>>()
            .await;
        let contents = journal::read(self.journal.path())?;
        // Kept for the caller to say before they are gone: a person may want to know.
        self.unreadable
            .fetch_add(contents.unreadable, std::sync::atomic::Ordering::SeqCst);
        self.journal
            .compact(&journal::latest_open(contents.records))?;
        Ok(reports)
    }

    /// When each key to settle has a renewal pending, from one listing (servers with token
    /// dates only): a renewal that is not the stopped run's is someone else's, never undone
    /// nor finished.
    async fn pending_renewals(&self, work: &[Pending]) -> Option<Listed> {
        if !work.iter().any(|p| {
            matches!(
                p,
                Pending::TakeBack(_) | Pending::Finish(_) | Pending::Attention(_)
            )
        }) {
            return None;
        }
        let keys = self.client.list_keys().await.ok()?;
        if keys.iter().all(|key| key.creation_date_token.is_none()) {
            return None;
        }
        Some(
            keys.into_iter()
                .map(|key| {
                    let dates = (key.creation_date_token, key.creation_date_new_token);
                    (key.app_key, dates)
                })
                .collect(),
        )
    }

    async fn settle(&self, pending: Pending, renewals: &Option<Listed>) -> KeyReport {
        let record = pending.record().clone();
        let key = Progress::new(self, target_of(&record), true);
        match pending {
            Pending::TakeBack(_) => {
                kill_sink_left(&record);
                if let Some(reason) = finished_behind(&record, renewals) {
                    let _ = key.note(Step::Broken, |r| r.reason = Some(reason.clone()));
                    return key.end(Outcome::Broken { reason });
                }
                match not_ours(&record, renewals, self.client_timeout()) {
                    Some(note) => {
                        let _ = key.note(Step::Undone, |r| r.reason = Some(note.clone()));
                        key.end(Outcome::Settled { note })
                    }
                    None => key.take_back_left(&record).await,
                }
            }
            Pending::Attention(_) => key.attention(&record, renewals),
            Pending::Unverified(_) => {
                let reason = format!(
                    "{} after the sink took the new token, before it was verified",
                    self.who_stopped()
                );
                let app_key = &record.app_key;
                let advice = format!(
                    "Both tokens work. Check that what the sink stored logs in, then `apikeys keys \
                     finish-renewal {app_key}`; if it does not, undo the renewal (`apikeys keys \
                     undo-renewal {app_key}`, or in the Admin) and rotate again."
                );
                let _ = key.note(Step::LeftPending, |r| r.reason = Some(reason.clone()));
                key.end(Outcome::LeftPending {
                    stage: Stage::Verify,
                    reason,
                    advice,
                })
            }
            Pending::Finish(_) | Pending::Waiting(_) => match not_ours(&record, renewals, ZERO) {
                Some(note) => {
                    let _ = key.note(Step::Finished, |r| r.reason = Some(note.clone()));
                    key.end(Outcome::Settled { note })
                }
                None => key.finish_left().await,
            },
        }
    }
}

/// The renewal a stopped run made, finished since by someone else (the Admin's "delete old
/// token", `keys finish-renewal`): the key's token is the one that run made and never handed
/// off, so nothing that uses the key holds it.
fn finished_behind(record: &Record, renewals: &Option<Listed>) -> Option<String> {
    let (current, pending) = renewals.as_ref()?.get(&record.app_key)?;
    let ours = record.new_token_created?;
    (pending.is_none() && current.as_ref().is_some_and(|t| t.0 == ours)).then(|| {
        "the renewal this rotation started was finished behind it (its hand-off never ended): \
         the key's only token is the new one, which no sink stored"
            .to_string()
    })
}

impl Rotation {
    /// Who stopped the run whose journal entry is settled, as reports say it.
    pub(super) fn who_stopped(&self) -> &'static str {
        if self.interrupted.load(std::sync::atomic::Ordering::SeqCst) {
            "this run was stopped (Ctrl-C or SIGTERM)"
        } else {
            "an earlier run stopped"
        }
    }
}

/// Kills the sink a stopped run left running, if it still is the same process.
fn kill_sink_left(record: &Record) {
    if let Some(id) = record.sink_group {
        let group = Group {
            id,
            started: record.sink_started,
        };
        group.kill_if_alive();
    }
}

const ZERO: std::time::Duration = std::time::Duration::ZERO;

impl Progress<'_> {
    /// A renewal an earlier run started and never handed off (its sink killed already): undone.
    async fn take_back_left(self, record: &Record) -> KeyReport {
        let stage = match record.step {
            Step::RenewStarted | Step::Renewed => Stage::Renew,
            _ => Stage::HandOff,
        };
        let reason = match stage {
            Stage::HandOff => format!("{} during the hand-off", self.rotation.who_stopped()),
            _ => format!("{} during the renewal", self.rotation.who_stopped()),
        };
        if !self.rotation.can_undo {
            let advice = no_undo_advice(&record.app_key);
            let _ = self.note(Step::LeftPending, |r| r.reason = Some(reason.clone()));
            return self.end(Outcome::LeftPending {
                stage,
                reason,
                advice,
            });
        }
        let client = &self.rotation.client;
        match patiently(|| client.undo_renewal(&record.app_key)).await {
            Ok(_) => {
                let _ = self.note(Step::Undone, |r| r.reason = Some(reason.clone()));
                self.end(Outcome::Undone { stage, reason })
            }
            Err(ClientError::NotFound { .. }) => {
                let note = "no renewal was pending: it never started, or was finished or undone \
                            since"
                    .to_string();
                let _ = self.note(Step::Undone, |r| r.reason = Some(note.clone()));
                self.end(Outcome::Settled { note })
            }
            // Still open in the journal: the next run tries again.
            Err(err) => self.end(Outcome::LeftPending {
                stage,
                reason,
                advice: format!(
                    "Undoing it failed ({err}); the next `apikeys rotate` tries again. The old \
                     token still works."
                ),
            }),
        }
    }

    /// An entry waiting for a person: reported again, or closed once the server shows it
    /// settled (no renewal pending any more; a new token since a broken one).
    fn attention(self, record: &Record, renewals: &Option<Listed>) -> KeyReport {
        let listed = renewals.as_ref().map(|listed| listed.get(&record.app_key));
        let settled = match (record.step, listed) {
            (_, Some(None)) => Some("the key no longer exists"),
            (Step::LeftPending, Some(Some((_, None)))) => {
                Some("no renewal is pending any more: it was undone or finished since")
            }
            (Step::Broken, Some(Some((current, _))))
                if current.as_ref().map(|t| t.0) != record.new_token_created =>
            {
                Some("the key has a new token since")
            }
            _ => None,
        };
        if let Some(note) = settled {
            let _ = self.note(Step::Undone, |r| r.reason = Some(note.to_string()));
            return self.end(Outcome::Settled { note: note.into() });
        }
        let since = record.at.format("%Y-%m-%d %H:%M UTC");
        let reason = format!(
            "still waiting since {since}: {}",
            record
                .reason
                .as_deref()
                .unwrap_or("the rotation could not be finished")
        );
        match record.step {
            Step::Broken => self.end(Outcome::Broken { reason }),
            _ => self.end(Outcome::LeftPending {
                stage: Stage::HandOff,
                reason,
                advice: no_undo_advice(&record.app_key),
            }),
        }
    }

    /// A verified rotation whose old token is due for deletion.
    async fn finish_left(mut self) -> KeyReport {
        let app_key = self.target.app_key.clone();
        let client = &self.rotation.client;
        let since = std::time::Instant::now();
        let finished = patiently(|| client.finish_renewal(&app_key)).await;
        self.timed(Stage::Finish, since);
        match finished {
            Ok(_) => {
                let _ = self.note(Step::Finished, |_| {});
                self.end(Outcome::Rotated)
            }
            Err(ClientError::NotFound { .. }) => {
                let note =
                    "no renewal was pending any more: it was finished or undone since".to_string();
                let _ = self.note(Step::Finished, |r| r.reason = Some(note.clone()));
                self.end(Outcome::Settled { note })
            }
            Err(err) => self.end(Outcome::FinishFailed {
                reason: err.to_string(),
            }),
        }
    }
}

/// The appKeys of `account` whose old token waits for the end of a grace, with when it ends
/// ("rotation due" in the app; left out of new rotations until then).
pub fn waiting(
    open: &[Record],
    account: &str,
    now: DateTime<Utc>,
) -> std::collections::HashMap<String, DateTime<Utc>> {
    pending(open, account, now)
        .into_iter()
        .filter_map(|pending| match pending {
            Pending::Waiting(record) => Some((record.app_key, record.finish_due?)),
            _ => None,
        })
        .collect()
}
