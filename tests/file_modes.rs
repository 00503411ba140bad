//! The server's files are its owner's alone: the data directory it creates 0700; the
//! database, its -wal and -shm, the lock and admin.json 0600; an older 0644 database is
//! tightened when opened.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use apikeys::server::{self, ServerConfig};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn sibling(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn config(db: &Path) -> ServerConfig {
    ServerConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        db_path: db.to_path_buf(),
        account: "acme".into(),
        seed_demo: false,
        seed_keys: 0,
        limits: apikeys::server::Limits::default(),
    }
}

/// The modes of the directory and of each file while the server runs (-wal and -shm exist
/// only while a connection is open).
async fn modes_while_serving(db: &Path) -> Vec<(String, u32)> {
    let (running, _) = server::start(&config(db)).await.unwrap();
    let mut modes = vec![("dir".to_string(), mode(db.parent().unwrap()))];
    for suffix in ["", "-wal", "-shm", ".admin.json"] {
        modes.push((format!("db{suffix}"), mode(&sibling(db, suffix))));
    }
    running.shutdown().await.unwrap();
    modes
}

#[tokio::test]
async fn a_new_database_and_its_directory_are_private() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("data/apikeys/server.sqlite3");
    let modes = modes_while_serving(&db).await;
    assert_eq!(
        modes,
        vec![
            ("dir".to_string(), 0o700),
            ("db".to_string(), 0o600),
            ("db-wal".to_string(), 0o600),
            ("db-shm".to_string(), 0o600),
            ("db.admin.json".to_string(), 0o600),
        ]
    );
}

#[tokio::test]
async fn an_existing_world_readable_database_is_tightened() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("old.sqlite3");
    modes_while_serving(&db).await;
    // Another open connection keeps -wal and -shm on disk between the two starts.
    let keeper = rusqlite::Connection::open(&db).unwrap();
    keeper
        .execute_batch("SELECT count(*) FROM accounts")
        .unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let path = sibling(&db, suffix);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let modes = modes_while_serving(&db).await;
    for (name, mode) in &modes[1..4] {
        assert_eq!(*mode, 0o600, "{name} is {mode:o}");
    }
    drop(keeper);
}
