//! The scripting CLI end to end: the built `apikeys` binary against a reference server the test
//! starts on 127.0.0.1:0, checking what it prints (JSON, tables, CSV), its exit codes (0 ok,
//! 1 API or network error, 2 usage error) and the server's state afterwards.
//!
//! Token hygiene runs through every test: each token seen (the admin's, created, renewed, the
//! wrong one) is remembered process-wide, and no stderr of any run may hold any of them, nor
//! anything shaped like a token (100 uppercase letters). Only `keys create` and `keys renew`
//! may print a token, on stdout.

mod common;

use std::collections::BTreeSet;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

use apikeys::vtex::time::Timestamp;
use chrono::{DateTime, Months, Utc};
use common::{Creds, TestServer};
use reqwest::StatusCode;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Running the binary

/// One run of the binary.
#[derive(Debug)]
struct Run {
    command: String,
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.status, code,
            "`apikeys {}` exited {} (expected {code})\nstdout: {}\nstderr: {}",
            self.command, self.status, self.stdout, self.stderr
        );
        self
    }

    fn success(self) -> Run {
        self.expect(0)
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|err| {
            panic!(
                "`apikeys {}` printed no JSON ({err}):\n{}",
                self.command, self.stdout
            )
        })
    }

    fn array(&self) -> Vec<Value> {
        self.json()
            .as_array()
            .unwrap_or_else(|| panic!("`apikeys {}`: not an array", self.command))
            .clone()
    }
}

/// Every token seen and every stderr printed, across all the tests of this file.
struct Seen {
    tokens: Vec<String>,
    stderrs: Vec<(String, String)>,
}

static SEEN: Mutex<Seen> = Mutex::new(Seen {
    tokens: Vec::new(),
    stderrs: Vec::new(),
});

fn seen() -> std::sync::MutexGuard<'static, Seen> {
    SEEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Remembers a token; it must not be in any stderr printed so far.
fn note_token(token: &str) {
    let mut seen = seen();
    if seen.tokens.iter().any(|t| t == token) {
        return;
    }
    let leaked: Vec<String> = seen
        .stderrs
        .iter()
        .filter(|(_, stderr)| stderr.contains(token))
        .map(|(command, _)| command.clone())
        .collect();
    seen.tokens.push(token.to_string());
    drop(seen);
    assert!(
        leaked.is_empty(),
        "a token appears in the stderr of {leaked:?}"
    );
}

/// Remembers a stderr; it must hold no token seen so far, nor anything shaped like one.
fn note_stderr(command: &str, stderr: &str) {
    let mut seen = seen();
    let leaks = seen.tokens.iter().filter(|t| stderr.contains(*t)).count();
    seen.stderrs.push((command.to_string(), stderr.to_string()));
    drop(seen);
    assert_eq!(
        leaks, 0,
        "`apikeys {command}` printed a known token on stderr:\n{stderr}"
    );
    assert!(
        token_like(stderr).is_empty(),
        "`apikeys {command}` printed something shaped like a token on stderr:\n{stderr}"
    );
}

/// Runs of 100 or more uppercase ASCII letters: what the server's tokens look like.
fn token_like(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_uppercase())
        .filter(|run| run.len() >= 100)
        .collect()
}

fn is_token(text: &str) -> bool {
    text.len() == 100 && text.chars().all(|c| c.is_ascii_uppercase())
}

/// `apikeys ARGS` against `server` as its admin.
async fn apikeys(server: &TestServer, args: &[&str]) -> Run {
    apikeys_as(server, &server.admin, &[], args).await
}

/// `apikeys ARGS` against `server` with `creds` and extra environment variables.
async fn apikeys_as(
    server: &TestServer,
    creds: &Creds,
    env: &[(&str, &str)],
    args: &[&str],
) -> Run {
    run_binary(&server.url(""), creds, env, args).await
}

/// The binary, pointed at `base_url` with `creds` in VTEX_APP_KEY / VTEX_APP_TOKEN, in an
/// environment holding nothing of the developer's (no config file, no profile, no RUST_LOG).
async fn run_binary(base_url: &str, creds: &Creds, env: &[(&str, &str)], args: &[&str]) -> Run {
    note_token(&creds.token);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    let data = home.path().join("data");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_apikeys"));
    command
        .arg("--base-url")
        .arg(base_url)
        .args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", &config)
        .env("XDG_DATA_HOME", &data)
        .env("VTEX_APP_KEY", &creds.app_key)
        .env("VTEX_APP_TOKEN", &creds.token)
        .env_remove("RUST_LOG")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .kill_on_drop(true);
    let output = tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .unwrap_or_else(|_| panic!("`apikeys {}` did not end within 120 s", args.join(" ")))
        .unwrap();
    let run = Run {
        command: args.join(" "),
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "`apikeys {}` panicked:\n{}",
        run.command,
        run.stderr
    );
    note_stderr(&run.command, &run.stderr);
    let prints_token = matches!(args, ["keys", "create" | "renew", ..]);
    if prints_token {
        for token in token_like(&run.stdout) {
            note_token(token);
        }
    } else {
        assert!(
            token_like(&run.stdout).is_empty(),
            "`apikeys {}` printed something shaped like a token:\n{}",
            run.command,
            run.stdout
        );
        let seen = seen();
        let leaks = seen
            .tokens
            .iter()
            .filter(|t| run.stdout.contains(*t))
            .count();
        drop(seen);
        assert_eq!(leaks, 0, "`apikeys {}` printed a token", run.command);
    }
    run
}

// ---------------------------------------------------------------------------------------------
// The server's view

async fn server_keys(server: &TestServer) -> Vec<Value> {
    let reply = server
        .get(&server.admin, "/api/vlm/appkeys?expand=roles,token")
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body.as_array().unwrap().clone()
}

async fn server_key(server: &TestServer, id: &str) -> Option<Value> {
    server_keys(server)
        .await
        .into_iter()
        .find(|key| key["id"] == id)
}

async fn is_active(server: &TestServer, id: &str) -> bool {
    server_key(server, id)
        .await
        .unwrap_or_else(|| panic!("key {id} is gone"))["isActive"]
        .as_bool()
        .unwrap()
}

