//! Compatibility with VTEX's public API, and fault injection.
//!
//! A stand-in of VTEX (an axum router on 127.0.0.1:0) answers exactly the examples VTEX
//! publishes in ../shared/vtex/*.openapi.json: seven-digit and zone-less timestamps, a null
//! label, unknown fields, PascalCase error bodies, bodiless 404s. Every extension path answers
//! 404 with an empty body, as VTEX would. The client and the CLI binary must do everything VTEX
//! offers against it, and refuse the rest with the plain "needs the apikeys server extension".
//!
//! The fault tests use the client directly: server down, 500 then success, 429 with
//! Retry-After, a body that is not JSON, an answer that stalls, 401 and 403. Each must give
//! its error type and a safe message, never a panic, and no token may appear in any stderr
//! or error message of this file.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, put};
use axum::{Json, Router};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use url::Url;

use apikeys::vtex::retry::RetryPolicy;
use apikeys::vtex::{ClientError, ClientOptions, Credentials, VtexClient};

// ---- fixed fakes ------------------------------------------------------------------------------

/// The key the tests call with; its account is "myaccount", like VTEX's examples.
const APP_KEY: &str = "vtexappkey-myaccount-TESTER";

/// VTEX's listing example, with a distinct id for the second key (the published example
/// repeats the first id; `vtex_listing_example_verbatim` covers that case).
const KEY1_ID: &str = "a2555e95-9db8-48be-94f8-2a28577c0b4a";
const KEY1: &str = "vtexappkey-myaccount-ORYNWX";
const KEY2_ID: &str = "b3666fa6-0ec9-49cf-a5f9-3b39688d1c5b";
const KEY2: &str = "vtexappkey-myaccount-ORKPDC";
/// A key with `label: null`, a zone-less timestamp and an unknown field.
const KEY3_ID: &str = "c4777ab7-1fda-4ad0-b60a-4c4a799e2d6c";
const KEY3: &str = "vtexappkey-myaccount-NOLABL";

const EXTENSION: &str = "needs the apikeys server extension";

/// Fixed, never random, 100 characters like VTEX's tokens.
fn fake_token(fill: char) -> String {
    format!("FAKE{}", fill.to_string().repeat(96))
}

/// The token the tests call with.
fn app_token() -> String {
    fake_token('X')
}

/// The token the stand-in returns on create.
fn created_token() -> String {
    fake_token('Y')
}

/// The token the stand-in returns on renew.
fn renewed_token() -> String {
    fake_token('Z')
}

/// A token-like string hidden in malformed answers and error bodies.
fn leaked_token() -> String {
    fake_token('Q')
}

/// A token the stand-in does not accept.
fn wrong_token() -> String {
    fake_token('W')
}

/// Token hygiene: none of the fakes, nor a long piece of one, appears in `text`.
fn assert_no_token(text: &str) {
    for token in [
        app_token(),
        created_token(),
        renewed_token(),
        leaked_token(),
        wrong_token(),
    ] {
        assert!(!text.contains(&token[4..20]), "a token leaked into: {text}");
    }
}

/// An error's message, checked for tokens.
fn shown(err: &ClientError) -> String {
    let text = err.to_string();
    assert_no_token(&text);
    text
}

// ---- the stand-in -----------------------------------------------------------------------------

#[derive(Default)]
struct Vtex {
    /// Stored as the exact JSON objects VTEX lists.
    keys: Vec<Value>,
    /// Per key id, `[{id, name}]`.
    roles: HashMap<String, Vec<Value>>,
    /// appKeys with a renewal pending.
    pending: HashSet<String>,
    /// "METHOD /path" → how many requests.
    hits: HashMap<String, usize>,
    /// "METHOD /path?query", in order.
    requests: Vec<String>,
    created: u8,
    /// Answer `appToken: null` on create (the spec allows it).
    null_token_on_create: bool,
}

type Shared = Arc<Mutex<Vtex>>;

fn lock(vtex: &Shared) -> std::sync::MutexGuard<'_, Vtex> {
    vtex.lock().unwrap_or_else(|p| p.into_inner())
}

/// A product of VTEX's role example: everything null but the name.
fn product(name: &str) -> Value {
    json!({
        "id": null, "categoryId": null, "categoryName": null, "description": null,
        "consoleUrlMask": null, "urlConfiguration": null, "webApiUrlMask": null, "url": null,
        "productResources": null, "name": name
    })
}

/// The account's roles: VTEX's example item first, then two more in the same shape.
fn role_catalog() -> Vec<Value> {
    vec![
        json!({
            "id": 957, "isAdmin": false, "roleType": 0,
            "products": [product("Catalog"), product("OMS")],
            "resources": null, "logins": null, "name": "Call center operator"
        }),
        json!({
            "id": 1, "isAdmin": true, "roleType": 0, "products": null,
            "resources": null, "logins": null, "name": "Owner (Admin Super)"
        }),
        json!({
            "id": 9000, "isAdmin": false, "roleType": 1, "products": [],
            "resources": null, "logins": null, "name": "User Administrator - RESTRICTED"
        }),
    ]
}

fn initial_state() -> Vtex {
    let keys = vec![
        json!({"id": KEY1_ID, "appKey": KEY1, "label": "my new API Key",
               "createdIn": "2018-07-04T14:09:08.2718405Z", "isActive": true}),
        json!({"id": KEY2_ID, "appKey": KEY2, "label": "my other API Key",
               "createdIn": "2018-07-04T14:09:08.2718405Z", "isActive": true}),
        json!({"id": KEY3_ID, "appKey": KEY3, "label": null,
               "createdIn": "2019-12-11T21:06:33", "isActive": false, "isBlocked": false}),
    ];
    let mut roles = HashMap::new();
    // VTEX's example answer of the per-key endpoint.
    roles.insert(
        KEY1_ID.to_string(),
        vec![
            json!({"id": 957, "name": "Call center operator"}),
            json!({"id": 1, "name": "Owner (Admin Super)"}),
        ],
    );
    roles.insert(KEY2_ID.to_string(), Vec::new());
    roles.insert(
        KEY3_ID.to_string(),
        vec![json!({"id": 9000, "name": "User Administrator - RESTRICTED"})],
    );
    Vtex {
        keys,
        roles,
        ..Vtex::default()
    }
}

fn header_is(headers: &HeaderMap, name: &str, wanted: &str) -> bool {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value == wanted)
}

/// Counts every request, then refuses any without the right key and token (401, no body).
async fn guard(State(vtex): State<Shared>, request: Request, next: Next) -> Response {
    {
        let mut vtex = lock(&vtex);
        let path = format!("{} {}", request.method(), request.uri().path());
        *vtex.hits.entry(path).or_default() += 1;
        let line = format!("{} {}", request.method(), request.uri());
        vtex.requests.push(line);
    }
    let headers = request.headers();
    if !header_is(headers, "x-vtex-api-appkey", APP_KEY)
        || !header_is(headers, "x-vtex-api-apptoken", &app_token())
    {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    next.run(request).await
}

/// What VTEX answers for a path it does not have: 404, no body at all.
async fn nothing() -> StatusCode {
    StatusCode::NOT_FOUND
}

fn message(status: StatusCode, text: &str) -> Response {
    (status, Json(json!({ "Message": text }))).into_response()
}

fn vlm_error() -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({
            "Details": null, "HttpStatusCode": 400, "VLMErrorCode": 17,
            "Message": "Token not exists for this account"
        })),
    )
        .into_response()
}

