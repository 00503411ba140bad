//! What the API answers, shaped to survive real VTEX answers: unknown fields are ignored,
//! nulls default, timestamps are parsed leniently. JSON output of the CLI reuses these with
//! the API's own field names.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use secrecy::SecretString;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::time::{self, Timestamp};

/// A null where a string, number or bool was expected becomes its default.
fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A role a key holds. The name is shared: a listing of 100 000 keys names the same few
/// dozen roles 200 000 times, and one `Arc<str>` per name instead of one `String` per
/// mention saves ~10 MB and as many allocations (see [`shared_name`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: i64,
    #[serde(
        default = "no_name",
        deserialize_with = "shared_name",
        serialize_with = "as_str"
    )]
    pub name: Arc<str>,
}

fn no_name() -> Arc<str> {
    Arc::from("")
}

fn as_str<S: Serializer>(name: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(name)
}

/// How many distinct role names a thread remembers; past it the table starts again (an
/// account has a few dozen roles, so this only bounds a hostile server).
const SHARED_NAMES_MAX: usize = 4096;

thread_local! {
    static SHARED_NAMES: RefCell<HashSet<Arc<str>>> = RefCell::new(HashSet::new());
}

/// A role name (null reads as empty), as the one `Arc<str>` this thread already holds for it.
fn shared_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
    struct Name;
    impl<'de> Visitor<'de> for Name {
        type Value = Arc<str>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a role name or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Arc<str>, E> {
            Ok(no_name())
        }

        fn visit_unit<E: de::Error>(self) -> Result<Arc<str>, E> {
            Ok(no_name())
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Arc<str>, D::Error> {
            deserializer.deserialize_str(self)
        }

        fn visit_str<E: de::Error>(self, name: &str) -> Result<Arc<str>, E> {
            Ok(SHARED_NAMES.with_borrow_mut(|names| {
                if let Some(shared) = names.get(name) {
                    return shared.clone();
                }
                if names.len() >= SHARED_NAMES_MAX {
                    names.clear();
                }
                let shared: Arc<str> = Arc::from(name);
                names.insert(shared.clone());
                shared
            }))
        }
    }
    deserializer.deserialize_option(Name)
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
    fn role_names_are_shared_and_written_back_as_text() {
        let roles: Vec<Role> = serde_json::from_str(
            r#"[{"id":1,"name":"Catalog editor"},{"id":1,"name":"Catalog\u0020editor"},
                {"id":2,"name":null},{"id":3}]"#,
        )
        .unwrap();
        assert_eq!(&*roles[0].name, "Catalog editor");
        assert!(
            Arc::ptr_eq(&roles[0].name, &roles[1].name),
            "one name, one copy"
        );
        assert_eq!((&*roles[2].name, &*roles[3].name), ("", ""));
        assert_eq!(
            serde_json::to_string(&roles[0]).unwrap(),
            r#"{"id":1,"name":"Catalog editor"}"#
        );
        assert!(serde_json::from_str::<Role>(r#"{"id":1,"name":7}"#).is_err());
    }

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
