//! What a bulk deactivation costs (issue 13): N keys (all active) on the reference server in
//! process (`apikeys::server::start` on 127.0.0.1:0, a temp database, `seed_keys: N`), the
//! app's real event loop on a 140×40 TestBackend (tick 200 ms as the real app, no periodic
//! refresh), Ctrl-a marks every row, `t` asks, Enter starts the run. Printed per variant,
//! median / min / max over the runs:
//! - wall time from writing Enter to the first frame after the run ended (its status sentence
//!   or summary) and to the first frame of the refreshed list (no request in flight);
//! - requests the server answered meanwhile (its own per-request log events, counted by a
//!   tracing layer: reads, writes, 429s), next to the run's own count (`Run.requests`);
//! - frames written to the terminal (draws that changed at least one cell) and loop turns;
//! - `t` → first frame of the confirmation.
//!
//! Run: `cargo bench --bench bulk`. Settings (environment):
//! - APIKEYS_BENCH_KEYS  keys to deactivate (default 200; your own key comes on top, skipped)
//! - APIKEYS_BENCH_RUNS  runs per variant, each on a fresh server and app (default 5)
//!
//! Variants: the server unlimited, and `--rate-limit` as burst 20, then 50 a second.

#[path = "bulk/probe.rs"]
mod probe;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use apikeys::server::limits::RateLimit;
use apikeys::server::{Limits, Prepared, ServerConfig};
use apikeys::tui::event_loop::{self, Clipboard};
use apikeys::tui::state::{Header, State};
use apikeys::vtex::{ClientError, ClientOptions, Credentials, VtexClient};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use tokio::sync::{mpsc, watch};

use secrecy::SecretString;

use probe::{CountingBackend, Served, ServedCount, ServedLayer, Watcher};

/// The longest any awaited moment may take before the bench gives up.
const LIMIT: Duration = Duration::from_secs(300);
/// Idle time before Enter: the loop is quiet and a rate limiter's bucket is full again.
const SETTLE: Duration = Duration::from_secs(1);

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {text:?}")),
        Err(_) => default,
    }
}

/// Nothing is copied in this bench.
struct NoClipboard;

impl Clipboard for NoClipboard {
    fn copy(&mut self, _: &SecretString) -> apikeys::clipboard::Report {
        unreachable!("the bench copies nothing")
    }
    fn copy_app_key(&mut self, _: &str) -> apikeys::clipboard::Report {
        unreachable!("the bench copies nothing")
    }
    fn clear(&mut self) -> Option<String> {
        None
    }
}

/// One run's figures.
#[derive(Debug, Clone, Copy)]
struct Sample {
    confirm_first_frame: Duration,
    to_run_over: Duration,
    to_listed: Duration,
    run: probe::RunFigures,
    served: ServedCount,
    frames_run: usize,
    frames_listed: usize,
    turns_run: usize,
    turns_listed: usize,
}

struct Server {
    running: apikeys::server::RunningServer,
    client: VtexClient,
    app_key: String,
    _dir: tempfile::TempDir,
}

/// A fresh server with `keys` generated keys, every one made active (the seed leaves a tenth
/// inactive), so the run deactivates exactly `keys`.
async fn server(keys: usize, limits: Limits) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = ServerConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        db_path: dir.path().join("bench.sqlite3"),
        account: "bench".into(),
        seed_demo: false,
        seed_keys: keys,
        limits,
    };
    let (running, prepared) = apikeys::server::start(&config).await.expect("server");
    let Prepared::Bootstrapped(admin) = prepared else {
        panic!("a fresh database is bootstrapped");
    };
    let client = VtexClient::new(
        url::Url::parse(&running.base_url()).unwrap(),
        Credentials {
            app_key: admin.app_key.clone(),
            app_token: admin.app_token.clone(),
        },
        ClientOptions::default(),
    )
    .expect("client");
    for key in client.list_keys().await.expect("list") {
        if !key.is_active {
            activate(&client, &key.id).await;
        }
    }
    Server {
        running,
        client,
        app_key: admin.app_key,
        _dir: dir,
    }
}

/// Activates key `id`, waiting out the rate limit the variant sets.
async fn activate(client: &VtexClient, id: &str) {
    loop {
        match client.set_key_active(id, true).await {
            Ok(()) => return,
            Err(ClientError::RateLimited { retry_after, .. }) => {
                tokio::time::sleep(retry_after.unwrap_or(Duration::from_secs(1))).await;
            }
            Err(err) => panic!("cannot activate a seeded key: {err}"),
        }
    }
}

