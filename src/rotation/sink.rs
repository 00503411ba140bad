//! Running the user's sink and verify commands: `sh -c COMMAND` with the new token on its
//! standard input (no newline after it), never in its arguments or environment.
//!
//! The command runs in a session of its own, without a terminal (several may run at once, and
//! the terminal app owns the screen), so its whole process group can be killed past the
//! timeout. `VTEX_APP_TOKEN` — the token apikeys itself signs in with — is taken out of its
//! environment. Its standard output is thrown away (a sink may echo what it stored); the first
//! line of its standard error is kept for the report, with anything token-like redacted.

use std::process::Stdio;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use tokio::io::AsyncReadExt;
use tokio::process::Command;

use crate::config::token_command::{
    GroupGuard, describe_status, first_stderr_line, kill_group_now,
};

/// A running command's process group, told to the journal so that a later run can kill what
/// a crashed one left behind. `started` (the leader's start time, in clock ticks after boot)
/// tells the group from a later process that reused its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    pub id: u32,
    pub started: Option<u64>,
}

impl Group {
    fn of(id: u32) -> Group {
        Group {
            id,
            started: start_time(id),
        }
    }

    /// Kills the group if its leader is still the process that was started for it.
    pub fn kill_if_alive(&self) -> bool {
        if self.started.is_none() || start_time(self.id) != self.started {
            return false;
        }
        kill_group_now(Some(self.id));
        true
    }
}

/// Field 22 of `/proc/PID/stat`: when the process started.
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19)?.parse().ok()
}

/// Why a command did not succeed, as the report says it.
pub fn failure_text(command_kind: &str, status: &str, stderr: Option<String>) -> String {
    match stderr {
        Some(line) => format!("the {command_kind} command failed ({status}): {line}"),
        None => format!("the {command_kind} command failed ({status})"),
    }
}

/// Whether the command must read the whole token: a sink that exits 0 without taking it
/// (`true`, a typo'd script) would otherwise let the old token be deleted with the new one
/// stored nowhere. A verify command may check the integration without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    MustRead,
    Offered,
}

/// Runs `command` with `token` on its standard input; `Ok` when it exits with 0 within
/// `timeout` (and, with [`Input::MustRead`], read the token to its end). `spawned` learns the
/// process group as soon as it exists.
pub async fn run(
    kind: &str,
    command: &str,
    (token, input): (&SecretString, Input),
    timeout: Duration,
    spawned: impl FnOnce(Group),
) -> Result<(), String> {
    let cannot = |err: std::io::Error| format!("the {kind} command could not start: {err}");
    // Our own pipe, one end kept: once the command exits, what it left unread is still there
    // to be counted.
    let (reader, writer) = std::io::pipe().map_err(cannot)?;
    let unread_end = reader.try_clone().map_err(cannot)?;
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg(command)
        .env_remove("VTEX_APP_TOKEN")
        .stdin(Stdio::from(reader))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    crate::config::token_command::foreground::detach(&mut shell);
    let mut child = shell.spawn().map_err(cannot)?;
    // The shell holds the read end now; ours must not keep it open for it.
    drop(shell);
    let group = child.id();
    // Dropped half-way (the app quit, the run was abandoned), the whole group dies.
    let mut abandoned = GroupGuard { group, armed: true };
    if let Some(id) = group {
        spawned(Group::of(id));
    }
    let mut stderr = child.stderr.take();
    let secret = token.clone();
    let work = async {
        // On a thread of its own: a command that never reads cannot block the runtime.
        let write = tokio::task::spawn_blocking(move || {
            let mut writer = writer;
            // A command that exits without reading is judged by its status and what it left.
            let _ = std::io::Write::write_all(&mut writer, secret.expose_secret().as_bytes());
        });
        let mut said = Vec::new();
        if let Some(stream) = stderr.as_mut() {
            let _ = stream.read_to_end(&mut said).await;
        }
        // Reaped only after its output closed: until then the group id cannot be reused.
        let status = child.wait().await;
        let _ = write.await;
        (status, said)
    };
    let finished = tokio::time::timeout(timeout, work).await;
    match finished {
        Ok((Ok(status), said)) => {
            abandoned.armed = false;
            if !status.success() {
                let line = first_stderr_line(&said).map(|line| scrub(&line, token));
                return Err(failure_text(kind, &describe_status(status), line));
            }
            match (input, unread(&unread_end)) {
                (Input::MustRead, Some(left)) if left > 0 => Err(format!(
                    "the {kind} command exited 0 without reading the token from its standard \
                     input ({left} of {} bytes left unread), so nothing shows it stored it",
                    token.expose_secret().len()
                )),
                _ => Ok(()),
            }
        }
        Ok((Err(err), _)) => Err(format!("the {kind} command could not be waited for: {err}")),
        // The guard kills the group on the way out.
        Err(_) => Err(format!(
            "the {kind} command did not finish within {} s; it and everything it started were \
             killed",
            timeout.as_secs()
        )),
    }
}

/// How many bytes wait unread in the pipe (`FIONREAD`); `None` where that cannot be asked.
fn unread(reader: &std::io::PipeReader) -> Option<usize> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let mut left: libc::c_int = 0;
        // SAFETY: FIONREAD writes one int through a pointer to a live local.
        let asked = unsafe { libc::ioctl(reader.as_raw_fd(), libc::FIONREAD, &mut left) };
        (asked == 0).then(|| usize::try_from(left).unwrap_or(0))
    }
    #[cfg(not(unix))]
    {
        let _ = reader;
        None
    }
}

/// A line of the command's standard error with the token (and anything like one) removed.
fn scrub(line: &str, token: &SecretString) -> String {
    let token = token.expose_secret();
    let line = if token.is_empty() {
        line.to_string()
    } else {
        line.replace(token, "…")
    };
    crate::vtex::error::redact(&line)
}