/// `GET /api/vlm/appkeys`: the plain shape, whatever the query (`expand` is ignored).
async fn list_keys(State(vtex): State<Shared>) -> Json<Value> {
    Json(Value::Array(lock(&vtex).keys.clone()))
}

async fn create_key(State(vtex): State<Shared>, Json(body): Json<Value>) -> Response {
    let Some(label) = body.get("label").and_then(Value::as_str) else {
        return vlm_error();
    };
    let mut vtex = lock(&vtex);
    vtex.created += 1;
    let n = vtex.created;
    let id = format!("d5888f17-0000-4000-8000-{n:012}");
    let app_key = format!("vtexappkey-myaccount-NEWKY{}", char::from(b'A' + n));
    let created_in = "2018-07-04T14:09:08.2718405Z";
    vtex.keys
        .push(json!({"id": id, "appKey": app_key, "label": label,
                          "createdIn": created_in, "isActive": true}));
    vtex.roles.insert(id.clone(), Vec::new());
    let token = if vtex.null_token_on_create {
        Value::Null
    } else {
        json!(created_token())
    };
    Json(
        json!({"id": id, "appKey": app_key, "appToken": token, "label": label,
                "createdIn": created_in, "isActive": true}),
    )
    .into_response()
}

/// `PUT /api/vlm/appkeys/{id}`: 200 with no body, or VTEX's VLMError.
async fn update_key(
    State(vtex): State<Shared>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let mut vtex = lock(&vtex);
    let key = vtex.keys.iter_mut().find(|key| key["id"] == id.as_str());
    match (key, body.get("isActive").and_then(Value::as_bool)) {
        (Some(key), Some(active)) => {
            key["isActive"] = json!(active);
            StatusCode::OK.into_response()
        }
        _ => vlm_error(),
    }
}

async fn user_roles(State(vtex): State<Shared>, Path(id): Path<String>) -> Json<Value> {
    Json(Value::Array(
        lock(&vtex).roles.get(&id).cloned().unwrap_or_default(),
    ))
}

async fn add_user_roles(
    State(vtex): State<Shared>,
    Path(id): Path<String>,
    Json(ids): Json<Vec<i64>>,
) -> Response {
    let catalog = role_catalog();
    let mut vtex = lock(&vtex);
    let Some(have) = vtex.roles.get_mut(&id) else {
        return message(StatusCode::INTERNAL_SERVER_ERROR, "Unexpected error");
    };
    let mut added = Vec::new();
    for role_id in ids {
        match catalog.iter().find(|role| role["id"] == role_id) {
            Some(role) => added.push(json!({"id": role_id, "name": role["name"]})),
            None => {
                return message(
                    StatusCode::BAD_REQUEST,
                    "Roles list contains roles that do not exist in this account",
                );
            }
        }
    }
    for role in added {
        if !have.contains(&role) {
            have.push(role);
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn remove_user_role(
    State(vtex): State<Shared>,
    Path((id, role_id)): Path<(String, i64)>,
) -> Response {
    let mut vtex = lock(&vtex);
    let Some(have) = vtex.roles.get_mut(&id) else {
        return message(StatusCode::BAD_REQUEST, "Invalid UserId");
    };
    have.retain(|role| role["id"] != role_id);
    StatusCode::NO_CONTENT.into_response()
}

async fn roles_paged(Query(query): Query<HashMap<String, String>>) -> Json<Value> {
    let page: u64 = query
        .get("pageNumber")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let per_page: u64 = query
        .get("numItems")
        .and_then(|p| p.parse().ok())
        .unwrap_or(100);
    let catalog = role_catalog();
    let total = catalog.len();
    let items = if page == 1 { catalog } else { Vec::new() };
    Json(json!({
        "items": items,
        "paging": {"page": page, "perPage": per_page, "total": total, "pages": 1}
    }))
}

async fn renew(State(vtex): State<Shared>, Path(api_key): Path<String>) -> Response {
    // VTEX's rotation guide: a key is renewed with another key. Refused with the status VTEX
    // documents for a key it will not renew: 400, no body.
    if api_key == APP_KEY {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let mut vtex = lock(&vtex);
    if !vtex
        .keys
        .iter()
        .any(|key| key["appKey"] == api_key.as_str())
    {
        return StatusCode::BAD_REQUEST.into_response();
    }
    if !vtex.pending.insert(api_key) {
        return StatusCode::CONFLICT.into_response();
    }
    Json(json!({
        "id": "1f6c17e5-06f9-44a9-a459-b3686e03fa9d",
        "keyName": "my-api-key",
        "creationDateToken": "2025-02-18T12:00:00Z",
        "creationDateNewToken": "2025-02-25T12:00:00Z",
        "expirationPeriod": 30,
        "newToken": renewed_token()
    }))
    .into_response()
}

async fn finish_renewal(State(vtex): State<Shared>, Path(api_key): Path<String>) -> Response {
    if !lock(&vtex).pending.remove(&api_key) {
        return StatusCode::NOT_FOUND.into_response();
    }
    Json(json!({
        "id": "1f6c17e5-06f9-44a9-a459-b3686e03fa9d",
        "creationDateToken": "2025-02-18T15:30:00Z",
        "creationDateNewToken": null
    }))
    .into_response()
}

fn vtex_router(state: Shared) -> Router {
    Router::new()
        .route("/api/vlm/appkeys", get(list_keys).post(create_key))
        .route("/api/vlm/appkeys/{id}", put(update_key))
        .route(
            "/api/license-manager/users/{user_id}/roles",
            get(user_roles).put(add_user_roles),
        )
        .route(
            "/api/license-manager/users/{user_id}/roles/{role_id}",
            delete(remove_user_role),
        )
        .route(
            "/api/license-manager/site/pvt/roles/list/paged",
            get(roles_paged),
        )
        .route("/api/vtexid/apikey/{api_key}/apitoken/renew", patch(renew))
        .route(
            "/api/vtexid/apikey/{api_key}/apitoken/finish-renewal",
            patch(finish_renewal),
        )
        // Every extension (DELETE a key, undo-renewal, settings, external keys, session,
        // audit) is a path or a method VTEX does not have: 404, empty body.
        .fallback(nothing)
        .method_not_allowed_fallback(nothing)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Serves `router` on 127.0.0.1:0; the base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}")
}

struct StandIn {
    base: String,
    state: Shared,
}

impl StandIn {
    async fn start() -> StandIn {
        StandIn::start_with(initial_state()).await
    }

    async fn start_with(state: Vtex) -> StandIn {
        let state = Arc::new(Mutex::new(state));
        let base = serve(vtex_router(state.clone())).await;
        StandIn { base, state }
    }

    fn hits(&self, method_and_path: &str) -> usize {
        lock(&self.state)
            .hits
            .get(method_and_path)
            .copied()
            .unwrap_or(0)
    }

    fn role_hits(&self, id: &str) -> usize {
        self.hits(&format!("GET /api/license-manager/users/{id}/roles"))
    }

    fn requests(&self) -> Vec<String> {
        lock(&self.state).requests.clone()
    }

    fn key(&self, app_key: &str) -> Value {
        lock(&self.state)
            .keys
            .iter()
            .find(|key| key["appKey"] == app_key)
            .cloned()
            .unwrap_or_else(|| panic!("the stand-in has no key {app_key}"))
    }

    fn role_ids(&self, id: &str) -> Vec<i64> {
        lock(&self.state).roles[id]
            .iter()
            .map(|role| role["id"].as_i64().unwrap())
            .collect()
    }

    fn pending(&self, app_key: &str) -> bool {
        lock(&self.state).pending.contains(app_key)
    }

    fn client(&self) -> VtexClient {
        client_for(&self.base, app_token(), quick())
    }

    async fn cli(&self, args: &[&str]) -> Run {
        cli(&self.base, &app_token(), args).await
    }
}

// ---- clients ----------------------------------------------------------------------------------

/// Short timeouts and fast retries, so faults are quick to test.
fn quick() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            max_retry_after: Duration::from_secs(5),
        },
        role_concurrency: 4,
        ..ClientOptions::default()
    }
}

