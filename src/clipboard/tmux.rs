//! Asking tmux, when the app runs inside it, what becomes of an OSC 52 copy: whether
//! `set-clipboard` lets it through at all, and deleting the paste buffers that hold our copy.
//!
//! `tmux` is run directly (no shell), with no input, and given a short deadline: a wedged tmux
//! server must not freeze the app. It inherits `TMUX`, so it talks to the server we run in.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// How long one `tmux` command may take before it is killed.
const DEADLINE: Duration = Duration::from_secs(2);

/// What tmux does with an OSC 52 an application writes (`set-clipboard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetClipboard {
    /// Keeps it in a paste buffer and forwards it to the outer terminal.
    On,
    /// Forwards it to the outer terminal only (tmux's default).
    External,
    /// Drops it: the copy goes nowhere.
    Off,
}

/// Runs `tmux ARGS`; its stdout if it exits successfully within [`DEADLINE`].
fn tmux(args: &[&str]) -> Option<Vec<u8>> {
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // Read on a thread: a large buffer would fill the pipe and block tmux before it exits.
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < DEADLINE => {
                std::thread::sleep(Duration::from_millis(5));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let out = reader.join().ok()?.ok()?;
    status.filter(|status| status.success()).map(|_| out)
}

/// The server's `set-clipboard`; `None` when tmux cannot be asked or answers something else.
pub fn set_clipboard() -> Option<SetClipboard> {
    let answer = tmux(&["show-options", "-sv", "set-clipboard"])?;
    match String::from_utf8_lossy(&answer).trim() {
        "on" => Some(SetClipboard::On),
        "external" => Some(SetClipboard::External),
        "off" => Some(SetClipboard::Off),
        _ => None,
    }
}

/// Deletes the paste buffers whose content hashes to `copied` (ours, found by content; the
/// content is never kept or logged); returns how many.
pub fn forget_buffers(copied: &[u8; 32]) -> usize {
    let Some(names) = tmux(&["list-buffers", "-F", "#{buffer_name}"]) else {
        return 0;
    };
    let mut forgotten = 0;
    for name in String::from_utf8_lossy(&names).lines() {
        let holds_copy = tmux(&["show-buffer", "-b", name])
            .is_some_and(|content| Sha256::digest(&content).as_slice() == copied);
        if holds_copy && tmux(&["delete-buffer", "-b", name]).is_some() {
            forgotten += 1;
        }
    }
    forgotten
}
