//! What the rotation of N keys costs (issue 14): the real binary as a user runs it.
//! Each run starts `apikeys serve --seed-keys N` on a fresh temp database (127.0.0.1, port 0),
//! then times one `apikeys rotate --all --sink '…' --output json` process: the admin key in
//! its environment, a sink script that stores each token in a 0600 file per appKey, its own
//! XDG_STATE_HOME (the journal) and an empty XDG_CONFIG_HOME. Printed per variant (Markdown),
//! median and min–max over the runs: the wall time of the rotate process, the requests the
//! server answered (its own log, by kind), the keys by outcome (the JSON report), the journal's
//! lines and bytes after the run and its lines per key, the keys left with a renewal pending
//! (the server's listing), the CPU time of the rotate process with its sinks and of the
//! server, the report's own times per key and step and the server's own latency per request
//! kind (its log's `latency_ms`; median, p90, max).
//!
//! Variants: `--jobs 4` (the default), `--jobs 1`, and `--grace 1h` followed by two
//! `--finish-due`: one at once (nothing is due) and one with the journal's `finishDue` moved
//! an hour back (as if the hour had passed; the old tokens are deleted then).
//!
//! Checked, not timed: every token the sink stored logs in (VTEX ID's login) on the first run
//! of each variant, a wrong token does not, and no stored token is in the journal, stdout or
//! stderr of any run (a text with a token planted in it is caught, so the check can fail).
//!
//! Run: `cargo bench --bench rotate`. Settings (environment):
//! - APIKEYS_BENCH_KEYS  keys the server is seeded with (default 100; `--seed-keys N`)
//! - APIKEYS_BENCH_RUNS  runs per variant, each on a fresh database (default 5)

#[path = "rotate/check.rs"]
mod check;
#[path = "rotate/run.rs"]
mod run;
#[path = "rotate/server.rs"]
mod server;

use std::collections::BTreeMap;
use std::time::Duration;

use run::{Finished, Home, JournalFigures};
use server::Served;

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {text:?}")),
        Err(_) => default,
    }
}

/// One measured process: its figures, and the requests it caused.
struct Phase {
    run: Finished,
    served: Served,
    journal: JournalFigures,
    /// Keys with a renewal pending after it (the server's listing).
    pending: usize,
    /// The server's CPU time during it.
    server_cpu: Duration,
}

/// The phases of one run of a variant, on one fresh server.
struct Sample {
    phases: Vec<Phase>,
}

#[derive(Clone, Copy)]
enum Variant {
    Jobs(usize),
    GraceThenFinishDue,
}

impl Variant {
    fn name(self) -> String {
        match self {
            Variant::Jobs(4) => "`--all` (jobs 4, the default)".into(),
            Variant::Jobs(n) => format!("`--all --jobs {n}`"),
            Variant::GraceThenFinishDue => "`--all --grace 1h`".into(),
        }
    }

    fn phase_names(self) -> Vec<String> {
        match self {
            Variant::Jobs(_) => vec![self.name()],
            Variant::GraceThenFinishDue => vec![
                self.name(),
                "then `--finish-due` (nothing due yet)".into(),
                "then `--finish-due` an hour later".into(),
            ],
        }
    }
}

fn main() {
    let keys = env_number("APIKEYS_BENCH_KEYS", 100);
    let runs = env_number("APIKEYS_BENCH_RUNS", 5).max(1);
    println!("rotation of {keys} seeded keys, {runs} runs per variant, a fresh database each\n");
    let variants = [
        Variant::Jobs(4),
        Variant::Jobs(1),
        Variant::GraceThenFinishDue,
    ];
    let mut results = Vec::new();
    for variant in variants {
        let samples: Vec<Sample> = (0..runs)
            .map(|at| measure(variant, keys, at == 0))
            .collect();
        results.push((variant, samples));
    }
    print_table(&results);
    print_steps(&results);
    print_latencies(&results);
    print_samples(&results);
}

