//! Bad input: malformed JSON, wrong types, a 10 MB body, empty / 10 000-character /
//! control-character labels, unknown role or key ids → a clear 4xx, never a 500, nothing
//! half-written.

mod common;

use common::{Creds, TestServer};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// One answer, with the content type the harness's `Reply` does not keep.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    text: String,
    body: Value,
}

impl Answer {
    fn message(&self) -> &str {
        self.body["Message"].as_str().unwrap_or("")
    }
}

/// A request body: JSON, or raw bytes with their content type.
enum Payload {
    None,
    Json(Value),
    Raw(&'static str, Vec<u8>),
}

async fn try_send(
    server: &TestServer,
    creds: Option<&Creds>,
    method: Method,
    path: &str,
    payload: Payload,
) -> reqwest::Result<Answer> {
    let mut request = reqwest::Client::new().request(method, server.url(path));
    if let Some(creds) = creds {
        request = request
            .header("X-VTEX-API-AppKey", &creds.app_key)
            .header("X-VTEX-API-AppToken", &creds.token);
    }
    request = match payload {
        Payload::None => request,
        Payload::Json(value) => request.json(&value),
        Payload::Raw(content_type, bytes) => request.header(CONTENT_TYPE, content_type).body(bytes),
    };
    let response = request.send().await?;
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string());
    let text = response.text().await?;
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::Null)
    };
    let answer = Answer {
        status,
        content_type,
        text,
        body,
    };
    check_answer(&answer);
    Ok(answer)
}

/// What every answer in this file must satisfy: never a 5xx, and JSON whenever there is a body.
fn check_answer(answer: &Answer) {
    assert!(
        !answer.status.is_server_error(),
        "server error {}: {}",
        answer.status,
        answer.text
    );
    if !answer.text.is_empty() {
        let content_type = answer.content_type.as_deref().unwrap_or("");
        assert!(
            content_type.starts_with("application/json"),
            "{} answered content-type {content_type:?}: {}",
            answer.status,
            answer.text
        );
        assert!(
            !answer.body.is_null(),
            "{} answered non-JSON: {}",
            answer.status,
            answer.text
        );
    }
}

async fn send(server: &TestServer, method: Method, path: &str, payload: Payload) -> Answer {
    let admin = server.admin.clone();
    try_send(server, Some(&admin), method, path, payload)
        .await
        .unwrap_or_else(|err| panic!("request failed: {err}"))
}

/// Asserts a VLMError answer with `status` and a readable Message, and returns it.
fn expect_error(answer: Answer, status: StatusCode, what: &str) -> Answer {
    assert_eq!(answer.status, status, "{what}: {}", answer.text);
    assert!(answer.status.is_client_error(), "{what}: {}", answer.text);
    let body = answer
        .body
        .as_object()
        .unwrap_or_else(|| panic!("{what}: error body is not an object: {}", answer.text));
    for field in ["Details", "HttpStatusCode", "VLMErrorCode", "Message"] {
        assert!(
            body.contains_key(field),
            "{what}: no {field}: {}",
            answer.text
        );
    }
    assert_eq!(
        answer.body["HttpStatusCode"],
        status.as_u16(),
        "{what}: {}",
        answer.text
    );
    let message = answer.message();
    assert!(
        message.len() >= 10 && message.contains(' '),
        "{what}: Message is not a sentence: {message:?}"
    );
    assert!(
        !message.contains("panicked") && !message.contains("RUST_BACKTRACE"),
        "{what}: {message:?}"
    );
    assert!(
        !message.chars().any(char::is_control),
        "{what}: Message holds control characters: {message:?}"
    );
    answer
}

/// Everything a rejected request could have half-written: keys (with roles and token dates),
/// external keys (with roles), settings, and the audit trail.
#[derive(Debug, PartialEq)]
struct Snapshot {
    keys: Value,
    external: Value,
    settings: Value,
    audit_rows: usize,
}

