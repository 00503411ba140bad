//! Account-wide endpoints: the account itself (VTEX's), settings, the caller's session, the
//! audit trail.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::AppState;
use crate::server::auth::{Authorized, EditSettings, View};
use crate::server::error::ApiError;
use crate::server::extract::{ObjectBody, QueryParams};
use crate::server::store::audit::{self, AuditEntry};
use crate::server::store::keys::Expand;
use crate::server::store::{accounts, keys};
use crate::server::wire;

/// VTEX's "Get information about account". VTEX asks for its "Save account" resource, which
/// this server does not model; View API Keys is what it asks instead (the answer lists keys).
pub async fn info(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<View>,
) -> Result<Json<wire::Account>, ApiError> {
    let account_id = caller.actor.account_id;
    let (profile, keys) = state
        .store
        .call(move |conn| {
            let profile = accounts::profile(conn, account_id)?;
            Ok((profile, keys::list(conn, account_id, Expand::default())?))
        })
        .await?;
    Ok(Json(wire::Account::new(profile, keys)))
}

pub async fn settings(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<View>,
) -> Result<Json<wire::Settings>, ApiError> {
    let account_id = caller.actor.account_id;
    let months = state
        .store
        .call(move |conn| accounts::token_duration_months(conn, account_id))
        .await?;
    Ok(Json(wire::Settings {
        token_duration_months: months,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsRequest {
    /// Read loosely so any wrong value (a string, a negative, a fraction) gets the same clear message.
    token_duration_months: Option<serde_json::Value>,
}

pub async fn update_settings(
    State(state): State<AppState>,
    authorized: Authorized<EditSettings>,
    ObjectBody(request): ObjectBody<SettingsRequest>,
) -> Result<Json<wire::Settings>, ApiError> {
    let value = request.token_duration_months.unwrap_or_default();
    let months = value
        .as_u64()
        .and_then(|months| u32::try_from(months).ok())
        .filter(|months| accounts::TOKEN_DURATIONS.contains(months))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "tokenDurationMonths must be 3 (recommended) or 6; got {value}."
            ))
        })?;
    let months = authorized
        .change(&state.store, move |tx, actor| {
            accounts::set_token_duration_months(tx, actor, months)
        })
        .await?;
    Ok(Json(wire::Settings {
        token_duration_months: months,
    }))
}

pub async fn session(Authorized(caller, _): Authorized<View>) -> Json<wire::Session> {
    Json(wire::Session {
        account: caller.actor.account,
        app_key: caller.actor.app_key,
        resources: caller.resources.iter().map(|r| r.key()).collect(),
    })
}

#[derive(Deserialize)]
pub struct AuditQuery {
    limit: Option<u32>,
    before: Option<i64>,
    target: Option<String>,
}

pub async fn audit(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<View>,
    QueryParams(query): QueryParams<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request("limit must be between 1 and 1000."));
    }
    let account_id = caller.actor.account_id;
    let entries = state
        .store
        .call(move |conn| {
            audit::list(
                conn,
                account_id,
                limit,
                query.before,
                query.target.as_deref(),
            )
        })
        .await?;
    Ok(Json(entries))
}
