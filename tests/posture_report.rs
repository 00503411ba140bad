//! `apikeys report` as a user runs it: the built binary against the reference server on
//! 127.0.0.1, on the demo seed. The counts each finding must reach are computed here from
//! assets/demo-seed.json (and the bootstrap admin key every account starts with), not copied
//! from the output.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, Utc};
use serde_json::Value;

use apikeys::listing::{TokenAge, token_age};
use common::{TestServer, cli};

/// The key every account starts with: its role holds all four API-key permissions.
const ADMIN_LABEL: &str = "apikeys admin (created on first start)";

/// Roles of the bootstrap that make a key powerful: an admin role, or all four permissions.
const POWERFUL_ROLES: [&str; 2] = ["Owner (Admin Super)", "User Administrator - RESTRICTED"];

fn seed() -> Value {
    serde_json::from_str(include_str!("../assets/demo-seed.json")).unwrap()
}

fn days(key: &Value, field: &str) -> Option<i64> {
    key[field].as_i64()
}

fn label(key: &Value) -> String {
    key["label"].as_str().unwrap().to_string()
}

/// What each finding must list, by label (external keys by owner account), from the seed.
struct Expected {
    findings: BTreeMap<&'static str, BTreeSet<String>>,
    /// Tokens whose class depends on the seed's time of day (up to 10 h earlier): either.
    either_age: BTreeSet<String>,
}

fn expected() -> Expected {
    let seed = seed();
    let keys = seed["keys"].as_array().unwrap();
    let now = Utc::now();
    let mut findings: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let mut put = |id: &'static str, name: String| {
        findings.entry(id).or_default().insert(name);
    };
    let mut either_age = BTreeSet::new();
    put("admin-or-all-permissions", ADMIN_LABEL.to_string());
    let mut by_label: BTreeMap<String, usize> = BTreeMap::new();
    for key in keys {
        let name = label(key);
        let token = days(key, "tokenAgeDays").unwrap();
        let class = |extra_hours| {
            token_age(
                now - Duration::days(token) - Duration::hours(extra_hours),
                3,
                now,
            )
        };
        match (class(0), class(10)) {
            (a, b) if a != b => {
                either_age.insert(name.clone());
            }
            (TokenAge::Outdated, _) => put("token-outdated", name.clone()),
            (TokenAge::LongOutdated, _) => put("token-long-outdated", name.clone()),
            (TokenAge::Fresh, _) => {}
        }
        if days(key, "pendingRenewalDaysAgo").is_some_and(|d| d > 7) {
            put("renewal-pending", name.clone());
        }
        let roles: Vec<&str> = key["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        if roles.iter().any(|r| POWERFUL_ROLES.contains(r)) {
            put("admin-or-all-permissions", name.clone());
        }
        if roles.is_empty() {
            put("no-role", name.clone());
        }
        // Nothing in the trail about seeded keys: their dates are their last sign of life.
        let last = [
            days(key, "createdDaysAgo"),
            Some(token),
            days(key, "pendingRenewalDaysAgo"),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap();
        if !key["isActive"].as_bool().unwrap() && last > 90 {
            put("inactive", name.clone());
        }
        *by_label.entry(name.trim().to_lowercase()).or_default() += 1;
    }
    for key in keys {
        if by_label[&label(key).trim().to_lowercase()] > 1 {
            put("shared-label", label(key));
        }
    }
    for ext in seed["externalKeys"].as_array().unwrap() {
        let account = ext["account"].as_str().unwrap().to_string();
        let roles = ext["roles"].as_array().unwrap();
        if roles
            .iter()
            .any(|r| POWERFUL_ROLES.contains(&r.as_str().unwrap()))
        {
            put("external-admin", account.clone());
        }
        if !ext["isActive"].as_bool().unwrap() {
            put("external-inactive", account);
        }
    }
    Expected {
        findings,
        either_age,
    }
}