async fn snapshot(server: &TestServer) -> Snapshot {
    let get = |path: &'static str| send(server, Method::GET, path, Payload::None);
    let keys = get("/api/vlm/appkeys?expand=roles,token").await;
    let external = get("/api/vlm/external-appkeys?expand=roles").await;
    let settings = get("/api/vlm/appkeys-settings").await;
    let audit = get("/api/vlm/audit?limit=1000").await;
    for answer in [&keys, &external, &settings, &audit] {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    }
    Snapshot {
        keys: keys.body,
        external: external.body,
        settings: settings.body,
        audit_rows: audit.body.as_array().unwrap().len(),
    }
}

async fn key_count(server: &TestServer) -> usize {
    snapshot(server).await.keys.as_array().unwrap().len()
}

fn json_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

/// Whether `message` names `number` as a number of its own (not inside "u32" or "column 36").
fn names_number(message: &str, number: &str) -> bool {
    message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word == number)
}

// ---------------------------------------------------------------------------------------------
// POST /api/vlm/appkeys

const CREATE: &str = "/api/vlm/appkeys";

#[tokio::test]
async fn create_refuses_malformed_bodies_and_bad_labels() {
    let server = TestServer::start().await;
    let before = snapshot(&server).await;
    let raw = |text: &str| Payload::Raw("application/json", text.as_bytes().to_vec());
    let cases: Vec<(&str, Payload)> = vec![
        ("malformed JSON", raw("{\"label\": \"ERP\"")),
        ("not JSON at all", raw("label=ERP")),
        ("empty body", raw("")),
        ("label is a number", Payload::Json(json!({ "label": 5 }))),
        ("label is null", Payload::Json(json!({ "label": null }))),
        ("label is an object", Payload::Json(json!({ "label": {} }))),
        ("body is an array", Payload::Json(json!([]))),
        ("body is a string", Payload::Json(json!("ERP"))),
        ("missing label", Payload::Json(json!({ "name": "ERP" }))),
        ("empty label", Payload::Json(json!({ "label": "" }))),
        ("blank label", Payload::Json(json!({ "label": "   " }))),
        (
            "10 000-character label",
            Payload::Json(json!({ "label": "x".repeat(10_000) })),
        ),
        (
            "201-character label",
            Payload::Json(json!({ "label": "y".repeat(201) })),
        ),
        (
            "newline",
            Payload::Json(json!({ "label": "line one\nline two" })),
        ),
        ("tab", Payload::Json(json!({ "label": "ERP\tprod" }))),
        (
            "ANSI escape",
            Payload::Json(json!({ "label": "\u{1b}[31mred key" })),
        ),
        ("NUL", Payload::Json(json!({ "label": "ERP\u{0}" }))),
        ("DEL", Payload::Json(json!({ "label": "ERP\u{7f}x" }))),
        (
            "C1 control",
            Payload::Json(json!({ "label": "ERP\u{85}x" })),
        ),
    ];
    for (what, payload) in cases {
        let answer = send(&server, Method::POST, CREATE, payload).await;
        let answer = expect_error(answer, StatusCode::BAD_REQUEST, what);
        if what.contains("label") && what.contains("character") {
            assert!(
                answer.message().contains("200"),
                "{what}: the limit is named: {}",
                answer.message()
            );
        }
        assert_eq!(snapshot(&server).await, before, "{what} wrote something");
    }
}

