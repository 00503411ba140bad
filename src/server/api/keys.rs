//! Generated keys: list, create, activate/deactivate, delete.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Deserialize;

use super::AppState;
use super::listing_cache::{Question, Stamp};
use crate::server::auth::{Authorized, Edit, View};
use crate::server::error::{ApiError, VlmCode};
use crate::server::extract::{ObjectBody, PathParams, QueryParams};
use crate::server::store::keys::{self, Expand, KeyRecord};
use crate::server::wire;

#[derive(Deserialize)]
pub struct ListQuery {
    expand: Option<String>,
}

/// Parses `expand=roles,token`; anything else is named back to the caller.
fn parse_expand(expand: Option<&str>) -> Result<Expand, ApiError> {
    let mut parsed = Expand::default();
    for part in expand
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match part {
            "roles" => parsed.roles = true,
            "token" => parsed.token = true,
            other => {
                return Err(ApiError::bad_request(format!(
                    "Unknown expand value {other:?}; use roles, token or both."
                )));
            }
        }
    }
    Ok(parsed)
}

pub async fn list(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<View>,
    QueryParams(query): QueryParams<ListQuery>,
) -> Result<Response, ApiError> {
    let expand = if state.public_api_only {
        Expand::default()
    } else {
        parse_expand(query.expand.as_deref())?
    };
    let account_id = caller.actor.account_id;
    let cache = state.listings.clone();
    let listing = state
        .store
        .call(move |conn| {
            // One read transaction: the stamp and the scans of keys, tokens and roles see one
            // snapshot, even while another connection to the file commits in between.
            let tx = conn.transaction()?;
            let question = Question {
                stamp: Stamp::of(&tx)?,
                account_id,
                expand,
            };
            let listing = match cache.get(&question) {
                Some(body) => Listing::Unchanged(body),
                None => Listing::Read(question, keys::list(&tx, account_id, expand)?),
            };
            tx.commit()?;
            Ok(listing)
        })
        .await?;
    let (question, keys) = match listing {
        Listing::Unchanged(body) => return Ok(json_response(body)),
        Listing::Read(question, keys) => (question, keys),
    };
    let (body, rows) = tokio::task::spawn_blocking(move || listing_body(keys))
        .await
        .map_err(|err| listing_failed(&err))??;
    // Freeing 100 000 rows' strings takes milliseconds the caller need not wait for.
    drop(tokio::task::spawn_blocking(move || drop(rows)));
    state.listings.put(question, body.clone());
    Ok(json_response(body))
}

/// A listing from the cache, or read from the database to build a body from.
enum Listing {
    Unchanged(Bytes),
    Read(Question, Vec<KeyRecord>),
}

fn json_response(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The listing's JSON in one buffer sized up front (100 000 keys make ~35 MB; growing from
/// axum's 128 bytes would copy it over and over), and the rows, for the caller to free.
fn listing_body(keys: Vec<KeyRecord>) -> Result<(Bytes, Vec<wire::AppKey>), ApiError> {
    let rows: Vec<wire::AppKey> = keys.into_iter().map(wire::AppKey::from).collect();
    let mut body = Vec::with_capacity(rows.len() * LISTED_KEY_BYTES + 2);
    serde_json::to_writer(&mut body, &rows).map_err(|err| listing_failed(&err))?;
    Ok((Bytes::from(body), rows))
}

fn listing_failed(err: &dyn std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("The key listing could not be built ({err}); try again."),
    )
}

/// About what one listed key takes with roles and token dates.
const LISTED_KEY_BYTES: usize = 360;

#[derive(Deserialize)]
pub struct CreateRequest {
    label: String,
}

pub async fn create(
    State(state): State<AppState>,
    authorized: Authorized<Edit>,
    ObjectBody(request): ObjectBody<CreateRequest>,
) -> Result<Json<wire::CreatedAppKey>, ApiError> {
    let (key, token) = authorized
        .change(&state.store, move |tx, actor| {
            keys::create(tx, actor, &request.label)
        })
        .await?;
    Ok(Json(wire::CreatedAppKey {
        id: key.id,
        app_key: key.app_key,
        app_token: token,
        label: key.label,
        created_in: key.created_in,
        is_active: key.is_active,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusRequest {
    pub is_active: bool,
}

pub async fn set_status(
    State(state): State<AppState>,
    authorized: Authorized<Edit>,
    PathParams(id): PathParams<String>,
    ObjectBody(request): ObjectBody<StatusRequest>,
) -> Result<StatusCode, ApiError> {
    authorized
        .change(&state.store, move |tx, actor| {
            keys::set_active(tx, actor, &id, request.is_active)
        })
        .await
        .map_err(|err| match err {
            // VTEX's own code for a key this account does not have.
            missing if missing.status == StatusCode::NOT_FOUND => {
                missing.with_code(VlmCode::KeyNotInAccount)
            }
            other => other,
        })?;
    Ok(StatusCode::OK)
}

pub async fn delete(
    State(state): State<AppState>,
    authorized: Authorized<Edit>,
    PathParams(id): PathParams<String>,
) -> Result<StatusCode, ApiError> {
    authorized
        .change(&state.store, move |tx, actor| keys::delete(tx, actor, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