fn listed(report: &Value, id: &str) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .flat_map(|f| f["keys"].as_array().unwrap().iter())
        .map(|k| k["label"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_on_the_demo_seed_finds_what_the_seed_holds() {
    let server = TestServer::start_with(true).await;
    let run = cli::run(&server, &server.admin, &["report", "--output", "json"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("a JSON report");
    let expected = expected();
    // The seed does hold each of these: a report that found nothing would not pass.
    for id in [
        "token-outdated",
        "token-long-outdated",
        "renewal-pending",
        "no-role",
        "inactive",
    ] {
        assert!(!expected.findings[id].is_empty(), "the seed has {id}");
    }
    for id in [
        "renewal-pending",
        "admin-or-all-permissions",
        "no-role",
        "inactive",
        "shared-label",
        "external-admin",
        "external-inactive",
    ] {
        let want = expected.findings.get(id).cloned().unwrap_or_default();
        assert_eq!(listed(&report, id), want, "finding {id}");
    }
    // Token ages: each definite class exactly, the few at a boundary in one of the two.
    let orange = listed(&report, "token-outdated");
    let red = listed(&report, "token-long-outdated");
    assert!(orange.is_disjoint(&red));
    for (got, id) in [(&orange, "token-outdated"), (&red, "token-long-outdated")] {
        let want = &expected.findings[id];
        assert!(
            got.is_superset(want),
            "{id}: {got:?} lacks some of {want:?}"
        );
        assert!(
            got.difference(want)
                .all(|l| expected.either_age.contains(l)),
            "{id}: {got:?}"
        );
    }
    let old_tokens = expected.findings["token-outdated"].len()
        + expected.findings["token-long-outdated"].len()
        + expected.either_age.len();
    assert_eq!(orange.len() + red.len(), old_tokens);
    // Counts and severities as the issue sets them.
    for finding in report["findings"].as_array().unwrap() {
        assert_eq!(
            finding["count"],
            finding["keys"].as_array().unwrap().len(),
            "{finding}"
        );
        let severity = match finding["id"].as_str().unwrap() {
            "token-long-outdated" | "renewal-pending" => "alert",
            "token-outdated" | "admin-or-all-permissions" | "external-admin" => "warning",
            _ => "info",
        };
        assert_eq!(finding["severity"], severity, "{finding}");
        for field in ["title", "why", "whatToDo", "pane"] {
            assert!(finding[field].is_string(), "{field} in {finding}");
        }
    }
    assert_eq!(report["notComputed"], serde_json::json!([]));
    let (keys, external) = (seed()["keys"].as_array().unwrap().len(), 8);
    assert_eq!(report["keys"], keys + 1);
    assert_eq!(report["externalKeys"], external);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_names_severity_finding_count_and_what_to_do() {
    let server = TestServer::start_with(true).await;
    let run = cli::run(&server, &server.admin, &["report"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let header = run.stdout.lines().next().unwrap();
    for column in ["SEVERITY", "FINDING", "KEYS", "FIRST KEYS", "WHAT TO DO"] {
        assert!(header.contains(column), "{header}");
    }
    let pending = run
        .stdout
        .lines()
        .find(|l| l.contains("Renewals pending too long"))
        .expect("a row for the pending renewal");
    assert!(pending.starts_with("ALERT"), "{pending}");
    assert!(pending.contains("Intelipost freight quotes"), "{pending}");
    assert!(pending.contains("Finish the renewals"), "{pending}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_on_exits_1_only_when_a_finding_reaches_that_severity() {
    // A new account: only its admin key, fresh, holding all four permissions (a warning).
    let server = TestServer::start().await;
    let admin = &server.admin;
    let plain = cli::run(&server, admin, &["report"]).await;
    assert_eq!(plain.status, 0, "{}", plain.stderr);
    let alert = cli::run(&server, admin, &["report", "--fail-on", "alert"]).await;
    assert_eq!(
        alert.status, 0,
        "no alert on a new account: {}",
        alert.stderr
    );
    let warning = cli::run(&server, admin, &["report", "--fail-on", "warning"]).await;
    assert_eq!(warning.status, 1, "{}", warning.stderr);
    assert!(
        warning.stderr.contains("--fail-on warning"),
        "{}",
        warning.stderr
    );
    assert!(
        !warning.stdout.is_empty(),
        "the report is printed before the verdict"
    );
    let demo = TestServer::start_with(true).await;
    let alert = cli::run(&demo, &demo.admin, &["report", "--fail-on", "alert"]).await;
    assert_eq!(alert.status, 1, "{}", alert.stderr);
    assert!(
        alert.stderr.contains("Renewals pending too long"),
        "{}",
        alert.stderr
    );
    let bad = cli::run(&demo, &demo.admin, &["report", "--fail-on", "info"]).await;
    assert_eq!(bad.status, 2, "{}", bad.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thresholds_come_from_the_config_file() {
    let server = TestServer::start_with(true).await;
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/apikeys");
    std::fs::create_dir_all(&dir).unwrap();
    let run = |config: &str| {
        std::fs::write(dir.join("config.toml"), config).unwrap();
        let output = cli::command(
            &server,
            &server.admin,
            home.path(),
            &["report", "--output", "json"],
        )
        .output()
        .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), stdout, stderr)
    };
    let (code, stdout, stderr) = run("[posture]\npending_days = 30\ninactive_days = 1000\n");
    assert_eq!(code, Some(0), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        listed(&report, "renewal-pending").is_empty(),
        "9 days is not past 30"
    );
    assert!(
        listed(&report, "inactive").is_empty(),
        "none is 1000 days quiet"
    );
    let (code, _, _) = run("[posture]\npending_days = 1\n");
    assert_eq!(code, Some(0));
    let (code, _, stderr) = run("[posture]\npending_dayz = 1\n");
    assert_eq!(code, Some(2), "an unknown threshold is refused: {stderr}");
    assert!(stderr.contains("pending_dayz"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn against_vtex_s_public_api_the_report_says_what_it_cannot_compute() {
    let server = TestServer::start_public_only().await;
    let run = cli::run(&server, &server.admin, &["report", "--output", "json"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let missing: BTreeSet<&str> = report["notComputed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    for id in [
        "token-outdated",
        "token-long-outdated",
        "renewal-pending",
        "inactive",
        "external-admin",
        "external-inactive",
    ] {
        assert!(missing.contains(id), "{id} in {missing:?}");
    }
    // Roles are fetched per key, so what needs only roles is still found.
    let expected = expected();
    assert_eq!(listed(&report, "no-role"), expected.findings["no-role"]);
    let table = cli::run(&server, &server.admin, &["report"]).await;
    assert!(
        table
            .stderr
            .contains("Not computed: Tokens past the duration"),
        "{}",
        table.stderr
    );
    assert!(
        table.stderr.contains("VTEX's public API"),
        "{}",
        table.stderr
    );
}
