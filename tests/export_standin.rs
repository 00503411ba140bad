//! `apikeys export` against the stand-in for VTEX's public API (`serve --public-api-only`,
//! no `expand`, no external keys): every key's roles are fetched on their own and land in
//! the file, the external sheet is left out with a sentence, `--external` is refused, and a
//! progress bar is drawn only on a terminal.

mod common;
#[path = "support/export_run.rs"]
mod export_run;

use common::TestServer;
use export_run::{export_in, sheets, text};
use reqwest::Method;
use serde_json::Value;

/// Each key's role names, as VTEX's per-key endpoint answers them.
async fn roles_by_key(server: &TestServer) -> Vec<(String, String)> {
    let listed = server
        .admin_call(Method::GET, "/api/vlm/appkeys", None)
        .await;
    let mut roles = Vec::new();
    for key in listed.body.as_array().unwrap() {
        assert!(key.get("roles").is_none(), "the stand-in lists no roles");
        let id = key["id"].as_str().unwrap();
        let answer = server
            .admin_call(
                Method::GET,
                &format!("/api/license-manager/users/{id}/roles"),
                None,
            )
            .await;
        let names: Vec<&str> = answer
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|role| role["name"].as_str().unwrap())
            .collect();
        roles.push((id.to_string(), names.join("; ")));
    }
    roles
}

#[tokio::test]
async fn against_the_public_api_roles_are_fetched_and_the_external_sheet_is_left_out() {
    let server = TestServer::start_public_only().await;
    let expected = roles_by_key(&server).await;
    assert!(
        expected
            .iter()
            .filter(|(_, names)| !names.is_empty())
            .count()
            > 10,
        "the demo's keys hold roles"
    );
    let dir = tempfile::tempdir().unwrap();
    let run = export_in(dir.path(), &server, &server.admin, &["-o", "keys.xlsx"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("The external keys are left out"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("Fetching roles"),
        "no progress bar when stderr is not a terminal: {:?}",
        run.stderr
    );
    let sheets = sheets(&dir.path().join("keys.xlsx"));
    let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Generated keys"], "no external sheet");
    let exported: Vec<(String, String)> = sheets[0].1[1..]
        .iter()
        .map(|row| (text(&row[0]), text(&row[2])))
        .collect();
    assert_eq!(exported, expected, "every key's roles, fetched per key");

    let run = export_in(
        dir.path(),
        &server,
        &server.admin,
        &["--format", "json", "-o", "-"],
    )
    .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let document: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(document.get("external").is_none(), "no external keys field");
    assert_eq!(
        document["generated"].as_array().unwrap().len(),
        expected.len()
    );

    let run = export_in(dir.path(), &server, &server.admin, &["--external"]).await;
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no external-keys listing"),
        "{}",
        run.stderr
    );
}
