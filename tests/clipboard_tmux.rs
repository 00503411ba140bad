//! Copying a token in a real terminal: the app runs inside tmux with `set-clipboard on`, so
//! the OSC 52 it writes lands in tmux's paste buffer, where the test reads it back.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use apikeys::server::store::Store;
use secrecy::SecretString;

#[path = "support/tmux.rs"]
mod tmux;

use tmux::Tmux;

/// Starts the app (embedded default) in a tmux window with this config and
/// `set-clipboard on`; the pane outlives the app so its screen and scrollback can be read after
/// it quits. Returns the demo database.
fn start_app(tmux: &Tmux, home: &Path, config: &str) -> PathBuf {
    tmux::write_config(home, config);
    tmux.start_app(home, "");
    tmux.run(&["set", "-s", "set-clipboard", "on"]);
    home.join("data/apikeys/demo.sqlite3")
}

/// Which slot of which key a token fills in the server's database (looked up by hash).
fn slot_of(db: &Path, token: &str) -> Option<(String, String)> {
    let store = Store::open(db).unwrap();
    let hash = apikeys::server::secrets::token_hash(&SecretString::from(token.to_string()));
    store
        .blocking(|conn| {
            Ok(conn
                .query_row(
                    "SELECT k.app_key, t.slot FROM app_tokens t JOIN app_keys k ON k.id = t.key_id WHERE t.token_hash = ?1",
                    [hash],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .ok())
        })
        .unwrap()
}

/// Once the app shows its keys: renews the first one (keeping the old token for later), copies
/// the new token, and returns the dialog's text and what reached tmux's paste buffer.
fn renew_and_copy(tmux: &Tmux) -> (String, String) {
    tmux.wait_for("the app", |s| s.contains("Generated keys (61)"));
    tmux.keys(&["r"]);
    tmux.wait_for("the renew dialog", |s| s.contains("Renew token"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the token dialog", |s| {
        s.contains("will not be shown again")
    });
    tmux.keys(&["c"]);
    let dialog = tmux.wait_for("the copy report", |s| s.contains("OSC 52"));
    (dialog, tmux.buffer())
}

#[test]
fn a_renewed_token_reaches_the_clipboard_and_leaves_no_trace() {
    let Some(tmux) = Tmux::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let db = start_app(
        &tmux,
        home.path(),
        "clipboard = \"osc52\"\nclear_after_secs = 0\n",
    );
    let (dialog, copied) = renew_and_copy(&tmux);
    assert!(dialog.contains("cannot confirm"), "{dialog}");
    assert_eq!(copied.len(), 100, "{copied:?}");
    assert!(copied.chars().all(|c| c.is_ascii_uppercase()));
    let (app_key, slot) = slot_of(&db, &copied).expect("the copied token is one the server issued");
    assert_eq!(slot, "new", "the copied token is {app_key}'s new token");
    assert!(!dialog.contains(&copied), "the token stays masked until v");

    // Reveal it, then close and quit: nothing of it may stay on screen or in the scrollback.
    tmux.keys(&["v"]);
    tmux.wait_for("the revealed token", |s| s.contains(&copied));
    tmux.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    tmux.keys(&["q"]);
    tmux.wait_for("the app to exit", |s| s.contains("APP-EXITED"));
    let everything = tmux.capture_scrollback();
    assert!(
        !everything.contains(&copied),
        "a token was left in the screen or scrollback"
    );
    assert!(!everything.contains(&copied[..20]));
}

#[test]
fn osc52_timed_clear_empties_the_clipboard_when_asked() {
    let Some(tmux) = Tmux::start() else { return };
    let home = tempfile::tempdir().unwrap();
    start_app(
        &tmux,
        home.path(),
        "clipboard = \"osc52\"\nclear_after_secs = 2\nosc52_clear = true\n",
    );
    let (dialog, copied) = renew_and_copy(&tmux);
    assert!(dialog.contains("cleared in 2 s"), "{dialog}");
    assert_eq!(copied.len(), 100);
    // After the delay the app sends an empty OSC 52: the clipboard no longer holds the token.
    let deadline = Instant::now() + Duration::from_secs(15);
    while tmux.buffer() == copied {
        assert!(Instant::now() < deadline, "the clipboard was not cleared");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(!tmux.buffer().contains(&copied[..20]));
    tmux.keys(&["Escape", "q"]);
    tmux.wait_for("the app to exit", |s| s.contains("APP-EXITED"));
}

#[test]
fn keys_create_copy_prints_no_token() {
    let Some(tmux) = Tmux::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let out = home.path().join("out.json");
    let command = format!(
        "env -u DISPLAY -u WAYLAND_DISPLAY XDG_DATA_HOME={} XDG_CONFIG_HOME={} {} keys create --label 'Copied key' --copy --clipboard osc52 --output json > {} 2>&1; echo CLI-DONE; sleep 600",
        data.display(),
        home.path().join("config").display(),
        env!("CARGO_BIN_EXE_apikeys"),
        out.display()
    );
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "app",
        "-x",
        "120",
        "-y",
        "35",
        &command,
    ]);
    tmux.run(&["set", "-s", "set-clipboard", "on"]);
    tmux.wait_for("the command to finish", |s| s.contains("CLI-DONE"));
    let printed = std::fs::read_to_string(&out).unwrap();
    let answer: serde_json::Value =
        serde_json::from_str(&printed).unwrap_or_else(|_| panic!("{printed}"));
    assert!(answer.get("appToken").is_none(), "{printed}");
    assert!(answer["copied"].as_str().unwrap().contains("OSC 52"));
    let copied = tmux.buffer();
    assert_eq!(copied.len(), 100, "{copied:?}");
    assert!(!printed.contains(&copied));
    let (app_key, slot) =
        slot_of(&data.join("apikeys/demo.sqlite3"), &copied).expect("an issued token");
    assert_eq!(
        (app_key.as_str(), slot.as_str()),
        (answer["appKey"].as_str().unwrap(), "current")
    );
}