#[tokio::test]
async fn create_refuses_a_10_mb_body_and_keeps_serving() {
    let server = TestServer::start().await;
    let before = snapshot(&server).await;
    let body = json_bytes(&json!({ "label": "z".repeat(10 * 1024 * 1024) }));
    assert!(body.len() > 10 * 1024 * 1024);
    let admin = server.admin.clone();
    match try_send(
        &server,
        Some(&admin),
        Method::POST,
        CREATE,
        Payload::Raw("application/json", body),
    )
    .await
    {
        Ok(answer) => {
            let answer = expect_error(answer, StatusCode::PAYLOAD_TOO_LARGE, "10 MB body");
            assert!(
                answer.message().contains("KiB"),
                "the limit is named: {}",
                answer.message()
            );
        }
        // The server may answer 413 and close before reading the rest of the body.
        Err(err) => eprintln!("10 MB body: the connection was closed early ({err})"),
    }
    assert_eq!(
        snapshot(&server).await,
        before,
        "a 10 MB body wrote something"
    );
    let ok = send(
        &server,
        Method::POST,
        CREATE,
        Payload::Json(json!({ "label": "after the big body" })),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
}

#[tokio::test]
async fn a_body_just_over_the_limit_is_413_with_json() {
    let server = TestServer::start().await;
    let before = snapshot(&server).await;
    let body = json_bytes(&json!({ "label": "z".repeat(apikeys::server::api::BODY_LIMIT_BYTES) }));
    let answer = send(
        &server,
        Method::POST,
        CREATE,
        Payload::Raw("application/json", body),
    )
    .await;
    expect_error(answer, StatusCode::PAYLOAD_TOO_LARGE, "64 KiB + 12 bytes");
    assert_eq!(snapshot(&server).await, before);
}

#[tokio::test]
async fn labels_are_counted_in_characters_and_stored_trimmed() {
    let server = TestServer::start().await;
    let create = |label: String| {
        send(
            &server,
            Method::POST,
            CREATE,
            Payload::Json(json!({ "label": label })),
        )
    };

    let exact = "a".repeat(200);
    let created = create(format!("  {exact}   ")).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    assert_eq!(created.body["label"], exact.as_str());

    // 200 characters of 2 or 3 bytes each: 500 bytes, still 200 characters.
    let wide: String = "日本語éàçõ".chars().cycle().take(200).collect();
    assert_eq!(wide.chars().count(), 200);
    assert!(wide.len() > 400);
    let created_wide = create(wide.clone()).await;
    assert_eq!(created_wide.status, StatusCode::OK, "{}", created_wide.text);
    assert_eq!(created_wide.body["label"], wide.as_str());

    let count = key_count(&server).await;
    let too_long = create(format!("{wide}ü")).await;
    expect_error(too_long, StatusCode::BAD_REQUEST, "201 wide characters");
    let too_long = create(format!(" {exact}b ")).await;
    expect_error(too_long, StatusCode::BAD_REQUEST, "201 characters");
    assert_eq!(key_count(&server).await, count);

    // The listing shows what was stored: trimmed, intact.
    let list = send(&server, Method::GET, CREATE, Payload::None).await;
    let labels: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&exact.as_str()), "{labels:?}");
    assert!(labels.contains(&wide.as_str()), "{labels:?}");
}

#[tokio::test]
async fn wrong_content_type_is_a_json_4xx() {
    let server = TestServer::start().await;
    let before = snapshot(&server).await;
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let answer = send(
            &server,
            Method::POST,
            CREATE,
            Payload::Raw(content_type, b"{\"label\": \"ERP\"}".to_vec()),
        )
        .await;
        let status = answer.status;
        assert!(status.is_client_error(), "{content_type}: {}", answer.text);
        expect_error(answer, status, content_type);
    }
    // No content type at all.
    let admin = server.admin.clone();
    let response = reqwest::Client::new()
        .post(server.url(CREATE))
        .header("X-VTEX-API-AppKey", &admin.app_key)
        .header("X-VTEX-API-AppToken", &admin.token)
        .body("{\"label\": \"ERP\"}")
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert!(status.is_client_error(), "no content type: {status}");
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(snapshot(&server).await, before);
}

// ---------------------------------------------------------------------------------------------
// PUT /api/vlm/appkeys/{id}

