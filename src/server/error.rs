//! Errors as VTEX writes them: always JSON, PascalCase VLMError
//! (`{"Details": null, "HttpStatusCode": 400, "VLMErrorCode": 17, "Message": "…"}`).
//! VTEX's schema makes `VLMErrorCode` an integer, so every body carries one: VTEX's own where
//! one is known, else one of ours (listed in assets/openapi.yaml, `x-apikeys-vlm-error-codes`).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::rate_limit::RateLimit;
use super::store::StoreError;
use crate::permissions::Resource;

/// What a 503 for a busy database tells the client to wait.
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// Seconds for a `Retry-After` header (429, 503).
    pub retry_after: Option<u64>,
    /// Set where the handler knows better than the status; else derived from the status.
    pub code: Option<VlmCode>,
}

/// The `VLMErrorCode` of an answer. 17 is VTEX's; the 1000s are ours, out of VTEX's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VlmCode {
    /// VTEX's 17, "Token not exists for this account": no such key in this account.
    KeyNotInAccount,
    InvalidRequest,
    NotAuthenticated,
    MissingPermission,
    NotFound,
    MethodNotAllowed,
    Conflict,
    BodyTooLarge,
    SelfRenewal,
    /// 429: too many failed authentications from one source.
    TooManyFailures,
    /// 429: the key sent more requests than the server's rate limit allows.
    RateLimited,
    /// 503: the database was held by another process past the busy timeout.
    Busy,
    Unexpected,
}

impl VlmCode {
    /// Every code, for the test that checks the list in assets/openapi.yaml.
    pub const ALL: [VlmCode; 13] = [
        VlmCode::KeyNotInAccount,
        VlmCode::InvalidRequest,
        VlmCode::NotAuthenticated,
        VlmCode::MissingPermission,
        VlmCode::NotFound,
        VlmCode::MethodNotAllowed,
        VlmCode::Conflict,
        VlmCode::BodyTooLarge,
        VlmCode::SelfRenewal,
        VlmCode::TooManyFailures,
        VlmCode::RateLimited,
        VlmCode::Busy,
        VlmCode::Unexpected,
    ];

    pub fn value(self) -> u32 {
        match self {
            VlmCode::KeyNotInAccount => 17,
            VlmCode::InvalidRequest => 1000,
            VlmCode::NotAuthenticated => 1001,
            VlmCode::MissingPermission => 1002,
            VlmCode::NotFound => 1003,
            VlmCode::MethodNotAllowed => 1004,
            VlmCode::Conflict => 1005,
            VlmCode::BodyTooLarge => 1006,
            VlmCode::SelfRenewal => 1007,
            VlmCode::TooManyFailures => 1008,
            VlmCode::Busy => 1009,
            VlmCode::RateLimited => 1010,
            VlmCode::Unexpected => 1099,
        }
    }

    /// The code an error of this status gets when its handler names none.
    fn for_status(status: StatusCode) -> VlmCode {
        match status {
            StatusCode::UNAUTHORIZED => VlmCode::NotAuthenticated,
            StatusCode::FORBIDDEN => VlmCode::MissingPermission,
            StatusCode::NOT_FOUND => VlmCode::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => VlmCode::MethodNotAllowed,
            StatusCode::CONFLICT => VlmCode::Conflict,
            StatusCode::PAYLOAD_TOO_LARGE => VlmCode::BodyTooLarge,
            StatusCode::TOO_MANY_REQUESTS => VlmCode::TooManyFailures,
            StatusCode::SERVICE_UNAVAILABLE => VlmCode::Busy,
            status if status.is_server_error() => VlmCode::Unexpected,
            _ => VlmCode::InvalidRequest,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct VlmError<'a> {
    details: Option<&'a str>,
    http_status_code: u16,
    #[serde(rename = "VLMErrorCode")]
    vlm_error_code: u32,
    message: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            code: None,
            retry_after: None,
        }
    }

    /// 429: this source failed authentication too often.
    pub fn too_many_failures(retry_after_secs: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after_secs),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Too many failed authentications from your address; try again in {retry_after_secs} s."
                ),
            )
        }
    }

    /// 429: `app_key` went past the rate limit; nothing was done.
    pub fn rate_limited(app_key: &str, limit: RateLimit, retry_after_secs: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after_secs),
            code: Some(VlmCode::RateLimited),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Too many requests from {app_key}: this server allows each key {} \
                     (bursts of {}); nothing was done. Try again in {retry_after_secs} s.",
                    limit.pace(),
                    limit.burst
                ),
            )
        }
    }

    /// 503: another process held the database longer than the busy timeout.
    pub fn busy() -> ApiError {
        ApiError {
            retry_after: Some(BUSY_RETRY_AFTER_SECS),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "The database is busy with another process (a backup, the sqlite3 shell); \
                 nothing was changed. Try again in a moment.",
            )
        }
    }

    pub fn with_code(mut self, code: VlmCode) -> ApiError {
        self.code = Some(code);
        self
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, message)
    }

    pub fn forbidden(resource: Resource) -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            format!(
                "This API key lacks the License Manager resource \"{}\" ({}); give it a role that holds it.",
                resource.display_name(),
                resource.key()
            ),
        )
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = VlmError {
            details: None,
            http_status_code: self.status.as_u16(),
            vlm_error_code: self
                .code
                .unwrap_or_else(|| VlmCode::for_status(self.status))
                .value(),
            message: &self.message,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> ApiError {
        match err {
            StoreError::NotFound(message) => ApiError::not_found(message),
            StoreError::Invalid(message) => ApiError::bad_request(message),
            StoreError::Conflict(message) => ApiError::new(StatusCode::CONFLICT, message),
            StoreError::Unauthorized(message) => ApiError::unauthorized(message),
            StoreError::Forbidden(resource) => ApiError::forbidden(resource),
            StoreError::Busy(err) => {
                tracing::warn!(error = %err, "database busy past the timeout; answered 503");
                ApiError::busy()
            }
            other => {
                // Store errors carry SQL and paths, never tokens; still, keep them server-side.
                tracing::error!(error = %other, "store failure");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Unexpected error in the apikeys server; see its log.",
                )
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        // VTEX answers a body of the wrong shape with 400, not axum's 422.
        let status = match rejection.status() {
            StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            other => other,
        };
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!(
                "The request body is larger than the {} KiB this server accepts.",
                super::api::BODY_LIMIT_BYTES / 1024
            )
        } else {
            rejection.body_text()
        };
        ApiError::new(status, message)
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        ApiError::new(rejection.status(), rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::bad_request(rejection.body_text())
    }
}
