//! The app's export (`E`, `:export [FORMAT] [PATH]`) through its real loop against the
//! reference server: the marked rows, else what the filter shows, go to the file; the status
//! line says where; files are 0600 and never written over; against VTEX's public API the
//! roles the list had not fetched yet are fetched for the file.

mod common;
#[path = "support/export_run.rs"]
mod export_run;

use std::path::Path;

use common::TestServer;
use common::tui::{App, AppOptions, start_on};
use export_run::{mode, sheets, text};
use reqwest::Method;

fn csv_labels(path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let label = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "label")
        .unwrap();
    reader
        .records()
        .map(|record| record.unwrap()[label].to_string())
        .collect()
}

async fn said(app: &mut App, text: &str) {
    app.wait_for(text, |frame| frame.says(text)).await;
}

#[tokio::test]
async fn the_marked_rows_else_those_the_filter_shows_are_exported() {
    let server = TestServer::start().await;
    for label in ["Alpha one", "Alpha two", "Beta"] {
        server.key_with_roles(label, &["Catalog editor"]).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.send("2");
    app.wait_idle_with("Beta").await;

    app.send("/alpha<Enter>");
    app.wait_for("the filter", |f| f.visible_rows == 2).await;
    let shown = dir.path().join("shown.csv");
    app.send(&format!(":export csv {}<Enter>", shown.display()));
    said(
        &mut app,
        &format!("Exported 2 keys to {}.", shown.display()),
    )
    .await;
    assert_eq!(csv_labels(&shown), ["Alpha one", "Alpha two"]);
    assert_eq!(mode(&shown), 0o600);

    // Marks win over the filter; a file that exists is never written over.
    app.send("<Space>");
    app.wait_for("a mark", |f| f.marked_labels.len() == 1).await;
    app.send(&format!(":export csv {}<Enter>", shown.display()));
    said(&mut app, "already exists").await;
    assert_eq!(csv_labels(&shown), ["Alpha one", "Alpha two"], "untouched");
    let marked = dir.path().join("marked.xlsx");
    app.send(&format!(":export {}<Enter>", marked.display()));
    said(&mut app, "Exported 1 key to").await;
    let sheets = sheets(&marked);
    assert_eq!(sheets.len(), 1, "the Generated keys pane's sheet only");
    assert_eq!(sheets[0].0, "Generated keys");
    let labels: Vec<String> = sheets[0].1[1..].iter().map(|row| text(&row[3])).collect();
    assert_eq!(labels, ["Alpha one"]);
    app.quit().await;
}

#[tokio::test]
async fn e_writes_the_pane_to_the_default_name_in_the_current_directory() {
    let server = TestServer::start().await;
    server.key_with_roles("Gamma", &[]).await;
    let catalog = server.role_id("Catalog editor");
    server
        .admin_call(
            Method::POST,
            "/api/vlm/external-appkeys",
            Some(serde_json::json!({"appKey": "vtexappkey-partner-ABCDEF", "roles": [catalog]})),
        )
        .await;
    let dir = tempfile::tempdir().unwrap();
    // The only test of this binary that leaves the crate's directory (the others give
    // absolute paths).
    std::env::set_current_dir(dir.path()).unwrap();
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.send("2");
    app.wait_idle_with("Gamma").await;
    let rows = app.frames.borrow().visible_rows;
    app.send("E");
    said(&mut app, &format!("Exported {rows} keys to")).await;
    app.send("3");
    app.wait_idle_with("vtexappkey-partner-ABCDEF").await;
    app.send("E");
    said(&mut app, "Exported 1 key to").await;
    app.quit().await;

    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let generated = dir.path().join(format!("apikeys-acme-{today}.xlsx"));
    let external = dir.path().join(format!("apikeys-acme-{today}-2.xlsx"));
    let generated = sheets(&generated);
    assert_eq!(generated[0].0, "Generated keys");
    assert_eq!(generated[0].1.len(), rows + 1);
    let external_sheets = sheets(&external);
    assert_eq!(external_sheets.len(), 1);
    assert_eq!(external_sheets[0].0, "External keys");
    assert_eq!(
        text(&external_sheets[0].1[1][1]),
        "vtexappkey-partner-ABCDEF"
    );
    assert_eq!(text(&external_sheets[0].1[1][2]), "Catalog editor");
    assert_eq!(
        mode(&dir.path().join(format!("apikeys-acme-{today}-2.xlsx"))),
        0o600
    );
}

#[tokio::test]
async fn against_the_public_api_the_roles_not_yet_fetched_are_fetched_for_the_file() {
    let server = TestServer::start_public_only().await;
    let listed = server
        .admin_call(Method::GET, "/api/vlm/appkeys", None)
        .await;
    let listed = listed.body.as_array().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    // A short terminal: most rows are never drawn, so their roles were never asked for.
    let options = AppOptions {
        height: 16,
        ..AppOptions::default()
    };
    let mut app = start_on(&server, &server.admin, options);
    app.send("2");
    app.wait_for("the keys", |f| f.visible_rows == listed.len() && !f.busy)
        .await;
    let path = dir.path().join("all.csv");
    app.send(&format!(":export {}<Enter>", path.display()));
    said(&mut app, &format!("Exported {} keys to", listed.len())).await;
    app.quit().await;

    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut exported = std::collections::HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        exported.insert(record[0].to_string(), record[2].to_string());
    }
    assert_eq!(exported.len(), listed.len());
    for key in &listed {
        let id = key["id"].as_str().unwrap();
        let roles = server
            .admin_call(
                Method::GET,
                &format!("/api/license-manager/users/{id}/roles"),
                None,
            )
            .await;
        let names: Vec<&str> = roles
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|role| role["name"].as_str().unwrap())
            .collect();
        assert_eq!(exported[id], names.join("; "), "{}", key["label"]);
    }
}