async fn role_ids(server: &TestServer, id: &str) -> BTreeSet<i64> {
    let reply = server
        .get(
            &server.admin,
            &format!("/api/license-manager/users/{id}/roles"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    ids_of_roles(&reply.body)
}

fn ids_of_roles(roles: &Value) -> BTreeSet<i64> {
    roles
        .as_array()
        .unwrap_or_else(|| panic!("not a role list: {roles}"))
        .iter()
        .map(|role| role["id"].as_i64().unwrap())
        .collect()
}

async fn external_keys(server: &TestServer) -> Vec<Value> {
    let reply = server
        .get(&server.admin, "/api/vlm/external-appkeys?expand=roles")
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body.as_array().unwrap().clone()
}

/// What the server answers a listing with these credentials: 200, 401 or 403.
async fn listing_status(server: &TestServer, app_key: &str, token: &str) -> StatusCode {
    let creds = Creds {
        app_key: app_key.to_string(),
        token: token.to_string(),
    };
    server.get(&creds, "/api/vlm/appkeys").await.status
}

fn ids(keys: &[Value]) -> BTreeSet<String> {
    keys.iter()
        .map(|key| key["id"].as_str().unwrap().to_string())
        .collect()
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

fn time(value: &Value) -> DateTime<Utc> {
    Timestamp::parse(text(value))
        .unwrap_or_else(|| panic!("not a timestamp: {value}"))
        .0
}

fn token_of(run: &Run, field: &str) -> String {
    let token = run.json()[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {}", run.stdout))
        .to_string();
    assert!(is_token(&token), "not a 100-letter token: {token:?}");
    token
}

// ---------------------------------------------------------------------------------------------
// keys list

#[tokio::test]
async fn keys_list_matches_the_server_and_filters_by_text_any_case() {
    let server = TestServer::start_with(true).await;
    let on_server = server_keys(&server).await;
    assert_eq!(on_server.len(), 61, "60 demo keys and the admin key");

    let all = apikeys(&server, &["keys", "list", "--output", "json"])
        .await
        .success()
        .array();
    assert_eq!(ids(&all), ids(&on_server));
    for key in &all {
        let twin = on_server.iter().find(|k| k["id"] == key["id"]).unwrap();
        assert_eq!(key["appKey"], twin["appKey"]);
        assert_eq!(key["label"], twin["label"]);
        assert_eq!(key["isActive"], twin["isActive"]);
        assert_eq!(ids_of_roles(&key["roles"]), ids_of_roles(&twin["roles"]));
        assert!(key["creationDateToken"].is_string(), "{key}");
    }

    // What --filter should keep, by the server's data: key, label or a role name, any case.
    let expected = |needle: &str| -> BTreeSet<String> {
        let needle = needle.to_lowercase();
        on_server
            .iter()
            .filter(|key| {
                text(&key["appKey"]).to_lowercase().contains(&needle)
                    || text(&key["label"]).to_lowercase().contains(&needle)
                    || key["roles"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|role| text(&role["name"]).to_lowercase().contains(&needle))
            })
            .map(|key| text(&key["id"]).to_string())
            .collect()
    };
    let some_key = text(&on_server[17]["appKey"]).to_string();
    let suffix = some_key.rsplit('-').next().unwrap().to_lowercase();
    let cases = [
        // A label.
        "mErCaDo LiVrE".to_string(),
        // A role name no label holds.
        "PAYMENTS GATEWAY".to_string(),
        // An appKey, in lowercase.
        suffix.clone(),
        // Everything.
        "VTEXAPPKEY".to_string(),
    ];
    for needle in &cases {
        let shown = apikeys(
            &server,
            &["keys", "list", "--filter", needle, "--output", "json"],
        )
        .await
        .success()
        .array();
        let want = expected(needle);
        assert!(!want.is_empty(), "{needle}");
        assert_eq!(ids(&shown), want, "--filter {needle}");
    }
    assert_eq!(expected("VTEXAPPKEY").len(), 61);
    assert!(expected(&suffix).contains(text(&on_server[17]["id"])));
    let by_role = expected("payments gateway");
    assert!(
        by_role.len() >= 2
            && on_server
                .iter()
                .filter(|k| by_role.contains(text(&k["id"])))
                .all(|k| !text(&k["label"])
                    .to_lowercase()
                    .contains("payments gateway")),
        "the role needle must match through role names only"
    );

    let none = apikeys(
        &server,
        &[
            "keys",
            "list",
            "--filter",
            "no such thing",
            "--output",
            "json",
        ],
    )
    .await
    .success()
    .array();
    assert!(none.is_empty());
}

#[tokio::test]
async fn keys_list_filters_by_status() {
    let server = TestServer::start_with(true).await;
    let on_server = server_keys(&server).await;
    let months = server
        .get(&server.admin, "/api/vlm/appkeys-settings")
        .await
        .body["tokenDurationMonths"]
        .as_u64()
        .unwrap() as u32;
    let now = Utc::now();
    let keep = |pred: &dyn Fn(&Value) -> bool| -> BTreeSet<String> {
        on_server
            .iter()
            .filter(|k| pred(k))
            .map(|k| text(&k["id"]).to_string())
            .collect()
    };
    let active = keep(&|k| k["isActive"] == true);
    let inactive = keep(&|k| k["isActive"] == false);
    let pending = keep(&|k| k["creationDateNewToken"].is_string());
    let outdated = keep(&|k| {
        let created = time(&k["creationDateToken"]);
        created.checked_add_months(Months::new(months)).unwrap() <= now
    });
    assert_eq!(inactive.len(), 8, "the demo seed has 8 inactive keys");
    assert_eq!(active.len(), 53);
    assert_eq!(pending.len(), 2, "the demo seed has 2 pending renewals");
    assert!(
        !outdated.is_empty() && outdated.len() < on_server.len(),
        "the demo seed mixes fresh and outdated tokens"
    );

    for (status, want) in [
        ("active", &active),
        ("inactive", &inactive),
        ("pending", &pending),
        ("outdated", &outdated),
    ] {
        let shown = apikeys(
            &server,
            &["keys", "list", "--status", status, "--output", "json"],
        )
        .await
        .success()
        .array();
        assert_eq!(&ids(&shown), want, "--status {status}");
    }

    // The outdated filter follows the account's token duration.
    apikeys(&server, &["settings", "set", "--token-duration", "6"])
        .await
        .success();
    let now = Utc::now();
    let outdated_6 = keep(&|k| {
        let created = time(&k["creationDateToken"]);
        created.checked_add_months(Months::new(6)).unwrap() <= now
    });
    assert!(
        outdated_6.len() < outdated.len(),
        "6 months leaves fewer outdated"
    );
    let shown = apikeys(
        &server,
        &["keys", "list", "--status", "outdated", "--output", "json"],
    )
    .await
    .success()
    .array();
    assert_eq!(ids(&shown), outdated_6, "--status outdated with 6 months");

    // Status and text filters combine.
    let shown = apikeys(
        &server,
        &[
            "keys",
            "list",
            "--status",
            "inactive",
            "--filter",
            "vtexappkey",
            "--output",
            "json",
        ],
    )
    .await
    .success()
    .array();
    assert_eq!(ids(&shown), inactive);

    let bad = apikeys(&server, &["keys", "list", "--status", "sleeping"])
        .await
        .expect(2);
    assert!(bad.stderr.contains("sleeping"), "{}", bad.stderr);
}

/// The order `--sort` promises: by the field, ties by label (any case), then appKey.
fn expected_order(keys: &[Value], sort: &str) -> Vec<String> {
    let mut keys: Vec<&Value> = keys.iter().collect();
    let label = |k: &Value| text(&k["label"]).to_lowercase();
    keys.sort_by(|a, b| {
        let primary = match sort {
            "name" => label(a).cmp(&label(b)),
            "key" => text(&a["appKey"]).cmp(text(&b["appKey"])),
            "created" => time(&a["createdIn"]).cmp(&time(&b["createdIn"])),
            // Oldest token (greatest age) first.
            "token-age" => time(&b["creationDateToken"]).cmp(&time(&a["creationDateToken"])),
            // Active first.
            "status" => b["isActive"].as_bool().cmp(&a["isActive"].as_bool()),
            other => panic!("unknown sort {other}"),
        };
        primary
            .then_with(|| label(a).cmp(&label(b)))
            .then_with(|| text(&a["appKey"]).cmp(text(&b["appKey"])))
    });
    keys.iter()
        .map(|k| text(&k["appKey"]).to_string())
        .collect()
}

fn app_keys(keys: &[Value]) -> Vec<String> {
    keys.iter()
        .map(|k| text(&k["appKey"]).to_string())
        .collect()
}

#[tokio::test]
async fn keys_list_sorts_each_way() {
    let server = TestServer::start_with(true).await;
    let all = apikeys(&server, &["keys", "list", "--output", "json"])
        .await
        .success()
        .array();
    assert_eq!(all.len(), 61);
    // Without --sort the order is by name.
    assert_eq!(app_keys(&all), expected_order(&all, "name"));

    for sort in ["name", "key", "created", "token-age", "status"] {
        let forward = apikeys(
            &server,
            &["keys", "list", "--sort", sort, "--output", "json"],
        )
        .await
        .success()
        .array();
        let backward = apikeys(
            &server,
            &[
                "keys",
                "list",
                "--sort",
                sort,
                "--reverse",
                "--output",
                "json",
            ],
        )
        .await
        .success()
        .array();
        assert_eq!(ids(&forward), ids(&all), "--sort {sort} shows every key");
        assert_eq!(
            app_keys(&forward),
            expected_order(&all, sort),
            "--sort {sort}"
        );
        let mut reversed = app_keys(&forward);
        reversed.reverse();
        assert_eq!(app_keys(&backward), reversed, "--sort {sort} --reverse");

        // The primary field alone, in plain terms.
        for pair in forward.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            match sort {
                "name" => {
                    assert!(text(&a["label"]).to_lowercase() <= text(&b["label"]).to_lowercase())
                }
                "key" => assert!(text(&a["appKey"]) < text(&b["appKey"])),
                "created" => assert!(time(&a["createdIn"]) <= time(&b["createdIn"])),
                "token-age" => {
                    assert!(time(&a["creationDateToken"]) >= time(&b["creationDateToken"]))
                }
                _ => assert!(a["isActive"] == true || b["isActive"] == false),
            }
        }
    }
}

#[tokio::test]
async fn keys_list_table_and_csv_have_a_header_and_a_row_per_key() {
    let server = TestServer::start_with(true).await;
    let all = apikeys(&server, &["keys", "list", "--output", "json"])
        .await
        .success()
        .array();

    let table = apikeys(&server, &["keys", "list"]).await.success();
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + all.len(), "{}", table.stdout);
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["KEY", "LABEL", "ROLES", "TOKEN", "CREATED", "STATUS"]
    );
    // Same order as JSON (by name); each row starts with its appKey and ends with its status.
    for (line, key) in lines[1..].iter().zip(&all) {
        assert!(line.starts_with(text(&key["appKey"])), "{line}");
        let status = if key["isActive"] == true {
            "Active"
        } else {
            "Inactive"
        };
        assert!(line.ends_with(status), "{line}");
    }

    let csv = apikeys(&server, &["keys", "list", "--output", "csv"])
        .await
        .success();
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + all.len(), "{}", csv.stdout);
    assert_eq!(
        lines[0],
        "id,appKey,label,createdIn,isActive,roles,creationDateToken,creationDateNewToken"
    );
    for (line, key) in lines[1..].iter().zip(&all) {
        let prefix = format!("{},{},", text(&key["id"]), text(&key["appKey"]));
        assert!(line.starts_with(&prefix), "{line}");
    }

    // Filtered: still a header, and only the rows kept.
    for (format, header) in [("table", "KEY"), ("csv", "id,appKey")] {
        let pending = apikeys(
            &server,
            &["keys", "list", "--status", "pending", "--output", format],
        )
        .await
        .success();
        let lines: Vec<&str> = pending.stdout.lines().collect();
        assert_eq!(lines.len(), 3, "{}", pending.stdout);
        assert!(lines[0].starts_with(header), "{}", pending.stdout);
    }
    let empty = apikeys(
        &server,
        &[
            "keys",
            "list",
            "--filter",
            "no such thing",
            "--output",
            "csv",
        ],
    )
    .await
    .success();
    assert_eq!(empty.stdout.lines().count(), 1, "{}", empty.stdout);
}

