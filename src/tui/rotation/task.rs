//! The rotation run and the journal reading, on tokio tasks: what they find comes back to the
//! app as actions, so `update` stays free of I/O.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::{Progress, Request, due_from};
use crate::rotation::journal::{self, Journal};
use crate::rotation::{Event, Rotation};
use crate::tui::action::Action;
use crate::tui::strings::rotation as text;
use crate::vtex::VtexClient;

/// Opens the journal (refused while another run holds it), settles what an earlier run left
/// open, then rotates each key; every step is reported as `Action::Rotation`.
pub async fn run(client: VtexClient, request: Request, results: UnboundedSender<Action>) {
    let send = move |progress: Progress| {
        let _ = results.send(Action::Rotation(progress));
    };
    let path = request.journal.clone();
    let opened = tokio::task::spawn_blocking(move || Journal::open(&path)).await;
    let journal = match opened {
        Ok(Ok(journal)) => Arc::new(journal),
        Ok(Err(err)) => return send(Progress::Failed(text::cannot_start(&err.to_string()))),
        Err(_) => return send(Progress::Failed(text::cannot_start(text::TASK_STOPPED))),
    };
    let settings = request.prepared.settings();
    let rotation = match Rotation::new(client, journal, request.server, settings).await {
        Ok(rotation) => rotation,
        Err(err) => return send(Progress::Failed(text::cannot_start(&err.to_string()))),
    };
    send(Progress::Started(rotation.stopper()));
    match rotation.reconcile().await {
        Ok(reports) => send(Progress::Reconciled(reports)),
        Err(err) => return send(Progress::Failed(text::journal_unreadable(&err.to_string()))),
    }
    let on_event = |event: Event| match event {
        Event::Step { app_key, stage } => send(Progress::Step { app_key, stage }),
        Event::Done(report) => send(Progress::Done(report)),
    };
    rotation.run(request.targets, &on_event).await;
    send(Progress::Finished);
}

/// Reads the journal without its lock (a run may hold it) and reports the keys of `account`
/// whose grace is running (for `server`, the profile the answer is for); an unreadable
/// journal reports none.
pub async fn read_due(
    path: PathBuf,
    server: String,
    account: String,
    results: UnboundedSender<Action>,
) {
    let read = tokio::task::spawn_blocking(move || journal::read(&path)).await;
    let due = match read {
        Ok(Ok(contents)) => due_from(contents.records, &account),
        _ => Default::default(),
    };
    let _ = results.send(Action::RotationDue { server, due });
}
