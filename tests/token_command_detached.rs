//! A token command run while the terminal app owns the screen (a profile switch) runs
//! detached (`Tty::Detach`): in a session of its own, with no controlling terminal. It still
//! gives its output, and a timeout still stops it with everything it started.
#![cfg(unix)]

use std::path::Path;
use std::time::{Duration, Instant};

use apikeys::config::token_command::{self, CommandError, Tty};

fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X')),
        Err(_) => false,
    }
}

fn read_pid(path: &Path) -> u32 {
    std::fs::read_to_string(path)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

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

/// Field 6 of /proc/PID/stat: the session id.
fn session_of(stat: &str) -> u32 {
    let (_, rest) = stat.rsplit_once(") ").unwrap();
    rest.split(' ').nth(3).unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_detached_command_leads_its_own_session_and_gives_its_output() {
    // The shell prints its own session id next to its pid: they are equal when it leads a
    // session of its own (setsid), which no terminal controls.
    let out = token_command::run_with(
        "cat /proc/$$/stat; echo; echo $$",
        Duration::from_secs(20),
        Tty::Detach,
    )
    .await
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    let stat = lines.next().unwrap();
    let pid: u32 = lines.last().unwrap().trim().parse().unwrap();
    assert_eq!(session_of(stat), pid, "not a session leader: {stat}");
    let ours = session_of(&std::fs::read_to_string("/proc/self/stat").unwrap());
    assert_ne!(ours, pid);
}

#[tokio::test]
async fn a_detached_command_that_times_out_is_stopped_with_its_grandchild() {
    let dir = tempfile::tempdir().unwrap();
    let (shell_pid, sleep_pid) = (dir.path().join("sh.pid"), dir.path().join("sleep.pid"));
    let command = format!(
        "echo $$ > '{}'; sleep 300 & echo $! > '{}'; wait",
        shell_pid.display(),
        sleep_pid.display()
    );
    let outcome = token_command::run_with(&command, Duration::from_secs(1), Tty::Detach).await;
    assert!(
        matches!(outcome, Err(CommandError::TimedOut)),
        "{outcome:?}"
    );
    let (shell, sleep) = (read_pid(&shell_pid), read_pid(&sleep_pid));
    assert!(gone_soon(shell), "the shell {shell} survived the timeout");
    assert!(
        gone_soon(sleep),
        "the grandchild {sleep} survived the timeout"
    );
}

/// Review of issue 13: a switch superseded, or the app quitting, drops the wait for a token
/// command; its whole group dies then, not only the shell.
#[tokio::test]
async fn an_abandoned_command_is_stopped_with_its_grandchild() {
    let dir = tempfile::tempdir().unwrap();
    let (shell_pid, sleep_pid) = (dir.path().join("sh.pid"), dir.path().join("sleep.pid"));
    let command = format!(
        "echo $$ > '{}'; sleep 300 & echo $! > '{}'; wait",
        shell_pid.display(),
        sleep_pid.display()
    );
    let mut waiting = Box::pin(token_command::run_with(
        &command,
        Duration::from_secs(60),
        Tty::Detach,
    ));
    // Abandoned once both pids are written (however slow the machine), not after a fixed time.
    let written = |path: &Path| std::fs::read_to_string(path).is_ok_and(|t| t.ends_with('\n'));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !(written(&shell_pid) && written(&sleep_pid)) {
        assert!(Instant::now() < deadline, "the command did not start");
        tokio::select! {
            outcome = &mut waiting => panic!("the command ended: {outcome:?}"),
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    }
    drop(waiting);
    let (shell, sleep) = (read_pid(&shell_pid), read_pid(&sleep_pid));
    assert!(gone_soon(shell), "the shell {shell} survived");
    assert!(gone_soon(sleep), "its child {sleep} survived");
}
