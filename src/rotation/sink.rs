//! Running the user's sink and verify commands: `sh -c COMMAND` with the new token on its
//! standard input (no newline after it), never in its arguments or environment.
//!
//! The values of `{appKey}`, `{label}`, `{id}` and `{account}` reach it as positional
//! arguments (`$1`…, see [`super::template`]), never spliced into the shell text.
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

use crate::config::token_command::{GroupGuard, describe_status, kill_group_now};

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

/// The most of a command's standard error kept (the rest is read and dropped).
const STDERR_KEPT: usize = 64 * 1024;
/// How long the standard error of a command that exited is still read: a background process
/// it left (an agent, a cache warm-up) may hold it open for ever.
const STDERR_GRACE: Duration = Duration::from_secs(1);
/// Larger than any token VTEX issues (100 characters), smaller than a pipe's buffer, so the
/// token can be written before the command starts.
const LONGEST_TOKEN: usize = 16 * 1024;

/// What a command is run with: the shell text, the values its placeholders stand for (as
/// `$1`…), and the token on its standard input.
pub struct Job<'a> {
    pub kind: &'a str,
    pub command: &'a str,
    pub args: &'a [&'a str],
    pub token: &'a SecretString,
    pub input: Input,
    pub timeout: Duration,
}

/// Runs the job; `Ok` when the command exits with 0 within the timeout (and, with
/// [`Input::MustRead`], read the token to its end). `spawned` learns the process group as soon
/// as it exists.
pub async fn run(job: Job<'_>, spawned: impl FnOnce(Group)) -> Result<(), String> {
    let kind = job.kind;
    let cannot = |err: std::io::Error| format!("the {kind} command could not start: {err}");
    let token = job.token.expose_secret();
    if token.len() > LONGEST_TOKEN {
        return Err(format!(
            "the new token is implausibly long ({} bytes)",
            token.len()
        ));
    }
    // The token is in the pipe before the command starts (no moment where a crash hands it an
    // empty input), and one read end stays ours: what it leaves unread can be counted.
    let (reader, mut writer) = std::io::pipe().map_err(cannot)?;
    std::io::Write::write_all(&mut writer, token.as_bytes()).map_err(cannot)?;
    drop(writer);
    let unread_end = reader.try_clone().map_err(cannot)?;
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg(job.command)
        .arg(format!("apikeys-{kind}"))
        .args(job.args)
        .env_remove("VTEX_APP_TOKEN")
        .stdin(Stdio::from(reader))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    crate::config::token_command::foreground::detach(&mut shell);
    let mut child = shell.spawn().map_err(cannot)?;
    drop(shell);
    let group = child.id();
    // Dropped half-way (the app quit, the run was interrupted), the whole group dies.
    let mut abandoned = GroupGuard { group, armed: true };
    if let Some(id) = group {
        spawned(Group::of(id));
    }
    let stderr = tokio::spawn(read_capped(child.stderr.take()));
    let status = match tokio::time::timeout(job.timeout, child.wait()).await {
        Ok(Ok(status)) => status,
        Ok(Err(err)) => return Err(format!("the {kind} command could not be waited for: {err}")),
        // The guard kills the group on the way out.
        Err(_) => {
            return Err(format!(
                "the {kind} command did not finish within {} s; it and everything it started \
                 were killed",
                job.timeout.as_secs()
            ));
        }
    };
    abandoned.armed = false;
    if !status.success() {
        let said = match tokio::time::timeout(STDERR_GRACE, stderr).await {
            Ok(Ok(said)) => said,
            _ => Vec::new(),
        };
        let line = first_line_scrubbed(&said, job.token);
        return Err(failure_text(kind, &describe_status(status), line));
    }
    match (job.input, unread(&unread_end)) {
        (Input::MustRead, Some(left)) if left > 0 => Err(format!(
            "the {kind} command exited 0 without reading the token from its standard input \
             ({left} of {} bytes left unread), so nothing shows it stored it",
            token.len()
        )),
        _ => Ok(()),
    }
}

/// The exit status a shell gives a command it cannot find (127) or run (126): the sink itself
/// is wrong, and every other key would fail the same way.
pub fn is_missing_command(reason: &str) -> bool {
    reason.contains("(exit status 127)") || reason.contains("(exit status 126)")
}

/// Standard error to its end, keeping the first [`STDERR_KEPT`] bytes.
async fn read_capped(stream: Option<tokio::process::ChildStderr>) -> Vec<u8> {
    let mut kept = Vec::new();
    let Some(mut stream) = stream else {
        return kept;
    };
    let mut buf = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
        let room = STDERR_KEPT.saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
    }
    kept
}

/// The first non-empty line of `said` with the token (and anything like one) blanked, then
/// cut to 200 characters — blanked first, so a cut cannot leave a piece of the token.
fn first_line_scrubbed(said: &[u8], token: &SecretString) -> Option<String> {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(said);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = scrub(line, token);
    let line: String = line.chars().filter(|c| !c.is_control()).collect();
    Some(if line.chars().count() > MAX {
        format!("{}…", line.chars().take(MAX).collect::<String>())
    } else {
        line
    })
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
