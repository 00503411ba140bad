//! What the API answers, shaped to survive real VTEX answers: unknown fields are ignored,
//! nulls default, timestamps are parsed leniently. JSON output of the CLI reuses these with
//! the API's own field names.

use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize};

use super::time::{self, Timestamp};

/// A null where a string, number or bool was expected becomes its default.
fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
}

/// A generated key. `roles` and the token dates come only from servers with our extension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppKey {
    pub id: String,
    pub app_key: String,
    #[serde(default, deserialize_with = "null_default")]
    pub label: String,
    #[serde(default, deserialize_with = "time::optional")]
    pub created_in: Option<Timestamp>,
    #[serde(default, deserialize_with = "null_default")]
    pub is_active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<Role>>,
    #[serde(
        default,
        deserialize_with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub creation_date_token: Option<Timestamp>,
    #[serde(default, deserialize_with = "time::optional")]
    pub creation_date_new_token: Option<Timestamp>,
}

impl AppKey {
    /// Whether a renewal is pending (the old token still exists). Known only with token dates.
    pub fn renewal_pending(&self) -> bool {
        self.creation_date_new_token.is_some()
    }
}

/// The answer to create: the only time the token is seen. VTEX's spec allows it to be null.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedKey {
    pub id: String,
    pub app_key: String,
    #[serde(default)]
    pub app_token: Option<SecretString>,
    #[serde(default, deserialize_with = "null_default")]
    pub label: String,
    #[serde(default, deserialize_with = "time::lenient")]
    pub created_in: Option<Timestamp>,
    #[serde(default = "yes", deserialize_with = "null_default")]
    pub is_active: bool,
}

fn yes() -> bool {
    true
}

/// A role of the account, from the paged role list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDetails {
    pub id: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub is_admin: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub role_type: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub products: Vec<Product>,
    /// Extension (`expand=resources`): which API-key resources the role grants, by resource
    /// key ("ViewApiKeys"…); `None` from servers without it (VTEX).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_resources: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolesPage {
    #[serde(default, deserialize_with = "null_default")]
    pub items: Vec<RoleDetails>,
    pub paging: Option<Paging>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paging {
    #[serde(default, deserialize_with = "null_default")]
    pub page: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub per_page: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub total: u64,
    #[serde(default, deserialize_with = "null_default")]
    pub pages: u64,
}

/// The answer to renew: the new token, shown once.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Renewal {
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub key_name: String,
    #[serde(default, deserialize_with = "time::lenient")]
    pub creation_date_token: Option<Timestamp>,
    #[serde(default, deserialize_with = "time::lenient")]
    pub creation_date_new_token: Option<Timestamp>,
    #[serde(default)]
    pub expiration_period: Option<f64>,
    #[serde(default)]
    pub new_token: Option<SecretString>,
}

/// The answer to finish-renewal and undo-renewal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewalDates {
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    #[serde(default, deserialize_with = "time::optional")]
    pub creation_date_token: Option<Timestamp>,
    #[serde(default, deserialize_with = "time::optional")]
    pub creation_date_new_token: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalKey {
    pub id: String,
    pub app_key: String,
    #[serde(default, deserialize_with = "null_default")]
    pub account: String,
    #[serde(default, deserialize_with = "time::optional")]
    pub added_on: Option<Timestamp>,
    #[serde(default, deserialize_with = "null_default")]
    pub is_active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<Role>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub token_duration_months: u32,
}

/// VTEX's `AccountResponse` (GET /api/vlm/account), in the fields the app shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    #[serde(default, deserialize_with = "null_default")]
    pub account_name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub trading_name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub company_name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub is_active: bool,
}

impl Account {
    /// The trading name, when it says more than the account name.
    pub fn shown_name(&self) -> Option<&str> {
        let name = self.trading_name.trim();
        (!name.is_empty() && !name.eq_ignore_ascii_case(self.account_name.trim())).then_some(name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[serde(default, deserialize_with = "null_default")]
    pub account: String,
    #[serde(default, deserialize_with = "null_default")]
    pub app_key: String,
    #[serde(default, deserialize_with = "null_default")]
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default, deserialize_with = "time::optional")]
    pub at: Option<Timestamp>,
    #[serde(default, deserialize_with = "null_default")]
    pub actor: String,
    #[serde(default, deserialize_with = "null_default")]
    pub action: String,
    #[serde(default, deserialize_with = "null_default")]
    pub target: String,
    #[serde(default, deserialize_with = "null_default")]
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survives_vtex_shapes() {
        let keys: Vec<AppKey> = serde_json::from_str(
            r#"[{"id":"a2555e95","appKey":"vtexappkey-myaccount-ORYNWX","label":null,
                 "createdIn":"2018-07-04T14:09:08.2718405Z","isActive":true,"isBlocked":false},
                {"id":"b","appKey":"vtexappkey-myaccount-ORKPDC","label":"x","createdIn":"2019-12-11T21:06:33",
                 "isActive":null}]"#,
        )
        .unwrap();
        assert_eq!(keys[0].label, "");
        assert!(keys[0].created_in.is_some() && keys[1].created_in.is_some());
        assert!(!keys[1].is_active);
        assert_eq!(keys[0].roles, None);

        let created: CreatedKey = serde_json::from_str(
            r#"{"id":"a","appKey":"k","appToken":null,"label":"l","createdIn":null}"#,
        )
        .unwrap();
        assert!(created.app_token.is_none());
        // An odd date never costs the token.
        let created: CreatedKey = serde_json::from_str(
            r#"{"id":"a","appKey":"k","appToken":"FAKETOKEN","createdIn":"07/04/2018 14:09","isActive":true}"#,
        )
        .unwrap();
        assert!(created.app_token.is_some() && created.created_in.is_none());
        let renewal: Renewal = serde_json::from_str(
            r#"{"newToken":"FAKETOKEN","creationDateToken":42,"creationDateNewToken":"soon"}"#,
        )
        .unwrap();
        assert!(renewal.new_token.is_some() && renewal.creation_date_token.is_none());
        assert!(created.is_active);

        let page: RolesPage = serde_json::from_str(
            r#"{"items":[{"id":957,"isAdmin":false,"roleType":0,"products":[{"id":null,"name":"Catalog"}],
                "resources":null,"logins":null,"name":"Call center operator"}],"paging":{"page":1,"perPage":1,"total":1,"pages":1}}"#,
        )
        .unwrap();
        assert_eq!(page.items[0].products[0].name, "Catalog");
    }
}
