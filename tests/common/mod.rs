//! Test harness: a real reference server on 127.0.0.1:0 over a real SQLite file in a temp dir,
//! and a small HTTP client that sends VTEX's auth headers.
#![allow(dead_code)]

use std::path::PathBuf;

pub mod cli;
pub mod tui;

use apikeys::permissions::Resource;
use apikeys::server::bootstrap::{self, AdminCredentials};
use apikeys::server::store::{Store, roles};
use apikeys::server::{self, Prepared, RunningServer, ServerConfig};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use tempfile::TempDir;

pub const ACCOUNT: &str = "acme";

/// An app key and its token, in clear: test-only, the tokens are throwaway.
#[derive(Debug, Clone)]
pub struct Creds {
    pub app_key: String,
    pub token: String,
}

impl From<AdminCredentials> for Creds {
    fn from(admin: AdminCredentials) -> Creds {
        Creds {
            app_key: admin.app_key,
            token: admin.app_token.expose_secret().to_string(),
        }
    }
}

/// A key created through the API.
#[derive(Debug, Clone)]
pub struct TestKey {
    pub id: String,
    pub creds: Creds,
}

pub struct TestServer {
    pub server: RunningServer,
    pub admin: Creds,
    pub db: PathBuf,
    pub dir: TempDir,
    http: reqwest::Client,
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub text: String,
    pub body: Value,
}

impl Reply {
    /// The `Message` of a VTEX-shaped error body.
    pub fn message(&self) -> &str {
        self.body["Message"].as_str().unwrap_or("")
    }
}

fn config(db: PathBuf, seed_demo: bool) -> ServerConfig {
    config_with(db, seed_demo, server::Limits::default())
}

