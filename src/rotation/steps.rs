//! The steps after the hand-off, and taking a renewal back when one fails.

use std::time::Instant;

use chrono::{DateTime, Utc};
use secrecy::SecretString;

use super::engine::Progress;
use super::journal::Step;
use super::{KeyReport, Outcome, Stage, sink, template};
use crate::vtex::ClientError;

/// What to do about a renewal this server cannot undo.
pub(super) fn no_undo_advice(app_key: &str) -> String {
    format!(
        "VTEX's public API cannot undo a renewal, so it is left pending: the old token still \
         works and nothing that uses it breaks. Undo it in the Admin (Account settings → API \
         keys → Generated keys → {app_key} → Undo renewal), then run `apikeys rotate {app_key}` \
         again; leave the old token in place until then — deleting it would stop every \
         integration that uses it. Every `apikeys rotate` reminds you until it is done."
    )
}

impl Progress<'_> {
    /// VTEX ID's login with the new token, then the user's verify command.
    /// `finish_due` (with a grace) is journaled with the verification, so a run that stops
    /// right after it still keeps the old token for the grace.
    pub(super) async fn verify(
        &mut self,
        token: &SecretString,
        finish_due: Option<DateTime<Utc>>,
    ) -> Result<(), String> {
        let since = Instant::now();
        let outcome = self.check(token).await;
        self.timed(Stage::Verify, since);
        if outcome.is_ok() {
            let _ = self.note(Step::Verified, |record| record.finish_due = finish_due);
        }
        outcome
    }

    async fn check(&self, token: &SecretString) -> Result<(), String> {
        let client = &self.rotation.client;
        let app_key = &self.target.app_key;
        match patiently(|| client.login_works(app_key, token)).await {
            Ok(true) => {}
            Ok(false) => return Err("VTEX ID's login refused the new token".into()),
            Err(err) => return Err(format!("VTEX ID's login could not be asked: {err}")),
        }
        let Some(verify) = &self.rotation.settings.verify else {
            return Ok(());
        };
        let command = template::positional(verify);
        let fields = self.target.fields();
        let job = sink::Job {
            kind: "verify",
            command: &command,
            args: &template::args(&fields),
            token,
            input: sink::Input::Offered,
            timeout: self.rotation.settings.timeout,
        };
        sink::run(job, |_| {}).await
    }

    /// Deletes the old token (the new one is stored and verified).
    pub(super) async fn finish(mut self) -> KeyReport {
        let since = Instant::now();
        let client = &self.rotation.client;
        let app_key = &self.target.app_key;
        let finished = patiently(|| client.finish_renewal(app_key)).await;
        self.timed(Stage::Finish, since);
        match finished {
            Ok(_) => {
                let _ = self.note(Step::Finished, |_| {});
                self.end(Outcome::Rotated)
            }
            // The journal still says "verified" (or "grace"): the next run finishes it.
            Err(err) => self.end(Outcome::FinishFailed {
                reason: err.to_string(),
            }),
        }
    }

    /// `stage` failed after the renewal: undone where the server can, else left pending with
    /// what to do. Either way the old token keeps working.
    pub(super) async fn take_back(self, stage: Stage, reason: String) -> KeyReport {
        let app_key = self.target.app_key.clone();
        // A person at the terminal who did not store the token: nothing failed.
        let declined = stage == Stage::HandOff
            && matches!(self.rotation.settings.handoff, super::Handoff::Shown(_));
        if !self.rotation.can_undo {
            let advice = no_undo_advice(&app_key);
            let _ = self.note(Step::LeftPending, |record| {
                record.reason = Some(reason.clone())
            });
            return self.end(Outcome::LeftPending {
                stage,
                reason,
                advice,
            });
        }
        let client = &self.rotation.client;
        match patiently(|| client.undo_renewal(&app_key)).await {
            Ok(_) => {
                let _ = self.note(Step::Undone, |record| record.reason = Some(reason.clone()));
                if declined {
                    return self.end(Outcome::Declined { reason });
                }
                self.end(Outcome::Undone { stage, reason })
            }
            // Left open in the journal: the next run tries the undo again.
            Err(err) => {
                let advice = undo_failed_advice(&app_key, &err);
                self.end(Outcome::LeftPending {
                    stage,
                    reason,
                    advice,
                })
            }
        }
    }

    /// The renewal got no answer that says whether it happened (a lost connection, a
    /// timeout, a 5xx): undone if it did, else nothing changed.
    pub(super) async fn take_back_unknown(self, reason: String) -> KeyReport {
        let app_key = self.target.app_key.clone();
        if !self.rotation.can_undo {
            let advice = format!(
                "The renewal may have happened, and VTEX's public API can neither tell nor undo \
                 it. Look at {app_key} in the Admin (Account settings → API keys): if a renewal \
                 is pending, undo it there, then run `apikeys rotate {app_key}` again. The old \
                 token still works."
            );
            let _ = self.note(Step::LeftPending, |r| r.reason = Some(reason.clone()));
            return self.end(Outcome::LeftPending {
                stage: Stage::Renew,
                reason,
                advice,
            });
        }
        let client = &self.rotation.client;
        match patiently(|| client.undo_renewal(&app_key)).await {
            Ok(_) => {
                let _ = self.note(Step::Undone, |r| r.reason = Some(reason.clone()));
                self.end(Outcome::Undone {
                    stage: Stage::Renew,
                    reason: format!("{reason} (the server had renewed it)"),
                })
            }
            Err(ClientError::NotFound { .. }) => {
                let reason = format!("{reason}; the server has no renewal pending");
                let _ = self.note(Step::Failed, |r| r.reason = Some(reason.clone()));
                self.end(Outcome::RenewFailed { reason })
            }
            Err(err) => {
                let advice = undo_failed_advice(&app_key, &err);
                self.end(Outcome::LeftPending {
                    stage: Stage::Renew,
                    reason,
                    advice,
                })
            }
        }
    }
}

fn undo_failed_advice(app_key: &str, err: &ClientError) -> String {
    format!(
        "Undoing the renewal failed too ({err}), so it may be pending: the old token still \
         works. The next `apikeys rotate` tries the undo again (or `apikeys keys undo-renewal \
         {app_key}`); then rotate the key again."
    )
}

/// How often a token call refused with 429 is sent again. A 429 means the server did nothing
/// (ours checks the rate before any handler), so sending it again cannot do it twice.
const RATE_LIMITED_TRIES: u32 = 4;
/// The longest pause a Retry-After may ask for before the call is given up.
const LONGEST_PAUSE: std::time::Duration = std::time::Duration::from_secs(30);

/// `call`, sent again after the server's Retry-After while it answers 429.
pub(super) async fn patiently<T, F, Fut>(mut call: F) -> Result<T, ClientError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ClientError>>,
{
    let mut tries = 1;
    loop {
        match call().await {
            Err(ClientError::RateLimited { retry_after, .. })
                if tries < RATE_LIMITED_TRIES
                    && retry_after.is_none_or(|pause| pause <= LONGEST_PAUSE) =>
            {
                tries += 1;
                let pause = retry_after.unwrap_or(std::time::Duration::from_secs(1));
                tokio::time::sleep(pause).await;
            }
            outcome => return outcome,
        }
    }
}
