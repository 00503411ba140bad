//! The marks and the status toggle in a real terminal (issue 13): the built binary in tmux on
//! the embedded demo. tmux sends Space, Ctrl-Space (a NUL byte), Ctrl-a and Ctrl-\ (the byte
//! crossterm reads as Ctrl-4) as a terminal does; `t` deactivates the marked keys after the one
//! confirmation, and the demo database says which keys changed.

#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::Command;

/// The demo's keys, "label<TAB>status" per key, through the scripting CLI.
fn statuses(home: &Path) -> Vec<(String, String)> {
    let output = Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args(["keys", "list", "--output", "json"])
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("VTEX_APP_KEY")
        .env_remove("VTEX_APP_TOKEN")
        .env_remove("VTEX_ACCOUNT")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let keys: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    keys.as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let active = if k["isActive"] == true {
                "active"
            } else {
                "inactive"
            };
            (k["label"].as_str().unwrap().to_string(), active.to_string())
        })
        .collect()
}

#[test]
fn marks_in_a_real_terminal_and_t_deactivates_them() {
    let Some(tmux) = tmux::Tmux::start() else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    tmux.start_app(home.path(), "--refresh 0");
    tmux.wait_for("the demo", |s| s.contains("Generated keys (61)"));

    // Ctrl-a then Ctrl-\ (sent as the terminal sends it): all marked, then none.
    tmux.keys(&["C-a"]);
    tmux.wait_for("all marked", |s| s.contains("✓ 61 marked"));
    tmux.keys(&["C-\\"]);
    tmux.wait_for("none marked", |s| !s.contains("marked"));

    // Space marks the first row, Ctrl-Space two rows down marks the range: three, and no
    // status changed.
    let before = statuses(home.path());
    tmux.keys(&["Space", "j", "j", "C-Space"]);
    let marked = tmux.wait_for("three marked", |s| s.contains("✓ 3 marked"));
    assert_eq!(statuses(home.path()), before, "marking changed no status");
    let rows: Vec<&str> = marked
        .lines()
        .filter(|l| l.contains('✓') && l.contains("vtexappkey"))
        .collect();
    assert_eq!(rows.len(), 3, "{marked}");

    // The demo's first three keys by name are active: `t` deactivates them, after asking.
    tmux.keys(&["t"]);
    let asked = tmux.wait_for("the confirmation", |s| s.contains("keys?"));
    assert!(asked.contains("Deactivate 3 keys?"), "{asked}");
    assert_eq!(
        statuses(home.path()),
        before,
        "nothing is sent before the answer"
    );
    tmux.keys(&["Enter"]);
    let done = tmux.wait_for("the run's end", |s| s.contains("Deactivated 3 keys."));
    let after = statuses(home.path());
    let changed: Vec<&(String, String)> =
        after.iter().filter(|key| !before.contains(key)).collect();
    assert_eq!(changed.len(), 3, "{changed:?}\n{done}");
    assert!(
        changed.iter().all(|(_, status)| status == "inactive"),
        "{changed:?}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("the app's exit", |s| s.contains("APP-EXITED"));
}