struct App {
    input: mpsc::UnboundedSender<std::io::Result<Event>>,
    seen: watch::Receiver<probe::Seen>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

fn start_app(server: &Server) -> App {
    let client = server.client.clone();
    let header = Header {
        account: "bench".into(),
        profile: "bench".into(),
        caller_key: server.app_key.clone(),
        trading_name: None,
        insecure_http: false,
        token_source: None,
    };
    let (input, events) = mpsc::unbounded_channel();
    let backend = CountingBackend::new(140, 40);
    let (mut watcher, seen) = Watcher::new(backend.frames.clone());
    let task = tokio::spawn(async move {
        let mut terminal = Terminal::new(backend)?;
        let clock = chrono::Utc::now;
        let mut state = State::new(header, clock(), false, Duration::from_secs(3600));
        let parts = event_loop::Parts {
            terminal: &mut terminal,
            client: &client,
            connector: None,
            clipboard: &mut NoClipboard,
            observer: &mut watcher,
            clock: &clock,
            tick: Duration::from_millis(200),
        };
        let mut events = events;
        let input = Box::pin(futures_util::stream::poll_fn(move |cx| {
            events.poll_recv(cx)
        }));
        event_loop::run(parts, &mut state, input).await
    });
    App { input, seen, task }
}

impl App {
    fn key(&self, code: KeyCode, modifiers: KeyModifiers) {
        let event = Event::Key(KeyEvent::new(code, modifiers));
        self.input.send(Ok(event)).expect("the loop runs");
    }

    async fn wait_for(&mut self, what: &str, check: impl Fn(&probe::Seen) -> bool) -> probe::Seen {
        let waited = tokio::time::timeout(LIMIT, self.seen.wait_for(|seen| check(seen)))
            .await
            .map(|seen| seen.map(|seen| seen.clone()));
        match waited {
            Ok(Ok(seen)) => seen,
            _ => panic!("gave up waiting for {what}: {:?}", self.seen.borrow()),
        }
    }