#[tokio::test]
async fn status_update_refuses_wrong_types_and_unknown_or_deleted_keys() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Status target", &[]).await;
    let doomed = server.key_with_roles("Doomed", &[]).await;
    let deleted = send(
        &server,
        Method::DELETE,
        &format!("/api/vlm/appkeys/{}", doomed.id),
        Payload::None,
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);

    let before = snapshot(&server).await;
    let path = format!("/api/vlm/appkeys/{}", key.id);
    for (what, body) in [
        ("string isActive", json!({ "isActive": "yes" })),
        ("numeric isActive", json!({ "isActive": 1 })),
        ("null isActive", json!({ "isActive": null })),
        ("missing isActive", json!({})),
        ("empty array body", json!([])),
    ] {
        let answer = send(&server, Method::PUT, &path, Payload::Json(body)).await;
        expect_error(answer, StatusCode::BAD_REQUEST, what);
        assert_eq!(snapshot(&server).await, before, "{what} wrote something");
    }
    let malformed = send(
        &server,
        Method::PUT,
        &path,
        Payload::Raw("application/json", b"{\"isActive\": fal".to_vec()),
    )
    .await;
    expect_error(malformed, StatusCode::BAD_REQUEST, "malformed JSON");

    for (what, id) in [
        ("unknown id", "00000000-0000-0000-0000-000000000000"),
        ("not a uuid", "nope"),
        ("deleted key", doomed.id.as_str()),
    ] {
        let answer = send(
            &server,
            Method::PUT,
            &format!("/api/vlm/appkeys/{id}"),
            Payload::Json(json!({ "isActive": false })),
        )
        .await;
        expect_error(answer, StatusCode::NOT_FOUND, what);
    }
    let deleted_again = send(
        &server,
        Method::DELETE,
        &format!("/api/vlm/appkeys/{}", doomed.id),
        Payload::None,
    )
    .await;
    expect_error(deleted_again, StatusCode::NOT_FOUND, "delete a deleted key");
    assert_eq!(snapshot(&server).await, before);
}

// ---------------------------------------------------------------------------------------------
// License Manager roles

#[tokio::test]
async fn adding_roles_is_all_or_nothing() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Role target", &[]).await;
    let roles = send(
        &server,
        Method::GET,
        "/api/license-manager/site/pvt/roles/list/paged?numItems=1000",
        Payload::None,
    )
    .await;
    assert!(
        roles.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == 1),
        "role 1 exists in this account: {}",
        roles.text
    );
    let path = format!("/api/license-manager/users/{}/roles", key.id);
    let before = snapshot(&server).await;

    let mixed = send(
        &server,
        Method::PUT,
        &path,
        Payload::Json(json!([1, 999999, 888888])),
    )
    .await;
    let mixed = expect_error(mixed, StatusCode::BAD_REQUEST, "unknown role ids");
    assert!(
        names_number(mixed.message(), "999999") && names_number(mixed.message(), "888888"),
        "the unknown ids are named: {}",
        mixed.message()
    );
    assert!(
        !names_number(mixed.message(), "1"),
        "the valid id is not blamed: {}",
        mixed.message()
    );
    let held = send(&server, Method::GET, &path, Payload::None).await;
    assert_eq!(held.status, StatusCode::OK, "{}", held.text);
    assert_eq!(held.body, json!([]), "role 1 must not have been added");
    assert_eq!(snapshot(&server).await, before);

    for (what, body) in [
        ("string ids", Payload::Json(json!(["x"]))),
        ("object body", Payload::Json(json!({}))),
        ("null id", Payload::Json(json!([null]))),
        ("fractional id", Payload::Json(json!([1.5]))),
        (
            "id beyond i64",
            Payload::Raw("application/json", b"[99999999999999999999]".to_vec()),
        ),
        (
            "malformed JSON",
            Payload::Raw("application/json", b"[1, 2".to_vec()),
        ),
    ] {
        let answer = send(&server, Method::PUT, &path, body).await;
        expect_error(answer, StatusCode::BAD_REQUEST, what);
        assert_eq!(snapshot(&server).await, before, "{what} wrote something");
    }

    let unknown_user = send(
        &server,
        Method::PUT,
        "/api/license-manager/users/00000000-0000-0000-0000-000000000000/roles",
        Payload::Json(json!([1])),
    )
    .await;
    expect_error(unknown_user, StatusCode::NOT_FOUND, "unknown user id");
    let unknown_user = send(
        &server,
        Method::GET,
        "/api/license-manager/users/nobody/roles",
        Payload::None,
    )
    .await;
    expect_error(
        unknown_user,
        StatusCode::NOT_FOUND,
        "roles of an unknown user",
    );
    assert_eq!(snapshot(&server).await, before);
}

