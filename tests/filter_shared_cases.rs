//! One filter, two ways in: each case runs through the CLI's `--filter` (the built binary against
//! the reference server) and through the app's `/` (its real loop against the same server), and
//! both must keep the same keys in the same order — the ones the case names.

mod common;

use apikeys::permissions::Resource;
use common::TestServer;
use common::cli::run;
use common::tui::{AppOptions, start_on};

const LABELS: [&str; 7] = [
    "Integração ERP – filial São Paulo",
    "Integracao ERP legado Rio",
    "Conector logística Curitiba",
    "Sincronización de inventario – sucursal Peñalolén",
    "ERP legacy bridge São Paulo",
    "Marketplace Mercado Livre – pedidos",
    // Decomposed: c + combining cedilla, a + combining tilde.
    "Integrac\u{0327}a\u{0303}o decomposta Campinas",
];

/// Query, then the indices into LABELS it keeps, in the app's default order (by name).
const CASES: &[(&str, &[usize])] = &[
    // Folded, "integracao decomposta" < "integracao erp - filial" < "integracao erp legado".
    ("integracao", &[6, 0, 1]),
    ("INTEGRAÇÃO", &[6, 0, 1]),
    ("Integrac\u{0327}a\u{0303}o", &[6, 0, 1]),
    ("sao paulo", &[4, 0]),
    ("erp paulo", &[4, 0]),
    ("erp paulo !legacy", &[0]),
    ("\"sao paulo\"", &[4, 0]),
    ("\"paulo sao\"", &[]),
    ("peñalolén", &[3]),
    ("sincronizacion penalolen", &[3]),
    ("integracao !erp", &[6]),
    // A role's name is searched too: "Logística operações".
    ("operacoes", &[2]),
    ("-f mercliv", &[5]),
    ("-f sincinv", &[3]),
];

async fn seeded() -> TestServer {
    let server = TestServer::start().await;
    server.create_role("Logística operações", &[Resource::ViewApiKeys]);
    for (n, label) in LABELS.iter().enumerate() {
        let roles: &[&str] = if n == 2 {
            &["Logística operações"]
        } else {
            &[]
        };
        server.key_with_roles(label, roles).await;
    }
    server
}

async fn cli_labels(server: &TestServer, query: &str) -> Vec<String> {
    let args = ["keys", "list", "--filter", query, "--output", "json"];
    let out = run(server, &server.admin, &args).await;
    assert_eq!(out.status, 0, "{query:?}: {}", out.stderr);
    let keys: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    keys.as_array()
        .unwrap()
        .iter()
        .map(|k| k["label"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_cli_and_the_app_keep_the_same_keys_for_every_case() {
    let server = seeded().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_idle_with(LABELS[5]).await;
    for (query, expected) in CASES {
        let expected: Vec<String> = expected.iter().map(|&i| LABELS[i].to_string()).collect();
        let from_cli = cli_labels(&server, query).await;
        assert_eq!(from_cli, expected, "the CLI's --filter {query:?}");
        app.send("/");
        app.paste(query);
        app.send("<Enter>");
        let frame = app.wait_for(query, |f| f.visible_labels == expected).await;
        assert_eq!(frame.visible_labels, from_cli, "the app's / {query:?}");
        app.send("/<Esc>");
        app.wait_for("the filter cleared", |f| f.visible_rows == LABELS.len() + 1)
            .await;
    }
    app.quit().await;
}

#[tokio::test]
async fn external_keys_are_filtered_alike_by_owner_account_and_role() {
    let server = seeded().await;
    let partner = server.other_account("logisticapartner").app_key;
    let agency = server.other_account("agenciadois").app_key;
    let add = |app_key: String, role: Option<&'static str>| {
        let server = &server;
        async move {
            let mut args = vec!["external".to_string(), "add".into(), app_key];
            if let Some(role) = role {
                args.extend(["--role".into(), role.into()]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let added = run(server, &server.admin, &args).await;
            assert_eq!(added.status, 0, "{}", added.stderr);
        }
    };
    add(partner.clone(), Some("Logística operações")).await;
    add(agency.clone(), None).await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_idle_with(LABELS[5]).await;
    app.send("3");
    app.wait_for("both external keys", |f| f.visible_external.len() == 2)
        .await;
    for (query, expected) in [
        ("OPERAÇÕES", vec![partner.clone()]),
        ("agencia", vec![agency.clone()]),
        ("!logistica", vec![agency.clone()]),
    ] {
        let args = ["external", "list", "--filter", query, "--output", "json"];
        let out = run(&server, &server.admin, &args).await;
        assert_eq!(out.status, 0, "{}", out.stderr);
        let listed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let from_cli: Vec<String> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["appKey"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(from_cli, expected, "external list --filter {query:?}");
        app.send("/");
        app.paste(query);
        app.send("<Enter>");
        app.wait_for(query, |f| f.visible_external == expected)
            .await;
        app.send("/<Esc>");
        app.wait_for("the filter cleared", |f| f.visible_external.len() == 2)
            .await;
    }
    // Fuzzy: a loose pattern can match both (letters anywhere in order), the tighter first.
    let args = [
        "external",
        "list",
        "--filter",
        "-f agdois",
        "--output",
        "json",
    ];
    let out = run(&server, &server.admin, &args).await;
    let listed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(listed[0]["appKey"], agency.as_str(), "{listed}");
    app.send("/");
    app.paste("-f agdois");
    app.send("<Enter>");
    let frame = app
        .wait_for("the fuzzy answer", |f| {
            f.screen.contains("/ -f agdois") && f.visible_external.first() == Some(&agency)
        })
        .await;
    assert_eq!(
        frame.visible_external.len(),
        listed.as_array().unwrap().len()
    );
    app.quit().await;
}

#[tokio::test]
async fn a_selected_row_the_filter_leaves_out_gives_way_to_the_first_match() {
    let server = seeded().await;
    let mut app = start_on(&server, &server.admin, AppOptions::default());
    app.wait_idle_with(LABELS[5]).await;
    // The last row by name holds no "integracao".
    app.send("G");
    let last = app
        .wait_for("the last row", |f| {
            f.selected_label.is_some() && f.selected_label.as_ref() == f.visible_labels.last()
        })
        .await;
    assert!(
        !last
            .selected_label
            .unwrap()
            .to_lowercase()
            .contains("integra")
    );
    app.send("/");
    app.paste("integracao");
    let frame = app
        .wait_for("the answer", |f| f.visible_labels.len() == 3)
        .await;
    assert_eq!(
        frame.selected_label.as_deref(),
        Some(LABELS[6]),
        "{}",
        frame.screen
    );
    app.send("<Enter>");
    app.quit().await;
}
