//! The first start is crash-safe: admin.json is written atomically before the commit, so
//! after a `kill -9` at any point the next start works, and the credentials file, whenever
//! the database holds the account, signs in.

#[path = "support/serve_process.rs"]
mod serve_process;

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use apikeys::server::{self, Prepared, ServerConfig};
use reqwest::StatusCode;

const ROUNDS: u64 = 60;
/// Kills are spread from 0 ms to at least this, and at least to how long a first start takes
/// on this machine (a debug build takes longer than a release one).
const MIN_SPREAD_MS: u64 = 30;

fn admin_json(db: &Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".admin.json");
    name.into()
}

/// Signs in with the credentials file and asks who it is.
async fn file_signs_in(base_url: &str, db: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(admin_json(db)).map_err(|err| err.to_string())?;
    let creds: serde_json::Value = serde_json::from_str(&text).map_err(|err| err.to_string())?;
    let response = reqwest::Client::new()
        .get(format!("{base_url}/api/vlm/session"))
        .header("X-VTEX-API-AppKey", creds["appKey"].as_str().unwrap_or(""))
        .header(
            "X-VTEX-API-AppToken",
            creds["appToken"].as_str().unwrap_or(""),
        )
        .send()
        .await
        .map_err(|err| err.to_string())?;
    match response.status() {
        StatusCode::OK => Ok(()),
        other => Err(format!("the credentials file got {other}")),
    }
}

#[tokio::test]
async fn a_stale_credentials_file_over_an_empty_database_is_replaced() {
    // What a crash after writing admin.json but before the commit leaves behind.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.sqlite3");
    std::fs::write(
        admin_json(&db),
        "{\"appKey\": \"stale\", \"appToken\": \"stale\"}\n",
    )
    .unwrap();
    let config = ServerConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        db_path: db.clone(),
        account: "acme".into(),
        seed_demo: false,
        seed_keys: 0,
        limits: apikeys::server::Limits::default(),
    };
    let (running, prepared) = server::start(&config).await.expect("the start must work");
    assert!(matches!(prepared, Prepared::Bootstrapped(_)));
    file_signs_in(&running.base_url(), &db).await.unwrap();
    running.shutdown().await.unwrap();
}

/// How long an undisturbed first start takes to listen, in ms.
fn first_start_ms() -> u64 {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let serving = serve_process::serve(&dir.path().join("probe.sqlite3"), &["--seed-demo"]);
    let elapsed = started.elapsed().as_millis();
    serving.stop();
    u64::try_from(elapsed).unwrap_or(u64::MAX)
}

/// What a killed first start left: (database holds the account, admin.json exists).
fn left_behind(db: &Path) -> (bool, bool) {
    let holds_account = db.exists()
        && rusqlite::Connection::open(db)
            .and_then(|conn| {
                conn.query_row("SELECT count(*) FROM accounts", [], |r| r.get::<_, i64>(0))
            })
            .is_ok_and(|count| count > 0);
    (holds_account, admin_json(db).exists())
}

#[tokio::test]
async fn a_kill_9_at_any_point_of_the_first_start_leaves_a_startable_database() {
    let spread_ms = MIN_SPREAD_MS.max(first_start_ms());
    let mut mid_start = 0;
    let mut states = std::collections::BTreeMap::new();
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data/server.sqlite3");
        let delay = Duration::from_micros(round * spread_ms * 1000 / (ROUNDS - 1));
        // Every other round seeds the demo data: a longer first transaction.
        let extra: &[&str] = if round % 2 == 0 {
            &[]
        } else {
            &["--seed-demo"]
        };
        let mut child = serve_process::command(&db, extra).spawn().unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap();
        child.wait().unwrap();
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        if !stdout.contains("listening on") {
            mid_start += 1;
        }
        let state = left_behind(&db);
        *states.entry(state).or_insert(0) += 1;

        let serving = serve_process::serve(&db, extra);
        let signed_in = file_signs_in(&serving.base_url, &db).await;
        serving.stop();
        signed_in.unwrap_or_else(|err| {
            panic!("round {round} (killed after {delay:?}, left {state:?}): {err}")
        });
    }
    eprintln!(
        "{ROUNDS} kills at 0–{spread_ms} ms: {mid_start} before the server listened; \
         left (db holds account, admin.json exists): {states:?}"
    );
}
