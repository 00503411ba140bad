//! Issue 13, the `:` command line: the real loop (tests/common/tui.rs) against a reference
//! server on 127.0.0.1:0, driven by typed keys; the history file in a temp dir.

mod common;

use std::path::Path;
use std::time::Duration;

use apikeys::tui::state::Tab;
use common::TestServer;
use common::tui::{AppOptions, start_on};
use serde_json::Value;

/// A fake token of VTEX's shape: never to be written to the history.
const FAKE_TOKEN: &str = "QWERTYUIOPASDFGHJKLZXCVBNM0123456789QWERTYUIOPASDFGH";

async fn server_keys(server: &TestServer) -> Vec<Value> {
    let admin = server.admin.clone();
    let answer = server.get(&admin, "/api/vlm/appkeys").await;
    answer.body.as_array().unwrap().clone()
}

/// The history file's text once it holds `lines` lines (the loop writes it between frames).
async fn history_with(path: &Path, lines: usize) -> String {
    for _ in 0..200 {
        if let Ok(text) = std::fs::read_to_string(path)
            && text.lines().count() >= lines
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the history file never held {lines} lines");
}

#[tokio::test]
async fn a_completed_pane_name_switches_pane() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("keys listed", |f| f.visible_rows == 61 && !f.busy)
        .await;
    app.send(":ext<Tab>");
    app.wait_for("completed", |f| f.screen.contains(":external "))
        .await;
    app.send("<Enter>");
    let frame = app
        .wait_for("External keys", |f| f.tab == Some(Tab::External))
        .await;
    assert!(
        !frame.screen.contains(":external"),
        "the command line closed"
    );
    app.send(":set<Enter>");
    app.wait_for("Settings", |f| f.tab == Some(Tab::Settings))
        .await;
    app.quit().await;
}

#[tokio::test]
async fn filter_and_sort_commands_act_as_their_keys() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("keys listed", |f| f.visible_rows == 61 && !f.busy)
        .await;
    app.send(":filter erp<Enter>");
    let filtered = app
        .wait_for("filtered", |f| f.visible_rows > 0 && f.visible_rows < 61)
        .await;
    for label in &filtered.visible_labels {
        assert!(label.to_lowercase().contains("erp"), "{label}");
    }
    app.send(":filter<Enter>");
    app.wait_for("filter cleared", |f| f.visible_rows == 61)
        .await;

    // Newest first: the first row is the key created last.
    let keys = server_keys(&server).await;
    let newest = keys
        .iter()
        .max_by_key(|k| k["createdIn"].as_str().unwrap_or_default().to_string())
        .unwrap();
    let oldest = keys
        .iter()
        .min_by_key(|k| k["createdIn"].as_str().unwrap_or_default().to_string())
        .unwrap();
    app.send(":sort created desc<Enter>");
    let sorted = app
        .wait_for("sorted newest first", |f| {
            f.visible_labels.first().map(String::as_str) == newest["label"].as_str()
        })
        .await;
    assert!(sorted.says("Sorted by created, descending"));
    app.send(":sort cr asc<Enter>");
    app.wait_for("sorted oldest first", |f| {
        f.visible_labels.first().map(String::as_str) == oldest["label"].as_str()
    })
    .await;
    app.quit().await;
}

#[tokio::test]
async fn a_mistyped_command_says_so_and_suggests() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("keys listed", |f| f.visible_rows == 61 && !f.busy)
        .await;
    app.send(":nonsense<Enter>");
    app.wait_for("unknown", |f| f.says("Unknown command :nonsense"))
        .await;
    app.send(":filtr erp<Enter>");
    app.wait_for("suggestion", |f| {
        f.says("Unknown command :filtr — did you mean :filter?")
    })
    .await;
    app.send(":sort<Enter>");
    app.wait_for("what sort takes", |f| {
        f.says(":sort takes a column: name, key, created, token-age, status")
    })
    .await;
    app.send("3:sort token-age<Enter>");
    app.wait_for("not on External", |f| {
        f.says("External keys has no token-age column")
    })
    .await;
    app.quit().await;
}

#[tokio::test]
async fn up_recalls_and_the_history_file_holds_no_token() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/apikeys/history");
    let server = TestServer::start_with(true).await;
    let options = AppOptions {
        history: Some(path.clone()),
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    app.wait_for("keys listed", |f| f.visible_rows == 61 && !f.busy)
        .await;
    app.send(":filter erp<Enter>");
    app.wait_for("filtered", |f| f.visible_rows < 61).await;
    app.send(&format!(":filter {FAKE_TOKEN}<Enter>"));
    app.wait_for("nothing matches", |f| f.visible_rows == 0)
        .await;
    app.send(":filter<Enter>");
    app.wait_for("filter cleared", |f| f.visible_rows == 61)
        .await;

    // ↑ skips the token line: it was never kept.
    app.send(":<Up>");
    app.wait_for("recalled", |f| f.screen.contains(":filter▏"))
        .await;
    app.send("<Up>");
    let recalled = app
        .wait_for("older", |f| f.screen.contains(":filter erp"))
        .await;
    assert!(!recalled.screen.contains(FAKE_TOKEN));
    app.send("<Enter>");
    app.wait_for("filtered again", |f| f.visible_rows < 61)
        .await;

    let text = history_with(&path, 3).await;
    assert_eq!(text, "filter erp\nfilter\nfilter erp\n");
    assert!(!text.contains(FAKE_TOKEN));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    app.quit().await;

    // A new start reads it back.
    let options = AppOptions {
        history: Some(path.clone()),
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    app.wait_for("keys listed", |f| f.visible_rows == 61 && !f.busy)
        .await;
    app.send(":<Up>");
    app.wait_for("recalled after a restart", |f| {
        f.screen.contains(":filter erp")
    })
    .await;
    app.send("<Esc>");
    app.wait_for("closed", |f| !f.screen.contains(":filter erp"))
        .await;
    app.quit().await;
}

#[tokio::test]
async fn escape_closes_and_paste_drops_line_breaks() {
    let server = TestServer::start_with(true).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_for("keys listed", |f| f.visible_rows == 61 && !f.busy)
        .await;
    app.send(":");
    app.paste("filter\nerp\r");
    app.wait_for("pasted on one line", |f| f.screen.contains(":filtererp"))
        .await;
    app.send("<Esc>");
    let closed = app
        .wait_for("closed", |f| !f.screen.contains(":filtererp"))
        .await;
    assert_eq!(closed.visible_rows, 61, "nothing ran");
    // Keys typed into the command line do not act: q is a letter there.
    app.send(":q");
    app.wait_for("typed", |f| f.screen.contains(":q▏")).await;
    app.send("<Enter>");
    app.wait_for("quit", |f| f.quit).await;
}
