//! One HTTP/1.1 connection, with its timeouts: hyper's header-read timer, a deadline on each
//! request body, and an idle timer of our own; and the signals that close it early (shutdown,
//! or the server at its connection cap shedding idle connections).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::Instant;
use tower::ServiceExt;

use super::body_deadline::{DeadlineBody, timed_out_response};
use super::limits::Limits;

/// At the connection cap, only connections idle at least this long are shed, so one just
/// accepted is not closed before its request has been read.
pub const SHED_MIN_IDLE: Duration = Duration::from_secs(1);

/// What the accept loop tells every connection.
#[derive(Clone)]
pub struct Signals {
    /// Changes (or closes) when the server shuts down.
    pub shutdown: watch::Receiver<()>,
    /// Bumped while the server is at its connection cap.
    pub shed: watch::Receiver<u64>,
}

/// When the connection last went idle; `None` while a request is being handled.
type IdleSince = Option<Instant>;

/// Serves `stream` until the client closes it, a timeout fires, or a signal ends it.
///
/// Every request gets axum's `ConnectInfo<SocketAddr>` (the peer address) in its extensions,
/// as `into_make_service_with_connect_info::<SocketAddr>()` would give it.
pub async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: Arc<Limits>,
    mut signals: Signals,
) {
    let (idle_tx, mut idle_rx) = watch::channel::<IdleSince>(Some(Instant::now()));
    let service = request_service(router, peer, limits.body, Arc::new(idle_tx));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);

    // Once asked to close, a connection still busy (say, a client not reading its answer) gets
    // one more header-read period, then it is dropped.
    let mut linger: Option<Instant> = None;
    loop {
        let closing = linger.is_some();
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(%peer, error = %err, "connection closed");
                }
                return;
            }
            _ = signals.shutdown.changed(), if !closing => {}
            _ = idle_for(&mut idle_rx, limits.idle), if !closing => {}
            changed = signals.shed.changed(), if !closing => {
                let idle_long = matches!(*idle_rx.borrow(), Some(since) if since.elapsed() >= SHED_MIN_IDLE);
                if changed.is_ok() && !idle_long {
                    continue;
                }
            }
            _ = sleep_until_some(linger) => {
                tracing::debug!(%peer, "connection dropped: still busy after being asked to close");
                return;
            }
        }
        // Closes the connection now if it is between requests; otherwise after the current answer.
        conn.as_mut().graceful_shutdown();
        linger = Some(Instant::now() + limits.header_read);
    }
}

/// The router behind hyper: adds the peer address and the body deadline, and records when
/// the connection is idle.
fn request_service(
    router: Router,
    peer: SocketAddr,
    body_timeout: Duration,
    idle_tx: Arc<watch::Sender<IdleSince>>,
) -> impl hyper::service::Service<
    Request<Incoming>,
    Response = axum::response::Response,
    Error = Infallible,
    Future = impl Future<Output = Result<axum::response::Response, Infallible>> + Send,
> + Clone {
    service_fn(move |request: Request<Incoming>| {
        idle_tx.send_replace(None);
        let (parts, body) = request.into_parts();
        let (body, expired) = DeadlineBody::new(body, body_timeout);
        let mut request = Request::from_parts(parts, axum::body::Body::new(body));
        request.extensions_mut().insert(ConnectInfo(peer));
        let answer = router.clone().oneshot(request);
        let idle_tx = idle_tx.clone();
        async move {
            let response = answer.await.unwrap_or_else(|never| match never {});
            idle_tx.send_replace(Some(Instant::now()));
            if expired.is_set() {
                return Ok(timed_out_response(body_timeout));
            }
            Ok(response)
        }
    })
}

/// Resolves once the connection has been idle for `idle` without interruption.
async fn idle_for(idle_rx: &mut watch::Receiver<IdleSince>, idle: Duration) {
    loop {
        let since = *idle_rx.borrow_and_update();
        match since {
            Some(since) => {
                tokio::select! {
                    _ = tokio::time::sleep_until(since + idle) => return,
                    changed = idle_rx.changed() => {
                        if changed.is_err() {
                            return std::future::pending().await;
                        }
                    }
                }
            }
            None => {
                if idle_rx.changed().await.is_err() {
                    return std::future::pending().await;
                }
            }
        }
    }
}

async fn sleep_until_some(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}