// ---------------------------------------------------------------------------------------------
// keys create

#[tokio::test]
async fn keys_create_prints_the_token_once_and_assigns_roles_by_name_and_id() {
    let server = TestServer::start().await;
    let viewer = server.role_id("API Keys Viewer");
    let catalog = server.role_id("Catalog editor");
    let catalog_id = catalog.to_string();

    let run = apikeys(
        &server,
        &[
            "keys",
            "create",
            "--label",
            "Nightly ERP sync",
            "--role",
            "api keys VIEWER",
            "--role",
            &catalog_id,
            "--output",
            "json",
        ],
    )
    .await
    .success();
    let created = run.json();
    let token = token_of(&run, "appToken");
    assert_eq!(
        run.stdout.matches(&token).count(),
        1,
        "the token is printed once"
    );
    let id = text(&created["id"]).to_string();
    let app_key = text(&created["appKey"]).to_string();
    assert!(app_key.starts_with("vtexappkey-acme-"), "{app_key}");
    assert_eq!(created["label"], "Nightly ERP sync");
    assert_eq!(created["isActive"], true);
    assert_eq!(
        ids_of_roles(&created["roles"]),
        BTreeSet::from([viewer, catalog])
    );

    let on_server = server_key(&server, &id).await.expect("the key exists");
    assert_eq!(on_server["appKey"], app_key.as_str());
    assert_eq!(on_server["label"], "Nightly ERP sync");
    assert_eq!(on_server["isActive"], true);
    assert_eq!(
        role_ids(&server, &id).await,
        BTreeSet::from([viewer, catalog])
    );
    assert_eq!(
        listing_status(&server, &app_key, &token).await,
        StatusCode::OK,
        "the printed token authenticates"
    );

    // The table format prints only the token on stdout; the words go to stderr.
    let run = apikeys(&server, &["keys", "create", "--label", "Table key"])
        .await
        .success();
    let token = run.stdout.trim_end().to_string();
    assert!(is_token(&token), "{}", run.stdout);
    assert_eq!(run.stdout, format!("{token}\n"));
    assert!(
        run.stderr.contains("Created vtexappkey-acme-"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("shown once"), "{}", run.stderr);
    // CSV: a header and one row, appKey and token.
    let run = apikeys(
        &server,
        &["keys", "create", "--label", "Csv key", "--output", "csv"],
    )
    .await
    .success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[0], "appKey,appToken");
    let (csv_key, csv_token) = lines[1].split_once(',').unwrap();
    assert!(is_token(csv_token), "{}", lines[1]);
    assert!(
        server_keys(&server)
            .await
            .iter()
            .any(|k| k["appKey"] == csv_key && k["label"] == "Csv key")
    );
    assert_eq!(
        listing_status(&server, csv_key, csv_token).await,
        StatusCode::FORBIDDEN
    );

    let table_key = server_keys(&server)
        .await
        .into_iter()
        .find(|k| k["label"] == "Table key")
        .expect("created");
    // No roles: the token is recognised (403), not refused (401).
    assert_eq!(
        listing_status(&server, text(&table_key["appKey"]), &token).await,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn keys_create_refuses_unknown_roles_and_long_labels_without_creating_anything() {
    let server = TestServer::start().await;
    let before = ids(&server_keys(&server).await);

    let run = apikeys(
        &server,
        &[
            "keys",
            "create",
            "--label",
            "Typo key",
            "--role",
            "API Keys Viewer",
            "--role",
            "Catalog editr",
            "--output",
            "json",
        ],
    )
    .await
    .expect(2);
    assert!(run.stderr.contains("Catalog editr"), "{}", run.stderr);
    assert!(run.stderr.contains("roles list"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(ids(&server_keys(&server).await), before, "no key created");

    let long = "x".repeat(10_000);
    let run = apikeys(
        &server,
        &["keys", "create", "--label", &long, "--output", "json"],
    )
    .await
    .expect(2);
    assert!(
        run.stderr.contains("10000 characters") && run.stderr.contains("200"),
        "the message says the label is too long: {}",
        run.stderr
    );
    assert!(
        run.stderr.len() < 500,
        "the label is not echoed: {}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(ids(&server_keys(&server).await), before, "no key created");

    // A missing --label is a usage error.
    apikeys(&server, &["keys", "create"]).await.expect(2);
    assert_eq!(ids(&server_keys(&server).await), before);
}

// ---------------------------------------------------------------------------------------------
// keys activate / deactivate / delete / roles

#[tokio::test]
async fn keys_activate_and_deactivate_by_id_app_key_and_label() {
    let server = TestServer::start().await;
    let key = server
        .key_with_roles("Warehouse feed", &["API Keys Viewer"])
        .await;
    let app_key = key.creds.app_key.as_str();

    let run = apikeys(&server, &["keys", "deactivate", &key.id])
        .await
        .success();
    assert!(run.stderr.contains(app_key), "{}", run.stderr);
    assert!(!is_active(&server, &key.id).await);
    assert_eq!(
        listing_status(&server, app_key, &key.creds.token).await,
        StatusCode::UNAUTHORIZED,
        "an inactive key's token is refused"
    );

    apikeys(&server, &["keys", "activate", app_key])
        .await
        .success();
    assert!(is_active(&server, &key.id).await);
    assert_eq!(
        listing_status(&server, app_key, &key.creds.token).await,
        StatusCode::OK
    );

    apikeys(&server, &["keys", "deactivate", "Warehouse feed"])
        .await
        .success();
    assert!(!is_active(&server, &key.id).await);
    apikeys(&server, &["keys", "activate", "Warehouse feed"])
        .await
        .success();
    assert!(is_active(&server, &key.id).await);

    // Two keys with one label: the label names neither; both appKeys are named, nothing changes.
    let first = server.key_with_roles("Twin", &[]).await;
    let second = server.key_with_roles("Twin", &[]).await;
    let run = apikeys(&server, &["keys", "deactivate", "Twin"])
        .await
        .expect(2);
    assert!(run.stderr.contains(&first.creds.app_key), "{}", run.stderr);
    assert!(run.stderr.contains(&second.creds.app_key), "{}", run.stderr);
    assert!(is_active(&server, &first.id).await);
    assert!(is_active(&server, &second.id).await);
    // By appKey, one of them can be named.
    apikeys(&server, &["keys", "deactivate", &second.creds.app_key])
        .await
        .success();
    assert!(is_active(&server, &first.id).await);
    assert!(!is_active(&server, &second.id).await);

    let run = apikeys(&server, &["keys", "activate", "Nobody"])
        .await
        .expect(1);
    assert!(run.stderr.contains("Nobody"), "{}", run.stderr);
}

#[tokio::test]
async fn keys_delete_needs_yes() {
    let server = TestServer::start().await;
    let key = server
        .key_with_roles("Old integration", &["API Keys Viewer"])
        .await;

    let run = apikeys(&server, &["keys", "delete", &key.creds.app_key])
        .await
        .expect(2);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    assert!(server_key(&server, &key.id).await.is_some(), "still there");

    let run = apikeys(&server, &["keys", "delete", "Old integration", "--yes"])
        .await
        .success();
    assert!(run.stderr.contains(&key.creds.app_key), "{}", run.stderr);
    assert!(server_key(&server, &key.id).await.is_none(), "gone");
    assert_eq!(
        listing_status(&server, &key.creds.app_key, &key.creds.token).await,
        StatusCode::UNAUTHORIZED
    );

    apikeys(&server, &["keys", "delete", &key.id, "--yes"])
        .await
        .expect(1);
}

#[tokio::test]
async fn keys_roles_adds_and_removes_then_shows_the_result() {
    let server = TestServer::start().await;
    let key = server
        .key_with_roles("Call center bot", &["API Keys Viewer", "Catalog editor"])
        .await;
    let viewer = server.role_id("API Keys Viewer");
    let call_center = server.role_id("Call center operator");

    let run = apikeys(
        &server,
        &[
            "keys",
            "roles",
            &key.creds.app_key,
            "--add",
            "Call center operator",
            "--remove",
            "catalog editor",
            "--output",
            "json",
        ],
    )
    .await
    .success();
    let shown = run.json();
    assert_eq!(ids_of_roles(&shown), BTreeSet::from([viewer, call_center]));
    let names: BTreeSet<&str> = shown
        .as_array()
        .unwrap()
        .iter()
        .map(|r| text(&r["name"]))
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["API Keys Viewer", "Call center operator"])
    );
    assert_eq!(
        role_ids(&server, &key.id).await,
        BTreeSet::from([viewer, call_center])
    );

    // Without changes it only shows them.
    let shown = apikeys(
        &server,
        &["keys", "roles", "Call center bot", "--output", "json"],
    )
    .await
    .success()
    .json();
    assert_eq!(ids_of_roles(&shown), BTreeSet::from([viewer, call_center]));

    // An unknown role changes nothing.
    apikeys(
        &server,
        &[
            "keys",
            "roles",
            &key.id,
            "--add",
            "Nope",
            "--remove",
            "API Keys Viewer",
        ],
    )
    .await
    .expect(2);
    assert_eq!(
        role_ids(&server, &key.id).await,
        BTreeSet::from([viewer, call_center])
    );
}

// ---------------------------------------------------------------------------------------------
// keys renew / finish-renewal / undo-renewal

#[tokio::test]
async fn keys_renew_finish_undo_and_delete_old_now() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("ERP", &["API Keys Viewer"]).await;
    let app_key = key.creds.app_key.clone();
    let works = |token: String| {
        let app_key = app_key.clone();
        let server = &server;
        async move { listing_status(server, &app_key, &token).await }
    };

    // Renew, old token deleted later: both work meanwhile.
    let run = apikeys(&server, &["keys", "renew", "ERP", "--output", "json"])
        .await
        .success();
    let renewed = run.json();
    let first_new = token_of(&run, "appToken");
    assert_ne!(first_new, key.creds.token);
    assert_eq!(renewed["appKey"], app_key.as_str());
    assert_eq!(renewed["id"], key.id.as_str());
    assert_eq!(renewed["oldTokenDeleted"], false);
    assert!(run.stderr.contains("finish-renewal"), "{}", run.stderr);
    assert_eq!(works(key.creds.token.clone()).await, StatusCode::OK);
    assert_eq!(works(first_new.clone()).await, StatusCode::OK);
    let on_server = server_key(&server, &key.id).await.unwrap();
    assert!(on_server["creationDateNewToken"].is_string(), "{on_server}");
    let pending = apikeys(
        &server,
        &["keys", "list", "--status", "pending", "--output", "json"],
    )
    .await
    .success()
    .array();
    assert_eq!(ids(&pending), BTreeSet::from([key.id.clone()]));

    // A second renewal while one is pending: a conflict.
    let run = apikeys(&server, &["keys", "renew", &app_key, "--output", "json"])
        .await
        .expect(1);
    assert!(run.stderr.contains("conflict (409)"), "{}", run.stderr);
    assert!(run.stderr.contains("pending"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(works(key.creds.token.clone()).await, StatusCode::OK);
    assert_eq!(works(first_new.clone()).await, StatusCode::OK);

    // Finish: the old token dies, the new one works.
    let run = apikeys(&server, &["keys", "finish-renewal", &key.id])
        .await
        .success();
    assert!(run.stderr.contains(&app_key), "{}", run.stderr);
    assert_eq!(
        works(key.creds.token.clone()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(works(first_new.clone()).await, StatusCode::OK);
    let on_server = server_key(&server, &key.id).await.unwrap();
    assert!(on_server["creationDateNewToken"].is_null(), "{on_server}");

    // Nothing pending: finish and undo fail.
    apikeys(&server, &["keys", "finish-renewal", "ERP"])
        .await
        .expect(1);
    apikeys(&server, &["keys", "undo-renewal", "ERP"])
        .await
        .expect(1);

    // Renew with --delete-old now: the previous token is dead at once.
    let run = apikeys(
        &server,
        &[
            "keys",
            "renew",
            "ERP",
            "--delete-old",
            "now",
            "--output",
            "json",
        ],
    )
    .await
    .success();
    let second_new = token_of(&run, "appToken");
    assert_eq!(run.json()["oldTokenDeleted"], true);
    assert_eq!(works(first_new.clone()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(works(second_new.clone()).await, StatusCode::OK);
    assert!(
        server_key(&server, &key.id).await.unwrap()["creationDateNewToken"].is_null(),
        "nothing pending"
    );

    // Renew then undo: the new token dies, the old one keeps working.
    let run = apikeys(&server, &["keys", "renew", &app_key, "--output", "json"])
        .await
        .success();
    let third_new = token_of(&run, "appToken");
    assert_eq!(works(third_new.clone()).await, StatusCode::OK);
    let run = apikeys(&server, &["keys", "undo-renewal", &app_key])
        .await
        .success();
    assert!(run.stderr.contains("undone"), "{}", run.stderr);
    assert_eq!(works(third_new).await, StatusCode::UNAUTHORIZED);
    assert_eq!(works(second_new.clone()).await, StatusCode::OK);
    assert!(
        server_key(&server, &key.id).await.unwrap()["creationDateNewToken"].is_null(),
        "nothing pending"
    );

    // The table format prints only the new token on stdout.
    let run = apikeys(&server, &["keys", "renew", "ERP"]).await.success();
    let fourth_new = run.stdout.trim_end().to_string();
    assert!(is_token(&fourth_new), "{}", run.stdout);
    assert_eq!(run.stdout, format!("{fourth_new}\n"));
    assert!(run.stderr.contains("New token for"), "{}", run.stderr);
    assert!(run.stderr.contains("shown once"), "{}", run.stderr);
    assert_eq!(works(fourth_new).await, StatusCode::OK);
    assert_eq!(works(second_new).await, StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// external keys

#[tokio::test]
async fn external_keys_add_deactivate_activate_and_remove() {
    let server = TestServer::start().await;
    let listed = apikeys(&server, &["external", "list", "--output", "json"])
        .await
        .success()
        .array();
    assert_eq!(ids(&listed), ids(&external_keys(&server).await));
    assert!(listed.is_empty(), "a new account has no external keys");

    let catalog = server.role_id("Catalog editor");
    let run = apikeys(
        &server,
        &[
            "external",
            "add",
            "vtexappkey-partner-ABCDEF",
            "--role",
            "Catalog editor",
            "--output",
            "json",
        ],
    )
    .await
    .success();
    let added = run.array();
    assert_eq!(added.len(), 1, "{}", run.stdout);
    let partner = &added[0];
    assert_eq!(partner["appKey"], "vtexappkey-partner-ABCDEF");
    assert_eq!(partner["account"], "partner");
    assert_eq!(partner["isActive"], true);
    assert_eq!(ids_of_roles(&partner["roles"]), BTreeSet::from([catalog]));
    let partner_id = text(&partner["id"]).to_string();

    let on_server = external_keys(&server).await;
    assert_eq!(on_server.len(), 1);
    assert_eq!(on_server[0]["id"], partner_id.as_str());
    assert_eq!(on_server[0]["appKey"], "vtexappkey-partner-ABCDEF");
    assert_eq!(
        ids_of_roles(&on_server[0]["roles"]),
        BTreeSet::from([catalog])
    );

    let listed = apikeys(&server, &["external", "list", "--output", "json"])
        .await
        .success()
        .array();
    assert_eq!(ids(&listed), BTreeSet::from([partner_id.clone()]));
    assert_eq!(ids_of_roles(&listed[0]["roles"]), BTreeSet::from([catalog]));

    let external_active = |id: String| {
        let server = &server;
        async move {
            external_keys(server)
                .await
                .into_iter()
                .find(|k| k["id"] == id.as_str())
                .unwrap()["isActive"]
                .as_bool()
                .unwrap()
        }
    };
    apikeys(
        &server,
        &["external", "deactivate", "vtexappkey-partner-ABCDEF"],
    )
    .await
    .success();
    assert!(!external_active(partner_id.clone()).await);
    apikeys(&server, &["external", "activate", &partner_id])
        .await
        .success();
    assert!(external_active(partner_id.clone()).await);
    apikeys(&server, &["external", "deactivate", &partner_id])
        .await
        .success();
    assert!(!external_active(partner_id.clone()).await);
    apikeys(
        &server,
        &["external", "activate", "vtexappkey-partner-ABCDEF"],
    )
    .await
    .success();
    assert!(external_active(partner_id.clone()).await);

    // A second one, without roles; then remove one by appKey and one by id.
    let other = apikeys(
        &server,
        &[
            "external",
            "add",
            "vtexappkey-agency-QWERTY",
            "--output",
            "json",
        ],
    )
    .await
    .success()
    .array();
    let other_id = text(&other[0]["id"]).to_string();
    assert_eq!(external_keys(&server).await.len(), 2);

    let run = apikeys(
        &server,
        &["external", "remove", "vtexappkey-partner-ABCDEF", "--yes"],
    )
    .await
    .success();
    assert!(
        run.stderr.contains("vtexappkey-partner-ABCDEF"),
        "{}",
        run.stderr
    );
    assert_eq!(
        ids(&external_keys(&server).await),
        BTreeSet::from([other_id.clone()])
    );
    apikeys(&server, &["external", "remove", &other_id, "--yes"])
        .await
        .success();
    assert!(external_keys(&server).await.is_empty());

    // Refusals: this account's own key (the API says no), an unknown role (usage), a key
    // that is not there.
    let run = apikeys(&server, &["external", "add", "vtexappkey-acme-ABCDEF"])
        .await
        .expect(1);
    assert!(
        run.stderr.contains("belongs to this account"),
        "{}",
        run.stderr
    );
    apikeys(
        &server,
        &[
            "external",
            "add",
            "vtexappkey-partner-ZZZZZZ",
            "--role",
            "Nope",
        ],
    )
    .await
    .expect(2);
    apikeys(
        &server,
        &["external", "remove", "vtexappkey-partner-ABCDEF", "--yes"],
    )
    .await
    .expect(1);
    assert!(external_keys(&server).await.is_empty(), "nothing added");
}

// ---------------------------------------------------------------------------------------------
// roles, settings, audit, whoami, completions

#[tokio::test]
async fn roles_list_shows_the_predefined_roles() {
    let server = TestServer::start().await;
    let roles = apikeys(&server, &["roles", "list", "--output", "json"])
        .await
        .success()
        .array();
    for name in [
        "Owner (Admin Super)",
        "User Administrator - RESTRICTED",
        "API Keys Viewer",
        "API Token Renewer",
        "Call center operator",
        "Catalog editor",
    ] {
        let role = roles
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name} is missing from {roles:?}"));
        assert_eq!(role["id"].as_i64(), Some(server.role_id(name)), "{name}");
    }
    let owner = roles
        .iter()
        .find(|r| r["name"] == "Owner (Admin Super)")
        .unwrap();
    assert_eq!(owner["isAdmin"], true);

    let reply = server
        .get(
            &server.admin,
            "/api/license-manager/site/pvt/roles/list/paged?numItems=100&pageNumber=1",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        roles.len() as u64,
        reply.body["paging"]["total"].as_u64().unwrap(),
        "every role of the account"
    );

    let table = apikeys(&server, &["roles", "list"]).await.success();
    assert!(table.stdout.starts_with("ID"), "{}", table.stdout);
    assert_eq!(table.stdout.lines().count(), 1 + roles.len());
}

async fn settings(server: &TestServer) -> u64 {
    let reply = server.get(&server.admin, "/api/vlm/appkeys-settings").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["tokenDurationMonths"].as_u64().unwrap()
}

#[tokio::test]
async fn settings_get_and_set_token_duration() {
    let server = TestServer::start().await;
    let shown = apikeys(&server, &["settings", "get", "--output", "json"])
        .await
        .success()
        .json();
    assert_eq!(
        shown["tokenDurationMonths"].as_u64(),
        Some(settings(&server).await)
    );
    assert_eq!(shown["tokenDurationMonths"], 3);

    let run = apikeys(&server, &["settings", "set", "--token-duration", "6"])
        .await
        .success();
    assert!(run.stderr.contains("6 months"), "{}", run.stderr);
    assert_eq!(settings(&server).await, 6);
    let shown = apikeys(&server, &["settings", "get", "--output", "json"])
        .await
        .success()
        .json();
    assert_eq!(shown["tokenDurationMonths"], 6);

    let run = apikeys(&server, &["settings", "set", "--token-duration", "4"])
        .await
        .expect(2);
    assert!(run.stderr.contains('4'), "{}", run.stderr);
    assert_eq!(settings(&server).await, 6, "unchanged");

    apikeys(&server, &["settings", "set", "--token-duration", "3"])
        .await
        .success();
    assert_eq!(settings(&server).await, 3);
}

#[tokio::test]
async fn audit_shows_the_newest_first_and_whoami_the_caller() {
    let server = TestServer::start().await;
    for label in ["Audit one", "Audit two", "Audit three"] {
        apikeys(
            &server,
            &["keys", "create", "--label", label, "--output", "json"],
        )
        .await
        .success();
    }
    apikeys(&server, &["keys", "renew", "Audit two", "--output", "json"])
        .await
        .success();
    apikeys(&server, &["keys", "deactivate", "Audit three"])
        .await
        .success();

    let run = apikeys(&server, &["audit", "--limit", "5", "--output", "json"])
        .await
        .success();
    let entries = run.array();
    assert_eq!(entries.len(), 5, "{}", run.stdout);
    for pair in entries.windows(2) {
        assert!(
            pair[0]["id"].as_i64().unwrap() > pair[1]["id"].as_i64().unwrap(),
            "newest first: {}",
            run.stdout
        );
        assert!(
            time(&pair[0]["at"]) >= time(&pair[1]["at"]),
            "{}",
            run.stdout
        );
    }
    let reply = server.get(&server.admin, "/api/vlm/audit?limit=5").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let on_server: Vec<i64> = reply
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    let shown: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(shown, on_server);
    // The newest entry is the deactivation, by the admin.
    assert!(
        entries[0]["target"]
            .as_str()
            .is_some_and(|t| t.contains("vtexappkey-acme-")),
        "{}",
        run.stdout
    );
    assert_eq!(entries[0]["actor"], server.admin.app_key.as_str());

    let table = apikeys(&server, &["audit", "--limit", "3"]).await.success();
    assert_eq!(table.stdout.lines().count(), 4, "{}", table.stdout);

    let who = apikeys(&server, &["whoami", "--output", "json"])
        .await
        .success()
        .json();
    assert_eq!(who["account"], "acme");
    assert_eq!(who["appKey"], server.admin.app_key.as_str());
    assert_eq!(who["extensions"], true);
    let resources: BTreeSet<&str> = who["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        resources,
        BTreeSet::from([
            "ViewApiKeys",
            "EditApiKeys",
            "RenewApiToken",
            "EditApiKeysSettings"
        ])
    );
    assert!(text(&who["baseUrl"]).starts_with(&server.url("")), "{who}");

    // A viewer sees only its one permission.
    let viewer = server.key_with_roles("Viewer", &["API Keys Viewer"]).await;
    let who = apikeys_as(&server, &viewer.creds, &[], &["whoami", "--output", "json"])
        .await
        .success()
        .json();
    assert_eq!(who["resources"], serde_json::json!(["ViewApiKeys"]));
}

#[tokio::test]
async fn completions_print_a_script_for_each_shell() {
    // `completions` talks to no server: it takes no --base-url, so it runs on its own.
    let completions = |shell: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_apikeys"))
            .args(["completions", shell])
            .env_clear()
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    for shell in ["bash", "zsh", "fish"] {
        let run = completions(shell);
        let stdout = String::from_utf8(run.stdout).unwrap();
        assert_eq!(run.status.code(), Some(0), "{shell}");
        assert!(stdout.len() > 200, "{shell}: {stdout}");
        assert!(stdout.contains("apikeys"), "{shell}");
        assert!(
            stdout.contains("renew"),
            "{shell}: subcommands are completed"
        );
    }
    assert_eq!(completions("powershell-9000").status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// Errors

#[tokio::test]
async fn wrong_token_missing_permission_and_bad_usage() {
    let server = TestServer::start().await;
    let before = ids(&server_keys(&server).await);

    // A wrong token: 401, named, never echoed.
    let wrong = Creds {
        app_key: server.admin.app_key.clone(),
        token: "Q".repeat(100),
    };
    for args in [
        &["keys", "list", "--output", "json"][..],
        &["keys", "create", "--label", "Intruder"][..],
        &["whoami"][..],
    ] {
        let run = apikeys_as(&server, &wrong, &[], args).await.expect(1);
        assert!(
            run.stderr.contains("401") && run.stderr.contains("not authorized"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains(&wrong.token));
        assert!(!run.stderr.contains(&wrong.token[..20]), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }

    // A viewer cannot create: 403 naming the missing permission.
    let viewer = server.key_with_roles("Viewer", &["API Keys Viewer"]).await;
    let run = apikeys_as(
        &server,
        &viewer.creds,
        &[],
        &[
            "keys",
            "create",
            "--label",
            "Not allowed",
            "--output",
            "json",
        ],
    )
    .await
    .expect(1);
    assert!(run.stderr.contains("Edit API Keys"), "{}", run.stderr);
    assert!(run.stderr.contains("403"), "{}", run.stderr);
    let after = server_keys(&server).await;
    assert!(after.iter().all(|k| k["label"] != "Not allowed"));
    assert_eq!(after.len(), before.len() + 1, "only the viewer was added");
    let run = apikeys_as(
        &server,
        &viewer.creds,
        &[],
        &["settings", "set", "--token-duration", "6"],
    )
    .await
    .expect(1);
    assert!(
        run.stderr.contains("Edit API Keys settings"),
        "{}",
        run.stderr
    );
    // Reading is allowed.
    apikeys_as(
        &server,
        &viewer.creds,
        &[],
        &["keys", "list", "--output", "json"],
    )
    .await
    .success();

    // Usage errors.
    for args in [
        &["frobnicate"][..],
        &["keys", "frobnicate"][..],
        &["keys", "list", "--sort", "colour"][..],
        &["keys", "list", "--output", "yaml"][..],
        &["--timeout", "0", "keys", "list"][..],
    ] {
        let run = apikeys(&server, args).await.expect(2);
        assert!(!run.stderr.is_empty(), "{args:?}");
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert_eq!(ids(&server_keys(&server).await).len(), before.len() + 1);
}

#[tokio::test]
async fn unreachable_server_is_a_network_error() {
    // A port nothing listens on any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let creds = Creds {
        app_key: "vtexappkey-acme-ABCDEF".into(),
        token: "Z".repeat(100),
    };
    let run = run_binary(
        &format!("http://127.0.0.1:{port}"),
        &creds,
        &[],
        &["--timeout", "5", "keys", "list"],
    )
    .await
    .expect(1);
    assert!(run.stderr.contains("cannot reach"), "{}", run.stderr);
    assert!(!run.stderr.contains(&creds.token));
}

// ---------------------------------------------------------------------------------------------
// Token hygiene with request logs on

#[tokio::test]
async fn request_logs_never_hold_a_token() {
    let server = TestServer::start().await;
    let trace = [("RUST_LOG", "trace")];
    let admin = server.admin.clone();
    let key = server.key_with_roles("Logged", &["API Keys Viewer"]).await;
    note_token(&key.creds.token);

    let run = apikeys_as(
        &server,
        &admin,
        &trace,
        &["keys", "list", "--output", "json"],
    )
    .await
    .success();
    assert!(
        run.stderr.contains("/api/vlm/appkeys"),
        "RUST_LOG turns request logs on: {}",
        run.stderr
    );
    assert!(!run.stderr.contains(&admin.token));
    assert_eq!(run.array().len(), 2);

    let run = apikeys_as(
        &server,
        &admin,
        &trace,
        &["keys", "renew", "Logged", "--output", "json"],
    )
    .await
    .success();
    let new_token = token_of(&run, "appToken");
    assert!(run.stderr.contains("apitoken/renew"), "{}", run.stderr);
    for token in [&admin.token, &key.creds.token, &new_token] {
        assert!(!run.stderr.contains(token.as_str()), "{}", run.stderr);
    }

    let run = apikeys_as(
        &server,
        &admin,
        &trace,
        &[
            "keys",
            "create",
            "--label",
            "Logged too",
            "--output",
            "json",
        ],
    )
    .await
    .success();
    let created = token_of(&run, "appToken");
    assert!(!run.stderr.contains(&created), "{}", run.stderr);
    assert!(!run.stderr.contains(&admin.token));

    // The renewed key's new token, logging its own calls.
    let renewed = Creds {
        app_key: key.creds.app_key.clone(),
        token: new_token.clone(),
    };
    let run = apikeys_as(&server, &renewed, &trace, &["whoami", "--output", "json"])
        .await
        .success();
    assert!(!run.stderr.contains(&new_token));
    assert!(!run.stderr.contains(&key.creds.token));

    // A refused token, logged.
    let wrong = Creds {
        app_key: admin.app_key.clone(),
        token: "W".repeat(100),
    };
    let run = apikeys_as(&server, &wrong, &trace, &["keys", "list"])
        .await
        .expect(1);
    assert!(!run.stderr.contains(&wrong.token));
    assert!(run.stderr.contains("401"), "{}", run.stderr);

    // Every token met so far in this file, against every stderr so far.
    let seen = seen();
    for (command, stderr) in &seen.stderrs {
        for token in &seen.tokens {
            assert!(
                !stderr.contains(token.as_str()),
                "a token appears in the stderr of `apikeys {command}`"
            );
        }
    }
}
