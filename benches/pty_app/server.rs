//! `apikeys serve` on a temp database filled with generated keys, started once per bench run.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use secrecy::SecretString;

/// The account the bench's server holds.
pub const ACCOUNT: &str = "bench";

pub struct BenchServer {
    child: Child,
    pub base_url: String,
    pub app_key: String,
    pub app_token: SecretString,
    /// How long the server took from exec to "listening on" (seeding included).
    pub started_in: Duration,
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether this build of `apikeys serve` knows `--seed-keys` (the old one only `--seed-demo`).
pub fn has_seed_keys() -> bool {
    let help = Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args(["serve", "--help"])
        .output()
        .expect("run apikeys serve --help");
    String::from_utf8_lossy(&help.stdout).contains("--seed-keys")
}

/// Starts `apikeys serve` on a fresh database under `dir` with `seed` (e.g. `--seed-keys
/// 100000`), and waits (up to 120 s) for its admin credentials and its address.
pub fn start(dir: &Path, seed: &[String]) -> BenchServer {
    let log = std::fs::File::create(dir.join("serve.log")).expect("create serve.log");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--account",
            ACCOUNT,
            "--db",
        ])
        .arg(dir.join("bench.sqlite3"))
        .args(seed)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("spawn apikeys serve");
    let lines = stdout_lines(&mut child);
    let (mut app_key, mut app_token) = (None, None);
    loop {
        let Ok(line) = lines.recv_timeout(Duration::from_secs(120)) else {
            let _ = child.kill();
            let log = std::fs::read_to_string(dir.join("serve.log")).unwrap_or_default();
            panic!("apikeys serve did not print its address; its log:\n{log}");
        };
        if let Some(value) = field(&line, "appKey:") {
            app_key = Some(value);
        } else if let Some(value) = field(&line, "appToken:") {
            app_token = Some(SecretString::from(value));
        } else if let Some(url) = line.split("listening on ").nth(1) {
            let base_url = url
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            return BenchServer {
                child,
                base_url,
                app_key: app_key.expect("the server printed no appKey"),
                app_token: app_token.expect("the server printed no appToken"),
                started_in: started.elapsed(),
            };
        }
    }
}

/// The value after `name` on a line such as "  appKey:   vtexappkey-bench-ABCDEF".
fn field(line: &str, name: &str) -> Option<String> {
    let value = line.trim_start().strip_prefix(name)?.trim();
    Some(value.to_string())
}

fn stdout_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}
