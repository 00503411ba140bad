//! The embedded demo holds `<db>.lock` shared: two app windows may run the demo on one
//! database, but a server (exclusive) may not start beside them, nor a demo beside a server.

use std::net::SocketAddr;

use apikeys::embedded;
use apikeys::server::{self, ServerConfig};
use apikeys::vtex::ClientOptions;

fn server_config(db: &std::path::Path) -> ServerConfig {
    ServerConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        db_path: db.to_path_buf(),
        account: embedded::DEMO_ACCOUNT.into(),
        seed_demo: false,
        seed_keys: 0,
        limits: apikeys::server::Limits::default(),
    }
}

#[tokio::test]
async fn two_demo_windows_share_a_database_and_a_server_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    let first = embedded::start_at(db.clone(), ClientOptions::default())
        .await
        .unwrap();
    let second = embedded::start_at(db.clone(), ClientOptions::default())
        .await
        .expect("a second demo window on the same database works");
    let err = server::prepare(&server_config(&db))
        .err()
        .expect("a server may not start on a database the demo is using");
    assert!(format!("{err:#}").contains("already in use"), "{err:#}");
    first.server.shutdown().await.unwrap();
    second.server.shutdown().await.unwrap();

    let (running, _) = server::start(&server_config(&db)).await.unwrap();
    let err = embedded::start_at(db.clone(), ClientOptions::default())
        .await
        .err()
        .expect("the demo may not open a database a server is using");
    assert!(
        format!("{err:#}").contains("in use by an apikeys server"),
        "{err:#}"
    );
    running.shutdown().await.unwrap();
}
