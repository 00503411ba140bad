//! The built binary: `apikeys serve` bootstraps once, serves, logs without tokens, and stops
//! cleanly on SIGTERM and SIGINT.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

struct Serving {
    child: Child,
    base_url: String,
    stdout_before_ready: String,
    rest_of_stdout: mpsc::Receiver<String>,
}

/// Starts `apikeys serve` on port 0 and waits for the "listening on" line.
fn serve(db: &std::path::Path, extra: &[&str]) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args(["serve", "--bind", "127.0.0.1:0", "--account", "shop"])
        .arg("--db")
        .arg(db)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines_tx, lines_rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = lines_tx.send(line.unwrap_or_default());
        }
    });
    let mut before = String::new();
    loop {
        let Ok(line) = lines_rx.recv_timeout(Duration::from_secs(30)) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server did not print its address within 30 s");
        };
        before += &line;
        before.push('\n');
        if let Some(url) = line.split("listening on ").nth(1) {
            let base_url = url.split_whitespace().next().unwrap().to_string();
            return Serving {
                child,
                base_url,
                stdout_before_ready: before,
                rest_of_stdout: lines_rx,
            };
        }
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait_with_timeout(mut child: Child) -> (std::process::ExitStatus, String) {
    for _ in 0..300 {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return (status, stderr);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    panic!("the server did not stop within 30 s");
}

#[tokio::test]
async fn serve_bootstraps_once_and_stops_on_signals() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");

    let first = serve(&db, &["--seed-demo"]);
    let credentials: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("shop.sqlite3.admin.json")).unwrap(),
    )
    .unwrap();
    let app_key = credentials["appKey"].as_str().unwrap().to_string();
    let token = credentials["appToken"].as_str().unwrap().to_string();
    assert!(first.stdout_before_ready.contains(&app_key));
    assert_eq!(
        first.stdout_before_ready.matches(&token).count(),
        1,
        "the token is printed once"
    );

    let listing = reqwest::Client::new()
        .get(format!("{}/api/vlm/appkeys", first.base_url))
        .header("X-VTEX-API-AppKey", &app_key)
        .header("X-VTEX-API-AppToken", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(listing.status(), 200);
    let keys: Vec<serde_json::Value> = listing.json().await.unwrap();
    assert_eq!(keys.len(), 61, "60 demo keys and the admin key");

    signal(&first.child, "TERM");
    let rest: Vec<String> = first.rest_of_stdout.iter().collect();
    let (status, stderr) = wait_with_timeout(first.child);
    assert!(
        status.success(),
        "SIGTERM is a clean stop: {status:?}\n{stderr}"
    );
    assert!(
        stderr.contains("/api/vlm/appkeys") && stderr.contains("status=200"),
        "request log: {stderr}"
    );
    assert!(stderr.contains(&app_key), "the log names the calling key");
    assert!(!stderr.contains(&token), "the log must not hold the token");
    assert!(!rest.concat().contains(&token));

    // Second start on the same file: no bootstrap, no token printed, data intact; SIGINT stops it.
    let second = serve(&db, &["--seed-demo"]);
    assert!(!second.stdout_before_ready.contains(&token));
    assert!(!second.stdout_before_ready.contains("Created account"));
    let listing = reqwest::Client::new()
        .get(format!("{}/api/vlm/appkeys", second.base_url))
        .header("X-VTEX-API-AppKey", &app_key)
        .header("X-VTEX-API-AppToken", &token)
        .send()
        .await
        .unwrap();
    let keys: Vec<serde_json::Value> = listing.json().await.unwrap();
    assert_eq!(
        keys.len(),
        61,
        "--seed-demo on a full database adds nothing"
    );
    signal(&second.child, "INT");
    let (status, stderr) = wait_with_timeout(second.child);
    assert!(
        status.success(),
        "SIGINT is a clean stop: {status:?}\n{stderr}"
    );
    assert!(stderr.contains("only fills an empty database"), "{stderr}");
}

#[test]
fn unusable_database_path_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(blocker.join("db.sqlite3"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
