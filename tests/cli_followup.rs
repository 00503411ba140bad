//! The CLI defects a QA trial found after issue 11, through the built binary against a real
//! server: local time in tables, `roles list`, one `--limit` parser, a sentence for empty
//! results, audit details naming roles, and `external list --help` in the short form.

mod common;

use std::time::Duration;

use common::TestServer;
use common::cli::{Run, command, run};

/// Whether the zone database has São Paulo; CI must install tzdata (missing there fails).
fn have_zone_data() -> bool {
    let here = std::path::Path::new("/usr/share/zoneinfo/America/Sao_Paulo").exists();
    if !here {
        assert!(std::env::var_os("CI").is_none(), "CI must install tzdata");
        eprintln!("skipping: no /usr/share/zoneinfo/America/Sao_Paulo (tzdata)");
    }
    here
}

/// `run`, with `TZ` set on the child process only (UTC-3 all year since 2019).
async fn run_in_sao_paulo(server: &TestServer, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut command = command(server, &server.admin, home.path(), args);
    command.env("TZ", "America/Sao_Paulo");
    let mut command = tokio::process::Command::from(command);
    command.kill_on_drop(true);
    let output = tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .expect("the CLI ends")
        .unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[tokio::test]
async fn audit_and_keys_show_tables_are_in_local_time_with_the_offset() {
    if !have_zone_data() {
        return;
    }
    let server = TestServer::start().await;
    let key = server.key_with_roles("ERP orders", &[]).await;

    let audit = run_in_sao_paulo(&server, &["audit", "--limit", "2"]).await;
    assert_eq!(audit.status, 0, "{}", audit.stderr);
    let row = audit.stdout.lines().nth(1).expect("an entry");
    assert!(
        row.contains(" -03:00 "),
        "no local offset:\n{}",
        audit.stdout
    );

    let shown = run_in_sao_paulo(&server, &["keys", "show", &key.creds.app_key]).await;
    assert_eq!(shown.status, 0, "{}", shown.stderr);
    let created = shown
        .stdout
        .lines()
        .find(|line| line.starts_with("created "))
        .expect("a created row");
    assert!(created.ends_with(" -03:00"), "not local: {created:?}");
    assert!(!shown.stdout.contains(" UTC"), "{}", shown.stdout);

    // JSON stays RFC 3339 UTC.
    let json = run_in_sao_paulo(&server, &["audit", "--limit", "1", "--output", "json"]).await;
    assert!(json.stdout.contains("Z\""), "{}", json.stdout);
    assert!(!json.stdout.contains("-03:00"), "{}", json.stdout);
}

#[tokio::test]
async fn roles_list_sorts_in_any_case_and_says_admin_and_products() {
    let server = TestServer::start().await;
    server.create_role("CRM and marketing data", &[]);
    let listed = run(&server, &server.admin, &["roles", "list"]).await;
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    let out = &listed.stdout;
    let at = |name: &str| out.find(name).unwrap_or_else(|| panic!("{name}:\n{out}"));
    assert!(
        at("Call center operator") < at("CRM and marketing data"),
        "case-sensitive order:\n{out}"
    );
    let line = |name: &str| out.lines().find(|l| l.contains(name)).unwrap().to_string();
    let viewer = line("API Keys Viewer");
    assert!(viewer.contains(" no "), "ADMIN blank: {viewer:?}");
    let owner = line("Owner (Admin Super)");
    assert!(owner.contains(" yes "), "{owner:?}");
    assert!(owner.trim_end().ends_with("all (admin role)"), "{owner:?}");
}

#[tokio::test]
async fn keys_show_and_audit_refuse_limit_0_with_the_same_sentence() {
    let server = TestServer::start().await;
    let show = run(
        &server,
        &server.admin,
        &["keys", "show", "x", "--limit", "0"],
    )
    .await;
    let audit = run(&server, &server.admin, &["audit", "--limit", "0"]).await;
    let sentence = "--limit must be between 1 and 1000";
    for refused in [&show, &audit] {
        assert_eq!(refused.status, 2, "{}", refused.stderr);
        assert!(refused.stderr.contains(sentence), "{}", refused.stderr);
    }
    let help = run(&server, &server.admin, &["keys", "show", "--help"]).await;
    assert!(help.stdout.contains("(1 to 1000)"), "{}", help.stdout);
}

#[tokio::test]
async fn empty_tables_say_so_on_stderr_and_scripts_get_what_they_did() {
    let server = TestServer::start().await;
    let cases: [(&[&str], &str); 3] = [
        (
            &["keys", "list", "--filter", "zzz"],
            "No key matches the filter.",
        ),
        (
            &["external", "list", "--filter", "zzz"],
            "No external key matches the filter.",
        ),
        (
            &["audit", "--key", "vtexappkey-nobody-ABCDEF"],
            "The audit trail holds nothing about this key.",
        ),
    ];
    for (args, sentence) in cases {
        let table = run(&server, &server.admin, args).await;
        assert_eq!(table.status, 0, "{args:?}: {}", table.stderr);
        assert!(
            table.stderr.contains(sentence),
            "{args:?}: {:?}",
            table.stderr
        );
        assert_eq!(table.stdout.lines().count(), 1, "only the header: {args:?}");

        let json_args: Vec<&str> = args.iter().copied().chain(["--output", "json"]).collect();
        let json = run(&server, &server.admin, &json_args).await;
        assert_eq!(json.status, 0, "{}", json.stderr);
        assert_eq!(json.stdout.trim(), "[]", "{args:?}");
        assert!(!json.stderr.contains(sentence), "{args:?}: {}", json.stderr);
    }
}

#[tokio::test]
async fn audit_details_name_the_role_before_its_id() {
    let server = TestServer::start().await;
    let key = server.key_with_roles("ERP orders", &[]).await;
    let app_key = key.creds.app_key.as_str();
    let viewer = server.role_id("API Keys Viewer");
    for args in [
        ["keys", "roles", app_key, "--add", "API Keys Viewer"],
        ["keys", "roles", app_key, "--remove", "API Keys Viewer"],
    ] {
        let done = run(&server, &server.admin, &args).await;
        assert_eq!(done.status, 0, "{}", done.stderr);
    }
    let audit = run(&server, &server.admin, &["audit", "--key", app_key]).await;
    let out = &audit.stdout;
    assert!(
        out.contains(&format!("added API Keys Viewer (role {viewer})")),
        "{out}"
    );
    assert!(
        out.contains(&format!("removed API Keys Viewer (role {viewer})")),
        "{out}"
    );
}

#[tokio::test]
async fn external_list_help_is_in_the_short_form_like_the_others() {
    let server = TestServer::start().await;
    let help = run(&server, &server.admin, &["external", "list", "--help"]).await;
    assert_eq!(help.status, 0, "{}", help.stderr);
    assert!(
        !help.stdout.contains("see a summary with '-h'"),
        "long help:\n{}",
        help.stdout
    );
    assert!(
        help.stdout
            .contains("[possible values: owner, key, added, status]")
    );
}
