//! A key holding only "Renew API Token" — what a rotation bot holds — renews, finishes and
//! undoes the renewal of another key given its appKey: the CLI (the built binary, credentials
//! in VTEX_APP_KEY / VTEX_APP_TOKEN) and the terminal app (its real loop on a TestBackend),
//! both against a reference server on 127.0.0.1:0. Listing keys needs View API Keys, which
//! the bot lacks, so neither may list first.

mod common;

use apikeys::permissions::Resource;
use common::cli::{self, Run};
use common::tui::{AppOptions, start_on};
use common::{TestKey, TestServer};
use serde_json::Value;

fn expect(run: Run, code: i32, what: &str) -> Run {
    assert_eq!(
        run.status, code,
        "{what}: exited {}\nstdout: {}\nstderr: {}",
        run.status, run.stdout, run.stderr
    );
    run
}

/// The rotation bot: a key whose only role holds Renew API Token, and the key it rotates.
async fn bot_and_target(server: &TestServer) -> (TestKey, TestKey) {
    server.create_role("Rotation bot", &[Resource::RenewApiToken]);
    let bot = server
        .key_with_roles("Rotation bot", &["Rotation bot"])
        .await;
    let target = server.key_with_roles("ERP orders", &[]).await;
    (bot, target)
}

#[tokio::test]
async fn a_renew_only_key_renews_finishes_and_undoes_by_app_key() {
    let server = TestServer::start().await;
    let (bot, target) = bot_and_target(&server).await;
    let app_key = target.creds.app_key.as_str();
    let old_token = target.creds.token.as_str();

    // Renew, keeping the old token: both work.
    let run = cli::run(
        &server,
        &bot.creds,
        &["keys", "renew", app_key, "--output", "json"],
    )
    .await;
    let run = expect(run, 0, "renew by appKey");
    let answer: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(answer["appKey"], app_key);
    assert_eq!(
        answer["id"],
        target.id.as_str(),
        "the renewal's answer names the key"
    );
    assert_eq!(answer["keyName"], "ERP orders");
    let first_new = answer["appToken"].as_str().unwrap().to_string();
    assert!(server.renewal_pending(app_key).await);
    assert!(server.login_works(app_key, old_token).await);
    assert!(server.login_works(app_key, &first_new).await);

    // Finish: the old token is gone.
    let run = cli::run(&server, &bot.creds, &["keys", "finish-renewal", app_key]).await;
    let run = expect(run, 0, "finish-renewal by appKey");
    assert!(run.stderr.contains(app_key), "{}", run.stderr);
    assert!(!server.renewal_pending(app_key).await);
    assert!(!server.login_works(app_key, old_token).await);
    assert!(server.login_works(app_key, &first_new).await);

    // Renew again (table output: the token alone on stdout), then undo: the new one is gone.
    let run = cli::run(&server, &bot.creds, &["keys", "renew", app_key]).await;
    let run = expect(run, 0, "second renew");
    let second_new = run.stdout.trim().to_string();
    assert!(run.stderr.contains("ERP orders"), "{}", run.stderr);
    assert!(server.login_works(app_key, &second_new).await);
    let run = cli::run(&server, &bot.creds, &["keys", "undo-renewal", app_key]).await;
    expect(run, 0, "undo-renewal by appKey");
    assert!(!server.renewal_pending(app_key).await);
    assert!(!server.login_works(app_key, &second_new).await);
    assert!(server.login_works(app_key, &first_new).await);

    // By label the listing is needed, which the bot may not see: the refusal says what works.
    let run = cli::run(&server, &bot.creds, &["keys", "renew", "ERP orders"]).await;
    let run = expect(run, 1, "renew by label");
    assert!(run.stderr.contains("View API Keys"), "{}", run.stderr);
    assert!(run.stderr.contains("appKey"), "{}", run.stderr);
    assert!(!server.renewal_pending(app_key).await);
}

#[tokio::test]
async fn the_app_of_a_renew_only_key_renews_a_key_typed_by_its_app_key() {
    let server = TestServer::start().await;
    let (bot, target) = bot_and_target(&server).await;
    let app_key = target.creds.app_key.as_str();
    let mut app = start_on(&server, &bot.creds, AppOptions::default());

    // The pane says what is wrong and what still works; the key bar and help offer it.
    let frame = app
        .wait_for("the pane of a key that may not list keys", |f| {
            !f.busy && f.screen.contains("may not view keys")
        })
        .await;
    assert!(frame.screen.contains("View API Keys"), "{}", frame.screen);
    assert!(frame.screen.contains("renew by appKey"), "{}", frame.screen);
    assert!(
        !frame.screen.contains("forbidden (403)"),
        "no raw 403 on the status line: the pane says it\n{}",
        frame.screen
    );
    app.send("?");
    app.wait_for("help with the binding", |f| {
        f.dialog.as_deref() == Some("Help") && f.screen.contains("typing its appKey")
    })
    .await;
    app.send("<Esc>");

    // A malformed key and the caller's own key are refused in the prompt.
    app.send("r");
    app.wait_for("the appKey prompt", |f| {
        f.dialog.as_deref() == Some("RenewByKey")
    })
    .await;
    app.send("not-a-key<Enter>");
    app.wait_for("the format error", |f| {
        f.screen.contains("Expected an appKey")
    })
    .await;
    app.send("<Esc>r");
    app.paste(&bot.creds.app_key);
    app.send("<Enter>");
    app.wait_for("the own-key error", |f| f.screen.contains("signed in with"))
        .await;
    assert!(!server.renewal_pending(&bot.creds.app_key).await);

    // The target's appKey, pasted with stray whitespace: the usual renew dialog, then the token.
    app.send("<Esc>r");
    app.paste(&format!(" {app_key}\n"));
    app.send("<Enter>");
    app.wait_for("the renew dialog", |f| {
        f.dialog.as_deref() == Some("Renew") && f.screen.contains(app_key)
    })
    .await;
    app.send("<Enter>"); // the default keeps the old token until it is deleted
    let frame = app
        .wait_for("the token dialog", |f| f.dialog.as_deref() == Some("Token"))
        .await;
    assert!(frame.screen.contains("Token renewed"), "{}", frame.screen);
    assert!(frame.screen.contains("ERP orders"), "{}", frame.screen);
    assert!(
        server.renewal_pending(app_key).await,
        "the server shows the renewal"
    );
    assert!(server.login_works(app_key, &target.creds.token).await);
    app.send("<Esc>y"); // never revealed nor copied: closing asks once
    app.wait_for("the pane again", |f| {
        f.dialog.is_none() && !f.busy && f.screen.contains("may not view keys")
    })
    .await;
    app.quit().await;
}
