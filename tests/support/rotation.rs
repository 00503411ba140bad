//! A rotation world for tests: a reference server with keys, a home directory (config, state:
//! the journal), and real sink scripts that store each token in a 0600 file per appKey and
//! write down, from inside, the arguments and environment they were given. Include with
//! `#[path = "support/rotation.rs"] mod rotation;` next to `mod common;`.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

use crate::common::cli::{self, Run};
use crate::common::{Creds, TestKey, TestServer};

/// The sink: stores stdin in STORE/<appKey>.token (0600), its argv in .args, its environment in
/// .env, its pid in .pid. Behaves as the key's label says: `fail` exits 3 with a message,
/// `hang` sleeps (past any timeout), `slow` marks `.started` and sleeps 60 s, `lazy` exits 0
/// without reading its input, `pause` waits a second before storing.
pub const SINK: &str = r#"#!/bin/sh
umask 077
store="$STORE_DIR"
key="$1"; label="$2"
echo $$ > "$store/$key.pid"
printf '%s\n' "$@" > "$store/$key.args"
env > "$store/$key.env"
case "$label" in
  *hang*) exec sleep 300 ;;
  *slow*) : > "$store/$key.started"; exec sleep 60 ;;
  *lazy*) exit 0 ;;
  *pause*) sleep 1 ;;
esac
cat > "$store/$key.token"
case "$label" in
  *fail*) echo "vault: permission denied for $key" >&2; exit 3 ;;
esac
exit 0
"#;

/// The verify command: fails for keys whose label holds `refuse`, after reading the token.
pub const VERIFY: &str = r#"#!/bin/sh
token=$(cat)
[ -n "$token" ] || exit 4
case "$2" in
  *refuse*) echo "integration check failed for $1" >&2; exit 1 ;;
esac
exit 0
"#;

pub struct World {
    pub server: TestServer,
    pub home: TempDir,
}

impl World {
    pub async fn new() -> World {
        World::on(TestServer::start().await)
    }

    /// The same world around another server (the VTEX stand-in).
    pub fn on(server: TestServer) -> World {
        let world = World {
            server,
            home: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(world.store()).unwrap();
        for (name, text) in [("sink.sh", SINK), ("verify.sh", VERIFY)] {
            let path = world.home.path().join(name);
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        world
    }

    pub fn store(&self) -> PathBuf {
        self.home.path().join("store")
    }

    /// `--sink` running the test sink with the key's appKey and label.
    pub fn sink(&self) -> String {
        format!(
            "{} {{appKey}} {{label}}",
            self.home.path().join("sink.sh").display()
        )
    }

    pub fn verify(&self) -> String {
        format!(
            "{} {{appKey}} {{label}}",
            self.home.path().join("verify.sh").display()
        )
    }

    pub fn journal(&self) -> PathBuf {
        self.home.path().join("state/apikeys/rotation.jsonl")
    }

    pub fn journal_text(&self) -> String {
        std::fs::read_to_string(self.journal()).unwrap_or_default()
    }

    /// A key labelled `label` whose token is `days` old.
    pub async fn key(&self, label: &str, days: i64) -> TestKey {
        let key = self.server.key_with_roles(label, &[]).await;
        if days > 0 {
            age_token(&self.server, &key.id, days);
        }
        key
    }

    /// `apikeys rotate ARGS…` as the admin, to its end.
    pub async fn rotate(&self, args: &[&str]) -> Run {
        self.rotate_as(&self.server.admin.clone(), args).await
    }

    pub async fn rotate_as(&self, creds: &Creds, args: &[&str]) -> Run {
        let mut command = tokio::process::Command::from(self.command(creds, args));
        command.kill_on_drop(true);
        let output = tokio::time::timeout(Duration::from_secs(120), command.output())
            .await
            .expect("rotate ends")
            .unwrap();
        Run {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The command, not started (for tests that kill it).
    pub fn command(&self, creds: &Creds, args: &[&str]) -> std::process::Command {
        let mut all = vec!["rotate"];
        all.extend_from_slice(args);
        let mut command = cli::command(&self.server, creds, self.home.path(), &all);
        command
            .env("XDG_STATE_HOME", self.home.path().join("state"))
            .env("STORE_DIR", self.store())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// The token the sink stored for `app_key`, if any.
    pub fn stored(&self, app_key: &str) -> Option<String> {
        std::fs::read_to_string(self.store().join(format!("{app_key}.token"))).ok()
    }

    pub fn store_file(&self, app_key: &str, ext: &str) -> PathBuf {
        self.store().join(format!("{app_key}.{ext}"))
    }
}

/// Moves the current token of `key_id` back by `days` in the server's database.
pub fn age_token(server: &TestServer, key_id: &str, days: i64) {
    let created = chrono::Utc::now() - chrono::Duration::days(days);
    let text = format!("{}.0000000Z", created.format("%Y-%m-%dT%H:%M:%S"));
    let conn = rusqlite::Connection::open(&server.db).unwrap();
    let changed = conn
        .execute(
            "UPDATE app_tokens SET created_at = ?1 WHERE key_id = ?2 AND slot = 'current'",
            rusqlite::params![text, key_id],
        )
        .unwrap();
    assert_eq!(changed, 1, "one current token for {key_id}");
}

/// The JSON report's entry for `app_key`.
pub fn outcome_of<'a>(report: &'a Value, app_key: &str) -> &'a Value {
    report["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["appKey"] == app_key))
        .unwrap_or_else(|| panic!("{app_key} is not in the report: {report}"))
}

/// Whether a process with this pid is alive (not a zombie).
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z"),
        Err(_) => false,
    }
}

/// Waits (30 s at most) until a sink wrote `path` (its `.started` or `.pid` mark).
pub async fn wait_for_file(path: &Path) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !path.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the sink never wrote {}",
            path.display()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn pid_in(path: &Path) -> u32 {
    std::fs::read_to_string(path)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}
