//! What an export of a big account costs (issue 15): N keys seeded on the reference server in
//! process (`apikeys::server::start` on 127.0.0.1:0, a temp database, `seed_keys: N`, as
//! `serve --seed-keys N`), then, as `apikeys export` does it:
//! - gathering: the listing with roles and token dates (`expand`) and the external keys;
//! - for each format (xlsx, csv, json): making the file's bytes, and writing them to a new
//!   0600 file; the file's size;
//! - against the stand-in for VTEX's public API (`--public-api-only`, no `expand`), gathering
//!   with every key's roles fetched on their own (6 at a time), on APIKEYS_BENCH_PUBLIC_KEYS.
//!
//! Run: `cargo bench --bench export`. Settings (environment):
//! - APIKEYS_BENCH_KEYS         keys to export (default 100000)
//! - APIKEYS_BENCH_PUBLIC_KEYS  keys for the public-API variant (default 10000; 0 skips it)
//! - APIKEYS_BENCH_RUNS         runs of each rendering (default 3; the median is printed)

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use apikeys::export::collect::{self, Wanted};
use apikeys::export::{self, CsvSheet, Export, Format, file};
use apikeys::server::{Limits, Prepared, RunningServer, ServerConfig};
use apikeys::vtex::{ClientOptions, Credentials, VtexClient};

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {text:?}")),
        Err(_) => default,
    }
}

/// A server seeded with `keys` keys, and a client signed in as its admin.
async fn server(
    dir: &std::path::Path,
    keys: usize,
    limits: Limits,
) -> (RunningServer, VtexClient, Duration) {
    let config = ServerConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        db_path: dir.join(format!("bench-{keys}.sqlite3")),
        account: "bench".into(),
        seed_demo: false,
        seed_keys: keys,
        limits,
    };
    let started = Instant::now();
    let (running, prepared) = apikeys::server::start(&config).await.expect("server");
    let seeded = started.elapsed();
    let Prepared::Bootstrapped(admin) = prepared else {
        panic!("a fresh database is bootstrapped");
    };
    let options = ClientOptions {
        timeout: Duration::from_secs(3600),
        ..ClientOptions::default()
    };
    let client = VtexClient::new(
        url::Url::parse(&running.base_url()).unwrap(),
        Credentials {
            app_key: admin.app_key,
            app_token: admin.app_token,
        },
        options,
    )
    .expect("client");
    (running, client, seeded)
}

async fn gather(client: &VtexClient) -> (Export, Duration) {
    let started = Instant::now();
    let export = collect::gather(client, Wanted::BOTH, |_, _| {})
        .await
        .expect("gather");
    (export, started.elapsed())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}

/// Renders and writes `format` `runs` times; prints the medians and the size.
fn measure(export: &Export, format: Format, runs: usize, dir: &std::path::Path) {
    let mut rendering = Vec::new();
    let mut writing = Vec::new();
    let mut size = 0;
    for run in 0..runs {
        let started = Instant::now();
        let bytes = export::render(export, format, CsvSheet::Generated).expect("render");
        rendering.push(started.elapsed());
        let path = dir.join(format!("run-{run}.{}", format.extension()));
        let started = Instant::now();
        file::write_new(&path, &bytes).expect("write");
        writing.push(started.elapsed());
        size = bytes.len();
        std::fs::remove_file(&path).unwrap();
    }
    println!(
        "{:<5} render {:>8}  write {:>6}  size {:>6.1} MB ({size} bytes)",
        format.extension(),
        ms(median(rendering)),
        ms(median(writing)),
        size as f64 / 1e6,
    );
}

#[tokio::main]
async fn main() {
    let keys = env_number("APIKEYS_BENCH_KEYS", 100_000);
    let public_keys = env_number("APIKEYS_BENCH_PUBLIC_KEYS", 10_000);
    let runs = env_number("APIKEYS_BENCH_RUNS", 3).max(1);
    let dir = tempfile::tempdir().expect("temp dir");

    let (running, client, seeded) = server(dir.path(), keys, Limits::default()).await;
    let (export, gathered) = gather(&client).await;
    let external = export.external.as_ref().map_or(0, Vec::len);
    println!(
        "{} generated + {external} external keys (seeded in {}); gathered with expand in {}",
        export.generated.as_ref().map_or(0, Vec::len),
        ms(seeded),
        ms(gathered)
    );
    for format in [Format::Xlsx, Format::Csv, Format::Json] {
        measure(&export, format, runs, dir.path());
    }
    running.shutdown().await.expect("shutdown");

    if public_keys > 0 {
        let limits = Limits {
            public_api_only: true,
            ..Limits::default()
        };
        let (running, client, _) = server(dir.path(), public_keys, limits).await;
        let (export, gathered) = gather(&client).await;
        println!(
            "public API: {} keys gathered, roles fetched per key, in {} ({:.0} keys/s)",
            export.generated.as_ref().map_or(0, Vec::len),
            ms(gathered),
            export.generated.as_ref().map_or(0, Vec::len) as f64 / gathered.as_secs_f64()
        );
        running.shutdown().await.expect("shutdown");
    }
}
