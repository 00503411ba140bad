//! Exit codes a script can branch on: 2 when the command line is wrong (found before any change
//! is sent: a bad value, an empty label, an unknown role name, a missing --yes), 1 when the
//! server or the account's state says no. Each case also names its sentence, and none of them
//! changes anything on the server. The built binary against a reference server on 127.0.0.1:0.

mod common;

use common::{Creds, TestServer, cli};
use reqwest::Method;
use serde_json::Value;

const PARTNER: &str = "vtexappkey-partner-ABCDEF";

/// What a failed command must leave as it was: every key, its status and roles, and the
/// external keys.
async fn state(server: &TestServer) -> (Value, Value) {
    let keys = server
        .admin_call(Method::GET, "/api/vlm/appkeys?expand=roles,token", None)
        .await;
    let external = server
        .admin_call(Method::GET, "/api/vlm/external-appkeys?expand=roles", None)
        .await;
    (keys.body, external.body)
}

struct Case {
    args: Vec<String>,
    /// Who runs it: the admin unless said.
    creds: Option<Creds>,
    code: i32,
    /// Part of the sentence on stderr (any case).
    says: &'static str,
}

fn case(args: &[&str], code: i32, says: &'static str) -> Case {
    Case {
        args: args.iter().map(|a| a.to_string()).collect(),
        creds: None,
        code,
        says,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_exit_2_and_refusals_exit_1_changing_nothing() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    server.key_with_roles("Target", &["API Keys Viewer"]).await;
    server.key_with_roles("Twin", &[]).await;
    server.key_with_roles("Twin", &[]).await;
    let viewer = server.key_with_roles("Viewer", &["API Keys Viewer"]).await;
    let added = server
        .admin_call(
            Method::POST,
            "/api/vlm/external-appkeys",
            Some(serde_json::json!({ "appKey": PARTNER, "roles": [] })),
        )
        .await;
    assert!(added.status.is_success(), "{}", added.text);
    let long = "x".repeat(201);

    let mut cases = vec![
        // Usage errors: what was typed is wrong.
        case(
            &["keys", "create", "--label", ""],
            2,
            "label must not be empty",
        ),
        case(
            &["keys", "create", "--label", "   "],
            2,
            "label must not be empty",
        ),
        case(&["keys", "create", "--label", &long], 2, "the limit is 200"),
        case(
            &[
                "keys",
                "create",
                "--label",
                "Typo",
                "--role",
                "Catalog editr",
            ],
            2,
            "has no role \"Catalog editr\"",
        ),
        case(
            &["keys", "roles", "Target", "--add", "Nope"],
            2,
            "has no role \"Nope\"",
        ),
        case(
            &[
                "external",
                "add",
                "vtexappkey-other-QWERTY",
                "--role",
                "Nope",
            ],
            2,
            "has no role \"Nope\"",
        ),
        case(&["external", "add", "not-a-key"], 2, "is not an appKey"),
        case(
            &["external", "remove", PARTNER],
            2,
            "cannot be undone; add --yes",
        ),
        case(
            &["keys", "delete", "Target"],
            2,
            "cannot be undone; add --yes",
        ),
        case(
            &["--timeout", "0", "keys", "list"],
            2,
            "--timeout must be more than 0 seconds",
        ),
        case(
            &["keys", "list", "--timeout", "0"],
            2,
            "--timeout must be more than 0 seconds",
        ),
        case(
            &["audit", "--limit", "0"],
            2,
            "--limit must be between 1 and 1000",
        ),
        case(
            &["audit", "--limit", "1001"],
            2,
            "--limit must be between 1 and 1000",
        ),
        case(
            &["keys", "renew", &admin.app_key],
            2,
            "cannot renew its own token",
        ),
        case(&["keys", "activate", " "], 2, "name a key"),
        case(&["keys", "deactivate", "Twin"], 2, "name one by its appKey"),
        case(
            &["keys", "list", "--status", "pending-renewl"],
            2,
            "invalid value",
        ),
        // Refusals: the server, or the account as it is, says no.
        case(
            &["external", "add", "vtexappkey-acme-ABCDEF"],
            1,
            "belongs to this account",
        ),
        case(&["keys", "deactivate", &admin.app_key], 1, "409"),
        case(&["keys", "activate", "Nobody"], 1, "no key has"),
        case(
            &["external", "remove", "vtexappkey-gone-ZZZZZZ", "--yes"],
            1,
            "no external key",
        ),
    ];
    cases.push(Case {
        creds: Some(viewer.creds.clone()),
        ..case(&["keys", "create", "--label", "Not allowed"], 1, "403")
    });

    let mut before = state(&server).await;
    let mut wrong = Vec::new();
    for case in &cases {
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let creds = case.creds.as_ref().unwrap_or(&admin);
        let run = cli::run(&server, creds, &args).await;
        let shown = format!(
            "`apikeys {}`",
            args.join(" ").chars().take(80).collect::<String>()
        );
        if run.status != case.code {
            wrong.push(format!(
                "{shown} exited {} (expected {}): {}",
                run.status,
                case.code,
                run.stderr.trim()
            ));
        } else if !run
            .stderr
            .to_lowercase()
            .contains(&case.says.to_lowercase())
        {
            wrong.push(format!(
                "{shown} does not say {:?}: {}",
                case.says,
                run.stderr.trim()
            ));
        }
        if !run.stdout.is_empty() {
            wrong.push(format!("{shown} printed on stdout: {}", run.stdout));
        }
        let after = state(&server).await;
        if after != before {
            wrong.push(format!("{shown} changed the server's state"));
            // The next cases are judged from here.
            before = after;
        }
    }
    assert!(wrong.is_empty(), "\n  {}", wrong.join("\n  "));
}

async fn listed(server: &TestServer) -> bool {
    let (_, external) = state(server).await;
    external
        .as_array()
        .unwrap()
        .iter()
        .any(|key| key["appKey"] == PARTNER)
}

#[tokio::test(flavor = "multi_thread")]
async fn external_remove_asks_for_yes_like_keys_delete() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let added = server
        .admin_call(
            Method::POST,
            "/api/vlm/external-appkeys",
            Some(serde_json::json!({ "appKey": PARTNER, "roles": [] })),
        )
        .await;
    assert!(added.status.is_success(), "{}", added.text);
    let run = cli::run(&server, &admin, &["external", "remove", PARTNER]).await;
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(PARTNER) && run.stderr.contains("cannot be undone; add --yes"),
        "{}",
        run.stderr
    );
    assert!(listed(&server).await, "nothing was removed");

    let run = cli::run(&server, &admin, &["external", "remove", PARTNER, "--yes"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stderr.contains(PARTNER), "{}", run.stderr);
    assert!(!listed(&server).await, "removed with --yes");
}
