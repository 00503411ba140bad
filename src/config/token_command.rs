//! A profile's `token_command`: run through `sh` with no input, its standard output is the token.
//!
//! It runs in its own process group, so that on timeout the whole group goes (a `pass` that
//! started `gpg`, a script that started `sleep`), not only the shell; and with `kill_on_drop`,
//! so a run abandoned half-way (Ctrl-C, a dropped future) leaves no shell behind either.

use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, Command};

/// Why a token command gave no token. Standard output is never part of it.
#[derive(Debug)]
pub enum CommandError {
    Spawn(std::io::Error),
    Failed {
        /// e.g. `exit status 1` or `killed by signal 9`.
        status: String,
        /// The first non-empty line of its standard error, if any.
        stderr: Option<String>,
    },
    /// It did not exit and close its output within the time allowed; its group was killed.
    TimedOut,
}

/// Runs `sh -c command`; returns its standard output when it exits with 0. A background
/// process that keeps the output open counts as not finished.
pub async fn run(command: &str, timeout: Duration) -> Result<Vec<u8>, CommandError> {
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    shell.process_group(0);
    let mut child = shell.spawn().map_err(CommandError::Spawn)?;
    // The group's id is the shell's pid (process_group(0)); read now, before it is reaped.
    let group = child.id();
    let finished = tokio::time::timeout(timeout, wait_with_output(&mut child)).await;
    match finished {
        Ok(Ok((status, stdout, stderr))) => {
            if status.success() {
                Ok(stdout)
            } else {
                Err(CommandError::Failed {
                    status: describe_status(status),
                    stderr: first_stderr_line(&stderr),
                })
            }
        }
        Ok(Err(err)) => {
            kill_group(group, &mut child).await;
            Err(CommandError::Spawn(err))
        }
        Err(_elapsed) => {
            kill_group(group, &mut child).await;
            Err(CommandError::TimedOut)
        }
    }
}

/// Waits for the exit and for both streams to close, reading them meanwhile so that a chatty
/// command cannot block on a full pipe.
async fn wait_with_output(child: &mut Child) -> std::io::Result<(ExitStatus, Vec<u8>, Vec<u8>)> {
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let (status, stdout, stderr) = tokio::join!(child.wait(), read_all(stdout), read_all(stderr));
    Ok((status?, stdout?, stderr?))
}

async fn read_all(stream: Option<impl AsyncRead + Unpin>) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if let Some(mut stream) = stream {
        stream.read_to_end(&mut buf).await?;
    }
    Ok(buf)
}

/// SIGKILL to the command's whole process group, then the shell is reaped.
async fn kill_group(group: Option<u32>, child: &mut Child) {
    #[cfg(unix)]
    if let Some(pid) = group
        .and_then(|id| i32::try_from(id).ok())
        .and_then(rustix::process::Pid::from_raw)
    {
        // ESRCH (the group is already gone) is the outcome wanted anyway.
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    #[cfg(not(unix))]
    let _ = group;
    let _ = child.kill().await;
}

fn describe_status(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit status {code}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    status.to_string()
}

/// The first non-empty line of standard error, trimmed and shortened to 200 characters.
fn first_stderr_line(stderr: &[u8]) -> Option<String> {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(stderr);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line: String = line.chars().filter(|c| !c.is_control()).collect();
    if line.chars().count() > MAX {
        Some(format!("{}…", line.chars().take(MAX).collect::<String>()))
    } else {
        Some(line)
    }
}
