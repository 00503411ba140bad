//! Who is calling, and whether their roles allow the operation.
//!
//! Every endpoint but `apptoken/login` takes `X-VTEX-API-AppKey` + `X-VTEX-API-AppToken`, or a
//! user token from login in `VtexIdclientAutCookie`. 401 for anything missing, unknown, wrong or
//! inactive; 403 when the key's roles lack the endpoint's resource; 429 for a source address
//! that failed too often (see [`super::limiter`]), or for a key past its request rate (see
//! [`super::rate_limit`]).
//!
//! A change runs through [`Authorized::change`]: one IMMEDIATE transaction that checks the
//! caller again, makes the change, and checks the lockout rule before committing, so a key
//! deactivated a moment ago cannot complete a change, and two admins cannot lock each other out.

use std::convert::Infallible;
use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use rusqlite::Connection;
use secrecy::SecretString;

use super::api::AppState;
use super::error::ApiError;
use super::rate_limit::retry_after_secs;
use super::secrets::token_hash;
use super::store::tokens::TokenOwner;
use super::store::{self, Actor, Store, StoreError, StoreResult, lockout, roles, sessions, tokens};
use crate::permissions::{Resource, ResourceSet};

pub const APP_KEY_HEADER: &str = "x-vtex-api-appkey";
pub const APP_TOKEN_HEADER: &str = "x-vtex-api-apptoken";
pub const USER_TOKEN_HEADER: &str = "vtexidclientautcookie";

/// An authenticated caller: its key, account, and the resources its roles grant.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub resources: ResourceSet,
    proof: Proof,
}

/// How the caller signed in, by hash only: enough to check again, inside a change's own
/// transaction, that the credentials still work.
#[derive(Debug, Clone)]
enum Proof {
    AppToken { app_key: String, hash: Vec<u8> },
    Session { hash: Vec<u8> },
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

/// The address a request came from, when the server was started with connection info
/// (`serve_store` is); `None` otherwise, and then nothing is rate-limited.
pub struct Source(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Source {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Source(source_of(parts)))
    }
}

fn source_of(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

/// A caller holding resource `R`. Extract it before the body, so a caller without rights learns
/// that first.
pub struct Authorized<R>(pub Caller, pub PhantomData<R>);

impl<R: Requirement + Send> FromRequestParts<AppState> for Authorized<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let source = source_of(parts);
        if let Some(secs) = source.and_then(|ip| state.limiter.refused(ip)) {
            return Err(ApiError::too_many_failures(secs));
        }
        let caller = match authenticate(&parts.headers, state).await {
            Ok(caller) => caller,
            Err(err) => {
                if let Some(ip) = source.filter(|_| err.status.as_u16() == 401) {
                    state.limiter.record_failure(ip);
                }
                return Err(err);
            }
        };
        tracing::Span::current().record("actor", caller.actor.app_key.as_str());
        admit(state, &caller)?;
        if !caller.resources.contains(R::RESOURCE) {
            return Err(ApiError::forbidden(R::RESOURCE));
        }
        Ok(Authorized(caller, PhantomData))
    }
}

/// Spends one request of the caller's budget (`--rate-limit`), or refuses with 429. This runs in
/// the extractor, before any handler body, so a refused request has changed nothing.
fn admit(state: &AppState, caller: &Caller) -> Result<(), ApiError> {
    let Some(rate) = &state.rate else {
        return Ok(());
    };
    rate.admit(&caller.actor.key_id, std::time::Instant::now())
        .map_err(|wait| {
            let secs = retry_after_secs(wait);
            tracing::debug!(app_key = %caller.actor.app_key, retry_after_secs = secs, "rate limited");
            ApiError::rate_limited(&caller.actor.app_key, rate.limit(), secs)
        })
}

impl<R: Requirement> Authorized<R> {
    /// Makes a change in one IMMEDIATE transaction: checks the caller again (token still
    /// valid, key active, `R` still held), runs `work`, then refuses with 409 a result that
    /// locks the caller or the account out of managing keys.
    pub async fn change<T, F>(self, store: &Store, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &Actor) -> StoreResult<T> + Send + 'static,
    {
        let Authorized(caller, _) = self;
        let changed = store
            .call(move |conn| {
                let tx = store::begin_write(conn)?;
                let held = recheck(&tx, &caller, R::RESOURCE)?;
                let account_id = caller.actor.account_id;
                let holders_before = lockout::any_edit_holder(&tx, account_id)?;
                let out = work(&tx, &caller.actor)?;
                ensure_caller_keeps_access(&tx, &caller, held)?;
                lockout::ensure_edit_holder_left(&tx, account_id, holders_before)?;
                tx.commit()?;
                Ok(out)
            })
            .await?;
        Ok(changed)
    }
}