fn client_for(base: &str, token: String, options: ClientOptions) -> VtexClient {
    VtexClient::new(
        Url::parse(base).unwrap(),
        Credentials {
            app_key: APP_KEY.into(),
            app_token: SecretString::from(token),
        },
        options,
    )
    .unwrap()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}): {}", self.stdout))
    }

    fn assert_code(&self, code: i32, what: &str) {
        assert_eq!(
            self.code,
            Some(code),
            "{what}\nstdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
    }

    fn assert_extension_refusal(&self, what: &str) {
        self.assert_code(1, what);
        assert!(self.stderr.contains(EXTENSION), "{what}: {}", self.stderr);
    }
}

/// Runs the binary against `base` with the env-var credentials and an empty XDG home.
async fn cli(base: &str, token: &str, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("VTEX_APP_KEY", APP_KEY)
        .env("VTEX_APP_TOKEN", token)
        .arg("--base-url")
        .arg(base)
        .args(args)
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
    assert_no_token(&run.stderr);
    run
}

fn ids_of(roles: &Value) -> Vec<i64> {
    roles
        .as_array()
        .unwrap_or_else(|| panic!("not a list of roles: {roles}"))
        .iter()
        .map(|role| role["id"].as_i64().unwrap())
        .collect()
}

// ---- the stand-in itself ----------------------------------------------------------------------

#[tokio::test]
async fn a_key_renewing_itself_is_told_the_rule_and_nothing_is_sent() {
    let vtex = StandIn::start().await;
    // The stand-in refuses as VTEX does (400, no body)…
    let refused = reqwest::Client::new()
        .patch(format!(
            "{}/api/vtexid/apikey/{APP_KEY}/apitoken/renew",
            vtex.base
        ))
        .header("X-VTEX-API-AppKey", APP_KEY)
        .header("X-VTEX-API-AppToken", app_token())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    assert!(!vtex.pending(APP_KEY));

    // …and the client, which knows its own key, states the rule without asking.
    let sent = vtex.requests().len();
    let err = vtex.client().renew(APP_KEY).await.unwrap_err();
    assert!(matches!(err, ClientError::Rule { .. }), "{err:?}");
    assert_eq!(
        shown(&err),
        "A key cannot renew its own token: renew this key while signed in with another key that holds Renew API Token."
    );
    assert_eq!(vtex.requests().len(), sent, "nothing is sent for a rule");
    // Another key still renews.
    vtex.client().renew(KEY1).await.unwrap();
    assert!(vtex.pending(KEY1));
}

#[tokio::test]
async fn stand_in_speaks_like_vtex() {
    let vtex = StandIn::start().await;
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, token: String| {
        http.request(method, format!("{}{path}", vtex.base))
            .header("X-VTEX-API-AppKey", APP_KEY)
            .header("X-VTEX-API-AppToken", token)
            .send()
    };

    // `expand` is ignored: the plain shape, unknown fields and nulls as published.
    let answer = call(
        reqwest::Method::GET,
        "/api/vlm/appkeys?expand=roles,token",
        app_token(),
    )
    .await
    .unwrap();
    assert_eq!(answer.status(), 200);
    let keys: Value = answer.json().await.unwrap();
    assert_eq!(keys.as_array().unwrap().len(), 3);
    assert!(
        keys.as_array()
            .unwrap()
            .iter()
            .all(|key| key.get("roles").is_none())
    );
    assert_eq!(keys[0]["createdIn"], "2018-07-04T14:09:08.2718405Z");
    assert_eq!(keys[2]["label"], Value::Null);
    assert_eq!(keys[2]["isBlocked"], false);

    let refused = call(reqwest::Method::GET, "/api/vlm/appkeys", wrong_token())
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    for (method, path) in [
        (
            reqwest::Method::DELETE,
            format!("/api/vlm/appkeys/{KEY1_ID}"),
        ),
        (
            reqwest::Method::PATCH,
            format!("/api/vtexid/apikey/{KEY1}/apitoken/undo-renewal"),
        ),
        (reqwest::Method::GET, "/api/vlm/appkeys-settings".into()),
        (reqwest::Method::PUT, "/api/vlm/appkeys-settings".into()),
        (reqwest::Method::GET, "/api/vlm/external-appkeys".into()),
        (reqwest::Method::POST, "/api/vlm/external-appkeys".into()),
        (
            reqwest::Method::DELETE,
            "/api/vlm/external-appkeys/x".into(),
        ),
        (reqwest::Method::GET, "/api/vlm/session".into()),
        (reqwest::Method::GET, "/api/vlm/audit?limit=5".into()),
    ] {
        let answer = call(method.clone(), &path, app_token()).await.unwrap();
        assert_eq!(answer.status(), 404, "{method} {path}");
        assert!(answer.bytes().await.unwrap().is_empty(), "{method} {path}");
    }
}

// ---- the client against the stand-in ----------------------------------------------------------

