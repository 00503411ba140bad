//! The built binary as a script runs it: against a test server, signed in as one key through
//! `VTEX_APP_KEY`/`VTEX_APP_TOKEN`, in an environment holding nothing of the developer's.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{Creds, TestServer};

/// What one run printed and how it ended.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `apikeys --base-url SERVER ARGS…` as `creds`, with HOME and the XDG directories under `home`
/// and stdin closed. Callers add what they need (a new session, pipes) before running it.
pub fn command(server: &TestServer, creds: &Creds, home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_apikeys"));
    command
        .arg("--base-url")
        .arg(server.url(""))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("VTEX_APP_KEY", &creds.app_key)
        .env("VTEX_APP_TOKEN", &creds.token)
        .stdin(Stdio::null());
    command
}

/// Runs the command to its end (at most two minutes) and checks the caller's token never
/// reached stderr.
pub async fn run(server: &TestServer, creds: &Creds, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut command = tokio::process::Command::from(command(server, creds, home.path(), args));
    command.kill_on_drop(true);
    let output = tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .expect("the CLI ends")
        .unwrap();
    let run = Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains(&creds.token), "a token on stderr");
    run
}