/// One run of `variant` on a fresh server; `check_logins`: log in with every stored token.
fn measure(variant: Variant, keys: usize, check_logins: bool) -> Sample {
    let dir = tempfile::tempdir().expect("a temp dir");
    let server = server::start(dir.path(), keys);
    let home = Home::new(dir.path());
    let sink = home.sink_command();
    let mut phases = Vec::new();
    let mut before = server.served();
    let mut phase = |args: &[&str]| {
        let server_cpu_before = server.cpu();
        let run = run::rotate(&server, &home, args);
        let server_cpu = server.cpu() - server_cpu_before;
        let now = server.served();
        let served = minus(&now, &before);
        let journal = run::journal_figures(&home.journal());
        let pending = check::pending_renewals(&server);
        // The check's own listing is not the next phase's.
        before = server.served();
        phases.push(Phase {
            run,
            served,
            journal,
            pending,
            server_cpu,
        });
    };
    match variant {
        Variant::Jobs(jobs) => {
            phase(&["--all", "--sink", &sink, "--jobs", &jobs.to_string()]);
        }
        Variant::GraceThenFinishDue => {
            phase(&["--all", "--sink", &sink, "--grace", "1h"]);
            phase(&["--finish-due"]);
            move_finish_due_back(&home);
            phase(&["--finish-due"]);
        }
    }
    let tokens = check::stored_tokens(&home);
    for phase in &phases {
        check::no_token_leaked(&tokens, &phase.run, &home.journal());
    }
    if check_logins {
        let accepted = check::logins_accepted(&server, &tokens);
        assert_eq!(accepted, tokens.len(), "a stored token does not log in");
        // The checks can fail: a text holding a token is caught, a wrong token refused.
        let holding = format!("before {} after", tokens[0].1);
        assert!(
            check::leaked(&tokens, &holding).is_some(),
            "the leak check sees nothing"
        );
        let wrong = vec![(tokens[0].0.clone(), "not-the-token".to_string())];
        assert_eq!(
            check::logins_accepted(&server, &wrong),
            0,
            "a wrong token logs in"
        );
        println!(
            "{}: all {accepted} stored tokens log in, a wrong one is refused; no token in the \
             journal, stdout or stderr (a planted one is found)",
            variant.name()
        );
    }
    Sample { phases }
}