#[tokio::test]
async fn client_lists_vtex_keys_and_fetches_only_the_roles_asked() {
    let vtex = StandIn::start().await;
    let client = vtex.client();

    let capabilities = client.capabilities().await.unwrap();
    assert!(!capabilities.extensions);
    assert!(capabilities.session.is_none());

    let keys = client.list_keys().await.unwrap();
    assert_eq!(keys.len(), 3);
    assert!(
        vtex.requests().iter().all(|line| !line.contains("expand")),
        "expand was asked of a public VTEX: {:?}",
        vtex.requests()
    );
    let first = &keys[0];
    assert_eq!((first.id.as_str(), first.app_key.as_str()), (KEY1_ID, KEY1));
    assert_eq!(first.label, "my new API Key");
    let created = first.created_in.unwrap().0;
    assert_eq!(created.to_rfc3339(), "2018-07-04T14:09:08.271840500+00:00");
    assert!(first.is_active);
    let third = &keys[2];
    assert_eq!(third.label, "", "label: null reads as empty");
    assert_eq!(
        third.created_in.unwrap().0.to_rfc3339(),
        "2019-12-11T21:06:33+00:00"
    );
    assert!(!third.is_active);
    // The listing has no roles nor token dates: the client must not invent them.
    assert!(keys.iter().all(|key| key.roles.is_none()));
    assert!(keys.iter().all(|key| key.creation_date_token.is_none()));
    assert!(keys.iter().all(|key| !key.renewal_pending()));

    // Only the ids asked are fetched, once each.
    let roles = client
        .roles_of(&[KEY1_ID.to_string(), KEY2_ID.to_string()])
        .await
        .unwrap();
    assert_eq!(roles.len(), 2);
    let names: Vec<&str> = roles[KEY1_ID].iter().map(|r| &*r.name).collect();
    assert_eq!(names, ["Call center operator", "Owner (Admin Super)"]);
    assert!(roles[KEY2_ID].is_empty());
    assert_eq!(
        (
            vtex.role_hits(KEY1_ID),
            vtex.role_hits(KEY2_ID),
            vtex.role_hits(KEY3_ID)
        ),
        (1, 1, 0)
    );

    // Asked again: from the cache.
    let again = client
        .roles_of(&[KEY2_ID.to_string(), KEY1_ID.to_string()])
        .await
        .unwrap();
    assert_eq!(again, roles);
    assert_eq!((vtex.role_hits(KEY1_ID), vtex.role_hits(KEY2_ID)), (1, 1));

    // One cached, one not: only the missing one is fetched.
    let mixed = client
        .roles_of(&[KEY1_ID.to_string(), KEY3_ID.to_string()])
        .await
        .unwrap();
    assert_eq!(mixed[KEY3_ID][0].id, 9000);
    assert_eq!((vtex.role_hits(KEY1_ID), vtex.role_hits(KEY3_ID)), (1, 1));

    // key_roles always asks; clones share the cache; capabilities are asked once.
    client.clone().key_roles(KEY1_ID).await.unwrap();
    assert_eq!(vtex.role_hits(KEY1_ID), 2);
    client.capabilities().await.unwrap();
    client.list_keys().await.unwrap();
    assert_eq!(vtex.hits("GET /api/vlm/session"), 1);
    assert_eq!(vtex.hits("GET /api/vlm/appkeys"), 2);

    // Changing roles forgets the cached ones.
    client.add_roles(KEY2_ID, &[957]).await.unwrap();
    let after = client.roles_of(&[KEY2_ID.to_string()]).await.unwrap();
    assert_eq!(after[KEY2_ID][0].id, 957);
    assert_eq!(vtex.role_hits(KEY2_ID), 2);
}

#[tokio::test]
async fn client_creates_changes_and_renews_against_vtex() {
    let vtex = StandIn::start().await;
    let client = vtex.client();

    // create
    let created = client.create_key("ci bot").await.unwrap();
    assert_eq!(
        created
            .app_token
            .as_ref()
            .map(|t| t.expose_secret().to_string()),
        Some(created_token())
    );
    assert!(created.app_key.starts_with("vtexappkey-myaccount-"));
    assert_eq!(created.label, "ci bot");
    assert!(created.is_active && created.created_in.is_some());
    assert_eq!(vtex.key(&created.app_key)["label"], "ci bot");
    let listed = client.list_keys().await.unwrap();
    assert!(listed.iter().any(|key| key.id == created.id));

    // activate / deactivate
    client.set_key_active(KEY2_ID, false).await.unwrap();
    assert_eq!(vtex.key(KEY2)["isActive"], false);
    client.set_key_active(KEY2_ID, true).await.unwrap();
    assert_eq!(vtex.key(KEY2)["isActive"], true);
    let err = client
        .set_key_active("no-such-id", false)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Rejected { status, message }
            if status.as_u16() == 400 && message == "Token not exists for this account."),
        "{err:?}"
    );
    assert_eq!(
        shown(&err),
        "the request was refused (400 Bad Request): Token not exists for this account."
    );

    // roles
    client.add_roles(KEY2_ID, &[957, 1]).await.unwrap();
    assert_eq!(vtex.role_ids(KEY2_ID), [957, 1]);
    client.remove_role(KEY2_ID, 957).await.unwrap();
    assert_eq!(vtex.role_ids(KEY2_ID), [1]);
    let names: Vec<String> = client
        .key_roles(KEY2_ID)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.name.to_string())
        .collect();
    assert_eq!(names, ["Owner (Admin Super)"]);
    let err = client.add_roles(KEY2_ID, &[424242]).await.unwrap_err();
    assert!(
        shown(&err).contains("Roles list contains roles that do not exist in this account"),
        "{err}"
    );
    assert!(matches!(err, ClientError::Rejected { .. }), "{err:?}");
    let err = client.add_roles("ghost", &[957]).await.unwrap_err();
    assert!(matches!(err, ClientError::Server { .. }), "{err:?}");
    assert_eq!(
        shown(&err),
        "the server failed (500 Internal Server Error): Unexpected error."
    );
    assert_eq!(
        vtex.hits("PUT /api/license-manager/users/ghost/roles"),
        1,
        "a change is never retried"
    );
    let err = client.remove_role("ghost", 957).await.unwrap_err();
    assert!(shown(&err).contains("Invalid UserId"), "{err}");

    // the account's roles, nulls and all
    let roles = client.list_roles().await.unwrap();
    assert_eq!(roles.len(), 3);
    assert_eq!(roles[0].name, "Call center operator");
    let products: Vec<&str> = roles[0].products.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(products, ["Catalog", "OMS"]);
    assert!(roles[1].is_admin && roles[1].products.is_empty());

    // renew, then finish
    let renewal = client.renew(KEY1).await.unwrap();
    assert_eq!(
        renewal
            .new_token
            .as_ref()
            .map(|t| t.expose_secret().to_string()),
        Some(renewed_token())
    );
    assert_eq!(renewal.key_name, "my-api-key");
    assert_eq!(renewal.expiration_period, Some(30.0));
    assert!(renewal.creation_date_token.is_some() && renewal.creation_date_new_token.is_some());
    assert!(vtex.pending(KEY1));
    let err = client.renew(KEY1).await.unwrap_err();
    assert!(matches!(err, ClientError::Conflict { .. }), "{err:?}");
    assert_eq!(
        shown(&err),
        "conflict (409): This key already has a renewed token pending; finish or undo that renewal first."
    );
    let err = client
        .renew("vtexappkey-myaccount-NOSUCH")
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Rejected { .. }), "{err:?}");

    let finished = client.finish_renewal(KEY1).await.unwrap();
    assert_eq!(finished.id, "1f6c17e5-06f9-44a9-a459-b3686e03fa9d");
    assert!(finished.creation_date_token.is_some());
    assert_eq!(finished.creation_date_new_token, None);
    assert!(!vtex.pending(KEY1));
    // Nothing pending: VTEX's bodiless 404.
    let err = client.finish_renewal(KEY1).await.unwrap_err();
    assert!(matches!(err, ClientError::NotFound { .. }), "{err:?}");
    assert_eq!(
        shown(&err),
        "not found (404): No renewal is pending for this key (or the key does not exist)."
    );
}

