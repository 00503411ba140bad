//! End to end in a real pseudo-terminal: the built binary on the embedded default opens,
//! filters, toggles a key, quits, and leaves the terminal restored.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Pty {
    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
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

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Give the app a moment, as a person would between keys.
        std::thread::sleep(Duration::from_millis(150));
    }
}

fn spawn(data: &std::path::Path, config: &std::path::Path) -> Pty {
    let system = native_pty_system();
    let pair = system
        .openpty(PtySize {
            rows: 35,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_apikeys"));
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
        std::num::NonZeroU16::new(35).unwrap(),
        std::num::NonZeroU16::new(120).unwrap(),
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

#[test]
fn the_binary_opens_filters_toggles_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let mut pty = spawn(&data, &config);

    let screen = pty.wait_for("the populated app", |s| {
        s.contains("demo (Casa Demo) · local") && s.contains("Generated keys (61)")
    });
    assert!(
        pty.parser.lock().unwrap().screen().alternate_screen(),
        "the app runs on the alternate screen"
    );
    assert!(screen.contains("(61)"), "{screen}");

    pty.send("/");
    pty.send("Adyen payment");
    pty.send("\r");
    let filtered = pty.wait_for("the filtered row", |s| s.contains("(1/61)"));
    assert!(filtered.contains("Adyen"), "{filtered}");

    pty.send(" ");
    pty.wait_for("the confirmation", |s| s.contains("Deactivate"));
    pty.send("\r");
    pty.wait_for("the key inactive", |s| s.contains("is inactive"));

    pty.send("q");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = pty.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the app did not quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    std::thread::sleep(Duration::from_millis(200));
    let parser = pty.parser.lock().unwrap();
    assert!(
        !parser.screen().alternate_screen(),
        "back on the main screen"
    );
    assert!(
        !parser.screen().hide_cursor(),
        "the cursor is visible again"
    );
    drop(parser);
    let raw = String::from_utf8_lossy(&pty.raw.lock().unwrap()).to_string();
    assert!(raw.contains("\x1b[?1049l"), "the alternate screen was left");
    assert!(
        raw.contains("\x1b[?2004l"),
        "bracketed paste was turned off"
    );

    // The toggle reached the server: the demo database says so.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args([
            "keys",
            "list",
            "--filter",
            "Adyen payment",
            "--output",
            "json",
        ])
        .env("XDG_DATA_HOME", &data)
        .env("XDG_CONFIG_HOME", &config)
        .env_remove("VTEX_APP_KEY")
        .env_remove("VTEX_APP_TOKEN")
        .output()
        .unwrap();
    let keys: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(keys[0]["isActive"], false, "{keys}");
}
