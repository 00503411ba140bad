//! Who is calling, and whether their roles allow the operation.
//!
//! Every endpoint but `apptoken/login` takes `X-VTEX-API-AppKey` + `X-VTEX-API-AppToken`, or a
//! user token from login in `VtexIdclientAutCookie`. 401 for anything missing, unknown, wrong or
//! inactive; 403 when the key's roles lack the endpoint's resource.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use secrecy::SecretString;

use super::api::AppState;
use super::error::ApiError;
use super::permissions::{Resource, ResourceSet};
use super::store::tokens::TokenOwner;
use super::store::{Actor, StoreResult, roles, sessions, tokens};

pub const APP_KEY_HEADER: &str = "x-vtex-api-appkey";
pub const APP_TOKEN_HEADER: &str = "x-vtex-api-apptoken";
pub const USER_TOKEN_HEADER: &str = "vtexidclientautcookie";

/// An authenticated caller: its key, account, and the resources its roles grant.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub resources: ResourceSet,
}

/// The resource an endpoint needs, as a type so each handler states it in its signature.
pub trait Requirement {
    const RESOURCE: Resource;
}

pub struct View;
pub struct Edit;
pub struct Renew;
pub struct EditSettings;

impl Requirement for View {
    const RESOURCE: Resource = Resource::ViewApiKeys;
}
impl Requirement for Edit {
    const RESOURCE: Resource = Resource::EditApiKeys;
}
impl Requirement for Renew {
    const RESOURCE: Resource = Resource::RenewApiToken;
}
impl Requirement for EditSettings {
    const RESOURCE: Resource = Resource::EditApiKeysSettings;
}

/// A caller holding resource `R`. Extract it before the body, so a caller without rights learns
/// that first.
pub struct Authorized<R>(pub Caller, pub PhantomData<R>);

impl<R: Requirement + Send> FromRequestParts<AppState> for Authorized<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = authenticate(&parts.headers, state).await?;
        tracing::Span::current().record("actor", caller.actor.app_key.as_str());
        if !caller.resources.contains(R::RESOURCE) {
            return Err(ApiError::forbidden(R::RESOURCE));
        }
        Ok(Authorized(caller, PhantomData))
    }
}

enum Credentials {
    AppToken {
        app_key: String,
        token: SecretString,
    },
    UserToken(SecretString),
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

fn credentials(headers: &HeaderMap) -> Result<Credentials, ApiError> {
    let app_key = header_text(headers, APP_KEY_HEADER);
    let token = header_text(headers, APP_TOKEN_HEADER).map(SecretString::from);
    match (app_key, token) {
        (Some(app_key), Some(token)) => Ok(Credentials::AppToken { app_key, token }),
        (Some(_), None) => Err(ApiError::unauthorized("X-VTEX-API-AppToken is missing.")),
        (None, Some(_)) => Err(ApiError::unauthorized("X-VTEX-API-AppKey is missing.")),
        (None, None) => header_text(headers, USER_TOKEN_HEADER)
            .map(|token| Credentials::UserToken(SecretString::from(token)))
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "Authentication required: send X-VTEX-API-AppKey and X-VTEX-API-AppToken.",
                )
            }),
    }
}

async fn authenticate(headers: &HeaderMap, state: &AppState) -> Result<Caller, ApiError> {
    let credentials = credentials(headers)?;
    let found = state
        .store
        .call(
            move |conn| -> StoreResult<Option<(TokenOwner, ResourceSet)>> {
                let owner = match &credentials {
                    Credentials::AppToken { app_key, token } => {
                        tokens::owner_of(conn, token)?.filter(|owner| &owner.app_key == app_key)
                    }
                    Credentials::UserToken(token) => {
                        sessions::owner_of(conn, token, chrono::Utc::now().timestamp())?
                    }
                };
                match owner {
                    Some(owner) => {
                        let resources = roles::resources_of_key(conn, &owner.key_id)?;
                        Ok(Some((owner, resources)))
                    }
                    None => Ok(None),
                }
            },
        )
        .await?;
    let Some((owner, resources)) = found else {
        return Err(ApiError::unauthorized(
            "The app key and token do not match any key of this server.",
        ));
    };
    if !owner.is_active {
        return Err(ApiError::unauthorized(format!(
            "{} is inactive; activate it before using it.",
            owner.app_key
        )));
    }
    Ok(Caller {
        actor: Actor {
            account_id: owner.account_id,
            account: owner.account,
            key_id: owner.key_id,
            app_key: owner.app_key,
            token_slot: Some(owner.slot),
        },
        resources,
    })
}
