//! An idle app writes nothing to its terminal: the real binary on the embedded default in a
//! pseudo-terminal, once its first screen with data is drawn and every answer has arrived,
//! sends 0 bytes in 2 s. (It used to redraw at every clock tick: ~125 bytes a second down an
//! ssh session for nothing.)
//!
//! The automatic refresh is off (`--refresh 0`) so no refresh can fall into the window; a
//! refresh would rightly draw its spinner.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 35;
const COLS: u16 = 120;

struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Bytes read from the pty master so far.
    received: Arc<Mutex<usize>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Pty {
    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn received(&self) -> usize {
        *self.received.lock().unwrap()
    }

    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !check(&self.screen()) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until nothing arrives for `quiet` (the last answers drawn), 10 s at most: an app
    /// that never goes quiet is caught by the measurement that follows.
    fn settle(&self, quiet: Duration) {
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
}

fn spawn(data: &std::path::Path, config: &std::path::Path) -> Pty {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_apikeys"));
    command.args(["--refresh", "0"]);
    command.env("XDG_DATA_HOME", data);
    command.env("XDG_CONFIG_HOME", config);
    command.env("TERM", "xterm-256color");
    command.env_remove("VTEX_APP_KEY");
    command.env_remove("VTEX_APP_TOKEN");
    command.env_remove("APIKEYS_PROFILE");
    let child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(ROWS).unwrap(),
        std::num::NonZeroU16::new(COLS).unwrap(),
        0,
    )));
    let received = Arc::new(Mutex::new(0));
    let (feed, count) = (parser.clone(), received.clone());
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            feed.lock().unwrap().process(&buf[..n]);
            *count.lock().unwrap() += n;
        }
    });
    // Keep the master alive as long as the writer: dropping it would hang up the child.
    std::mem::forget(pair.master);
    Pty {
        parser,
        received,
        writer,
        child,
    }
}

#[test]
fn an_idle_app_writes_nothing_to_its_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let mut pty = spawn(&data, &config);
    pty.wait_for("the populated app", |s| {
        s.contains("demo (Casa Demo) · local") && s.contains("Generated keys (61)")
    });
    pty.settle(Duration::from_millis(1500));

    let before = pty.received();
    std::thread::sleep(Duration::from_secs(2));
    let idle = pty.received() - before;
    assert_eq!(
        idle,
        0,
        "an idle app wrote {idle} bytes in 2 s; screen:\n{}",
        pty.screen()
    );

    // Still alive and answering: a key is drawn at once, then it is quiet again.
    pty.writer.write_all(b"j").unwrap();
    pty.writer.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while pty.received() == before + idle {
        assert!(Instant::now() < deadline, "a key press drew nothing");
        std::thread::sleep(Duration::from_millis(20));
    }

    pty.writer.write_all(b"q").unwrap();
    pty.writer.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = pty.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the app did not quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}
