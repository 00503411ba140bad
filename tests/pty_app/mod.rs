//! The built binary on the embedded default in a real pseudo-terminal (portable-pty), its
//! output fed to a vt100 parser so tests read the screen as a person would.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub const ROWS: u16 = 35;
pub const COLS: u16 = 120;

pub struct Pty {
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte read from the pty master so far.
    pub raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Pty {
    /// `apikeys ARGS…` with its data and config under `data` and `config`, and no credentials
    /// from the environment: the embedded demo.
    pub fn spawn(args: &[&str], data: &Path, config: &Path) -> Pty {
        Pty::spawn_with_env(args, data, config, &[])
    }

    /// As [`Pty::spawn`], with `env` (name, value) pairs set for the app (NO_COLOR, TZ…).
    pub fn spawn_with_env(args: &[&str], data: &Path, config: &Path, env: &[(&str, &str)]) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_apikeys"));
        command.args(args);
        command.env("XDG_DATA_HOME", data);
        command.env("XDG_CONFIG_HOME", config);
        command.env("TERM", "xterm-256color");
        for name in ["VTEX_APP_KEY", "VTEX_APP_TOKEN", "APIKEYS_PROFILE"] {
            command.env_remove(name);
        }
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (feed, log) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
                log.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        // Keep the master alive as long as the writer: dropping it would hang up the child.
        std::mem::forget(pair.master);
        Pty {
            parser,
            raw,
            writer,
            child,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// How many bytes the app has written so far.
    pub fn received(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    /// Waits (30 s at most) until the screen passes `check`; returns it.
    pub fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types `bytes`, then pauses a moment, as a person would between keys.
    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Waits until nothing arrives for `quiet` (the last answers drawn), 10 s at most.
    pub fn settle(&self, quiet: Duration) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut last = (self.received(), Instant::now());
        while last.1.elapsed() < quiet && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            let now = self.received();
            if now != last.0 {
                last = (now, Instant::now());
            }
        }
    }

    /// Waits (20 s at most) for the app to exit and says it exited cleanly.
    pub fn expect_clean_exit(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the app did not quit");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "{status:?}");
    }
}