#[tokio::test]
async fn client_reads_a_null_token_on_create() {
    let vtex = StandIn::start_with(Vtex {
        null_token_on_create: true,
        ..initial_state()
    })
    .await;
    let created = vtex.client().create_key("no token").await.unwrap();
    assert!(created.app_token.is_none());
    assert_eq!(vtex.key(&created.app_key)["label"], "no token");
}

#[tokio::test]
async fn client_extensions_fail_plainly_and_send_nothing() {
    let vtex = StandIn::start().await;
    let client = vtex.client();
    let mut errors = vec![
        client.delete_key(KEY1_ID).await.unwrap_err(),
        client.undo_renewal(KEY1).await.unwrap_err(),
        client.settings().await.unwrap_err(),
        client.set_token_duration(6).await.unwrap_err(),
        client.session().await.unwrap_err(),
        client.audit(10, None, None).await.unwrap_err(),
        client.list_external().await.unwrap_err(),
    ];
    errors.push(
        client
            .add_external("vtexappkey-other-ABCDEF", &[957])
            .await
            .unwrap_err(),
    );
    errors.push(client.set_external_active("x", false).await.unwrap_err());
    errors.push(client.remove_external("x").await.unwrap_err());
    for err in &errors {
        assert!(
            matches!(err, ClientError::ExtensionUnavailable { .. }),
            "{err:?}"
        );
        assert!(shown(err).contains(EXTENSION), "{err}");
    }
    // Only the one session probe reached the server.
    let requests = vtex.requests();
    assert_eq!(requests, ["GET /api/vlm/session"], "{requests:?}");
}

/// VTEX's listing example verbatim: both keys carry the same id.
async fn verbatim_listing() -> StandIn {
    let mut state = initial_state();
    state.keys.truncate(2);
    state.keys[1]["id"] = json!(KEY1_ID);
    StandIn::start_with(state).await
}

#[tokio::test]
async fn vtex_listing_example_verbatim() {
    let vtex = verbatim_listing().await;
    let keys = vtex.client().list_keys().await.unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].id, keys[1].id);

    let run = vtex.cli(&["keys", "list", "--output", "json"]).await;
    run.assert_code(0, "keys list of VTEX's verbatim example");
    let listed = run.json();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(ids_of(&listed[0]["roles"]), [957, 1]);
    eprintln!(
        "verbatim example: roles of the shared id fetched {} times; second key's roles: {}",
        vtex.role_hits(KEY1_ID),
        listed[1]["roles"]
    );
}

/// VTEX's published listing example gives both keys the same id: each still gets its roles,
/// fetched once, and the table shows no unknown ("?") roles.
#[tokio::test]
async fn vtex_listing_example_verbatim_gives_every_key_its_roles() {
    let vtex = verbatim_listing().await;
    let run = vtex.cli(&["keys", "list", "--output", "json"]).await;
    run.assert_code(0, "keys list of VTEX's verbatim example");
    let listed = run.json();
    for key in listed.as_array().unwrap() {
        assert_eq!(ids_of(&key["roles"]), [957, 1], "{listed}");
    }
    assert_eq!(vtex.role_hits(KEY1_ID), 1, "one id, one request");
    let run = vtex.cli(&["keys", "list"]).await;
    assert!(!run.stdout.contains('?'), "{}", run.stdout);
}

// ---- the CLI against the stand-in -------------------------------------------------------------

#[tokio::test]
async fn cli_lists_keys_with_per_key_roles() {
    let vtex = StandIn::start().await;

    let run = vtex.cli(&["keys", "list", "--output", "json"]).await;
    run.assert_code(0, "keys list --output json");
    let listed = run.json();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 3);
    let by_key = |app_key: &str| {
        listed
            .iter()
            .find(|key| key["appKey"] == app_key)
            .unwrap_or_else(|| panic!("{app_key} is not listed"))
            .clone()
    };
    assert_eq!(ids_of(&by_key(KEY1)["roles"]), [957, 1]);
    assert_eq!(ids_of(&by_key(KEY2)["roles"]), Vec::<i64>::new());
    assert_eq!(ids_of(&by_key(KEY3)["roles"]), [9000]);
    assert_eq!(by_key(KEY3)["label"], "");
    assert_eq!(by_key(KEY3)["isActive"], false);
    for id in [KEY1_ID, KEY2_ID, KEY3_ID] {
        assert_eq!(vtex.role_hits(id), 1, "roles of {id}");
    }
    assert!(vtex.requests().iter().all(|line| !line.contains("expand")));

    let run = vtex.cli(&["keys", "list"]).await;
    run.assert_code(0, "keys list");
    for text in [
        KEY1,
        KEY3,
        "Call center operator; Owner (Admin Super)",
        "2018-07-04",
        "2019-12-11",
        "Inactive",
    ] {
        assert!(run.stdout.contains(text), "{text} missing:\n{}", run.stdout);
    }

    // Filtering first: roles are fetched only for the keys still shown.
    let run = vtex
        .cli(&["keys", "list", "--status", "active", "--output", "json"])
        .await;
    run.assert_code(0, "keys list --status active");
    assert_eq!(run.json().as_array().unwrap().len(), 2);
    assert_eq!(
        (
            vtex.role_hits(KEY1_ID),
            vtex.role_hits(KEY2_ID),
            vtex.role_hits(KEY3_ID)
        ),
        (3, 3, 2),
        "the JSON and table listings fetched each key's roles once, this one not {KEY3}'s"
    );

    let run = vtex.cli(&["keys", "list", "--filter", "owner"]).await;
    run.assert_code(0, "keys list --filter owner");
    assert!(run.stdout.contains(KEY1) && !run.stdout.contains(KEY2));

    // Token dates exist only with the extension.
    for args in [
        &["keys", "list", "--status", "outdated"][..],
        &["keys", "list", "--status", "pending"],
        &["keys", "list", "--sort", "token-age"],
    ] {
        vtex.cli(args)
            .await
            .assert_extension_refusal(&args.join(" "));
    }

    let run = vtex.cli(&["roles", "list"]).await;
    run.assert_code(0, "roles list");
    assert!(run.stdout.contains("Call center operator") && run.stdout.contains("Catalog; OMS"));
    assert!(
        run.stderr
            .contains("does not say which API-key permissions"),
        "{}",
        run.stderr
    );

    // The key is shown; VTEX keeps no audit trail, and that is said rather than failed.
    let run = vtex.cli(&["keys", "show", KEY1]).await;
    run.assert_code(0, "keys show");
    assert!(
        run.stdout.contains(KEY1)
            && run
                .stdout
                .contains("unknown (the server does not report token dates)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("needs the apikeys server extension"),
        "{}",
        run.stderr
    );

    let run = vtex.cli(&["whoami"]).await;
    run.assert_code(0, "whoami");
    assert!(run.stdout.contains("not available"), "{}", run.stdout);
}

