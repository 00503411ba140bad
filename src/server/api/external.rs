//! External keys: other accounts' keys granted access here.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::AppState;
use super::keys::StatusRequest;
use crate::server::auth::{Authorized, Edit, View};
use crate::server::error::ApiError;
use crate::server::extract::{ObjectBody, PathParams, QueryParams};
use crate::server::store::external;
use crate::server::wire;

#[derive(Deserialize)]
pub struct ListQuery {
    expand: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<View>,
    QueryParams(query): QueryParams<ListQuery>,
) -> Result<Json<Vec<wire::ExternalAppKey>>, ApiError> {
    let with_roles = match query.expand.as_deref().map(str::trim) {
        None | Some("") => false,
        Some("roles") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "Unknown expand value {other:?}; external keys expand only roles."
            )));
        }
    };
    let account_id = caller.actor.account_id;
    let keys = state
        .store
        .call(move |conn| external::list(conn, account_id, with_roles))
        .await?;
    Ok(Json(
        keys.into_iter().map(wire::ExternalAppKey::from).collect(),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddRequest {
    app_key: String,
    #[serde(default)]
    roles: Vec<i64>,
}

pub async fn add(
    State(state): State<AppState>,
    authorized: Authorized<Edit>,
    ObjectBody(request): ObjectBody<AddRequest>,
) -> Result<Json<wire::ExternalAppKey>, ApiError> {
    let key = authorized
        .change(&state.store, move |tx, actor| {
            external::add(tx, actor, &request.app_key, &request.roles)
        })
        .await?;
    Ok(Json(key.into()))
}

pub async fn set_status(
    State(state): State<AppState>,
    authorized: Authorized<Edit>,
    PathParams(id): PathParams<String>,
    ObjectBody(request): ObjectBody<StatusRequest>,
) -> Result<StatusCode, ApiError> {
    authorized
        .change(&state.store, move |tx, actor| {
            external::set_active(tx, actor, &id, request.is_active)
        })
        .await?;
    Ok(StatusCode::OK)
}

pub async fn remove(
    State(state): State<AppState>,
    authorized: Authorized<Edit>,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, ApiError> {
    authorized
        .change(&state.store, move |tx, actor| {
            external::remove(tx, actor, &id)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
