//! Median latency of an authenticated `GET /api/vlm/appkeys` against 10 000 keys, over real
//! HTTP on loopback. Run: `cargo bench --bench list_latency` (APIKEYS_BENCH_KEYS and
//! APIKEYS_BENCH_ROUNDS change the size).

use std::time::{Duration, Instant};

use apikeys::server::store::{accounts, keys};
use apikeys::server::time::now_vtex;
use apikeys::server::{self, Prepared, ServerConfig};
use secrecy::ExposeSecret;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let key_count = env_or("APIKEYS_BENCH_KEYS", 10_000);
    let rounds = env_or("APIKEYS_BENCH_ROUNDS", 200);
    let dir = tempfile::tempdir()?;
    let config = ServerConfig {
        bind: "127.0.0.1:0".parse()?,
        db_path: dir.path().join("bench.sqlite3"),
        account: "bench".into(),
        seed_demo: false,
        seed_keys: 0,
        limits: server::Limits::default(),
    };
    let (running, prepared) = server::start(&config).await?;
    let Prepared::Bootstrapped(admin) = prepared else {
        anyhow::bail!("expected a fresh database");
    };
    let started = Instant::now();
    running.store.blocking(|conn| {
        let tx = conn.transaction()?;
        let account_id = accounts::find(&tx, "bench")?.expect("bench account");
        let now = now_vtex();
        for n in 1..key_count {
            keys::insert(
                &tx,
                account_id,
                "bench",
                &keys::NewKey {
                    label: &format!("Integration {n:05}"),
                    created_in: &now,
                    token_created: &now,
                    is_active: n % 7 != 0,
                    suffix: None,
                },
            )?;
        }
        Ok(tx.commit()?)
    })?;
    println!("inserted {key_count} keys in {:.2?}", started.elapsed());

    let client = reqwest::Client::new();
    for (name, path) in [
        ("GET /api/vlm/appkeys", "/api/vlm/appkeys"),
        (
            "GET /api/vlm/appkeys?expand=roles,token",
            "/api/vlm/appkeys?expand=roles,token",
        ),
    ] {
        let url = format!("{}{}", running.base_url(), path);
        let mut samples = Vec::with_capacity(rounds);
        let mut bytes = 0;
        for round in 0..rounds + 10 {
            let started = Instant::now();
            let response = client
                .get(&url)
                .header("X-VTEX-API-AppKey", &admin.app_key)
                .header("X-VTEX-API-AppToken", admin.app_token.expose_secret())
                .send()
                .await?
                .error_for_status()?;
            let body = response.bytes().await?;
            // The first rounds warm the connection and SQLite's page cache.
            if round >= 10 {
                samples.push(started.elapsed());
                bytes = body.len();
            }
        }
        samples.sort();
        println!(
            "{name}: {key_count} keys, {bytes} bytes, {rounds} rounds: median {:.2?}, p95 {:.2?}, min {:.2?}, max {:.2?}",
            percentile(&samples, 0.5),
            percentile(&samples, 0.95),
            samples[0],
            samples[samples.len() - 1],
        );
    }
    running.shutdown().await
}
