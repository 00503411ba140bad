//! End to end: the real binary (bench profile: optimized) in a real 200×60 pseudo-terminal,
//! against a real local `apikeys serve` holding N generated keys. Prints exec → first frame
//! with data, the latency of a filter keystroke (typing and backspace), a sort change and a
//! cursor move — each from writing the key's bytes to the pty to the first byte of the redraw
//! read back — and the app's memory.
//!
//! Run: `cargo bench --bench pty_app`. Settings (environment):
//! - APIKEYS_BENCH_KEYS   keys the server holds (default 100000; `--seed-keys N`)
//! - APIKEYS_BENCH_STARTS how many times the app is started for exec → first frame (default 5)
//! - APIKEYS_BENCH_ROUNDS rounds of each timed phase (default 6; one round types and erases
//!   every query, and presses the sort key and j/k 40 times each)
//!
//! Before each key the bench waits until the terminal has been quiet for 50 ms, so the first
//! byte it times belongs to that key's redraw; the app runs with `--refresh 0` (no periodic
//! refresh), and a sample whose first byte was read before the key was written is discarded.

#[path = "pty_app/server.rs"]
mod server;
#[path = "pty_app/stats.rs"]
mod stats;
#[path = "pty_app/terminal.rs"]
mod terminal;

use std::path::Path;
use std::time::Duration;

use secrecy::ExposeSecret;

use server::BenchServer;
use terminal::{KeyTiming, PtyApp};

/// The queries typed into the filter, character by character, then erased with backspace.
const QUERIES: &[&str] = &["integracao", "erp paulo"];
/// Sort presses and cursor moves per round.
const PRESSES_PER_ROUND: usize = 40;
/// No byte for this long: the app's redraw is over.
const QUIET: Duration = Duration::from_millis(50);
/// The most exec → first frame may take before the bench gives up.
const LOAD_LIMIT: Duration = Duration::from_secs(120);

struct Settings {
    keys: usize,
    starts: usize,
    rounds: usize,
}

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {text:?}")),
        Err(_) => default,
    }
}

impl Settings {
    fn from_env() -> Settings {
        Settings {
            keys: env_number("APIKEYS_BENCH_KEYS", 100_000),
            starts: env_number("APIKEYS_BENCH_STARTS", 5).max(1),
            rounds: env_number("APIKEYS_BENCH_ROUNDS", 6).max(1),
        }
    }
}

/// Latency samples of one kind of key (to the first byte of the redraw, and to its last
/// byte), and how many were thrown away.
#[derive(Default, Clone)]
struct Timings {
    first: Vec<Duration>,
    last: Vec<Duration>,
    discarded: usize,
}

impl Timings {
    fn record(&mut self, timing: KeyTiming) {
        match timing {
            KeyTiming::Redraw { first, last } => {
                self.first.push(first);
                self.last.push(last);
            }
            KeyTiming::Early | KeyTiming::Silent => self.discarded += 1,
        }
    }

    fn join(mut self, other: &Timings) -> Timings {
        self.first.extend(&other.first);
        self.last.extend(&other.last);
        self.discarded += other.discarded;
        self
    }

    fn print(&self, name: &str, keys: usize) {
        stats::print_median_p99(name, keys, &self.first, &self.last, self.discarded);
    }
}

/// The server, and the least key count the app must show once loaded. Without `--seed-keys`
/// (an older build) it falls back to `--seed-demo` and says so.
fn start_server(dir: &Path, keys: usize) -> (BenchServer, usize) {
    if server::has_seed_keys() {
        let seed = ["--seed-keys".to_string(), keys.to_string()];
        (server::start(dir, &seed), keys)
    } else {
        eprintln!("note: this build has no `serve --seed-keys`; measuring --seed-demo (60 keys)");
        (server::start(dir, &["--seed-demo".to_string()]), 60)
    }
}

/// The count in the tab "Generated keys (N)" or, filtered, "Generated keys (M/N)": N.
fn shown_key_count(screen: &str) -> Option<usize> {
    let after = screen.split("Generated keys (").nth(1)?;
    let inside = after.split(')').next()?;
    let total = inside.rsplit('/').next()?;
    total.trim().parse().ok()
}

