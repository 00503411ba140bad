//! Quitting the terminal app cancels the calls still in flight: a server that never answers
//! sees its connections closed when the user presses q, not when the client's 30 s deadline
//! ends.

mod common;

use std::time::Duration;

use common::Creds;
use common::tui::{AppOptions, start};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// Accepts connections on 127.0.0.1 and never answers; hands each connection to the test.
async fn silent_server() -> (String, mpsc::UnboundedReceiver<TcpStream>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            if tx.send(socket).is_err() {
                break;
            }
        }
    });
    (url, rx)
}

/// Reads until the peer closes; true when it did within `within`.
async fn closed_within(socket: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0u8; 4096];
    tokio::time::timeout(within, async {
        loop {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn quitting_cancels_the_calls_in_flight() {
    let (url, mut connections) = silent_server().await;
    let creds = Creds {
        app_key: "vtexappkey-acme-ADMINK".into(),
        token: "FAKETOKENFAKETOKEN".into(),
    };
    let mut app = start(&url, &creds, AppOptions::default());
    let mut socket = tokio::time::timeout(Duration::from_secs(10), connections.recv())
        .await
        .expect("the app connects")
        .unwrap();
    app.wait_for("a request in flight", |f| f.busy).await;
    app.quit().await;
    // The client's own deadline is 30 s: closing well before it means the call was cancelled.
    assert!(
        closed_within(&mut socket, Duration::from_secs(5)).await,
        "the connection stays open after quitting: the call still runs"
    );
}
