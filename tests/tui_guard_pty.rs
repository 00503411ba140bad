//! Issue 11 in a real pseudo-terminal, the built binary on the embedded demo: keys typed at
//! "Terminal too small" change nothing, and a mouse click on a tab switches panes only with
//! `--mouse`.

mod pty_app;

use std::path::Path;
use std::time::Duration;

use pty_app::Pty;
use serde_json::Value;

/// Each demo key's id and whether it is active, read with the CLI.
fn demo_keys(data: &Path, config: &Path) -> Vec<(String, bool)> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args(["keys", "list", "--output", "json"])
        .env("XDG_DATA_HOME", data)
        .env("XDG_CONFIG_HOME", config)
        .env_remove("VTEX_APP_KEY")
        .env_remove("VTEX_APP_TOKEN")
        .env_remove("APIKEYS_PROFILE")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let keys: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut keys: Vec<(String, bool)> = keys
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["id"].as_str().unwrap().to_string(),
                k["isActive"].as_bool().unwrap(),
            )
        })
        .collect();
    keys.sort();
    keys
}

#[test]
fn keys_typed_at_terminal_too_small_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let before = demo_keys(&data, &config);
    assert!(before.len() > 1);

    let mut pty = Pty::spawn_sized(&[], &data, &config, 30, 8);
    pty.wait_for("the notice", |s| s.contains("Terminal too small"));
    // The keys are listed (not drawn) by now; then deactivate and delete, blind.
    pty.settle(Duration::from_millis(1500));
    for key in [" ", "t", "\r", "d", " ", "\r"] {
        pty.send(key);
    }
    pty.settle(Duration::from_millis(1000));
    pty.send("q");
    pty.expect_clean_exit();
    let after = demo_keys(&data, &config);
    let changed: Vec<_> = before.iter().filter(|key| !after.contains(key)).collect();
    assert!(
        changed.is_empty(),
        "keys deleted or toggled blind: {changed:?}"
    );
    assert_eq!(after.len(), before.len());
}

/// Where `text` starts on screen, as the 1-based column and row a mouse report names.
fn cell_of(screen: &str, text: &str) -> (usize, usize) {
    for (row, line) in screen.lines().enumerate() {
        if let Some(byte) = line.find(text) {
            return (line[..byte].chars().count() + 1, row + 1);
        }
    }
    panic!("{text:?} is not on screen:\n{screen}");
}

/// Clicks tab 3 with an SGR mouse report (press, then release).
fn click_tab_3(pty: &mut Pty, screen: &str) {
    let (x, y) = cell_of(screen, "3 External keys");
    pty.send(&format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m"));
}

const EXTERNAL_PANE: &str = "their tokens are never shown";

#[test]
fn with_mouse_a_click_on_tab_3_switches_panes() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let mut pty = Pty::spawn(&["--mouse"], &data, &config);
    let screen = pty.wait_for("the populated app", |s| s.contains("Generated keys (61)"));
    assert!(!screen.contains(EXTERNAL_PANE));
    click_tab_3(&mut pty, &screen);
    pty.wait_for("the External pane", |s| s.contains(EXTERNAL_PANE));
    pty.send("q");
    pty.expect_clean_exit();
}

#[test]
fn without_mouse_a_click_on_tab_3_does_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let mut pty = Pty::spawn(&[], &data, &config);
    let screen = pty.wait_for("the populated app", |s| s.contains("Generated keys (61)"));
    click_tab_3(&mut pty, &screen);
    // Then a key that shows, so the click was read before it.
    pty.send("?");
    let help = pty.wait_for("the help", |s| s.contains("Esc ? q Enter"));
    assert!(!help.contains(EXTERNAL_PANE), "{help}");
    pty.send("\x1b");
    pty.wait_for("the Generated keys pane", |s| !s.contains("Esc ? q Enter"));
    let screen = pty.screen();
    assert!(!screen.contains(EXTERNAL_PANE), "{screen}");
    pty.send("q");
    pty.expect_clean_exit();
}
