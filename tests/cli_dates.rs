//! Every date the CLI writes as JSON or CSV is RFC 3339 in UTC with `Z`
//! ("2026-03-01T17:05:09Z", with the server's fraction of a second when it has one), in every
//! command that prints dates. Tables may show dates as people read them.

mod common;

use common::TestServer;
use common::cli::run;
use serde_json::Value;

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`
fn is_rfc3339_utc(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| range.into_iter().all(|i| b[i].is_ascii_digit());
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    let rest = &text[19.min(text.len())..];
    let zone_ok = rest == "Z"
        || rest
            .strip_prefix('.')
            .and_then(|r| r.strip_suffix('Z'))
            .is_some_and(|fraction| {
                !fraction.is_empty() && fraction.bytes().all(|c| c.is_ascii_digit())
            });
    shape && zone_ok
}

/// Text that starts like a date ("2026-03-01…") is taken for one.
fn looks_like_a_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
}

/// The fields the API names dates with.
const DATE_FIELDS: &[&str] = &[
    "createdIn",
    "creationDateToken",
    "creationDateNewToken",
    "addedOn",
    "at",
];

/// Every date in a JSON value, checked; returns how many were seen.
fn check_json(value: &Value, context: &str) -> usize {
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(name, field)| {
                if DATE_FIELDS.contains(&name.as_str()) && !field.is_null() {
                    let text = field.as_str().unwrap_or_default();
                    assert!(is_rfc3339_utc(text), "{context}: {name} = {field}");
                    1
                } else {
                    check_json(field, context)
                }
            })
            .sum(),
        Value::Array(items) => items.iter().map(|item| check_json(item, context)).sum(),
        Value::String(text) if looks_like_a_date(text) => {
            assert!(is_rfc3339_utc(text), "{context}: {text:?}");
            1
        }
        _ => 0,
    }
}

/// Every date-like cell of one or more CSV sections (separated by a blank line), checked.
fn check_csv(text: &str, context: &str) -> usize {
    let mut seen = 0;
    for section in text.split("\n\n") {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(section.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                if looks_like_a_date(cell) {
                    assert!(is_rfc3339_utc(cell), "{context}: {cell:?}");
                    seen += 1;
                }
            }
        }
    }
    seen
}

async fn check_both(server: &TestServer, args: &[&str]) {
    for format in ["json", "csv"] {
        let mut full: Vec<&str> = args.to_vec();
        full.extend(["--output", format]);
        let out = run(server, &server.admin, &full).await;
        let context = full.join(" ");
        assert_eq!(out.status, 0, "{context}: {}", out.stderr);
        let seen = if format == "json" {
            check_json(&serde_json::from_str(&out.stdout).expect("JSON"), &context)
        } else {
            check_csv(&out.stdout, &context)
        };
        assert!(
            seen > 0,
            "{context} printed no date at all:\n{}",
            out.stdout
        );
    }
}

#[test]
fn the_pattern_is_strict() {
    assert!(is_rfc3339_utc("2026-03-01T17:05:09Z"));
    assert!(is_rfc3339_utc("2018-07-04T14:09:08.2718405Z"));
    assert!(!is_rfc3339_utc("2026-03-01T17:05:09+00:00"));
    assert!(!is_rfc3339_utc("2026-03-01 17:05:09"));
    assert!(!is_rfc3339_utc("2026-03-01T17:05:09.Z"));
    assert!(!is_rfc3339_utc("2026-03-01"));
}

#[tokio::test]
async fn listings_and_the_audit_trail_write_rfc3339_utc_dates() {
    let server = TestServer::start_with(true).await;
    check_both(&server, &["keys", "list"]).await;
    check_both(&server, &["external", "list"]).await;
    check_both(&server, &["audit", "--limit", "20"]).await;
}

#[tokio::test]
async fn keys_show_and_create_write_rfc3339_utc_dates() {
    let server = TestServer::start_with(true).await;
    let pending = run(
        &server,
        &server.admin,
        &["keys", "list", "--status", "pending", "--output", "json"],
    )
    .await;
    let keys: Vec<Value> = serde_json::from_str(&pending.stdout).unwrap();
    let app_key = keys[0]["appKey"].as_str().unwrap().to_string();
    check_both(&server, &["keys", "show", &app_key]).await;

    let created = run(
        &server,
        &server.admin,
        &["keys", "create", "--label", "dated", "--output", "json"],
    )
    .await;
    assert_eq!(created.status, 0, "{}", created.stderr);
    let value: Value = serde_json::from_str(&created.stdout).unwrap();
    assert_eq!(check_json(&value, "keys create --output json"), 1);
}