    async fn stop(self) {
        drop(self.input);
        let ended = tokio::time::timeout(LIMIT, self.task).await;
        ended
            .expect("the loop ends with its input")
            .unwrap()
            .unwrap();
    }
}

/// One run: load, mark all, `t`, Enter, and the moments that follow.
async fn run_once(keys: usize, limits: Limits, served: &Served) -> Sample {
    let server = server(keys, limits).await;
    let mut app = start_app(&server);
    app.wait_for("the list", |s| s.rows == keys + 1 && !s.busy)
        .await;
    app.key(KeyCode::Char('a'), KeyModifiers::CONTROL);
    app.wait_for("every row marked", |s| s.marked == keys + 1)
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let asked = Instant::now();
    app.key(KeyCode::Char('t'), KeyModifiers::NONE);
    let confirm = app
        .wait_for("the confirmation", |s| s.confirmation_at.is_some())
        .await;
    tokio::time::sleep(SETTLE).await;
    let before = app.seen.borrow().clone();
    let served_before = served.snapshot();
    let pressed = Instant::now();
    app.key(KeyCode::Enter, KeyModifiers::NONE);
    let after = app
        .wait_for("the refreshed list", |s| s.listed.is_some())
        .await;
    let served = served.snapshot() - served_before;
    check_outcome(&server, keys, &after).await;
    app.stop().await;
    server.running.shutdown().await.expect("server stops");
    let (over, listed) = (after.run_over.unwrap(), after.listed.unwrap());
    Sample {
        confirm_first_frame: confirm.confirmation_at.unwrap() - asked,
        to_run_over: over.at - pressed,
        to_listed: listed.at - pressed,
        run: after.last_run.unwrap(),
        served,
        frames_run: over.frames - before.frames,
        frames_listed: listed.frames - before.frames,
        turns_run: over.turns - before.turns,
        turns_listed: listed.turns - before.turns,
    }
}

/// The run deactivated every key but the caller's, and the list on screen says so.
async fn check_outcome(server: &Server, keys: usize, after: &probe::Seen) {
    let expected = format!("Deactivated {keys} keys.");
    assert!(
        after
            .status
            .as_deref()
            .is_some_and(|s| s.contains(&expected)),
        "the run did not end with {expected:?}: {:?}",
        after.status
    );
    let run = after.last_run.expect("a run was seen");
    // (Seen while the run went on: the last answer ends it in the same turn.)
    assert_eq!(run.total, keys, "every key was sent");
    assert_eq!(
        after.active_rows, 1,
        "the refreshed list shows only yours active"
    );
    let listed = server.client.list_keys().await.expect("list");
    let active = listed.iter().filter(|k| k.is_active).count();
    assert_eq!(active, 1, "the server holds only the caller's key active");
}

/// "median X (min Y, max Z)" of `values`, formatted by `show`.
fn spread<T: Copy + PartialOrd>(values: &[T], show: impl Fn(T) -> String) -> String {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = sorted[(sorted.len() - 1) / 2];
    format!(
        "median {} (min {}, max {})",
        show(median),
        show(sorted[0]),
        show(sorted[sorted.len() - 1])
    )
}

fn print(name: &str, keys: usize, samples: &[Sample]) {
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let n = |v: usize| v.to_string();
    let of = |f: fn(&Sample) -> usize| samples.iter().map(f).collect::<Vec<_>>();
    let time = |f: fn(&Sample) -> Duration| samples.iter().map(f).collect::<Vec<_>>();
    println!("\n{name}: deactivate {keys} keys, {} runs", samples.len());
    println!(
        "  Enter → run over (status)   {}",
        spread(&time(|s| s.to_run_over), ms)
    );
    println!(
        "  Enter → refreshed list      {}",
        spread(&time(|s| s.to_listed), ms)
    );
    println!(
        "  server: requests answered   {}",
        spread(&of(|s| s.served.total), n)
    );
    println!(
        "          … GET / PUT / 429   {} / {} / {}",
        spread(&of(|s| s.served.reads), n),
        spread(&of(|s| s.served.writes), n),
        spread(&of(|s| s.served.too_many), n)
    );
    println!(
        "  app: Run.requests           {}",
        spread(&of(|s| s.run.requests), n)
    );
    println!(
        "       429s met by the run    {}",
        spread(&of(|s| s.run.rate_limited), n)
    );
    println!(
        "       failed                 {}",
        spread(&of(|s| s.run.failed), n)
    );
    println!(
        "  frames written: run / +list {} / {}",
        spread(&of(|s| s.frames_run), n),
        spread(&of(|s| s.frames_listed), n)
    );
    println!(
        "  loop turns:     run / +list {} / {}",
        spread(&of(|s| s.turns_run), n),
        spread(&of(|s| s.turns_listed), n)
    );
    println!(
        "  t → first confirmation frame {}",
        spread(&time(|s| s.confirm_first_frame), ms)
    );
}

/// The quickest `requests` can go under `limit` from a full bucket (the run's requests and
/// the one listing), for comparison with the measured run.
fn floor(requests: usize, limit: RateLimit) -> String {
    let beyond_burst = requests.saturating_sub(limit.burst as usize) as u32;
    let quickest = limit.refill_every * beyond_burst;
    format!(
        "{:.1} ms for {requests} requests",
        quickest.as_secs_f64() * 1000.0
    )
}

#[tokio::main]
async fn main() {
    use tracing_subscriber::layer::{Layer, SubscriberExt};
    let keys = env_number("APIKEYS_BENCH_KEYS", 200).max(1);
    let runs = env_number("APIKEYS_BENCH_RUNS", 5).max(1);
    let served = std::sync::Arc::new(Served::default());
    let only_server =
        tracing_subscriber::filter::filter_fn(|m| m.target().starts_with("apikeys::server"));
    let subscriber =
        tracing_subscriber::registry().with(ServedLayer(served.clone()).with_filter(only_server));
    tracing::subscriber::set_global_default(subscriber).expect("one subscriber");

    let rate_limited = Limits {
        rate_limit: Some(RateLimit {
            burst: 20,
            refill_every: Duration::from_millis(20),
        }),
        ..Limits::default()
    };
    let variants = [
        ("unlimited server", Limits::default()),
        ("--rate-limit (burst 20, then 50/s)", rate_limited),
    ];
    for (name, limits) in variants {
        let mut samples = Vec::new();
        for _ in 0..runs {
            samples.push(run_once(keys, limits.clone(), &served).await);
        }
        print(name, keys, &samples);
        if let Some(limit) = limits.rate_limit {
            println!("  the budget alone allows     {}", floor(keys + 1, limit));
        }
    }
}
