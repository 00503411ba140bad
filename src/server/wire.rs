//! The JSON the server answers with, in VTEX's field names.

use secrecy::{ExposeSecret, SecretString};
use serde::{Serialize, Serializer};

use super::store::accounts::AccountProfile;
use super::store::external::ExternalKey;
use super::store::keys::KeyRecord;
use super::store::roles::{RoleInfo, RoleRef};
use super::store::tokens::RenewalState;
use crate::permissions::ResourceSet;

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
    /// Extension (`expand=resources`): the API-key resources the role grants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key_resources: Option<Vec<&'static str>>,
}

impl RoleItem {
    pub fn with_api_key_resources(mut self, granted: Option<ResourceSet>) -> RoleItem {
        self.api_key_resources = granted.map(|set| set.iter().map(|r| r.key()).collect());
        self
    }
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
            api_key_resources: None,
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

/// VTEX's `AccountResponse` (GET /api/vlm/account), with the fields this server knows; VTEX's
/// schema requires none, and the contact, sponsor and address fields are not ours to invent.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: String,
    pub account_name: String,
    /// VTEX's `name` is the trading name too.
    pub name: String,
    pub trading_name: String,
    pub company_name: String,
    pub is_active: bool,
    pub is_operating: bool,
    pub have_parent_account: bool,
    pub has_logo: bool,
    pub creation_date: String,
    pub hosts: Vec<String>,
    pub licenses: Vec<License>,
    pub app_keys: Vec<AccountAppKey>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct License {
    pub id: u32,
    pub name: String,
    pub is_purchased: bool,
    pub expiration: Option<String>,
    pub products: Vec<LicensedProduct>,
}

#[derive(Serialize)]
pub struct LicensedProduct {
    pub id: u32,
    pub name: String,
}

/// A key as the account answer lists it: VTEX sends `appToken: null` "for security reasons".
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountAppKey {
    pub id: String,
    pub app_key: String,
    pub app_token: Option<String>,
    pub label: String,
    pub created_in: String,
    pub is_active: bool,
    pub is_blocked: bool,
}

/// VTEX's product ids (from its AccountResponse example); a product it does not list gets one
/// of ours above 1000, stable for a given name set.
const VTEX_PRODUCT_IDS: &[(&str, u32)] = &[
    ("License Manager", 1),
    ("Catalog", 2),
    ("Master Data", 3),
    ("Checkout", 5),
    ("PCI Gateway", 6),
    ("Logistics", 9),
    ("OMS", 19),
    ("CMS", 38),
    ("Pricing", 65),
];

impl Account {
    pub fn new(profile: AccountProfile, keys: Vec<KeyRecord>) -> Account {
        let products = profile
            .products
            .into_iter()
            .enumerate()
            .map(|(index, name)| LicensedProduct {
                id: VTEX_PRODUCT_IDS
                    .iter()
                    .find(|(known, _)| *known == name)
                    .map_or(1001 + index as u32, |(_, id)| *id),
                name,
            })
            .collect();
        Account {
            // VTEX's ids are 32 hex digits; ours is the row id, spelled the same way.
            id: format!("{:032x}", profile.id),
            account_name: profile.name,
            name: profile.trading_name.clone(),
            trading_name: profile.trading_name,
            company_name: profile.company_name,
            is_active: true,
            is_operating: true,
            have_parent_account: false,
            has_logo: false,
            creation_date: profile.created_at,
            hosts: Vec::new(),
            licenses: vec![License {
                id: 1,
                name: "apikeys reference server".into(),
                is_purchased: true,
                expiration: None,
                products,
            }],
            app_keys: keys
                .into_iter()
                .map(|key| AccountAppKey {
                    id: key.id,
                    app_key: key.app_key,
                    app_token: None,
                    label: key.label,
                    created_in: key.created_in,
                    is_active: key.is_active,
                    is_blocked: false,
                })
                .collect(),
        }
    }
}
