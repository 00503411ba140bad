//! A typed client for every operation of assets/openapi.yaml, over one shared reqwest client.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{StreamExt, stream};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde_json::json;
use tokio::sync::OnceCell;
use url::Url;

use super::error::{ClientError, SELF_RENEWAL_RULE, redact, safe_excerpt};
use super::model::*;
use super::retry::RetryPolicy;
use super::transport::{self, Call, Transport};

/// The permission each call needs, named for 403 messages (see [`Resource::display_name`]).
mod permission {
    use crate::permissions::Resource;
    pub const VIEW: Resource = Resource::ViewApiKeys;
    pub const EDIT: Resource = Resource::EditApiKeys;
    pub const RENEW: Resource = Resource::RenewApiToken;
    pub const SETTINGS: Resource = Resource::EditApiKeysSettings;
}

/// The features that need the apikeys server extension, as error messages name them.
pub mod feature {
    pub const DELETE_KEY: &str = "Deleting a key";
    pub const UNDO_RENEWAL: &str = "Undoing a renewal";
    pub const SETTINGS: &str = "The token-duration setting";
    pub const SESSION: &str = "Showing the caller's permissions";
    pub const AUDIT: &str = "The audit trail";
    pub const EXTERNAL_KEYS: &str = "External keys";
    pub const TOKEN_DATES: &str = "Token dates (age, outdated, pending renewal) in the listing";

    pub const ALL: [&str; 7] = [
        DELETE_KEY,
        UNDO_RENEWAL,
        SETTINGS,
        SESSION,
        AUDIT,
        EXTERNAL_KEYS,
        TOKEN_DATES,
    ];
}

/// Who signs the requests; `Debug` shows the token as `[REDACTED]` (secrecy's).
#[derive(Debug)]
pub struct Credentials {
    pub app_key: String,
    pub app_token: SecretString,
}

#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The deadline of one call, or of everything run in [`VtexClient::within_deadline`]:
    /// connecting, every attempt, every pause before a retry and reading the answer.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub retry: RetryPolicy,
    /// How many per-key role requests may run at once against a server without `expand`.
    pub role_concurrency: usize,
    /// The largest answer read; past it the call fails (100 000 keys with `expand` are 27 MB).
    pub max_body_bytes: usize,
}

/// 64 MiB: far above any real listing, far below what would hurt the machine.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            role_concurrency: 6,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// What the server offers, learned once from `GET /api/vlm/session`.
#[derive(Debug, Clone)]
pub struct Capabilities {
    /// The apikeys extensions (delete, undo renewal, settings, external keys, audit, expand).
    pub extensions: bool,
    /// The caller's account, key and permissions; `None` against the public VTEX API.
    pub session: Option<Session>,
}

/// Cheap to clone: clones share the connection pool, the capabilities and the role cache.
#[derive(Clone)]
pub struct VtexClient {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    app_key: String,
    capabilities: OnceCell<Capabilities>,
    roles_cache: Mutex<HashMap<String, Vec<Role>>>,
}

const RENEWAL_PENDING: &str =
    "This key already has a renewed token pending; finish or undo that renewal first";
const NO_RENEWAL_PENDING: &str = "No renewal is pending for this key (or the key does not exist)";

impl VtexClient {
    pub fn new(
        base_url: Url,
        credentials: Credentials,
        options: ClientOptions,
    ) -> Result<VtexClient, ClientError> {
        let transport = Transport::new(base_url, &credentials, options)?;
        Ok(VtexClient {
            inner: Arc::new(Inner {
                transport,
                app_key: credentials.app_key.trim().to_string(),
                capabilities: OnceCell::new(),
                roles_cache: Mutex::new(HashMap::new()),
            }),
        })
    }

    pub fn base_url(&self) -> &Url {
        self.inner.transport.base_url()
    }

    /// The deadline of one call (`--timeout`).
    pub fn timeout(&self) -> Duration {
        self.inner.transport.options().timeout
    }

    pub fn app_key(&self) -> &str {
        &self.inner.app_key
    }

    /// Runs `work` (any number of calls) under one deadline of `options.timeout`: a command
    /// or a TUI action ends by then, retries and their pauses included.
    pub async fn within_deadline<F: std::future::Future>(&self, work: F) -> F::Output {
        transport::within_deadline(self.inner.transport.options().timeout, work).await
    }

    async fn send(&self, call: &Call) -> Result<(StatusCode, Vec<u8>), ClientError> {
        self.inner.transport.send(call).await
    }

    async fn json<T: DeserializeOwned>(&self, call: Call) -> Result<T, ClientError> {
        let (_, body) = self.send(&call).await?;
        parse(&body)
    }