#[tokio::test]
async fn cli_creates_and_changes_status() {
    let vtex = StandIn::start().await;

    let run = vtex
        .cli(&[
            "keys",
            "create",
            "--label",
            "ci bot",
            "--role",
            "Call center operator",
            "--output",
            "json",
        ])
        .await;
    run.assert_code(0, "keys create --output json");
    let created = run.json();
    assert_eq!(created["appToken"], created_token());
    assert_eq!(created["label"], "ci bot");
    assert_eq!(ids_of(&created["roles"]), [957]);
    let id = created["id"].as_str().unwrap();
    assert_eq!(vtex.role_ids(id), [957]);

    let run = vtex.cli(&["keys", "create", "--label", "second"]).await;
    run.assert_code(0, "keys create");
    assert_eq!(
        run.stdout.trim(),
        created_token(),
        "the token alone on stdout"
    );
    assert!(run.stderr.contains("shown once"), "{}", run.stderr);
    assert_eq!(lock(&vtex.state).keys.len(), 5);

    let run = vtex
        .cli(&[
            "keys",
            "create",
            "--label",
            "typo",
            "--role",
            "No such role",
        ])
        .await;
    run.assert_code(2, "keys create with an unknown role");
    assert_eq!(lock(&vtex.state).keys.len(), 5, "nothing created");

    let run = vtex.cli(&["keys", "deactivate", KEY1]).await;
    run.assert_code(0, "keys deactivate");
    assert!(run.stderr.contains("is inactive"), "{}", run.stderr);
    assert_eq!(vtex.key(KEY1)["isActive"], false);

    let run = vtex.cli(&["keys", "activate", "my new API Key"]).await;
    run.assert_code(0, "keys activate by label");
    assert_eq!(vtex.key(KEY1)["isActive"], true);

    let run = vtex.cli(&["keys", "activate", KEY3_ID]).await;
    run.assert_code(0, "keys activate by id");
    assert_eq!(vtex.key(KEY3)["isActive"], true);

    let run = vtex.cli(&["keys", "deactivate", "nobody"]).await;
    run.assert_code(1, "keys deactivate of an unknown key");
    assert!(run.stderr.contains("no key has"), "{}", run.stderr);
}

#[tokio::test]
async fn cli_create_without_a_token_says_so() {
    let vtex = StandIn::start_with(Vtex {
        null_token_on_create: true,
        ..initial_state()
    })
    .await;
    let run = vtex.cli(&["keys", "create", "--label", "ci bot"]).await;
    run.assert_code(1, "keys create answered with appToken: null");
    assert!(
        run.stderr.contains("the server did not return the token"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.trim().is_empty(), "{}", run.stdout);
    assert_eq!(lock(&vtex.state).keys.len(), 4);
}

#[tokio::test]
async fn cli_adds_and_removes_roles() {
    let vtex = StandIn::start().await;

    let run = vtex
        .cli(&[
            "keys",
            "roles",
            KEY2,
            "--add",
            "Call center operator",
            "--add",
            "1",
            "--output",
            "json",
        ])
        .await;
    run.assert_code(0, "keys roles --add");
    assert_eq!(ids_of(&run.json()), [957, 1]);
    assert_eq!(vtex.role_ids(KEY2_ID), [957, 1]);

    let run = vtex
        .cli(&[
            "keys",
            "roles",
            "my other API Key",
            "--remove",
            "call center operator",
            "--output",
            "json",
        ])
        .await;
    run.assert_code(0, "keys roles --remove");
    assert_eq!(ids_of(&run.json()), [1]);
    assert_eq!(vtex.role_ids(KEY2_ID), [1]);

    let run = vtex.cli(&["keys", "roles", KEY1]).await;
    run.assert_code(0, "keys roles");
    assert!(run.stdout.contains("957") && run.stdout.contains("Owner (Admin Super)"));

    let run = vtex.cli(&["keys", "roles", KEY2, "--add", "Nope"]).await;
    run.assert_code(2, "keys roles --add of an unknown role");
    assert!(run.stderr.contains("no role"), "{}", run.stderr);
    assert_eq!(vtex.role_ids(KEY2_ID), [1]);
}

#[tokio::test]
async fn cli_renews_and_finishes() {
    let vtex = StandIn::start().await;

    let run = vtex.cli(&["keys", "renew", KEY1]).await;
    run.assert_code(0, "keys renew");
    assert_eq!(run.stdout.trim(), renewed_token());
    assert!(run.stderr.contains("keeps working until"), "{}", run.stderr);
    assert!(vtex.pending(KEY1));

    let run = vtex.cli(&["keys", "renew", KEY1]).await;
    run.assert_code(1, "a second keys renew");
    assert!(run.stderr.contains("409"), "{}", run.stderr);
    assert!(run.stdout.is_empty());

    let run = vtex.cli(&["keys", "finish-renewal", KEY1]).await;
    run.assert_code(0, "keys finish-renewal");
    assert!(run.stderr.contains("is deleted"), "{}", run.stderr);
    assert!(!vtex.pending(KEY1));

    let run = vtex.cli(&["keys", "finish-renewal", KEY1]).await;
    run.assert_code(1, "keys finish-renewal with none pending");
    assert!(run.stderr.contains("404"), "{}", run.stderr);

    let run = vtex
        .cli(&[
            "keys",
            "renew",
            "my other API Key",
            "--delete-old",
            "now",
            "--output",
            "json",
        ])
        .await;
    run.assert_code(0, "keys renew --delete-old now");
    let renewal = run.json();
    assert_eq!(renewal["appToken"], renewed_token());
    assert_eq!(renewal["oldTokenDeleted"], true);
    assert_eq!(renewal["appKey"], KEY2);
    assert!(!vtex.pending(KEY2));
    assert_eq!(
        vtex.hits(&format!(
            "PATCH /api/vtexid/apikey/{KEY2}/apitoken/finish-renewal"
        )),
        1
    );
}

#[tokio::test]
async fn cli_extension_commands_fail_with_exit_1() {
    let vtex = StandIn::start().await;
    for args in [
        &["keys", "delete", KEY1, "--yes"][..],
        &["keys", "undo-renewal", KEY1],
        &["settings", "get"],
        &["settings", "set", "--token-duration", "6"],
        &["external", "list"],
        &["external", "add", "vtexappkey-other-ABCDEF"],
        &["external", "remove", "x", "--yes"],
        &["audit"],
        &["audit", "--output", "json"],
        &["audit", "--key", KEY1],
    ] {
        let run = vtex.cli(args).await;
        run.assert_extension_refusal(&args.join(" "));
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    // The key is still there: no DELETE nor undo was sent, only probes and lookups.
    assert_eq!(lock(&vtex.state).keys.len(), 3);
    let sent: Vec<String> = vtex
        .requests()
        .into_iter()
        .filter(|line| line != "GET /api/vlm/session" && line != "GET /api/vlm/appkeys")
        .collect();
    assert!(sent.is_empty(), "unexpected requests: {sent:?}");
}

// ---- faults -----------------------------------------------------------------------------------

/// Counts the requests a fault handler sees.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl Counter {
    /// Counts one; the new count.
    fn hit(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }

    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// A server that is public VTEX (404 for the session probe and all else) except `router`.
async fn fault_server(router: Router) -> String {
    serve(router.fallback(nothing)).await
}

fn key_list() -> Json<Value> {
    Json(
        json!([{"id": KEY1_ID, "appKey": KEY1, "label": "my new API Key",
                  "createdIn": "2018-07-04T14:09:08.2718405Z", "isActive": true}]),
    )
}

#[tokio::test]
async fn fault_server_down_is_a_network_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let base = format!("http://127.0.0.1:{port}");

    let err = client_for(&base, app_token(), quick())
        .list_keys()
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Network { .. }), "{err:?}");
    let text = shown(&err);
    assert!(text.starts_with(&format!("cannot reach {base}/")), "{text}");

    let run = cli(&base, &app_token(), &["keys", "list"]).await;
    run.assert_code(1, "keys list with the server down");
    assert!(run.stderr.contains("cannot reach"), "{}", run.stderr);
}

