//! `apikeys serve` on a fresh temp database seeded with N keys, one per measured run; its
//! requests are counted from its own log (one "served" line per request, method and path).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use secrecy::SecretString;

/// The account the bench's server holds.
pub const ACCOUNT: &str = "bench";

pub struct Server {
    child: Child,
    pub base_url: String,
    pub app_key: String,
    pub app_token: SecretString,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The admin credentials the server writes beside its database on first start.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct AdminFile {
    app_key: String,
    app_token: String,
}

/// Starts `apikeys serve --seed-keys KEYS` on `dir/db.sqlite3`, port 0 on 127.0.0.1, and
/// waits (up to 120 s) for "listening on"; the admin key comes from `<db>.admin.json`.
pub fn start(dir: &Path, keys: usize) -> Server {
    let db = dir.join("db.sqlite3");
    let log = dir.join("serve.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args(["serve", "--bind", "127.0.0.1:0", "--account", ACCOUNT])
        .arg("--db")
        .arg(&db)
        .args(["--seed-keys", &keys.to_string()])
        .env_clear()
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).expect("create serve.log"))
        .spawn()
        .expect("spawn apikeys serve");
    let base_url = wait_for_address(&mut child, &log);
    let text = std::fs::read_to_string(dir.join("db.sqlite3.admin.json"))
        .expect("the server wrote no <db>.admin.json");
    let admin: AdminFile = serde_json::from_str(&text).expect("a readable <db>.admin.json");
    Server {
        child,
        base_url,
        app_key: admin.app_key,
        app_token: SecretString::from(admin.app_token),
        log,
    }
}

fn wait_for_address(child: &mut Child, log: &Path) -> String {
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
    loop {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(120)) else {
            let _ = child.kill();
            let log = std::fs::read_to_string(log).unwrap_or_default();
            panic!("apikeys serve did not print its address; its log:\n{log}");
        };
        if let Some(rest) = line.split("listening on ").nth(1) {
            let url = rest.split_whitespace().next().unwrap_or_default();
            assert!(
                url.starts_with("http://127.0.0.1:"),
                "the server is not on loopback: {url}"
            );
            return url.trim_end_matches('/').to_string();
        }
    }
}

/// Requests the server answered so far, by kind ("renew", "login", "listing", …), and how
/// many of them were not 2xx.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Served {
    pub by_kind: BTreeMap<String, usize>,
    pub not_ok: usize,
    /// The server's own latency of each request (`latency_ms`), by kind, in log order.
    pub latency_ms: BTreeMap<String, Vec<f64>>,
}

impl Served {
    pub fn total(&self) -> usize {
        self.by_kind.values().sum()
    }
}

impl Server {
    /// The server's user + system time so far (`/proc/PID/stat`, in clock ticks).
    pub fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
            .expect("read the server's /proc stat");
        // After the ")" that ends the command name: state is field 3, utime 14, stime 15.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .expect("a /proc stat line")
            .1
            .split_whitespace()
            .collect();
        let ticks: u64 =
            fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
        // SAFETY: sysconf reads a constant of the system.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        Duration::from_secs_f64(ticks as f64 / per_second as f64)
    }

    /// Counts the "served" lines of the server's log.
    pub fn served(&self) -> Served {
        let text = std::fs::read_to_string(&self.log).expect("read serve.log");
        let mut served = Served::default();
        for line in text.lines().filter(|line| line.contains(" served ")) {
            let (Some(method), Some(path)) = (field(line, "method="), field(line, "path=")) else {
                continue;
            };
            let kind = kind(method, path);
            if let Some(ms) = field(line, "latency_ms=").and_then(|ms| ms.parse().ok()) {
                served.latency_ms.entry(kind.clone()).or_default().push(ms);
            }
            *served.by_kind.entry(kind).or_default() += 1;
            if !field(line, "status=").is_some_and(|status| status.starts_with('2')) {
                served.not_ok += 1;
            }
        }
        served
    }
}

/// The value after `name` up to the next space, `}` or `:` (tracing's span and event fields).
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = &line[line.find(name)? + name.len()..];
    let end = rest.find([' ', '}', ':']).unwrap_or(rest.len());
    Some(rest[..end].trim_matches('"'))
}

/// What a request was for, by its method and path (keys and ids in paths folded).
fn kind(method: &str, path: &str) -> String {
    let named = match (method, path) {
        ("PATCH", p) if p.ends_with("/apitoken/renew") => "renew",
        ("PATCH", p) if p.ends_with("/apitoken/finish-renewal") => "finish",
        ("PATCH", p) if p.ends_with("/apitoken/undo-renewal") => "undo",
        ("POST", "/api/vtexid/apptoken/login") => "login",
        ("GET", "/api/vlm/appkeys") => "listing",
        ("GET", "/api/vlm/session") => "session",
        ("GET", "/api/vlm/appkeys-settings") => "settings",
        ("GET", "/api/vlm/account") => "account",
        ("GET", "/api/license-manager/site/pvt/roles/list/paged") => "roles",
        _ => return format!("{method} {path}"),
    };
    named.to_string()
}
