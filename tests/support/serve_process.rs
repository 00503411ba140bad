//! The built binary as `apikeys serve`, for tests where a second process, a signal or a crash
//! is the point. Include with `#[path = "support/serve_process.rs"] mod serve_process;`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub fn command(db: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_apikeys"));
    command
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--account",
            "shop",
            "--db",
        ])
        .arg(db)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// A server that printed its address.
pub struct Serving {
    pub child: Child,
    pub base_url: String,
    /// The line that named the address, as printed.
    pub listening_line: String,
}

impl Serving {
    /// Stops it with SIGTERM and returns its stderr.
    pub fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let (_, stderr) = wait(&mut self.child, Duration::from_secs(30));
        stderr
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `apikeys serve` and waits (up to 30 s) for its "listening on" line.
pub fn serve(db: &Path, extra: &[&str]) -> Serving {
    let mut child = command(db, extra).spawn().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = lines_tx.send(line.unwrap_or_default());
        }
    });
    loop {
        let Ok(line) = lines_rx.recv_timeout(Duration::from_secs(30)) else {
            let _ = child.kill();
            let (_, stderr) = wait(&mut child, Duration::from_secs(5));
            panic!("the server did not print its address within 30 s; stderr: {stderr}");
        };
        if let Some(url) = line.split("listening on ").nth(1) {
            let base_url = url.split_whitespace().next().unwrap().to_string();
            return Serving {
                child,
                base_url,
                listening_line: line,
            };
        }
    }
}

/// Waits for `child` to exit (killing it past `limit`); returns its status and stderr.
pub fn wait(child: &mut Child, limit: Duration) -> (Option<std::process::ExitStatus>, String) {
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    (status, stderr)
}
