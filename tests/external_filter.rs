//! `apikeys external list --filter/--status/--sort`: the filter looks at what external keys
//! have (appKey, owner account, role names), and the help offers only statuses and columns
//! external keys have: `--status outdated` is a usage error, not an empty list.

mod common;

use common::TestServer;
use common::cli::run;

async fn two_partners(server: &TestServer) -> (String, String) {
    let catalog = server.other_account("partnerone").app_key;
    let plain = server.other_account("agencytwo").app_key;
    for (app_key, roles) in [
        (&catalog, &["--role", "Catalog editor"][..]),
        (&plain, &[][..]),
    ] {
        let mut args = vec!["external", "add", app_key.as_str()];
        args.extend(roles);
        let added = run(server, &server.admin, &args).await;
        assert_eq!(added.status, 0, "{}", added.stderr);
    }
    (catalog, plain)
}

fn listed(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_filter_matches_role_names_owner_accounts_and_app_keys() {
    let server = TestServer::start().await;
    let (catalog, plain) = two_partners(&server).await;
    let list = |filter: String| {
        let server = &server;
        async move {
            let out = run(
                server,
                &server.admin,
                &["external", "list", "--filter", &filter, "--output", "csv"],
            )
            .await;
            assert_eq!(out.status, 0, "{}", out.stderr);
            listed(&out.stdout)
        }
    };
    assert_eq!(list("CATALOG".into()).await, vec![catalog.clone()]);
    assert_eq!(list("agencytwo".into()).await, vec![plain.clone()]);
    let suffix = catalog.rsplit('-').next().unwrap().to_lowercase();
    assert_eq!(list(suffix).await, vec![catalog.clone()]);
    assert!(list("nothing like it".into()).await.is_empty());
    assert_eq!(list(String::new()).await, [plain, catalog]);
}

#[tokio::test]
async fn statuses_and_sorts_are_those_external_keys_have() {
    let server = TestServer::start().await;
    let (catalog, plain) = two_partners(&server).await;

    let outdated = run(
        &server,
        &server.admin,
        &["external", "list", "--status", "outdated"],
    )
    .await;
    assert_eq!(outdated.status, 2, "a usage error: {}", outdated.stderr);
    assert!(
        outdated.stderr.contains("all, active, inactive"),
        "{}",
        outdated.stderr
    );

    let by_added = run(
        &server,
        &server.admin,
        &[
            "external",
            "list",
            "--sort",
            "added",
            "--reverse",
            "--output",
            "csv",
        ],
    )
    .await;
    assert_eq!(by_added.status, 0, "{}", by_added.stderr);
    assert_eq!(listed(&by_added.stdout), [plain.clone(), catalog.clone()]);
    // The generated keys' spelling still works: scripts written against it keep running.
    let by_name = run(
        &server,
        &server.admin,
        &["external", "list", "--sort", "name", "--output", "csv"],
    )
    .await;
    assert_eq!(by_name.status, 0, "{}", by_name.stderr);
    assert_eq!(listed(&by_name.stdout), [plain, catalog]);

    let help = run(&server, &server.admin, &["external", "list", "--help"]).await;
    assert!(
        help.stdout.contains("appKey, owner account or roles"),
        "{}",
        help.stdout
    );
    assert!(
        !help.stdout.contains("label"),
        "external keys have no label:\n{}",
        help.stdout
    );
    assert!(!help.stdout.contains("token-age"), "{}", help.stdout);
}
