//! The binary makes itself non-dumpable (issue 8, item 7): another process of the same
//! unprivileged user can no longer read its environment (where VTEX_APP_TOKEN may be) or its
//! memory, in every mode. Each mode runs as `nobody`, and a `cat` as `nobody` tries to read
//! /proc/PID/environ; a plain process of that user is read the same way as the control.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NOBODY: u32 = 65534;
/// Stands for a token in the environment: the thing that must not be readable.
const MARKER: &str = "APIKEYS_TEST_SECRET_MARKER_7f3a";

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Skips (with the reason printed) when the tests cannot switch to another user.
macro_rules! require_root {
    () => {
        if !is_root() {
            eprintln!(
                "skipped: switching to uid {NOBODY} needs root, and these tests run as another user"
            );
            return;
        }
    };
}

/// A directory `nobody` may use as HOME, config and data dir.
fn nobody_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::chown(dir.path(), Some(NOBODY), Some(NOBODY)).unwrap();
    dir
}

/// `program` as nobody, with a clean environment holding the marker.
fn as_nobody(program: &str, home: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("VTEX_APP_KEY", "vtexappkey-acme-TESTKY")
        .env("VTEX_APP_TOKEN", MARKER)
        .current_dir(home)
        .uid(NOBODY)
        .gid(NOBODY);
    command
}

/// What another process of nobody reads from /proc/PID/environ: Ok(contents) or the error.
fn environ_seen_by_nobody(pid: u32) -> Result<String, String> {
    let output = Command::new("cat")
        .arg(format!("/proc/{pid}/environ"))
        .uid(NOBODY)
        .gid(NOBODY)
        .output()
        .unwrap();
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).to_string())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// Process `pid` (alive) must be unreadable, and the same reader must read a plain process of
/// the same user, so a refusal is the process's doing and not this machine's.
fn assert_unreadable(pid: u32) {
    let seen = environ_seen_by_nobody(pid);
    let home = nobody_dir();
    let control = as_nobody("sleep", home.path()).arg("30").spawn().unwrap();
    let control_seen = environ_seen_by_nobody(control.id());
    stop(control);
    assert!(
        control_seen
            .as_deref()
            .is_ok_and(|text| text.contains(MARKER)),
        "the control process of the same user could not be read either ({control_seen:?}); \
         this machine restricts /proc more than the test assumes"
    );
    match seen {
        Ok(text) => panic!(
            "another process of the same user read the environment (token marker visible: {})",
            text.contains(MARKER)
        ),
        Err(reason) => assert!(reason.contains("Permission denied"), "{reason}"),
    }
}

fn alive(child: &mut Child) -> u32 {
    assert!(
        child.try_wait().unwrap().is_none(),
        "the process already ended"
    );
    child.id()
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_server_cannot_be_read_by_another_process_of_its_user() {
    require_root!();
    let home = nobody_dir();
    let mut child = as_nobody(env!("CARGO_BIN_EXE_apikeys"), home.path())
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(home.path().join("server.sqlite3"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let ready = stdout
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("listening on"));
    assert!(ready, "the server never said it was listening");
    assert_unreadable(alive(&mut child));
    stop(child);
}

/// A listener on 127.0.0.1 that takes connections and never answers, and the moment the
/// first one arrived (so the client is known to be running, token in hand).
fn silent_listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

fn wait_for_connection(listener: &TcpListener) -> std::net::TcpStream {
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match listener.accept() {
            Ok((stream, _)) => return stream,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Err(err) => panic!("the client never connected: {err}"),
        }
    }
}

#[test]
fn a_cli_command_waiting_on_the_server_cannot_be_read() {
    require_root!();
    let home = nobody_dir();
    let (listener, url) = silent_listener();
    let mut child = as_nobody(env!("CARGO_BIN_EXE_apikeys"), home.path())
        .args(["--base-url", &url, "--timeout", "60", "keys", "list"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _held = wait_for_connection(&listener);
    assert_unreadable(alive(&mut child));
    stop(child);
}

#[test]
fn the_terminal_app_cannot_be_read() {
    require_root!();
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let home = nobody_dir();
    let (listener, url) = silent_listener();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    // setpriv drops to nobody and execs the app: the same process, a terminal on stdin/out.
    let mut command = CommandBuilder::new("setpriv");
    command.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
    command.arg(env!("CARGO_BIN_EXE_apikeys"));
    command.args(["--base-url", &url, "--timeout", "60"]);
    command.env_clear();
    command.env("PATH", "/usr/local/bin:/usr/bin:/bin");
    command.env("TERM", "xterm-256color");
    command.env("HOME", home.path());
    command.env("XDG_CONFIG_HOME", home.path().join("config"));
    command.env("XDG_DATA_HOME", home.path().join("data"));
    command.env("VTEX_APP_KEY", "vtexappkey-acme-TESTKY");
    command.env("VTEX_APP_TOKEN", MARKER);
    command.cwd(home.path());
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    // Drain the terminal so the app never blocks on a full pty.
    let mut reader = pair.master.try_clone_reader().unwrap();
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));

    let _held = wait_for_connection(&listener);
    assert!(child.try_wait().unwrap().is_none(), "the app already ended");
    let pid = child.process_id().unwrap();
    let result = std::panic::catch_unwind(|| assert_unreadable(pid));
    let _ = child.kill();
    let _ = child.wait();
    drop(pair.master);
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