fn config_with(db: PathBuf, seed_demo: bool, limits: server::Limits) -> ServerConfig {
    ServerConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        db_path: db,
        account: ACCOUNT.into(),
        seed_demo,
        seed_keys: 0,
        limits,
    }
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(false).await
    }

    pub async fn start_with(seed_demo: bool) -> TestServer {
        TestServer::start_with_limits(seed_demo, server::Limits::default()).await
    }

    /// VTEX's public API only (`apikeys serve --public-api-only`), on a new database seeded
    /// with the demo: real tokens (renew, login, finish), no extension. Its listing has no
    /// roles or token dates, so ask [`TestServer::renewal_pending`] (it reads the database).
    pub async fn start_public_only() -> TestServer {
        let limits = server::Limits {
            public_api_only: true,
            ..server::Limits::default()
        };
        TestServer::start_with_limits(true, limits).await
    }

    /// A server under `limits` (a rate limit, short timeouts, the public API only), on a new database.
    pub async fn start_with_limits(seed_demo: bool, limits: server::Limits) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("apikeys.sqlite3");
        let (server, prepared) = server::start(&config_with(db.clone(), seed_demo, limits))
            .await
            .unwrap();
        let Prepared::Bootstrapped(admin) = prepared else {
            panic!("a new database must be bootstrapped");
        };
        TestServer {
            server,
            admin: admin.into(),
            db,
            dir,
            http: reqwest::Client::new(),
        }
    }

    /// Stops the server and starts a new one on the same file.
    pub async fn restart(self) -> TestServer {
        self.restart_with_limits(server::Limits::default()).await
    }

    /// Stops the server and starts a new one on the same file, under `limits` (keys set up
    /// first, then a rate limit for what the test does).
    pub async fn restart_with_limits(self, limits: server::Limits) -> TestServer {
        let TestServer {
            server,
            db,
            dir,
            http,
            ..
        } = self;
        server.shutdown().await.unwrap();
        let (server, prepared) = server::start(&config_with(db.clone(), false, limits))
            .await
            .unwrap();
        assert!(
            matches!(prepared, Prepared::Existing),
            "a restart must not bootstrap again"
        );
        let admin = AdminCredentials::read(&db).unwrap().into();
        TestServer {
            server,
            admin,
            db,
            dir,
            http,
        }
    }

    pub fn store(&self) -> &Store {
        &self.server.store
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.base_url(), path)
    }

    /// Sends a request as `creds` (or anonymously), with an optional JSON body.
    pub async fn call(
        &self,
        creds: Option<&Creds>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.http.request(method, self.url(path));
        if let Some(creds) = creds {
            request = request
                .header("X-VTEX-API-AppKey", &creds.app_key)
                .header("X-VTEX-API-AppToken", &creds.token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        reply(request.send().await.unwrap()).await
    }

    pub async fn call_raw(
        &self,
        creds: &Creds,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let response = self
            .http
            .request(method, self.url(path))
            .header("X-VTEX-API-AppKey", &creds.app_key)
            .header("X-VTEX-API-AppToken", &creds.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        reply(response).await
    }

    pub async fn get(&self, creds: &Creds, path: &str) -> Reply {
        self.call(Some(creds), Method::GET, path, None).await
    }

    pub async fn admin_call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let admin = self.admin.clone();
        self.call(Some(&admin), method, path, body).await
    }

    /// A key of the listing as the admin sees it (roles and token dates expanded), by appKey.
    pub async fn listed_key(&self, app_key: &str) -> Value {
        let listed = self
            .admin_call(Method::GET, "/api/vlm/appkeys?expand=roles,token", None)
            .await;
        listed
            .body
            .as_array()
            .expect("a listing")
            .iter()
            .find(|key| key["appKey"] == app_key)
            .cloned()
            .unwrap_or_else(|| panic!("{app_key} is not listed"))
    }

    /// Whether a renewal of `app_key` is pending (its new token exists beside the old one).
    /// Read from the database, so it works where the listing cannot say (public API only).
    pub async fn renewal_pending(&self, app_key: &str) -> bool {
        let app_key = app_key.to_string();
        self.store()
            .call(move |conn| {
                let pending = conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM app_tokens t JOIN app_keys k ON k.id = t.key_id
                     WHERE k.app_key = ?1 AND t.slot = 'new')",
                    [&app_key],
                    |row| row.get(0),
                )?;
                Ok(pending)
            })
            .await
            .unwrap()
    }

    /// Whether VTEX ID's login accepts this key and token (it needs no permission).
    pub async fn login_works(&self, app_key: &str, token: &str) -> bool {
        let reply = self
            .call(
                None,
                Method::POST,
                "/api/vtexid/apptoken/login",
                Some(json!({ "appkey": app_key, "apptoken": token })),
            )
            .await;
        reply.body["authStatus"] == "Success"
    }

    /// Creates a key through the API and gives it the named roles.
    pub async fn key_with_roles(&self, label: &str, role_names: &[&str]) -> TestKey {
        let created = self
            .admin_call(
                Method::POST,
                "/api/vlm/appkeys",
                Some(json!({ "label": label })),
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.text);
        let key = TestKey {
            id: created.body["id"].as_str().unwrap().to_string(),
            creds: Creds {
                app_key: created.body["appKey"].as_str().unwrap().to_string(),
                token: created.body["appToken"].as_str().unwrap().to_string(),
            },
        };
        if !role_names.is_empty() {
            let ids: Vec<i64> = role_names.iter().map(|name| self.role_id(name)).collect();
            let put = self
                .admin_call(
                    Method::PUT,
                    &format!("/api/license-manager/users/{}/roles", key.id),
                    Some(json!(ids)),
                )
                .await;
            assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.text);
        }
        key
    }

    pub fn role_id(&self, name: &str) -> i64 {
        self.store()
            .blocking(|conn| {
                let account = apikeys::server::store::accounts::find(conn, ACCOUNT)?.unwrap();
                roles::by_name(conn, account, name)
            })
            .unwrap()
            .id
    }

    /// Adds a custom role holding exactly `resources` (no endpoint creates roles).
    pub fn create_role(&self, name: &str, resources: &[Resource]) -> i64 {
        self.store()
            .blocking(|conn| {
                let account = apikeys::server::store::accounts::find(conn, ACCOUNT)?.unwrap();
                roles::create_with_resources(conn, account, name, resources)
            })
            .unwrap()
    }

    /// A second account in the same database, with its own admin key.
    pub fn other_account(&self, name: &str) -> Creds {
        self.store()
            .blocking(|conn| bootstrap::create_account(conn, name))
            .unwrap()
            .into()
    }
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("server answered non-JSON ({status}): {text}"))
    };
    Reply { status, text, body }
}
