//! `apikeys serve` on a port another program holds fails before it touches the disk: no
//! database, no lock, no credentials file (which would hold a token nobody was shown).

use std::net::TcpListener;
use std::process::Command;

#[test]
fn a_busy_port_fails_before_the_database_or_its_credentials_exist() {
    let dir = tempfile::tempdir().unwrap();
    let occupied = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = occupied.local_addr().unwrap();
    let db = dir.path().join("data").join("new.sqlite3");

    let out = Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args(["serve", "--account", "shop", "--bind", &addr.to_string()])
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    drop(occupied);

    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(
        left.is_empty(),
        "nothing may be created on a failed start, found {left:?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "serve succeeded on a busy port");
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")),
        "the message names the address: {stderr}"
    );
    assert!(
        stderr.contains("--bind"),
        "the message says what to do: {stderr}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("appToken"),
        "no token is printed for a server that never ran"
    );
}