#[tokio::test]
async fn fault_500_twice_then_success_is_retried() {
    let hits = Counter::default();
    let counter = hits.clone();
    let base = fault_server(Router::new().route(
        "/api/vlm/appkeys",
        get(move || {
            let counter = counter.clone();
            async move {
                if counter.hit() <= 2 {
                    message(StatusCode::INTERNAL_SERVER_ERROR, "Unexpected error")
                } else {
                    key_list().into_response()
                }
            }
        }),
    ))
    .await;
    let keys = client_for(&base, app_token(), quick())
        .list_keys()
        .await
        .unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(hits.get(), 3);
}

#[tokio::test]
async fn fault_500_on_a_change_is_not_retried() {
    let hits = Counter::default();
    let counter = hits.clone();
    let base = fault_server(Router::new().route(
        "/api/vlm/appkeys",
        axum::routing::post(move || {
            let counter = counter.clone();
            async move {
                counter.hit();
                message(StatusCode::INTERNAL_SERVER_ERROR, "Unexpected error")
            }
        }),
    ))
    .await;
    let err = client_for(&base, app_token(), quick())
        .create_key("ci bot")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Server { status, .. } if status.as_u16() == 500),
        "{err:?}"
    );
    assert_eq!(
        shown(&err),
        "the server failed (500 Internal Server Error): Unexpected error."
    );
    assert_eq!(hits.get(), 1, "a change is never retried");
}

fn too_many() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, "1")],
        Json(json!({"Message": "Too many requests"})),
    )
        .into_response()
}

#[tokio::test]
async fn fault_429_with_retry_after_is_honoured() {
    let hits = Counter::default();
    let counter = hits.clone();
    let base = fault_server(Router::new().route(
        "/api/vlm/appkeys",
        get(move || {
            let counter = counter.clone();
            async move {
                if counter.hit() == 1 {
                    too_many()
                } else {
                    key_list().into_response()
                }
            }
        }),
    ))
    .await;
    let client = client_for(&base, app_token(), quick());
    client.capabilities().await.unwrap();
    let started = Instant::now();
    let keys = client.list_keys().await.unwrap();
    let elapsed = started.elapsed();
    eprintln!("429 then 200: {elapsed:?}");
    assert_eq!(keys.len(), 1);
    assert_eq!(hits.get(), 2);
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn fault_429_forever_is_rate_limited() {
    let hits = Counter::default();
    let counter = hits.clone();
    let base = fault_server(Router::new().route(
        "/api/vlm/appkeys",
        get(move || {
            let counter = counter.clone();
            async move {
                counter.hit();
                too_many()
            }
        }),
    ))
    .await;
    let options = quick();
    let attempts = options.retry.max_attempts as usize;
    let client = client_for(&base, app_token(), options);
    client.capabilities().await.unwrap();
    let started = Instant::now();
    let err = client.list_keys().await.unwrap_err();
    let elapsed = started.elapsed();
    eprintln!("429 forever ({attempts} attempts): {elapsed:?}");
    assert!(
        matches!(&err, ClientError::RateLimited { retry_after, .. }
            if *retry_after == Some(Duration::from_secs(1))),
        "{err:?}"
    );
    assert_eq!(
        shown(&err),
        "rate limited (429): Too many requests. Retry after 1s."
    );
    assert_eq!(hits.get(), attempts);
    let waited = Duration::from_secs(attempts as u64 - 1);
    assert!(elapsed >= waited, "{elapsed:?}");
    assert!(elapsed < waited + Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn fault_body_not_json_is_malformed() {
    let hits = Counter::default();
    let counter = hits.clone();
    let base = fault_server(Router::new().route(
        "/api/vlm/appkeys",
        get(move || {
            let counter = counter.clone();
            async move {
                counter.hit();
                "<html>oops</html>"
            }
        }),
    ))
    .await;
    let err = client_for(&base, app_token(), quick())
        .list_keys()
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Malformed { .. }), "{err:?}");
    let text = shown(&err);
    assert!(text.contains("could not be read"), "{text}");
    assert!(text.contains("<html>oops</html>"), "{text}");
    assert_eq!(hits.get(), 1, "a malformed answer is not retried");
}

#[tokio::test]
async fn fault_tokens_in_answers_are_never_shown() {
    let token = leaked_token();
    let html = format!("<html>oops {token} more</html>");
    // serde quotes the value it chokes on: a bad timestamp, a string where a key was expected.
    let in_json = json!([{"id": "a", "appKey": "k", "createdIn": token}]).to_string();
    let in_string = json!([token]).to_string();
    let base = fault_server(
        Router::new()
            .route("/html/api/vlm/appkeys", get(move || async move { html }))
            .route("/json/api/vlm/appkeys", get(move || async move { in_json }))
            .route(
                "/string/api/vlm/appkeys",
                get(move || async move { in_string }),
            )
            .route(
                "/api/vlm/appkeys",
                axum::routing::post(|| async {
                    message(
                        StatusCode::BAD_REQUEST,
                        &format!("label refused for token {}", leaked_token()),
                    )
                }),
            )
            .route(
                "/api/license-manager/site/pvt/roles/list/paged",
                get(|| async {
                    (
                        StatusCode::BAD_GATEWAY,
                        format!("<html>gateway {}</html>", leaked_token()),
                    )
                }),
            ),
    )
    .await;

    for path in ["html", "json", "string"] {
        let client = client_for(&format!("{base}/{path}"), app_token(), quick());
        let err = client.list_keys().await.unwrap_err();
        assert!(
            matches!(err, ClientError::Malformed { .. }),
            "{path}: {err:?}"
        );
        shown(&err);
    }
    let client = client_for(&base, app_token(), quick());
    let err = client.create_key("x").await.unwrap_err();
    assert!(matches!(err, ClientError::Rejected { .. }), "{err:?}");
    assert!(shown(&err).contains("label refused for token"), "{err}");
    let err = client.list_roles().await.unwrap_err();
    assert!(matches!(err, ClientError::Server { .. }), "{err:?}");
    assert!(shown(&err).contains("gateway"), "{err}");
}

async fn stalling_server() -> String {
    fault_server(Router::new().route(
        "/api/vlm/appkeys",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            key_list()
        }),
    ))
    .await
}

