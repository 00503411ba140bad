//! Ctrl-C or SIGTERM (cron, systemd) during a run: the keys under way are dropped — their
//! sinks' process groups killed — and what they left open in the journal is settled at once
//! (renewals not handed off undone, verified ones finished), so nothing is left for a later
//! run to find. The keys not started are reported so. A second signal ends apikeys at once
//! (the journal lets the next run settle what is left).

use std::sync::Mutex;

use apikeys::rotation::{self, Event, KeyReport, Rotation, Target};

use super::report;

/// Runs the rotation until it ends or a signal comes.
pub async fn run(rotation: &Rotation, targets: Vec<Target>) -> Vec<KeyReport> {
    let done = Mutex::new(Vec::new());
    let on_event = |event: Event| {
        if let Event::Done(key) = event {
            eprintln!("{}", report::progress_line(&key));
            done.lock().unwrap_or_else(|p| p.into_inner()).push(key);
        }
    };
    let signal = tokio::select! {
        reports = rotation.run(targets.clone(), &on_event) => return reports,
        signal = interrupted() => signal,
    };
    eprintln!(
        "{signal}: stopping. The keys under way are taken back (their sinks killed); no other \
         key is started. {signal} again ends apikeys at once."
    );
    let again = tokio::spawn(async {
        interrupted().await;
        std::process::exit(130);
    });
    let mut reports = done.into_inner().unwrap_or_else(|p| p.into_inner());
    rotation.mark_interrupted();
    let settled = rotation.reconcile().await.unwrap_or_default();
    again.abort();
    // Only this run's keys: what earlier runs left was reported when this one began.
    for mut key in settled {
        if targets.iter().any(|t| t.app_key == key.target.app_key) {
            key.from_journal = false;
            reports.push(key);
        }
    }
    for target in targets {
        if !reports.iter().any(|r| r.target.app_key == target.app_key) {
            reports.push(rotation::not_started(target));
        }
    }
    reports
}

/// Waits for SIGINT or SIGTERM; says which.
async fn interrupted() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return "Ctrl-C";
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => "Ctrl-C",
            _ = term.recv() => "SIGTERM",
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
