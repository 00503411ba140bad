//! The real binary in a real pseudo-terminal. A dedicated thread reads the pty and stamps each
//! chunk with the instant it was read; the main thread writes keys, times them against those
//! stamps, and feeds the chunks to a vt100 parser to read the screen.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

/// Bytes the app wrote, and when the reader thread got them.
struct Chunk {
    at: Instant,
    bytes: Vec<u8>,
}

pub struct PtyApp {
    chunks: Receiver<Chunk>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: vt100::Parser,
    /// Kept so the child keeps its terminal as long as we keep the app.
    _master: Box<dyn portable_pty::MasterPty + Send>,
    /// When the app was spawned.
    pub spawned: Instant,
}

/// What one timed key produced.
pub enum KeyTiming {
    /// From the write to the first byte read back, and to the last byte before quiet.
    Redraw { first: Duration, last: Duration },
    /// Output arrived before the key was written (a timer's redraw): not this key's.
    Early,
    /// Nothing came back within the limit.
    Silent,
}

/// A terminal the size the issue measures on.
pub const COLS: u16 = 200;
pub const ROWS: u16 = 60;

impl PtyApp {
    /// Spawns `apikeys ARGS…` on a COLS×ROWS pty with `env` set and its XDG dirs under `home`.
    pub fn spawn(args: &[&str], env: &[(&str, &str)], home: &Path) -> PtyApp {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_apikeys"));
        command.args(args);
        command.env("XDG_DATA_HOME", home.join("data"));
        command.env("XDG_CONFIG_HOME", home.join("config"));
        command.env("XDG_STATE_HOME", home.join("state"));
        command.env("XDG_CACHE_HOME", home.join("cache"));
        command.env("TERM", "xterm-256color");
        for name in [
            "VTEX_APP_KEY",
            "VTEX_APP_TOKEN",
            "VTEX_ACCOUNT",
            "APIKEYS_PROFILE",
        ] {
            command.env_remove(name);
        }
        for (name, value) in env {
            command.env(name, value);
        }
        let reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let chunks = read_stamped(reader);
        let spawned = Instant::now();
        let child = pair.slave.spawn_command(command).expect("spawn the app");
        drop(pair.slave);
        let parser = vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        );
        PtyApp {
            chunks,
            writer,
            child,
            parser,
            _master: pair.master,
            spawned,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the app's pid")
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Reads until the screen passes `check`; returns when the chunk that made it pass was
    /// read. Panics after `limit` with the screen.
    pub fn wait_for_screen(&mut self, limit: Duration, check: impl Fn(&str) -> bool) -> Instant {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(chunk) => {
                    self.parser.process(&chunk.bytes);
                    if check(&self.screen()) {
                        return chunk.at;
                    }
                }
                Err(_) => panic!(
                    "the app did not show what was awaited; screen:\n{}",
                    self.screen()
                ),
            }
        }
    }

    /// Reads until no byte has come for `quiet` (or `limit` passed): the last redraw is done.
    /// False once the app has closed its terminal.
    pub fn drain_until_quiet(&mut self, quiet: Duration, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            match self.chunks.recv_timeout(quiet) {
                Ok(chunk) => self.parser.process(&chunk.bytes),
                Err(RecvTimeoutError::Timeout) => return true,
                Err(RecvTimeoutError::Disconnected) => return false,
            }
        }
        true
    }

    pub fn write(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Waits for quiet, writes `bytes`, and times the first byte read back, then the last
    /// one before the terminal is quiet again (the whole redraw).
    pub fn time_key(&mut self, bytes: &[u8], quiet: Duration) -> KeyTiming {
        assert!(
            self.drain_until_quiet(quiet, Duration::from_secs(10)),
            "the app closed its terminal; screen:\n{}",
            self.screen()
        );
        let written = Instant::now();
        self.write(bytes);
        let Ok(first) = self.chunks.recv_timeout(Duration::from_secs(5)) else {
            return KeyTiming::Silent;
        };
        self.parser.process(&first.bytes);
        if first.at < written {
            return KeyTiming::Early;
        }
        let mut last = first.at;
        while let Ok(chunk) = self.chunks.recv_timeout(quiet) {
            self.parser.process(&chunk.bytes);
            last = chunk.at;
        }
        KeyTiming::Redraw {
            first: first.at - written,
            last: last - written,
        }
    }

    /// Sends `q` and waits (20 s at most) for the app to exit; kills it past that.
    pub fn quit(mut self) {
        self.write(b"q");
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            if !self.drain_until_quiet(Duration::from_millis(20), Duration::from_millis(100)) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        eprintln!("the app did not quit on q; killing it");
    }
}

impl Drop for PtyApp {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The reader thread: each chunk, stamped the moment `read` returned it.
fn read_stamped(mut reader: Box<dyn Read + Send>) -> Receiver<Chunk> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = reader.read(&mut buf) {
            let at = Instant::now();
            if n == 0
                || tx
                    .send(Chunk {
                        at,
                        bytes: buf[..n].to_vec(),
                    })
                    .is_err()
            {
                break;
            }
        }
    });
    rx
}