#[tokio::test]
async fn removing_a_role_checks_the_role_id() {
    let server = TestServer::start().await;
    let key = server
        .key_with_roles("Remove target", &["API Keys Viewer"])
        .await;
    let before = snapshot(&server).await;
    let base = format!("/api/license-manager/users/{}/roles", key.id);

    for bad in ["abc", "1.5", "%20"] {
        let answer = send(
            &server,
            Method::DELETE,
            &format!("{base}/{bad}"),
            Payload::None,
        )
        .await;
        expect_error(answer, StatusCode::BAD_REQUEST, bad);
    }
    let unknown = send(
        &server,
        Method::DELETE,
        &format!("{base}/777777"),
        Payload::None,
    )
    .await;
    let unknown = expect_error(unknown, StatusCode::BAD_REQUEST, "unknown role id");
    assert!(
        names_number(unknown.message(), "777777"),
        "{}",
        unknown.message()
    );
    let unknown_user = send(
        &server,
        Method::DELETE,
        &format!(
            "/api/license-manager/users/nobody/roles/{}",
            server.role_id("API Keys Viewer")
        ),
        Payload::None,
    )
    .await;
    expect_error(unknown_user, StatusCode::NOT_FOUND, "unknown user id");
    assert_eq!(snapshot(&server).await, before);
}

// ---------------------------------------------------------------------------------------------
// Settings

#[tokio::test]
async fn settings_accept_only_three_or_six_months() {
    let server = TestServer::start().await;
    const SETTINGS: &str = "/api/vlm/appkeys-settings";
    // Move off the default first, so "unchanged" cannot be mistaken for "reset".
    let six = send(
        &server,
        Method::PUT,
        SETTINGS,
        Payload::Json(json!({ "tokenDurationMonths": 6 })),
    )
    .await;
    assert_eq!(six.status, StatusCode::OK, "{}", six.text);
    let before = snapshot(&server).await;
    assert_eq!(before.settings, json!({ "tokenDurationMonths": 6 }));

    // Numbers of the right type but not 3 or 6: the answer names the allowed values.
    for months in [4, 0, 1, 12, 36, 60] {
        let answer = send(
            &server,
            Method::PUT,
            SETTINGS,
            Payload::Json(json!({ "tokenDurationMonths": months })),
        )
        .await;
        let what = months.to_string();
        let answer = expect_error(answer, StatusCode::BAD_REQUEST, &what);
        let message = answer.message();
        assert!(
            names_number(message, "3") && names_number(message, "6"),
            "{what}: the allowed values are named: {message:?}"
        );
        assert_eq!(snapshot(&server).await, before, "{what} changed something");
    }
    // Wrong types and shapes: 400 naming the field (the test below checks they also name the
    // allowed values).
    for (what, body) in [
        ("-1", json!({ "tokenDurationMonths": -1 })),
        ("\"six\"", json!({ "tokenDurationMonths": "six" })),
        ("6.5", json!({ "tokenDurationMonths": 6.5 })),
        ("{}", json!({})),
        ("bare 3", json!(3)),
    ] {
        let answer = send(&server, Method::PUT, SETTINGS, Payload::Json(body)).await;
        let answer = expect_error(answer, StatusCode::BAD_REQUEST, what);
        if what != "bare 3" {
            assert!(
                answer.message().contains("tokenDurationMonths"),
                "{what}: the field is named: {}",
                answer.message()
            );
        }
        assert_eq!(snapshot(&server).await, before, "{what} changed something");
    }
}

/// Server bug: a wrongly typed or missing `tokenDurationMonths` is answered with serde's text
/// ("invalid type: string \"six\", expected u32", "missing field ..."), which never says the
/// allowed values are 3 and 6.
#[tokio::test]
async fn settings_type_errors_name_the_allowed_values() {
    let server = TestServer::start().await;
    for (what, body) in [
        ("-1", json!({ "tokenDurationMonths": -1 })),
        ("\"six\"", json!({ "tokenDurationMonths": "six" })),
        ("{}", json!({})),
    ] {
        let answer = send(
            &server,
            Method::PUT,
            "/api/vlm/appkeys-settings",
            Payload::Json(body),
        )
        .await;
        let answer = expect_error(answer, StatusCode::BAD_REQUEST, what);
        let message = answer.message();
        assert!(
            names_number(message, "3") || names_number(message, "6"),
            "{what}: the allowed values are named: {message:?}"
        );
    }
}

