//! The JSON the server answers with, in VTEX's field names.

use secrecy::{ExposeSecret, SecretString};
use serde::{Serialize, Serializer};

use super::store::external::ExternalKey;
use super::store::keys::KeyRecord;
use super::store::roles::{RoleInfo, RoleRef};
use super::store::tokens::RenewalState;

/// The one place a token leaves the server: serialized straight into a response body.
fn expose<S: Serializer>(token: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(token.expose_secret())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppKey {
    pub id: String,
    pub app_key: String,
    pub label: String,
    pub created_in: String,
    pub is_active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<RoleRef>>,
    #[serde(flatten)]
    pub token: Option<TokenDates>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenDates {
    pub creation_date_token: String,
    pub creation_date_new_token: Option<String>,
}

impl From<KeyRecord> for AppKey {
    fn from(key: KeyRecord) -> AppKey {
        AppKey {
            id: key.id,
            app_key: key.app_key,
            label: key.label,
            created_in: key.created_in,
            is_active: key.is_active,
            roles: key.roles,
            token: key.token_dates.map(|dates| TokenDates {
                creation_date_token: dates.current,
                creation_date_new_token: dates.pending_new,
            }),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedAppKey {
    pub id: String,
    pub app_key: String,
    #[serde(serialize_with = "expose")]
    pub app_token: SecretString,
    pub label: String,
    pub created_in: String,
    pub is_active: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewedToken {
    pub id: String,
    pub key_name: String,
    pub creation_date_token: String,
    pub creation_date_new_token: Option<String>,
    pub expiration_period: u32,
    #[serde(serialize_with = "expose")]
    pub new_token: SecretString,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewalDates {
    pub id: String,
    pub creation_date_token: String,
    pub creation_date_new_token: Option<String>,
}

impl From<RenewalState> for RenewalDates {
    fn from(state: RenewalState) -> RenewalDates {
        RenewalDates {
            id: state.key_id,
            creation_date_token: state.token_created,
            creation_date_new_token: state.new_token_created,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolesPage {
    pub items: Vec<RoleItem>,
    pub paging: Paging,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
    pub pages: u64,
}

/// A role as VTEX lists it, deprecated null fields included.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleItem {
    pub id: i64,
    pub is_admin: bool,
    pub role_type: i64,
    pub products: Vec<Product>,
    pub resources: Option<String>,
    pub logins: Option<String>,
    pub name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: Option<String>,
    pub category_id: Option<String>,
    pub category_name: Option<String>,
    pub console_url_mask: Option<String>,
    pub url_configuration: Option<String>,
    pub web_api_url_mask: Option<String>,
    pub url: Option<String>,
    pub product_resources: Option<String>,
    pub name: String,
}

impl From<RoleInfo> for RoleItem {
    fn from(role: RoleInfo) -> RoleItem {
        RoleItem {
            id: role.id,
            is_admin: role.is_admin,
            role_type: role.role_type,
            products: role
                .products
                .into_iter()
                .map(|name| Product {
                    id: None,
                    category_id: None,
                    category_name: None,
                    console_url_mask: None,
                    url_configuration: None,
                    web_api_url_mask: None,
                    url: None,
                    product_resources: None,
                    name,
                })
                .collect(),
            resources: None,
            logins: None,
            name: role.name,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalAppKey {
    pub id: String,
    pub app_key: String,
    pub account: String,
    pub added_on: String,
    pub is_active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<RoleRef>>,
}

impl From<ExternalKey> for ExternalAppKey {
    fn from(key: ExternalKey) -> ExternalAppKey {
        ExternalAppKey {
            id: key.id,
            app_key: key.app_key,
            account: key.account,
            added_on: key.added_on,
            is_active: key.is_active,
            roles: key.roles,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub token_duration_months: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub account: String,
    pub app_key: String,
    pub resources: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Login {
    pub auth_status: &'static str,
    #[serde(serialize_with = "expose_opt")]
    pub token: Option<SecretString>,
    pub expires: i64,
}

fn expose_opt<S: Serializer>(
    token: &Option<SecretString>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match token {
        Some(token) => expose(token, serializer),
        None => serializer.serialize_none(),
    }
}
