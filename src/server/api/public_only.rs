//! `--public-api-only`: the server as VTEX's public API and nothing more, a stand-in whose
//! tokens really work. Extension operations and unknown paths answer 404 with an empty body, as
//! VTEX does (the client takes that to mean "no apikeys extensions here"); extension parameters
//! (`expand`) on documented operations are ignored, as VTEX ignores what it does not know.

use axum::http::StatusCode;

/// Which API an operation belongs to, as assets/openapi.yaml marks it (`x-apikeys-extension`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// Documented by VTEX: served in both modes.
    Vtex,
    /// Ours: absent under `--public-api-only`.
    Extension,
}

/// What VTEX answers for an operation it does not have: 404, no body.
pub async fn absent() -> StatusCode {
    StatusCode::NOT_FOUND
}
