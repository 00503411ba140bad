//! One log line per request: method, path, status, latency, and the calling key once known.
//! Headers and bodies are never logged, so no token can reach the log.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    // `actor` is filled in by the auth extractor, which runs inside this span.
    let span = tracing::info_span!("request", %method, %path, actor = tracing::field::Empty);
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| tracing::info!(status, latency_ms = format!("{latency_ms:.2}"), "served"));
    response
}
