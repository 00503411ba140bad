//! The accept loop: at most `Limits::connection_cap()` connections at once, each served by
//! [`connection::serve`], and a shutdown that ends within `Limits::shutdown_grace` whatever the
//! clients do. It replaces `axum::serve`, which has none of these knobs.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::connection::{self, Signals};
use super::limits::Limits;

/// While at the cap, how often idle connections are asked again to close.
const SHED_EVERY: Duration = Duration::from_millis(250);
/// The warning about the cap is repeated at most this often.
const CAP_WARNING_EVERY: Duration = Duration::from_secs(10);
/// After an accept error (out of descriptors, say), wait this long before trying again.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(250);

/// Serves `router` on `listener` until `stop` resolves, then stops accepting, lets in-flight
/// requests finish, closes idle connections, and after `limits.shutdown_grace` drops the rest.
///
/// Each request carries axum's `ConnectInfo<SocketAddr>` (the peer address) in its extensions,
/// the same as `into_make_service_with_connect_info::<SocketAddr>()` gives.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits, stop: impl Future) {
    let limits = Arc::new(limits);
    let (shutdown_tx, shutdown_rx) = watch::channel(());
    let (shed_tx, shed_rx) = watch::channel(0u64);
    let signals = Signals {
        shutdown: shutdown_rx,
        shed: shed_rx,
    };
    let mut acceptor = Acceptor::new(listener, limits.connection_cap(), shed_tx);
    let mut connections = JoinSet::new();
    tokio::pin!(stop);
    loop {
        let (permit, stream, peer) = tokio::select! {
            _ = &mut stop => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = acceptor.accept() => accepted,
        };
        let (router, limits, signals) = (router.clone(), limits.clone(), signals.clone());
        connections.spawn(async move {
            connection::serve(stream, peer, router, limits, signals).await;
            drop(permit);
        });
    }
    drop(acceptor);
    drain(connections, shutdown_tx, limits.shutdown_grace).await;
}

/// Asks every connection to close and waits up to `grace` for them; then drops the rest.
async fn drain(mut connections: JoinSet<()>, shutdown_tx: watch::Sender<()>, grace: Duration) {
    shutdown_tx.send_replace(());
    let all_closed = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(grace, all_closed).await.is_err() {
        tracing::warn!(
            open = connections.len(),
            "connections still open after the {grace:?} shutdown grace; dropping them"
        );
        connections.shutdown().await;
    }
}

/// Accepts connections, holding one semaphore permit per open connection.
struct Acceptor {
    listener: TcpListener,
    slots: Arc<Semaphore>,
    cap: usize,
    shed_tx: watch::Sender<u64>,
    last_cap_warning: Option<Instant>,
}

impl Acceptor {
    fn new(listener: TcpListener, cap: usize, shed_tx: watch::Sender<u64>) -> Acceptor {
        tracing::debug!(cap, "connection cap");
        Acceptor {
            listener,
            slots: Arc::new(Semaphore::new(cap)),
            cap,
            shed_tx,
            last_cap_warning: None,
        }
    }

    /// The next connection, once there is room for it. At the cap nothing is accepted (clients
    /// wait in the kernel's backlog) and idle connections are shed until a slot frees.
    async fn accept(&mut self) -> (OwnedSemaphorePermit, TcpStream, std::net::SocketAddr) {
        let permit = match self.slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => self.wait_for_slot().await,
        };
        loop {
            match self.listener.accept().await {
                Ok((stream, peer)) => return (permit, stream, peer),
                Err(err) => pause_after(err).await,
            }
        }
    }

    async fn wait_for_slot(&mut self) -> OwnedSemaphorePermit {
        let now = Instant::now();
        if self
            .last_cap_warning
            .is_none_or(|at| now.duration_since(at) >= CAP_WARNING_EVERY)
        {
            self.last_cap_warning = Some(now);
            tracing::warn!(
                cap = self.cap,
                "at the connection cap: new clients wait until a connection closes; closing idle ones"
            );
        }
        loop {
            self.shed_tx
                .send_modify(|round| *round = round.wrapping_add(1));
            let slot = self.slots.clone().acquire_owned();
            if let Ok(Ok(permit)) = tokio::time::timeout(SHED_EVERY, slot).await {
                return permit;
            }
        }
    }
}

/// A failed accept: a client that gave up is nothing; anything else (no descriptors left) is
/// logged, and the loop pauses rather than spinning.
async fn pause_after(err: io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %err, "cannot accept a connection; retrying");
    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
}
