//! Tables are for the terminal they are shown on: on a terminal they are cut to its width,
//! piped (to a file, `grep`, `less`) every cell is whole. The built binary against a reference
//! server on 127.0.0.1:0; the terminal is a real pseudo-terminal.

mod common;

use std::io::Read;
use std::time::Duration;

use common::TestServer;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use unicode_width::UnicodeWidthStr;

/// A 200-character label (the longest the Admin accepts), its end recognisable.
fn long_label() -> String {
    let label = format!("Nightly ERP export {}END", "y".repeat(178));
    assert_eq!(label.chars().count(), 200);
    label
}

#[tokio::test(flavor = "multi_thread")]
async fn piped_tables_keep_every_cell_whole() {
    let server = TestServer::start().await;
    let label = long_label();
    server.key_with_roles(&label, &["API Keys Viewer"]).await;
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["keys", "list"][..],
        &["keys", "list", "--output", "table"][..],
    ] {
        let mut command = common::cli::command(&server, &server.admin, home.path(), args);
        // Even a narrow COLUMNS does not cut a piped table.
        command.env("COLUMNS", "40");
        let output = tokio::task::block_in_place(|| command.output()).unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.contains(&label),
            "{args:?}: the whole label is in piped output:\n{stdout}"
        );
        assert!(!stdout.contains('…'), "{args:?}: nothing is cut:\n{stdout}");
    }
}

/// `apikeys ARGS…` on a pseudo-terminal `cols` wide; what it wrote there, lines without `\r`.
fn on_terminal(server: &TestServer, cols: u16, args: &[&str]) -> (u32, String) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_apikeys"));
    command.env_clear();
    command.arg("--base-url");
    command.arg(server.url(""));
    command.args(args);
    command.env("HOME", home.path());
    command.env("XDG_CONFIG_HOME", home.path().join("config"));
    command.env("XDG_DATA_HOME", home.path().join("data"));
    command.env("VTEX_APP_KEY", &server.admin.app_key);
    command.env("VTEX_APP_TOKEN", &server.admin.token);
    command.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let reading = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        // Ends at EOF, or EIO once the child is gone and the master is dropped.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    });
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("`apikeys {}` did not end within 120 s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    drop(pair.master);
    let out = reading.join().unwrap();
    let text = String::from_utf8(out).unwrap().replace('\r', "");
    (status.exit_code(), text)
}

#[tokio::test(flavor = "multi_thread")]
async fn tables_on_a_terminal_fit_its_width() {
    let server = TestServer::start().await;
    let label = long_label();
    server.key_with_roles(&label, &["API Keys Viewer"]).await;
    for cols in [100u16, 80] {
        let (status, screen) =
            tokio::task::block_in_place(|| on_terminal(&server, cols, &["keys", "list"]));
        assert_eq!(status, 0, "{screen}");
        let lines: Vec<&str> = screen.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3, "a header and two keys:\n{screen}");
        for line in &lines {
            assert!(
                line.width() <= usize::from(cols),
                "{cols} columns: a line of {} columns:\n{screen}",
                line.width()
            );
        }
        let row = lines
            .iter()
            .find(|l| l.contains("Nightly ERP"))
            .unwrap_or_else(|| panic!("the long key is listed:\n{screen}"));
        assert!(row.contains('…'), "the label is cut with …: {row}");
        assert!(!row.contains("END"), "{row}");
        assert!(
            row.contains(&server.admin.app_key[..10]) && row.contains("Active"),
            "the other columns stay: {row}"
        );
    }
}