    async fn no_content(&self, call: Call) -> Result<(), ClientError> {
        self.send(&call).await.map(|_| ())
    }

    // ---- capabilities -------------------------------------------------------------------

    /// What the server offers; asked once, then remembered.
    pub async fn capabilities(&self) -> Result<Capabilities, ClientError> {
        self.inner
            .capabilities
            .get_or_try_init(|| async {
                let call = Call::new(Method::GET, "/api/vlm/session", permission::VIEW);
                match self.json::<Session>(call).await {
                    Ok(session) => Ok(Capabilities {
                        extensions: true,
                        session: Some(session),
                    }),
                    // VTEX has no such endpoint: only its public API is there.
                    Err(ClientError::NotFound { .. }) => Ok(Capabilities {
                        extensions: false,
                        session: None,
                    }),
                    // The endpoint exists, this key just may not view it.
                    Err(ClientError::Forbidden { .. }) => Ok(Capabilities {
                        extensions: true,
                        session: None,
                    }),
                    Err(err) => Err(err),
                }
            })
            .await
            .cloned()
    }

    async fn require_extension(&self, feature: &'static str) -> Result<(), ClientError> {
        if self.capabilities().await?.extensions {
            Ok(())
        } else {
            Err(ClientError::ExtensionUnavailable { feature })
        }
    }

    // ---- generated keys -------------------------------------------------------------------

    /// All generated keys, with roles and token dates where the server can add them.
    pub async fn list_keys(&self) -> Result<Vec<AppKey>, ClientError> {
        let mut call = Call::new(Method::GET, "/api/vlm/appkeys", permission::VIEW);
        if self.capabilities().await?.extensions {
            call = call.query("expand", "roles,token");
        }
        let mut keys: Vec<AppKey> = self.json(call).await?;
        // Not copied into the role cache: `roles_of` is asked only for keys listed without
        // roles, and a second copy of 100 000 keys' roles cost ~20 MB.
        keys.shrink_to_fit();
        Ok(keys)
    }

