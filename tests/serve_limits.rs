//! The built `apikeys serve` binary under hostile clients, with its default limits: more idle
//! sockets than its open-files limit do not lock a good client out, and SIGTERM ends the
//! process within 10 s even while a client holds a half-sent request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The open-files limit the server runs under, and how many idle sockets the test opens.
const FILE_LIMIT: u32 = 256;
const IDLE_SOCKETS: usize = 300;

struct Serving {
    child: Child,
    addr: String,
    dir: tempfile::TempDir,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `apikeys serve` on 127.0.0.1:0 through `sh`, after `ulimit -n` when `file_limit`
/// is given, and waits (at most 30 s) for its "listening on" line.
fn serve(file_limit: Option<u32>) -> Serving {
    let dir = tempfile::tempdir().unwrap();
    let limit = file_limit.map_or(String::new(), |n| format!("ulimit -n {n} && "));
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("{limit}exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_apikeys"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--account",
            "shop",
            "--db",
        ])
        .arg(dir.path().join("shop.sqlite3"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Owned by `Serving` at once, so that a failure below still kills the process.
    let mut serving = Serving {
        child,
        addr: String::new(),
        dir,
    };
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    let stdout = serving.child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = lines_tx.send(line.unwrap_or_default());
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while serving.addr.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines_rx
            .recv_timeout(left)
            .expect("the server did not print its address within 30 s");
        if let Some(url) = line.split("listening on http://").nth(1) {
            serving.addr = url.split_whitespace().next().unwrap().to_string();
        }
    }
    serving
}

fn admin_credentials(serving: &Serving) -> (String, String) {
    let path = serving.dir.path().join("shop.sqlite3.admin.json");
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    (
        file["appKey"].as_str().unwrap().to_string(),
        file["appToken"].as_str().unwrap().to_string(),
    )
}

/// Waits up to `within` for the process to end; kills it and fails the test otherwise.
fn wait_for_exit(serving: &mut Serving, within: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(status) = serving.child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server was still running {within:?} after SIGTERM");
}

#[test]
fn more_idle_sockets_than_the_file_limit_do_not_lock_a_good_client_out() {
    let serving = serve(Some(FILE_LIMIT));
    let (app_key, token) = admin_credentials(&serving);
    let idle: Vec<TcpStream> = (0..IDLE_SOCKETS)
        .map(|_| TcpStream::connect(&serving.addr).unwrap())
        .collect();
    // The good client queues up right behind them, in the listen backlog.
    let started = Instant::now();
    let mut good = TcpStream::connect(&serving.addr).unwrap();
    good.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        good,
        "GET /api/vlm/appkeys HTTP/1.1\r\nHost: {}\r\nX-VTEX-API-AppKey: {app_key}\r\n\
         X-VTEX-API-AppToken: {token}\r\nConnection: close\r\n\r\n",
        serving.addr
    )
    .unwrap();
    let mut answer = String::new();
    let read = good.read_to_string(&mut answer);
    let waited = started.elapsed();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "the good client got no answer in {waited:?} ({read:?}): {answer:?}"
    );
    println!(
        "good client behind {IDLE_SOCKETS} idle sockets (open-files limit {FILE_LIMIT}) served in {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(15),
        "served, but only after {waited:?}"
    );
    drop(idle);
}

#[test]
fn sigterm_ends_the_server_within_10_s_despite_a_half_sent_request() {
    let mut serving = serve(None);
    let mut half = TcpStream::connect(&serving.addr).unwrap();
    half.write_all(b"GET /api/vlm/appkeys HTTP/1.1\r\nHost: 127")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let started = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &serving.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = wait_for_exit(&mut serving, Duration::from_secs(10));
    let took = started.elapsed();
    assert!(status.success(), "a clean stop: {status:?}");
    println!("SIGTERM with a half-sent request: the process ended after {took:?}");
}
