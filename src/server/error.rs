//! Errors as VTEX writes them: always JSON, PascalCase VLMError
//! (`{"Details": null, "HttpStatusCode": 400, "VLMErrorCode": null, "Message": "…"}`).

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::permissions::Resource;
use super::store::StoreError;

/// What a 503 for a busy database tells the client to wait.
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// Seconds for a `Retry-After` header (429, 503).
    pub retry_after: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct VlmError<'a> {
    details: Option<&'a str>,
    http_status_code: u16,
    #[serde(rename = "VLMErrorCode")]
    vlm_error_code: Option<u32>,
    message: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
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
            vlm_error_code: None,
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