/// Server bug: serde accepts a JSON array as a struct (fields in declaration order), so
/// `["ERP"]` creates a key labelled ERP and `[6]` changes the settings, though the contract
/// documents objects.
#[tokio::test]
async fn struct_bodies_sent_as_arrays_are_refused() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("Array target", &[]).await;
    let before = snapshot(&server).await;
    for (what, method, path, body) in [
        ("create", Method::POST, CREATE.to_string(), json!(["ERP"])),
        (
            "status",
            Method::PUT,
            format!("/api/vlm/appkeys/{}", key.id),
            json!([false]),
        ),
        (
            "settings",
            Method::PUT,
            "/api/vlm/appkeys-settings".to_string(),
            json!([6]),
        ),
        (
            "external",
            Method::POST,
            "/api/vlm/external-appkeys".to_string(),
            json!(["vtexappkey-partner-QWERTY", []]),
        ),
    ] {
        let answer = send(&server, method, &path, Payload::Json(body)).await;
        expect_error(answer, StatusCode::BAD_REQUEST, what);
        assert_eq!(snapshot(&server).await, before, "{what} wrote something");
    }
}

/// Judgment call: `clean_label` refuses only Unicode category Cc, so bidirectional overrides
/// (U+202E, which can make a label display reversed) and zero-width characters are stored.
#[tokio::test]
async fn labels_refuse_invisible_format_characters() {
    let server = TestServer::start().await;
    for (what, label) in [
        ("right-to-left override", "ERP\u{202e}lanretni"),
        ("zero-width space", "ERP\u{200b}"),
        ("byte order mark", "\u{feff}ERP"),
    ] {
        let answer = send(
            &server,
            Method::POST,
            CREATE,
            Payload::Json(json!({ "label": label })),
        )
        .await;
        expect_error(answer, StatusCode::BAD_REQUEST, what);
    }
}

// ---------------------------------------------------------------------------------------------
// External keys