/// The requests served between two counts.
fn minus(now: &Served, before: &Served) -> Served {
    let by_kind = now
        .by_kind
        .iter()
        .map(|(kind, n)| {
            (
                kind.clone(),
                n - before.by_kind.get(kind).copied().unwrap_or(0),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let latency_ms = now
        .latency_ms
        .iter()
        .map(|(kind, all)| {
            let seen = before.latency_ms.get(kind).map_or(0, Vec::len);
            (kind.clone(), all[seen..].to_vec())
        })
        .filter(|(_, new)| !new.is_empty())
        .collect();
    Served {
        by_kind,
        not_ok: now.not_ok - before.not_ok,
        latency_ms,
    }
}

/// As if an hour had passed: every `finishDue` in the journal set an hour earlier.
fn move_finish_due_back(home: &Home) {
    let path = home.journal();
    let text = std::fs::read_to_string(&path).expect("read the journal");
    let mut out = String::new();
    for line in text.lines() {
        let mut record: serde_json::Value = serde_json::from_str(line).expect("a journal line");
        if let Some(due) = record["finishDue"].as_str() {
            let due = chrono::DateTime::parse_from_rfc3339(due).expect("an RFC 3339 finishDue")
                - chrono::Duration::hours(1);
            record["finishDue"] = due.to_rfc3339().into();
        }
        out += &record.to_string();
        out.push('\n');
    }
    // Written in place: the file keeps its 0600 mode.
    std::fs::write(&path, out).expect("rewrite the journal");
}

fn median_min_max(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    (
        values[values.len() / 2],
        values[0],
        values[values.len() - 1],
    )
}

/// "88" when every run agrees, else "88 (86–90)".
fn agreed(values: Vec<usize>) -> String {
    let (median, min, max) = median_min_max(values.iter().map(|&v| v as f64).collect());
    if min == max {
        format!("{median}")
    } else {
        format!("{median} ({min}–{max})")
    }
}

/// "0.412 (0.380–0.501)".
fn spread(values: Vec<f64>) -> String {
    let (median, min, max) = median_min_max(values);
    format!("{median:.3} ({min:.3}–{max:.3})")
}

fn seconds(wall: Duration) -> f64 {
    wall.as_secs_f64()
}

fn print_table(results: &[(Variant, Vec<Sample>)]) {
    println!(
        "\n| run | wall s, median (min–max) | CPU s rotate + sinks | CPU s server | exit | keys by outcome | skipped | requests | \
         by kind | non-2xx | pending renewals after | journal lines / bytes after | \
         journal lines per key |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (variant, samples) in results {
        for (at, name) in variant.phase_names().iter().enumerate() {
            let phases: Vec<&Phase> = samples.iter().map(|s| &s.phases[at]).collect();
            print_row(name, &phases);
        }
    }
}

fn print_row(name: &str, phases: &[&Phase]) {
    let (median, min, max) = median_min_max(phases.iter().map(|p| seconds(p.run.wall)).collect());
    let exits: Vec<String> = phases
        .iter()
        .map(|p| p.run.exit.map_or("signal".into(), |c| c.to_string()))
        .collect();
    let mut kinds: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut outcomes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for phase in phases {
        for (kind, n) in &phase.served.by_kind {
            kinds.entry(kind.clone()).or_default().push(*n);
        }
        for (outcome, n) in phase.run.outcomes() {
            outcomes.entry(outcome).or_default().push(n);
        }
    }
    let listed = |map: BTreeMap<String, Vec<usize>>| {
        let parts: Vec<String> = map
            .into_iter()
            .map(|(name, values)| format!("{name} {}", agreed(values)))
            .collect();
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(", ")
        }
    };
    let journal =
        |f: fn(&JournalFigures) -> usize| agreed(phases.iter().map(|p| f(&p.journal)).collect());
    let mut per_key: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for phase in phases {
        for (lines, keys) in &phase.journal.lines_per_key {
            per_key.entry(*lines).or_default().push(*keys);
        }
    }
    println!(
        "| {name} | {median:.3} ({min:.3}–{max:.3}) | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} | {} |",
        spread(phases.iter().map(|p| seconds(p.run.cpu)).collect()),
        spread(phases.iter().map(|p| seconds(p.server_cpu)).collect()),
        dedup(exits),
        listed(outcomes),
        agreed(phases.iter().map(|p| p.run.skipped()).collect()),
        agreed(phases.iter().map(|p| p.served.total()).collect()),
        listed(kinds),
        agreed(phases.iter().map(|p| p.served.not_ok).collect()),
        agreed(phases.iter().map(|p| p.pending).collect()),
        journal(|j| j.lines),
        journal(|j| j.bytes as usize),
        lines_per_key(per_key),
    );
}

/// "6 lines: 88 keys", or "empty".
fn lines_per_key(map: BTreeMap<usize, Vec<usize>>) -> String {
    if map.is_empty() {
        return "empty".into();
    }
    map.into_iter()
        .map(|(lines, keys)| {
            let plural = if lines == 1 { "" } else { "s" };
            format!("{lines} line{plural}: {} keys", agreed(keys))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn dedup(mut values: Vec<String>) -> String {
    values.sort();
    values.dedup();
    values.join(", ")
}

/// The report's own times per key (every key of every run): median, p90 and max in ms.
fn print_steps(results: &[(Variant, Vec<Sample>)]) {
    let title = "ms per key: median / p90 / max (the JSON report's figures)";
    print_spreads(results, title, 0, |phase| {
        let times = phase.run.step_times().into_iter();
        times
            .map(|(step, ms)| (step, ms.into_iter().map(|ms| ms as f64).collect()))
            .collect()
    });
}

/// The server's own latency per request kind (its log's `latency_ms`, every run).
fn print_latencies(results: &[(Variant, Vec<Sample>)]) {
    let title = "server ms per request: median / p90 / max (its log)";
    print_spreads(results, title, 2, |phase| phase.served.latency_ms.clone());
}

/// A row per phase: for each name `pick` gives, the median, p90 and max of its values over
/// every run.
fn print_spreads(
    results: &[(Variant, Vec<Sample>)],
    title: &str,
    decimals: usize,
    pick: impl Fn(&Phase) -> BTreeMap<String, Vec<f64>>,
) {
    println!("\n| run | {title} |");
    println!("|---|---|");
    for (variant, samples) in results {
        for (at, name) in variant.phase_names().iter().enumerate() {
            let mut named: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for sample in samples {
                for (key, values) in pick(&sample.phases[at]) {
                    named.entry(key).or_default().extend(values);
                }
            }
            let parts: Vec<String> = named
                .into_iter()
                .map(|(key, mut values)| {
                    values.sort_by(f64::total_cmp);
                    let q = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
                    let (median, p90, max) = (q(0.5), q(0.9), q(1.0));
                    format!("{key} {median:.decimals$} / {p90:.decimals$} / {max:.decimals$}")
                })
                .collect();
            println!("| {name} | {} |", parts.join(" · "));
        }
    }
}

/// One key's journal lines after the first run of each variant (they hold no token).
fn print_samples(results: &[(Variant, Vec<Sample>)]) {
    for (variant, samples) in results {
        for (at, name) in variant.phase_names().iter().enumerate() {
            let sample = &samples[0].phases[at].journal.sample;
            println!("\njournal after {name}, first run, one key:\n```");
            for line in sample {
                println!("{line}");
            }
            println!("```");
        }
    }
}
