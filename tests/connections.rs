//! Connection handling of the reference server over real sockets on 127.0.0.1: silent, idle
//! and half-sent connections are closed on time, a trickled body gets a 408 in VTEX's shape,
//! the connection cap holds clients back instead of running out of descriptors, and shutdown
//! ends within its grace whatever the clients do.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use apikeys::server::{self, Limits, Prepared, RunningServer, ServerConfig};
use secrecy::ExposeSecret;
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longest any test here waits for the server to act; every timeout it tests is far shorter.
const PATIENCE: Duration = Duration::from_secs(15);

struct Served {
    server: RunningServer,
    app_key: String,
    token: String,
    _dir: TempDir,
}

/// Short timeouts, so the tests run in seconds; each test overrides what it is about.
fn quick_limits() -> Limits {
    Limits {
        header_read: Duration::from_secs(30),
        body: Duration::from_secs(30),
        idle: Duration::from_secs(30),
        shutdown_grace: Duration::from_secs(5),
        max_connections: None,
        rate_limit: None,
        public_api_only: false,
    }
}

async fn start(limits: Limits) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let config = ServerConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        db_path: dir.path().join("conn.sqlite3"),
        account: "acme".into(),
        seed_demo: false,
        seed_keys: 0,
        limits,
    };
    let (server, prepared) = server::start(&config).await.unwrap();
    let Prepared::Bootstrapped(admin) = prepared else {
        panic!("a new database is bootstrapped");
    };
    Served {
        server,
        app_key: admin.app_key,
        token: admin.app_token.expose_secret().to_string(),
        _dir: dir,
    }
}

/// Reads until the server closes the connection (EOF or reset), or `PATIENCE` passes.
/// Returns what was read and when the connection ended.
async fn read_until_closed(stream: &mut TcpStream) -> Result<(String, Duration), String> {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(PATIENCE, stream.read(&mut buf)).await {
            Err(_) => {
                return Err(format!(
                    "still open after {PATIENCE:?}; received {:?}",
                    String::from_utf8_lossy(&received)
                ));
            }
            Ok(Ok(0)) | Ok(Err(_)) => {
                return Ok((String::from_utf8_lossy(&received).into(), started.elapsed()));
            }
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
        }
    }
}