#[tokio::test]
async fn fault_stalled_answer_times_out() {
    let base = stalling_server().await;
    let client = client_for(
        &base,
        app_token(),
        ClientOptions {
            timeout: Duration::from_secs(1),
            ..quick()
        },
    );
    let started = Instant::now();
    let err = client.list_keys().await.unwrap_err();
    let elapsed = started.elapsed();
    eprintln!("stalled answer, client timeout 1s: {elapsed:?}");
    assert!(
        matches!(&err, ClientError::Timeout { after, .. } if *after == Duration::from_secs(1)),
        "{err:?}"
    );
    assert!(shown(&err).contains("within 1s"), "{err}");
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn fault_stalled_answer_times_out_through_the_cli() {
    let base = stalling_server().await;
    let started = Instant::now();
    let run = cli(&base, &app_token(), &["keys", "list", "--timeout", "1"]).await;
    let elapsed = started.elapsed();
    eprintln!("stalled answer, CLI --timeout 1: {elapsed:?}");
    run.assert_code(1, "keys list --timeout 1 against a stalled server");
    assert!(run.stderr.contains("no answer from"), "{}", run.stderr);
    assert!(run.stderr.contains("within 1s"), "{}", run.stderr);
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn fault_403_names_the_permission() {
    let forbidden = || async {
        (
            StatusCode::FORBIDDEN,
            Json(json!({"Message": "Access denied"})),
        )
    };
    let base = fault_server(
        Router::new()
            .route("/api/vlm/appkeys", get(forbidden).post(forbidden))
            .route(
                "/api/vtexid/apikey/{api_key}/apitoken/renew",
                patch(forbidden),
            ),
    )
    .await;
    let client = client_for(&base, app_token(), quick());

    let err = client.create_key("ci bot").await.unwrap_err();
    assert!(
        matches!(
            &err,
            ClientError::Forbidden {
                permission: Some("Edit API Keys"),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        shown(&err),
        "forbidden (403): this key lacks the \"Edit API Keys\" permission. Access denied."
    );
    let err = client.list_keys().await.unwrap_err();
    assert!(shown(&err).contains("\"View API Keys\""), "{err}");
    let err = client.renew(KEY1).await.unwrap_err();
    assert!(shown(&err).contains("\"Renew API Token\""), "{err}");

    let run = cli(&base, &app_token(), &["keys", "create", "--label", "x"]).await;
    run.assert_code(1, "keys create without the permission");
    assert!(run.stderr.contains("Edit API Keys"), "{}", run.stderr);
}

#[tokio::test]
async fn fault_401_is_unauthorized() {
    let vtex = StandIn::start().await;
    let client = client_for(&vtex.base, wrong_token(), quick());
    let err = client.list_keys().await.unwrap_err();
    assert!(matches!(err, ClientError::Unauthorized { .. }), "{err:?}");
    assert_eq!(
        shown(&err),
        "not authorized (401): Unauthorized. Check the app key and token."
    );

    let run = cli(&vtex.base, &wrong_token(), &["keys", "list"]).await;
    run.assert_code(1, "keys list with a wrong token");
    assert!(
        run.stderr.contains("not authorized (401)"),
        "{}",
        run.stderr
    );
    assert!(lock(&vtex.state).keys.len() == 3);
}

// ---- the terminal app against the stand-in ----------------------------------------------------

mod common;

/// Against VTEX's public API the app shows what has no endpoint as unavailable, and fetches
/// roles per key only for the rows on screen.
#[tokio::test]
async fn tui_marks_extensions_unavailable_and_loads_roles_for_visible_rows() {
    let mut state = initial_state();
    for n in 0..60 {
        let id = format!("00000000-0000-4000-8000-{n:012}");
        state.keys.push(json!({"id": id, "appKey": format!("vtexappkey-myaccount-{}", ["QAAAAA", "QBBBBB", "QCCCCC"][n % 3]),
            "label": format!("Integration {n:02}"), "createdIn": "2019-12-11T21:06:33", "isActive": true}));
        state
            .roles
            .insert(id, vec![json!({"id": 957, "name": "Call center operator"})]);
    }
    let vtex = StandIn::start_with(state).await;
    let creds = common::Creds {
        app_key: APP_KEY.into(),
        token: app_token(),
    };
    let options = common::tui::AppOptions {
        width: 120,
        height: 20,
        ..Default::default()
    };
    let mut app = common::tui::start(&format!("{}/", vtex.base), &creds, options);
    let frame = app
        .wait_for("63 keys with roles on screen", |f| {
            f.visible_rows == 63 && !f.busy
        })
        .await;
    let fetched = |vtex: &StandIn| {
        vtex.requests()
            .iter()
            .filter(|r| r.starts_with("GET /api/license-manager/users/"))
            .count()
    };
    let first = fetched(&vtex);
    assert!(
        first > 0 && first < 20,
        "roles fetched for the visible rows only: {first}"
    );
    assert!(!frame.screen.contains("loading…"), "{}", frame.screen);
    // VTEX's account information is asked for once; the stand-in's bodiless 404 leaves the
    // header as it was and says nothing.
    assert_eq!(vtex.hits("GET /api/vlm/account"), 1);
    assert!(frame.status.is_none(), "{:?}", frame.status);
    assert!(
        !frame.screen.lines().next().unwrap().contains('('),
        "{}",
        frame.screen
    );

    // Scrolling brings new rows, and only their roles are fetched.
    let top = frame.selected_label.clone();
    app.send("<PgDn><PgDn>");
    app.wait_for("two pages down, roles loaded", |f| {
        !f.busy && f.selected_label.is_some() && f.selected_label != top
    })
    .await;
    let second = fetched(&vtex);
    assert!(second > first && second < 63, "{first} then {second}");

    // What VTEX has no endpoint for says so, and nothing is sent.
    app.send("d");
    let refused = app
        .wait_for("delete refused", |f| f.says("extension"))
        .await;
    assert!(refused.dialog.is_none());
    app.send("3");
    app.wait_for("external pane", |f| {
        f.screen.contains("need the apikeys server extension")
    })
    .await;
    app.send("1");
    app.wait_for("settings pane", |f| f.screen.contains("not available"))
        .await;
    assert!(
        !vtex
            .requests()
            .iter()
            .any(|r| r.contains("external-appkeys")
                || r.contains("appkeys-settings")
                || r.starts_with("DELETE"))
    );
    app.quit().await;
}
