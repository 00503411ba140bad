//! A profile's `token_command`: run through `sh` with no input, its standard output is the token.
//!
//! It runs in its own process group, so that on timeout the whole group goes (a `pass` that
//! started `gpg`, a script that started `sleep`), not only the shell; and with `kill_on_drop`,
//! so a run abandoned half-way (Ctrl-C, a dropped future) leaves no shell behind either.
//! When apikeys runs in the foreground of a terminal, that group is handed the terminal for the
//! run, as a shell does for a job, so a command that asks for a passphrase on `/dev/tty`
//! (`op`, a `read` in a script) can still ask; the terminal is taken back afterwards.

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

/// Whether the token command may use apikeys's terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tty {
    /// Before the app draws: the terminal is lent to the command, which may ask on it.
    Lend,
    /// While the terminal app owns the screen: the command runs in a session of its own with no
    /// controlling terminal, so it can neither draw over the app nor read its keys (a command
    /// that needs `/dev/tty` fails, and says so).
    Detach,
}

/// Runs `sh -c command`; returns its standard output when it exits with 0. A background
/// process that keeps the output open counts as not finished.
pub async fn run(command: &str, timeout: Duration) -> Result<Vec<u8>, CommandError> {
    run_with(command, timeout, Tty::Lend).await
}

/// As [`run`], with the terminal lent or kept away (see [`Tty`]).
pub async fn run_with(command: &str, timeout: Duration, tty: Tty) -> Result<Vec<u8>, CommandError> {
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    let terminal = match tty {
        Tty::Lend => {
            shell.process_group(0);
            foreground::Terminal::ours()
        }
        Tty::Detach => {
            foreground::detach(&mut shell);
            None
        }
    };
    #[cfg(not(unix))]
    let _ = tty;
    #[cfg(unix)]
    if let Some(terminal) = &terminal {
        terminal.hand_to_child(&mut shell);
    }
    let mut child = shell.spawn().map_err(CommandError::Spawn)?;
    // The group's id is the shell's pid (process_group(0)); read now, before it is reaped.
    let group = child.id();
    // Abandoned (this future dropped: a profile switch superseded, the app quitting), the whole
    // group dies, not only the shell `kill_on_drop` reaches.
    let mut abandoned = GroupGuard { group, armed: true };
    let finished = tokio::time::timeout(timeout, wait_with_output(&mut child)).await;
    abandoned.armed = false;
    #[cfg(unix)]
    if let Some(terminal) = &terminal {
        terminal.take_back();
    }
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

/// Reads both streams to their end (together, so a chatty command cannot block on a full
/// pipe), then reaps the shell. Reaped only then: until it is, the shell's pid — the group's id
/// a kill aims at — cannot be given to another process.
async fn wait_with_output(child: &mut Child) -> std::io::Result<(ExitStatus, Vec<u8>, Vec<u8>)> {
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let (stdout, stderr) = tokio::join!(read_all(stdout), read_all(stderr));
    let status = child.wait().await;
    Ok((status?, stdout?, stderr?))
}

async fn read_all(stream: Option<impl AsyncRead + Unpin>) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if let Some(mut stream) = stream {
        stream.read_to_end(&mut buf).await?;
    }
    Ok(buf)
}

/// Kills the command's process group when dropped while armed.
pub(crate) struct GroupGuard {
    pub(crate) group: Option<u32>,
    pub(crate) armed: bool,
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if self.armed {
            kill_group_now(self.group);
        }
    }
}

/// SIGKILL to a process group; ESRCH (the group is already gone) is the outcome wanted anyway.
pub(crate) fn kill_group_now(group: Option<u32>) {
    #[cfg(unix)]
    if let Some(pid) = group
        .and_then(|id| i32::try_from(id).ok())
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    #[cfg(not(unix))]
    let _ = group;
}

/// SIGKILL to the command's whole process group, then the shell is reaped.
async fn kill_group(group: Option<u32>, child: &mut Child) {
    kill_group_now(group);
    let _ = child.kill().await;
}

pub(crate) fn describe_status(status: ExitStatus) -> String {
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
pub(crate) fn first_stderr_line(stderr: &[u8]) -> Option<String> {
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

/// The controlling terminal while apikeys holds its foreground, lent to the token command.
#[cfg(unix)]
pub(crate) mod foreground {
    use std::fs::File;
    use std::os::fd::{AsRawFd, RawFd};

    pub struct Terminal {
        tty: File,
        our_group: libc::pid_t,
    }

    impl Terminal {
        /// `/dev/tty`, if this process's group is its foreground group (not under cron, not a
        /// background job, not in a pipe without a terminal).
        pub fn ours() -> Option<Terminal> {
            let tty = File::options()
                .read(true)
                .write(true)
                .open("/dev/tty")
                .ok()?;
            // SAFETY: plain queries on a valid descriptor and on this process.
            let (foreground, our_group) =
                unsafe { (libc::tcgetpgrp(tty.as_raw_fd()), libc::getpgrp()) };
            (foreground == our_group).then_some(Terminal { tty, our_group })
        }

        /// The child makes its new group the terminal's foreground before it runs the command,
        /// so it can never read the terminal while still in the background (which would stop
        /// it with SIGTTIN until the timeout).
        pub fn hand_to_child(&self, command: &mut tokio::process::Command) {
            let fd: RawFd = self.tty.as_raw_fd();
            // SAFETY: the closure runs between fork and exec and calls only async-signal-safe
            // functions (signal, tcsetpgrp, getpgrp).
            unsafe {
                command.pre_exec(move || {
                    with_sigttou_ignored(|| libc::tcsetpgrp(fd, libc::getpgrp()));
                    Ok(())
                });
            }
        }

        /// Makes apikeys's own group the foreground again.
        pub fn take_back(&self) {
            let (fd, group) = (self.tty.as_raw_fd(), self.our_group);
            // SAFETY: a valid descriptor and this process's own group.
            with_sigttou_ignored(|| unsafe { libc::tcsetpgrp(fd, group) });
        }
    }

    /// The child starts a session of its own (and so a process group led by itself, which
    /// the timeout kills): it has no controlling terminal, `/dev/tty` cannot be opened.
    pub fn detach(command: &mut tokio::process::Command) {
        // SAFETY: the closure runs between fork and exec and calls only setsid, which is
        // async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }

    /// A background group changing the terminal's foreground is sent SIGTTOU, which would
    /// stop it: ignore it for the call, then put the previous disposition back (an ignored
    /// signal would otherwise stay ignored across exec).
    fn with_sigttou_ignored(call: impl FnOnce() -> libc::c_int) {
        // SAFETY: signal() with SIG_IGN and a disposition it returned earlier.
        unsafe {
            let previous = libc::signal(libc::SIGTTOU, libc::SIG_IGN);
            let _ = call();
            if previous != libc::SIG_ERR {
                libc::signal(libc::SIGTTOU, previous);
            }
        }
    }
}