#[tokio::test]
async fn external_keys_are_checked_before_anything_is_written() {
    let server = TestServer::start().await;
    const EXTERNAL: &str = "/api/vlm/external-appkeys";
    let viewer = server.role_id("API Keys Viewer");
    let before = snapshot(&server).await;

    for (what, body, status) in [
        (
            "bad format",
            json!({ "appKey": "not-an-app-key" }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "lowercase suffix",
            json!({ "appKey": "vtexappkey-partner-qwerty" }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "own account",
            json!({ "appKey": "vtexappkey-acme-ABCDEF" }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "appKey a number",
            json!({ "appKey": 7 }),
            StatusCode::BAD_REQUEST,
        ),
        ("missing appKey", json!({}), StatusCode::BAD_REQUEST),
        (
            "roles not ids",
            json!({ "appKey": "vtexappkey-partner-QWERTY", "roles": ["x"] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "unknown role ids",
            json!({ "appKey": "vtexappkey-partner-QWERTY", "roles": [viewer, 999999] }),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let answer = send(&server, Method::POST, EXTERNAL, Payload::Json(body)).await;
        let answer = expect_error(answer, status, what);
        if what == "unknown role ids" {
            assert!(
                names_number(answer.message(), "999999"),
                "{}",
                answer.message()
            );
        }
        assert_eq!(snapshot(&server).await, before, "{what} wrote something");
    }

    let added = send(
        &server,
        Method::POST,
        EXTERNAL,
        Payload::Json(json!({ "appKey": "vtexappkey-partner-QWERTY", "roles": [viewer] })),
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text);
    let after_add = snapshot(&server).await;
    let duplicate = send(
        &server,
        Method::POST,
        EXTERNAL,
        Payload::Json(json!({ "appKey": "vtexappkey-partner-QWERTY" })),
    )
    .await;
    expect_error(duplicate, StatusCode::CONFLICT, "duplicate");
    let padded = send(
        &server,
        Method::POST,
        EXTERNAL,
        Payload::Json(json!({ "appKey": "  vtexappkey-partner-QWERTY " })),
    )
    .await;
    expect_error(padded, StatusCode::CONFLICT, "duplicate with spaces");
    for (what, id, body, status) in [
        (
            "status of an unknown external key",
            "nope",
            json!({ "isActive": false }),
            StatusCode::NOT_FOUND,
        ),
        (
            "string isActive",
            added.body["id"].as_str().unwrap(),
            json!({ "isActive": "no" }),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let answer = send(
            &server,
            Method::PUT,
            &format!("{EXTERNAL}/{id}"),
            Payload::Json(body),
        )
        .await;
        expect_error(answer, status, what);
    }
    let remove_unknown = send(
        &server,
        Method::DELETE,
        &format!("{EXTERNAL}/nope"),
        Payload::None,
    )
    .await;
    expect_error(remove_unknown, StatusCode::NOT_FOUND, "remove unknown");
    assert_eq!(snapshot(&server).await, after_add);
}

// ---------------------------------------------------------------------------------------------
// Query strings, routing, login

#[tokio::test]
async fn bad_query_parameters_are_400() {
    let server = TestServer::start().await;
    for path in [
        "/api/vlm/appkeys?expand=bogus",
        "/api/vlm/appkeys?expand=roles,bogus",
        "/api/vlm/external-appkeys?expand=token",
        "/api/vlm/audit?limit=0",
        "/api/vlm/audit?limit=1001",
        "/api/vlm/audit?limit=abc",
        "/api/vlm/audit?limit=-1",
        "/api/vlm/audit?before=yesterday",
        "/api/license-manager/site/pvt/roles/list/paged?numItems=0",
        "/api/license-manager/site/pvt/roles/list/paged?numItems=abc",
        "/api/license-manager/site/pvt/roles/list/paged?sort=color",
        "/api/license-manager/site/pvt/roles/list/paged?sortType=UP",
    ] {
        let answer = send(&server, Method::GET, path, Payload::None).await;
        expect_error(answer, StatusCode::BAD_REQUEST, path);
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_json() {
    let server = TestServer::start().await;
    for (method, path, status) in [
        (Method::GET, "/api/vlm/nothing-here", StatusCode::NOT_FOUND),
        (Method::GET, "/", StatusCode::NOT_FOUND),
        (
            Method::POST,
            "/api/vlm/appkeys/extra/segments",
            StatusCode::NOT_FOUND,
        ),
        (
            Method::PATCH,
            "/api/vlm/appkeys",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::DELETE,
            "/api/vlm/appkeys-settings",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::GET,
            "/api/vtexid/apptoken/login",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
    ] {
        let what = format!("{method} {path}");
        let answer = send(&server, method, path, Payload::None).await;
        expect_error(answer, status, &what);
    }
    // Anonymous callers get the same JSON.
    let anonymous = try_send(
        &server,
        None,
        Method::GET,
        "/api/vlm/nothing-here",
        Payload::None,
    )
    .await
    .unwrap();
    expect_error(anonymous, StatusCode::NOT_FOUND, "anonymous unknown path");
}

#[tokio::test]
async fn login_with_a_bad_body_does_not_echo_it() {
    let server = TestServer::start().await;
    let secret = "SECRETTOKENTHATMUSTNOTBEECHOEDBACK";
    let admin = server.admin.clone();
    let bodies: Vec<(&str, Payload)> = vec![
        (
            "malformed JSON",
            Payload::Raw(
                "application/json",
                format!(
                    "{{\"appkey\": \"{}\", \"apptoken\": \"{secret}",
                    admin.app_key
                )
                .into_bytes(),
            ),
        ),
        (
            "apptoken a number",
            Payload::Raw(
                "application/json",
                format!("{{\"appkey\": \"{secret}\", \"apptoken\": 5}}").into_bytes(),
            ),
        ),
        (
            "wrong field names",
            Payload::Json(json!({ "appKey": secret, "appToken": secret })),
        ),
        (
            "text/plain",
            Payload::Raw(
                "text/plain",
                format!("{{\"appkey\": \"x\", \"apptoken\": \"{secret}\"}}").into_bytes(),
            ),
        ),
    ];
    for (what, payload) in bodies {
        let answer = try_send(
            &server,
            None,
            Method::POST,
            "/api/vtexid/apptoken/login",
            payload,
        )
        .await
        .unwrap();
        let answer = expect_error(answer, StatusCode::BAD_REQUEST, what);
        assert!(
            !answer.text.contains("SECRET") && !answer.text.contains(&admin.app_key),
            "{what}: the body is echoed: {}",
            answer.text
        );
    }
}