/// Reads one response whose body is `Content-Length` long, leaving the connection open.
async fn read_one_response(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + PATIENCE;
    loop {
        let text = String::from_utf8_lossy(&received).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if body.len() >= length {
                return text;
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let n = tokio::time::timeout(left, stream.read(&mut buf))
            .await
            .expect("no complete response in time")
            .unwrap();
        assert!(n > 0, "closed before a whole response: {text:?}");
        received.extend_from_slice(&buf[..n]);
    }
}

async fn connect(addr: SocketAddr) -> TcpStream {
    TcpStream::connect(addr).await.unwrap()
}

fn post_head(served: &Served, content_length: usize) -> String {
    format!(
        "POST /api/vlm/appkeys HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         X-VTEX-API-AppKey: {}\r\nX-VTEX-API-AppToken: {}\r\nContent-Length: {content_length}\r\n\r\n",
        served.app_key, served.token
    )
}

#[tokio::test]
async fn a_connection_that_never_sends_is_closed_when_idle() {
    let served = start(Limits {
        idle: Duration::from_secs(1),
        ..quick_limits()
    })
    .await;
    let mut silent = connect(served.server.addr).await;
    let (received, after) = read_until_closed(&mut silent).await.unwrap();
    assert_eq!(received, "", "nothing to answer");
    println!("silent connection closed after {after:?}");
}

#[tokio::test]
async fn a_slowloris_request_line_is_cut_off_by_the_header_timeout() {
    let served = start(Limits {
        header_read: Duration::from_secs(2),
        idle: Duration::from_secs(1),
        ..quick_limits()
    })
    .await;
    let mut slow = connect(served.server.addr).await;
    slow.write_all(b"GET /api/vlm/app").await.unwrap();
    let (received, after) = read_until_closed(&mut slow).await.unwrap();
    assert!(
        !received.contains(" 5"),
        "no 5xx for a slow client: {received}"
    );
    println!("half a request line, then silence: closed after {after:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let served = start(Limits {
        idle: Duration::from_secs(1),
        ..quick_limits()
    })
    .await;
    let mut client = connect(served.server.addr).await;
    client
        .write_all(b"GET /api/vlm/session HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let first = read_one_response(&mut client).await;
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");
    assert!(
        !first.to_ascii_lowercase().contains("connection: close"),
        "kept alive: {first}"
    );
    let (rest, after) = read_until_closed(&mut client).await.unwrap();
    assert_eq!(rest, "");
    println!("idle keep-alive connection closed after {after:?}");
}

#[tokio::test]
async fn a_trickled_body_is_answered_408_in_vtex_shape() {
    let served = start(Limits {
        body: Duration::from_secs(1),
        ..quick_limits()
    })
    .await;
    let mut client = connect(served.server.addr).await;
    let request = post_head(&served, 40) + r#"{"label": "#;
    client.write_all(request.as_bytes()).await.unwrap();
    let (received, after) = read_until_closed(&mut client).await.unwrap();
    assert!(received.starts_with("HTTP/1.1 408"), "{received}");
    let body: serde_json::Value =
        serde_json::from_str(received.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(body["HttpStatusCode"], 408);
    assert!(
        body["Message"].as_str().unwrap().contains("did not arrive"),
        "{body}"
    );
    println!("trickled body answered 408 and closed after {after:?}");
}

#[tokio::test]
async fn at_the_cap_a_client_waits_until_a_connection_closes() {
    let served = start(Limits {
        body: Duration::from_secs(3),
        max_connections: Some(2),
        ..quick_limits()
    })
    .await;
    // Two requests in flight (their bodies still coming) fill the cap; they cannot be shed.
    let mut busy = Vec::new();
    for _ in 0..2 {
        let mut client = connect(served.server.addr).await;
        client
            .write_all(post_head(&served, 40).as_bytes())
            .await
            .unwrap();
        busy.push(client);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let third = reqwest::Client::new()
        .get(format!("{}/api/vlm/session", served.server.base_url()))
        .timeout(PATIENCE)
        .send()
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(third.status(), 401);
    // Served only once a body deadline closed one of the two (3 s after it started).
    assert!(
        waited >= Duration::from_secs(2),
        "served after {waited:?}, before any slot was free"
    );
    println!("third client waited {waited:?} for a slot");
}

#[tokio::test]
async fn at_the_cap_idle_connections_make_room_for_a_good_client() {
    let served = start(Limits {
        max_connections: Some(4),
        ..quick_limits()
    })
    .await;
    let mut idle = Vec::new();
    for _ in 0..10 {
        idle.push(connect(served.server.addr).await);
    }
    let started = Instant::now();
    let good = reqwest::Client::new()
        .get(format!("{}/api/vlm/session", served.server.base_url()))
        .timeout(PATIENCE)
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), 401);
    let waited = started.elapsed();
    // Idle and header timeouts are 30 s here: only shedding idle connections explains this.
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");
    println!("good client behind 10 idle sockets (cap 4) served after {waited:?}");
}

#[tokio::test]
async fn shutdown_ends_within_its_grace_despite_a_half_sent_request() {
    let served = start(Limits {
        shutdown_grace: Duration::from_secs(1),
        ..quick_limits()
    })
    .await;
    let mut half = connect(served.server.addr).await;
    half.write_all(b"GET /api/vlm/appkeys HTTP/1.1\r\nHost: 12")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    tokio::time::timeout(PATIENCE, served.server.shutdown())
        .await
        .expect("shutdown must not wait for a client that never finishes")
        .unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "shutdown took {took:?}");
    let (_, _) = read_until_closed(&mut half).await.unwrap();
    println!("shutdown with a half-sent request took {took:?}");
}

#[tokio::test]
async fn shutdown_lets_an_in_flight_request_finish() {
    let served = start(quick_limits()).await;
    let body = br#"{"label": "made during shutdown"}"#;
    let mut client = connect(served.server.addr).await;
    client
        .write_all(post_head(&served, body.len()).as_bytes())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let Served { server, _dir, .. } = served;
    let shutdown = tokio::spawn(server.shutdown());
    tokio::time::sleep(Duration::from_millis(300)).await;
    client.write_all(body).await.unwrap();
    let (received, _) = read_until_closed(&mut client).await.unwrap();
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
    assert!(received.contains("made during shutdown"), "{received}");
    tokio::time::timeout(PATIENCE, shutdown)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn every_request_carries_the_peer_address() {
    use axum::extract::ConnectInfo;
    let router = axum::Router::new().route(
        "/peer",
        axum::routing::get(
            |ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server::listener::serve(
        listener,
        router,
        quick_limits(),
        stop_rx,
    ));
    let mut client = connect(addr).await;
    let local = client.local_addr().unwrap();
    client
        .write_all(b"GET /peer HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (received, _) = read_until_closed(&mut client).await.unwrap();
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
    assert!(
        received.ends_with(&local.to_string()),
        "{received} vs {local}"
    );
    stop_tx.send(()).unwrap();
    tokio::time::timeout(PATIENCE, serving)
        .await
        .unwrap()
        .unwrap();
}