/// The key and resources `proof` resolves to now.
fn find_caller(conn: &Connection, proof: &Proof) -> StoreResult<Option<(TokenOwner, ResourceSet)>> {
    let owner = match proof {
        Proof::AppToken { app_key, hash } => {
            tokens::owner_by_hash(conn, hash)?.filter(|owner| &owner.app_key == app_key)
        }
        Proof::Session { hash } => {
            sessions::owner_by_hash(conn, hash, chrono::Utc::now().timestamp())?
        }
    };
    match owner {
        Some(owner) => {
            let resources = roles::resources_of_key(conn, &owner.key_id)?;
            Ok(Some((owner, resources)))
        }
        None => Ok(None),
    }
}

/// The caller as it stands inside the change's transaction; returns the resources it holds.
fn recheck(conn: &Connection, caller: &Caller, needs: Resource) -> StoreResult<ResourceSet> {
    let app_key = &caller.actor.app_key;
    match find_caller(conn, &caller.proof)? {
        Some((owner, _)) if !owner.is_active => Err(StoreError::Unauthorized(format!(
            "{app_key} was deactivated a moment ago; nothing was changed."
        ))),
        Some((owner, resources)) if owner.key_id == caller.actor.key_id => {
            if resources.contains(needs) {
                Ok(resources)
            } else {
                Err(StoreError::Forbidden(needs))
            }
        }
        _ => Err(StoreError::Unauthorized(format!(
            "The token this request was signed with stopped working a moment ago \
             ({app_key} was deleted or its token replaced); nothing was changed."
        ))),
    }
}

/// After the change, the caller's own credentials must still work, and a caller that could
/// manage keys must still be able to.
fn ensure_caller_keeps_access(
    conn: &Connection,
    caller: &Caller,
    held: ResourceSet,
) -> StoreResult<()> {
    let app_key = &caller.actor.app_key;
    let now = find_caller(conn, &caller.proof)?;
    let Some((owner, resources)) = now.filter(|(owner, _)| owner.is_active) else {
        return Err(StoreError::Conflict(format!(
            "This change would lock out {app_key}, the key you are signed in with; \
             make it from another key."
        )));
    };
    let edit = Resource::EditApiKeys;
    if owner.key_id == caller.actor.key_id && held.contains(edit) && !resources.contains(edit) {
        return Err(StoreError::Conflict(format!(
            "This change would take Edit API Keys from {app_key}, the key you are signed in \
             with, and you could no longer manage keys; make it from another key that holds Edit API Keys."
        )));
    }
    Ok(())
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
}

/// The credentials a request carries, reduced to the hash of its token at once.
fn proof(headers: &HeaderMap) -> Result<Proof, ApiError> {
    let app_key = header_text(headers, APP_KEY_HEADER);
    let token = header_text(headers, APP_TOKEN_HEADER).map(SecretString::from);
    match (app_key, token) {
        (Some(app_key), Some(token)) => Ok(Proof::AppToken {
            app_key,
            hash: token_hash(&token),
        }),
        (Some(_), None) => Err(ApiError::unauthorized("X-VTEX-API-AppToken is missing.")),
        (None, Some(_)) => Err(ApiError::unauthorized("X-VTEX-API-AppKey is missing.")),
        (None, None) => header_text(headers, USER_TOKEN_HEADER)
            .map(|token| Proof::Session {
                hash: token_hash(&SecretString::from(token)),
            })
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "Authentication required: send X-VTEX-API-AppKey and X-VTEX-API-AppToken.",
                )
            }),
    }
}

async fn authenticate(headers: &HeaderMap, state: &AppState) -> Result<Caller, ApiError> {
    let proof = proof(headers)?;
    let lookup = proof.clone();
    let found = state
        .store
        .call(move |conn| find_caller(conn, &lookup))
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
        proof,
    })
}