fn main() {
    let settings = Settings::from_env();
    let dir = tempfile::tempdir().expect("a temp dir");
    let (server, expected) = start_server(dir.path(), settings.keys);
    println!(
        "server: {} keys seeded and listening in {:.2?}",
        expected, server.started_in
    );
    let url = server.base_url.clone();
    let args = [
        "--account",
        server::ACCOUNT,
        "--base-url",
        &url,
        "--refresh",
        "0",
    ];
    let env = [
        ("VTEX_APP_KEY", server.app_key.as_str()),
        ("VTEX_APP_TOKEN", server.app_token.expose_secret()),
    ];
    let spawn = || PtyApp::spawn(&args, &env, dir.path());
    let (mut app, starts) = measure_starts(spawn, settings.starts, expected);
    let keys = shown_key_count(&app.screen()).unwrap_or(expected);
    let loaded = memory(app.pid());

    let cursor = measure_cursor(&mut app, settings.rounds);
    let sort = measure_sort(&mut app, settings.rounds);
    let (typing, backspace) = measure_filter(&mut app, settings.rounds);
    let filtered = memory(app.pid());
    app.quit();
    drop(server);

    println!();
    println!(
        "exec → first frame with data ({keys} keys, {} starts): median {}, max {}",
        starts.len(),
        stats::ms(stats::median(&starts)),
        stats::ms(stats::max(&starts)),
    );
    typing.print("filter keystroke, typing", keys);
    backspace.print("filter keystroke, backspace", keys);
    let both = typing.clone().join(&backspace);
    both.print("filter keystroke, both", keys);
    sort.print("sort change (s)", keys);
    cursor.print("cursor move (j/k)", keys);
    println!(
        "memory ({keys} keys): VmRSS after load {}, after filtering {}, VmHWM (peak) {}",
        loaded.rss, filtered.rss, filtered.hwm
    );
}

/// Starts the app `starts` times and times exec → the first screen showing `expected` keys or
/// more; quits all but the last start, which is returned for the other measurements.
fn measure_starts(
    spawn: impl Fn() -> PtyApp,
    starts: usize,
    expected: usize,
) -> (PtyApp, Vec<Duration>) {
    let mut times = Vec::new();
    loop {
        let mut app = spawn();
        let shown = app.wait_for_screen(LOAD_LIMIT, |screen| {
            shown_key_count(screen).is_some_and(|count| count >= expected)
        });
        times.push(shown - app.spawned);
        println!(
            "start {}: first frame with data after {:.2?}",
            times.len(),
            times.last().unwrap()
        );
        // Let the rest of the start (the other pane's list, the account's name) arrive.
        app.drain_until_quiet(Duration::from_millis(500), Duration::from_secs(30));
        if times.len() == starts {
            return (app, times);
        }
        app.quit();
    }
}

/// j then k, PRESSES_PER_ROUND / 2 of each, per round: the selection moves down and back.
fn measure_cursor(app: &mut PtyApp, rounds: usize) -> Timings {
    let mut timings = Timings::default();
    for _ in 0..rounds {
        for key in [b"j", b"k"] {
            for _ in 0..PRESSES_PER_ROUND / 2 {
                timings.record(app.time_key(key, QUIET));
            }
        }
    }
    timings
}

/// The sort key, pressed PRESSES_PER_ROUND times per round (it cycles through the columns).
fn measure_sort(app: &mut PtyApp, rounds: usize) -> Timings {
    let mut timings = Timings::default();
    for _ in 0..rounds * PRESSES_PER_ROUND {
        timings.record(app.time_key(b"s", QUIET));
    }
    timings
}

/// Opens the filter line, then per round types each query character by character and erases
/// it with backspace; leaves the filter line (Esc) at the end.
fn measure_filter(app: &mut PtyApp, rounds: usize) -> (Timings, Timings) {
    let (mut typing, mut backspace) = (Timings::default(), Timings::default());
    app.time_key(b"/", QUIET);
    for _ in 0..rounds {
        for query in QUERIES {
            for c in query.chars() {
                let mut bytes = [0u8; 4];
                typing.record(app.time_key(c.encode_utf8(&mut bytes).as_bytes(), QUIET));
            }
            for _ in query.chars() {
                backspace.record(app.time_key(b"\x7f", QUIET));
            }
        }
    }
    app.time_key(b"\x1b", QUIET);
    app.drain_until_quiet(QUIET, Duration::from_secs(10));
    (typing, backspace)
}

/// VmRSS and VmHWM of a process, as /proc/PID/status writes them ("63412 kB").
struct Memory {
    rss: String,
    hwm: String,
}

fn memory(pid: u32) -> Memory {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|value| megabytes(value.trim()))
            .unwrap_or_else(|| "n/a".into())
    };
    Memory {
        rss: field("VmRSS:"),
        hwm: field("VmHWM:"),
    }
}

/// "63412 kB" → "61.9 MiB".
fn megabytes(kilobytes: &str) -> String {
    match kilobytes.trim_end_matches("kB").trim().parse::<f64>() {
        Ok(kb) => format!("{:.1} MiB", kb / 1024.0),
        Err(_) => kilobytes.to_string(),
    }
}
