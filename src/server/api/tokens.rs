//! VTEX ID token endpoints: renewal (start, finish, undo) and apptoken/login.

use axum::Json;
use axum::extract::State;
use secrecy::SecretString;
use serde::Deserialize;

use super::AppState;
use crate::server::auth::{Authorized, Renew, Source};
use crate::server::error::{ApiError, VlmCode};
use crate::server::extract::{ObjectBody, PathParams};
use crate::server::store::{self, StoreResult, sessions, tokens};
use crate::server::wire;

/// VTEX's rotation guide: renew with a valid key other than the one being renewed.
pub const SELF_RENEWAL_REFUSED: &str =
    "A key cannot renew its own token; renew it while signed in with another key.";

pub async fn renew(
    State(state): State<AppState>,
    authorized: Authorized<Renew>,
    PathParams(app_key): PathParams<String>,
) -> Result<Json<wire::RenewedToken>, ApiError> {
    // Checked here rather than in the store: it is a rule about the request, not the data. A
    // user token from apptoken/login counts as the key it was issued for.
    if authorized.0.actor.app_key == app_key {
        return Err(ApiError::bad_request(SELF_RENEWAL_REFUSED).with_code(VlmCode::SelfRenewal));
    }
    let renewed = authorized
        .change(&state.store, move |tx, actor| {
            tokens::renew(tx, actor, &app_key)
        })
        .await?;
    Ok(Json(wire::RenewedToken {
        id: renewed.state.key_id,
        key_name: renewed.state.label,
        creation_date_token: renewed.state.token_created,
        creation_date_new_token: renewed.state.new_token_created,
        expiration_period: renewed.expiration_days,
        new_token: renewed.new_token,
    }))
}

pub async fn finish_renewal(
    State(state): State<AppState>,
    authorized: Authorized<Renew>,
    PathParams(app_key): PathParams<String>,
) -> Result<Json<wire::RenewalDates>, ApiError> {
    let dates = authorized
        .change(&state.store, move |tx, actor| {
            tokens::finish_renewal(tx, actor, &app_key)
        })
        .await?;
    Ok(Json(dates.into()))
}

pub async fn undo_renewal(
    State(state): State<AppState>,
    authorized: Authorized<Renew>,
    PathParams(app_key): PathParams<String>,
) -> Result<Json<wire::RenewalDates>, ApiError> {
    let dates = authorized
        .change(&state.store, move |tx, actor| {
            tokens::undo_renewal(tx, actor, &app_key)
        })
        .await?;
    Ok(Json(dates.into()))
}

#[derive(Deserialize)]
pub struct LoginRequest {
    appkey: String,
    apptoken: String,
}

/// Exchanges an app key and token for a 24-hour user token, as VTEX ID does. Wrong credentials
/// are a 200 with `authStatus: "WrongCredentials"`, as VTEX answers.
pub async fn login(
    State(state): State<AppState>,
    Source(source): Source,
    body: Result<ObjectBody<LoginRequest>, ApiError>,
) -> Result<Json<wire::Login>, ApiError> {
    if let Some(secs) = source.and_then(|ip| state.limiter.refused(ip)) {
        return Err(ApiError::too_many_failures(secs));
    }
    // The body holds a token: never echo any part of it in an error.
    let Ok(ObjectBody(request)) = body else {
        return Err(ApiError::bad_request(
            "Expected a JSON body {\"appkey\": \"…\", \"apptoken\": \"…\"}.",
        ));
    };
    let app_key = request.appkey.trim().to_string();
    let token = SecretString::from(request.apptoken.trim().to_string());
    let now = chrono::Utc::now().timestamp();
    let session = state
        .store
        .call(move |conn| -> StoreResult<Option<(SecretString, i64)>> {
            let tx = store::begin_write(conn)?;
            let session = match tokens::owner_of(&tx, &token)? {
                Some(owner) if owner.app_key == app_key && owner.is_active => {
                    Some(sessions::create(&tx, &owner.key_id, &token, now)?)
                }
                _ => None,
            };
            tx.commit()?;
            Ok(session)
        })
        .await?;
    if let (None, Some(ip)) = (&session, source) {
        state.limiter.record_failure(ip);
    }
    Ok(Json(match session {
        Some((token, expires)) => wire::Login {
            auth_status: "Success",
            token: Some(token),
            expires,
        },
        None => wire::Login {
            auth_status: "WrongCredentials",
            token: None,
            expires: 0,
        },
    }))
}