    /// Caches the roles a listing brought, so `roles_of` need not ask again.
    fn remember_roles<'a>(
        &self,
        listed: impl Iterator<Item = (&'a String, &'a Option<Vec<Role>>)>,
    ) {
        let mut cache = self
            .inner
            .roles_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        for (id, roles) in listed {
            if let Some(roles) = roles {
                cache.insert(id.clone(), roles.clone());
            }
        }
    }

    /// Roles of the given keys (generated or external): from the cache, else fetched per key
    /// with bounded concurrency. Only the keys asked for are fetched.
    pub async fn roles_of(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<Role>>, ClientError> {
        self.roles_of_reporting(ids, |_, _| {}).await
    }

    /// [`VtexClient::roles_of`], calling `progress(done, total)` as each fetched key's roles
    /// arrive (`total` counts only the keys fetched, not those found in the cache); the first
    /// failure ends the run.
    pub async fn roles_of_reporting(
        &self,
        ids: &[String],
        mut progress: impl FnMut(usize, usize) + Send,
    ) -> Result<HashMap<String, Vec<Role>>, ClientError> {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        {
            let cache = self
                .inner
                .roles_cache
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            for id in ids {
                match cache.get(id) {
                    Some(roles) => {
                        found.insert(id.clone(), roles.clone());
                    }
                    // Asked once per id, even if a listing repeats one.
                    None if !missing.contains(id) => missing.push(id.clone()),
                    None => {}
                }
            }
        }
        let total = missing.len();
        let mut fetched = stream::iter(missing)
            .map(|id| async move {
                let roles = self.fetch_key_roles(&id).await?;
                Ok::<_, ClientError>((id, roles))
            })
            .buffer_unordered(self.inner.transport.options().role_concurrency.max(1));
        let mut done = 0;
        while let Some(result) = fetched.next().await {
            let (id, roles) = result?;
            found.insert(id, roles);
            done += 1;
            progress(done, total);
        }
        Ok(found)
    }

    async fn fetch_key_roles(&self, id: &str) -> Result<Vec<Role>, ClientError> {
        let roles: Vec<Role> = self
            .json(Call::new(
                Method::GET,
                format!("/api/license-manager/users/{}/roles", segment(id)),
                permission::VIEW,
            ))
            .await?;
        self.inner
            .roles_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_string(), roles.clone());
        Ok(roles)
    }

    /// The roles of one key, always asked of the server.
    pub async fn key_roles(&self, id: &str) -> Result<Vec<Role>, ClientError> {
        self.fetch_key_roles(id).await
    }

    fn forget_roles(&self, id: &str) {
        self.inner
            .roles_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
    }

    pub async fn create_key(&self, label: &str) -> Result<CreatedKey, ClientError> {
        self.json(
            Call::new(Method::POST, "/api/vlm/appkeys", permission::EDIT)
                .body(json!({ "label": label })),
        )
        .await
    }

    pub async fn set_key_active(&self, id: &str, active: bool) -> Result<(), ClientError> {
        self.set_active(format!("/api/vlm/appkeys/{}", segment(id)), active)
            .await
    }

    /// Activation of a generated or external key: the same body, different collections.
    async fn set_active(&self, path: String, active: bool) -> Result<(), ClientError> {
        self.no_content(
            Call::new(Method::PUT, path, permission::EDIT).body(json!({ "isActive": active })),
        )
        .await
    }

    pub async fn delete_key(&self, id: &str) -> Result<(), ClientError> {
        self.require_extension(feature::DELETE_KEY).await?;
        self.no_content(Call::new(
            Method::DELETE,
            format!("/api/vlm/appkeys/{}", segment(id)),
            permission::EDIT,
        ))
        .await?;
        self.forget_roles(id);
        Ok(())
    }

    pub async fn add_roles(&self, id: &str, role_ids: &[i64]) -> Result<(), ClientError> {
        self.forget_roles(id);
        self.no_content(
            Call::new(
                Method::PUT,
                format!("/api/license-manager/users/{}/roles", segment(id)),
                permission::EDIT,
            )
            .body(json!(role_ids)),
        )
        .await
    }

    pub async fn remove_role(&self, id: &str, role_id: i64) -> Result<(), ClientError> {
        self.forget_roles(id);
        self.no_content(Call::new(
            Method::DELETE,
            format!("/api/license-manager/users/{}/roles/{role_id}", segment(id)),
            permission::EDIT,
        ))
        .await
    }

    /// Every role of the account, following the pages.
    /// With our extension, each role says which API-key resources it grants.
    pub async fn list_roles(&self) -> Result<Vec<RoleDetails>, ClientError> {
        const PER_PAGE: u64 = 100;
        let extensions = self.capabilities().await?.extensions;
        let mut roles = Vec::new();
        for page in 1.. {
            let mut call = Call::new(
                Method::GET,
                "/api/license-manager/site/pvt/roles/list/paged",
                permission::VIEW,
            )
            .query("numItems", PER_PAGE)
            .query("pageNumber", page)
            .query("sort", "name")
            .query("sortType", "ASC");
            if extensions {
                call = call.query("expand", "resources");
            }
            let answer: RolesPage = self.json(call).await?;
            let count = answer.items.len() as u64;
            roles.extend(answer.items);
            let pages = answer.paging.map_or(1, |p| p.pages);
            // Stop on the last page, or on a short or empty page if paging is missing or wrong.
            if page >= pages || count < PER_PAGE || page >= 1000 {
                break;
            }
        }
        Ok(roles)
    }

    // ---- tokens ----------------------------------------------------------------------------

    pub async fn renew(&self, app_key: &str) -> Result<Renewal, ClientError> {
        // Known before asking: VTEX and our server both refuse a key renewing itself.
        if app_key == self.app_key() {
            return Err(ClientError::Rule {
                rule: SELF_RENEWAL_RULE,
            });
        }
        self.json(
            Call::new(
                Method::PATCH,
                format!("/api/vtexid/apikey/{}/apitoken/renew", segment(app_key)),
                permission::RENEW,
            )
            .hints(&[(StatusCode::CONFLICT, RENEWAL_PENDING)]),
        )
        .await
    }

    pub async fn finish_renewal(&self, app_key: &str) -> Result<RenewalDates, ClientError> {
        self.json(
            Call::new(
                Method::PATCH,
                format!(
                    "/api/vtexid/apikey/{}/apitoken/finish-renewal",
                    segment(app_key)
                ),
                permission::RENEW,
            )
            .hints(&[(StatusCode::NOT_FOUND, NO_RENEWAL_PENDING)]),
        )
        .await
    }

    pub async fn undo_renewal(&self, app_key: &str) -> Result<RenewalDates, ClientError> {
        self.require_extension(feature::UNDO_RENEWAL).await?;
        self.json(
            Call::new(
                Method::PATCH,
                format!(
                    "/api/vtexid/apikey/{}/apitoken/undo-renewal",
                    segment(app_key)
                ),
                permission::RENEW,
            )
            .hints(&[(StatusCode::NOT_FOUND, NO_RENEWAL_PENDING)]),
        )
        .await
    }

    /// VTEX ID's login (`POST /api/vtexid/apptoken/login`) with another key's credentials:
    /// whether they authenticate. The user token it answers is dropped unread.
    pub async fn login_works(
        &self,
        app_key: &str,
        token: &SecretString,
    ) -> Result<bool, ClientError> {
        #[derive(serde::Deserialize)]
        struct Answer {
            #[serde(rename = "authStatus", default)]
            auth_status: Option<String>,
        }
        let call = Call::new(Method::POST, "/api/vtexid/apptoken/login", permission::VIEW).body(
            json!({ "appkey": app_key, "apptoken": secrecy::ExposeSecret::expose_secret(token) }),
        );
        // The answer holds a user token: a malformed one is never quoted in the error.
        let answer: Answer = self.json(call).await.map_err(|err| match err {
            ClientError::Malformed { detail, .. } => ClientError::Malformed {
                detail,
                excerpt: String::new(),
            },
            other => other,
        })?;
        Ok(answer.auth_status.as_deref() == Some("Success"))
    }

    /// Whether this server can undo a renewal (VTEX's public API cannot).
    pub async fn can_undo_renewal(&self) -> Result<bool, ClientError> {
        Ok(self.capabilities().await?.extensions)
    }

    // ---- settings, session, audit ------------------------------------------------------------

    pub async fn settings(&self) -> Result<Settings, ClientError> {
        self.require_extension(feature::SETTINGS).await?;
        self.json(Call::new(
            Method::GET,
            "/api/vlm/appkeys-settings",
            permission::VIEW,
        ))
        .await
    }

    pub async fn set_token_duration(&self, months: u32) -> Result<Settings, ClientError> {
        self.require_extension(feature::SETTINGS).await?;
        self.json(
            Call::new(
                Method::PUT,
                "/api/vlm/appkeys-settings",
                permission::SETTINGS,
            )
            .body(json!({ "tokenDurationMonths": months })),
        )
        .await
    }

    /// VTEX's account information (names, licenses); servers from before it answer 404.
    pub async fn account(&self) -> Result<Account, ClientError> {
        self.json(Call::new(Method::GET, "/api/vlm/account", permission::VIEW))
            .await
    }

    pub async fn session(&self) -> Result<Session, ClientError> {
        self.require_extension(feature::SESSION).await?;
        self.json(Call::new(Method::GET, "/api/vlm/session", permission::VIEW))
            .await
    }

    pub async fn audit(
        &self,
        limit: u32,
        before: Option<i64>,
        target: Option<&str>,
    ) -> Result<Vec<AuditEntry>, ClientError> {
        self.require_extension(feature::AUDIT).await?;
        let mut call =
            Call::new(Method::GET, "/api/vlm/audit", permission::VIEW).query("limit", limit);
        if let Some(before) = before {
            call = call.query("before", before);
        }
        if let Some(target) = target {
            call = call.query("target", target);
        }
        self.json(call).await
    }

    // ---- external keys -----------------------------------------------------------------------

    pub async fn list_external(&self) -> Result<Vec<ExternalKey>, ClientError> {
        self.require_extension(feature::EXTERNAL_KEYS).await?;
        let keys: Vec<ExternalKey> = self
            .json(
                Call::new(Method::GET, "/api/vlm/external-appkeys", permission::VIEW)
                    .query("expand", "roles"),
            )
            .await?;
        self.remember_roles(keys.iter().map(|key| (&key.id, &key.roles)));
        Ok(keys)
    }

    pub async fn add_external(
        &self,
        app_key: &str,
        role_ids: &[i64],
    ) -> Result<ExternalKey, ClientError> {
        self.require_extension(feature::EXTERNAL_KEYS).await?;
        self.json(
            Call::new(Method::POST, "/api/vlm/external-appkeys", permission::EDIT)
                .body(json!({ "appKey": app_key, "roles": role_ids })),
        )
        .await
    }

    pub async fn set_external_active(&self, id: &str, active: bool) -> Result<(), ClientError> {
        self.require_extension(feature::EXTERNAL_KEYS).await?;
        self.set_active(format!("/api/vlm/external-appkeys/{}", segment(id)), active)
            .await
    }

    pub async fn remove_external(&self, id: &str) -> Result<(), ClientError> {
        self.require_extension(feature::EXTERNAL_KEYS).await?;
        self.no_content(Call::new(
            Method::DELETE,
            format!("/api/vlm/external-appkeys/{}", segment(id)),
            permission::EDIT,
        ))
        .await?;
        self.forget_roles(id);
        Ok(())
    }
}

/// Percent-encodes one path segment, so an id can never change the path.
fn segment(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ClientError> {
    // An empty body reads as JSON null, so `Option`/unit answers still parse.
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"null".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|err| ClientError::Malformed {
        // serde may quote a string value it choked on: redact that too.
        detail: redact(&err.to_string()),
        excerpt: safe_excerpt(body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped() {
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
        assert_eq!(segment("vtexappkey-acme-ABCDEF"), "vtexappkey-acme-ABCDEF");
    }
}
