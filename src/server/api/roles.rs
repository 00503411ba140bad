//! License Manager role endpoints: a key's roles, adding and removing them, the account's roles.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::AppState;
use crate::server::auth::{Authorized, Edit, View};
use crate::server::error::ApiError;
use crate::server::extract::{Body, PathParams, QueryParams};
use crate::server::store::roles::{self, RoleRef, RoleSort};
use crate::server::wire;

pub async fn of_key(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<View>,
    PathParams(user_id): PathParams<String>,
) -> Result<Json<Vec<RoleRef>>, ApiError> {
    let account_id = caller.actor.account_id;
    let roles = state
        .store
        .call(move |conn| {
            let holder = roles::holder(conn, account_id, &user_id)?;
            roles::of_holder(conn, &holder)
        })
        .await?;
    Ok(Json(roles))
}

pub async fn add(
    State(state): State<AppState>,
    authorized: Authorized<Edit>,
    PathParams(user_id): PathParams<String>,
    Body(role_ids): Body<Vec<i64>>,
) -> Result<StatusCode, ApiError> {
    authorized
        .change(&state.store, move |tx, actor| {
            let holder = roles::holder(tx, actor.account_id, &user_id)?;
            roles::add(tx, actor, &holder, &role_ids)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn remove(
    State(state): State<AppState>,
    authorized: Authorized<Edit>,
    PathParams((user_id, role_id)): PathParams<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let role_id: i64 = role_id.trim().parse().map_err(|_| {
        ApiError::bad_request(format!("Role ids are integers; {role_id:?} is not one."))
    })?;
    authorized
        .change(&state.store, move |tx, actor| {
            let holder = roles::holder(tx, actor.account_id, &user_id)?;
            roles::remove(tx, actor, &holder, role_id)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageQuery {
    num_items: Option<u32>,
    page_number: Option<u32>,
    sort: Option<String>,
    sort_type: Option<String>,
    /// Extension: `resources` adds each role's API-key resources.
    expand: Option<String>,
}

/// Parses the extension `expand=resources`; anything else is named back to the caller.
fn wants_resources(expand: Option<&str>) -> Result<bool, ApiError> {
    let mut wanted = false;
    for part in expand.unwrap_or("").split(',').map(str::trim) {
        match part {
            "" => {}
            "resources" => wanted = true,
            other => {
                return Err(ApiError::bad_request(format!(
                    "Unknown expand value {other:?}; use resources."
                )));
            }
        }
    }
    Ok(wanted)
}

pub async fn list_paged(
    State(state): State<AppState>,
    Authorized(caller, _): Authorized<View>,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Json<wire::RolesPage>, ApiError> {
    let per_page = query.num_items.unwrap_or(100);
    if !(1..=1000).contains(&per_page) {
        return Err(ApiError::bad_request(
            "numItems must be between 1 and 1000.",
        ));
    }
    let page = query.page_number.unwrap_or(1).max(1);
    let sort = match query.sort.as_deref().unwrap_or("id") {
        "id" => RoleSort::Id,
        "name" => RoleSort::Name,
        other => {
            return Err(ApiError::bad_request(format!(
                "sort must be id or name; got {other:?}."
            )));
        }
    };
    let descending = match query.sort_type.as_deref().unwrap_or("ASC") {
        "ASC" | "asc" => false,
        "DSC" | "dsc" | "DESC" | "desc" => true,
        other => {
            return Err(ApiError::bad_request(format!(
                "sortType must be ASC or DSC; got {other:?}."
            )));
        }
    };
    let with_resources = !state.public_api_only && wants_resources(query.expand.as_deref())?;
    let account_id = caller.actor.account_id;
    let (items, total) = state
        .store
        .call(move |conn| {
            let (roles, total) =
                roles::list_paged(conn, account_id, per_page, page, sort, descending)?;
            let mut items = Vec::with_capacity(roles.len());
            for role in roles {
                let granted = if with_resources {
                    Some(roles::api_key_resources_of_role(
                        conn,
                        role.id,
                        role.is_admin,
                    )?)
                } else {
                    None
                };
                items.push(wire::RoleItem::from(role).with_api_key_resources(granted));
            }
            Ok((items, total))
        })
        .await?;
    Ok(Json(wire::RolesPage {
        items,
        paging: wire::Paging {
            page,
            per_page,
            total,
            pages: total.div_ceil(u64::from(per_page)),
        },
    }))
}
