//! Axum's extractors with their rejections turned into VTEX-shaped JSON errors.

use axum::extract::{FromRequest, FromRequestParts, Request};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;

/// A JSON request body.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Body<T>(pub T);

/// A JSON body that must be an object. serde would also read a struct from an array of its
/// fields in order (`["ERP"]` as `{"label": "ERP"}`); the contract says object, so we hold to it.
pub struct ObjectBody<T>(pub T);

impl<S, T> FromRequest<S> for ObjectBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let Body(value) = Body::<Value>::from_request(request, state).await?;
        if !value.is_object() {
            return Err(ApiError::bad_request(
                "The request body must be a JSON object.",
            ));
        }
        serde_json::from_value(value)
            .map(ObjectBody)
            .map_err(|err| ApiError::bad_request(format!("Invalid request body: {err}.")))
    }
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct PathParams<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct QueryParams<T>(pub T);
