//! A token command that does not finish in time is stopped with everything it started: the
//! shell and a grandchild it left running (real `sh` and `sleep` processes).
#![cfg(unix)]

use std::path::Path;
use std::time::{Duration, Instant};

use apikeys::config::token_command::{self, CommandError};

/// Whether `pid` is a live process (a zombie, killed and waiting for its reaper, is not).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name in parentheses: "pid (comm) S ...".
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X')),
        Err(_) => false,
    }
}

fn read_pid(path: &Path) -> u32 {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .trim()
        .parse()
        .unwrap()
}

/// Waits (up to 10 s) for `pid` to be gone: SIGKILL is delivered at once, reaping may lag.
fn gone_soon(pid: u32) -> bool {
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[tokio::test]
async fn on_timeout_neither_the_shell_nor_its_grandchild_survives() {
    let dir = tempfile::tempdir().unwrap();
    let (shell_pid, sleep_pid) = (dir.path().join("sh.pid"), dir.path().join("sleep.pid"));
    // The grandchild keeps stdout open, so the command cannot be finished until it is gone.
    let command = format!(
        "echo $$ > '{}'; sleep 300 & echo $! > '{}'; wait",
        shell_pid.display(),
        sleep_pid.display()
    );
    let outcome = token_command::run(&command, Duration::from_secs(1)).await;
    assert!(
        matches!(outcome, Err(CommandError::TimedOut)),
        "{outcome:?}"
    );
    let (shell, sleep) = (read_pid(&shell_pid), read_pid(&sleep_pid));
    assert!(gone_soon(shell), "the shell {shell} survived the timeout");
    assert!(
        gone_soon(sleep),
        "the grandchild sleep {sleep} survived the timeout"
    );
}

#[tokio::test]
async fn a_quick_command_still_gives_its_output() {
    let out = token_command::run("printf FAKETOKEN", Duration::from_secs(20)).await;
    assert_eq!(out.unwrap(), b"FAKETOKEN");
}
