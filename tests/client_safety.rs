//! The client keeps the token safe and its resources bounded (issue 8, items 1 to 4): no
//! credentials across origins, no cleartext to another machine, capped answers, one deadline.
//! Each runs the built binary against a tiny HTTP server on 127.0.0.1.

mod common;
#[path = "support/raw_http.rs"]
mod raw_http;

use std::time::Duration;

use apikeys::tui::action::{Action, Call, Outcome};
use apikeys::vtex::{ClientOptions, Credentials, VtexClient};

use raw_http::{RawServer, Reply, Seen, cli};

/// What an apikeys server with no extensions answers: 404 on the session, no keys.
fn plain_vtex(seen: &Seen) -> Reply {
    if seen.target.ends_with("/api/vlm/session") {
        Reply::json(404, r#"{"Message": "Not found"}"#)
    } else {
        Reply::json(200, "[]")
    }
}

// ---- 1. redirects -----------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_to_another_port_is_not_followed_and_names_the_target() {
    let home = tempfile::tempdir().unwrap();
    let other = RawServer::start(plain_vtex).await;
    let target = other.url();
    let first =
        RawServer::start(move |seen: &Seen| Reply::redirect(&format!("{target}{}", seen.target)))
            .await;

    let run = cli(
        home.path(),
        &[],
        &["--base-url", &first.url(), "keys", "list"],
    )
    .await;

    assert!(
        other.seen().iter().all(|seen| !seen.has_credentials()),
        "the other origin received the credentials: {:?}",
        other.seen().iter().map(Seen::summary).collect::<Vec<_>>()
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains(&other.url()), "{}", run.stderr);
    assert!(run.stderr.contains("not sent"), "{}", run.stderr);
    assert!(!first.seen().is_empty(), "the first server was asked");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_from_127_0_0_1_to_localhost_is_another_origin() {
    let home = tempfile::tempdir().unwrap();
    // The same listener answers both names: a request under "localhost" is a followed hop.
    let server = RawServer::start(|seen: &Seen| {
        if seen
            .header("Host")
            .is_some_and(|host| host.starts_with("localhost"))
        {
            plain_vtex(seen)
        } else {
            let port = seen
                .header("Host")
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .to_string();
            Reply::redirect(&format!("http://localhost:{port}{}", seen.target))
        }
    })
    .await;

    let run = cli(
        home.path(),
        &[],
        &["--base-url", &server.url(), "keys", "list"],
    )
    .await;

    let followed: Vec<Seen> = server
        .seen()
        .into_iter()
        .filter(|seen| {
            seen.header("Host")
                .is_some_and(|h| h.starts_with("localhost"))
        })
        .collect();
    assert!(
        followed.iter().all(|seen| !seen.has_credentials()),
        "localhost received the credentials: {:?}",
        followed.iter().map(Seen::summary).collect::<Vec<_>>()
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("http://localhost:{}", server.port)),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_same_origin_redirect_is_followed_with_the_credentials() {
    let home = tempfile::tempdir().unwrap();
    let server = RawServer::start(|seen: &Seen| match seen.target.strip_prefix("/old") {
        Some(rest) => Reply::redirect(&format!("/new{rest}")),
        None => plain_vtex(seen),
    })
    .await;
    let base = format!("{}/old", server.url());

    let run = cli(
        home.path(),
        &[],
        &["--base-url", &base, "keys", "list", "--output", "json"],
    )
    .await;

    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "[]");
    let moved: Vec<Seen> = server
        .seen()
        .into_iter()
        .filter(|seen| seen.target.starts_with("/new/"))
        .collect();
    assert!(!moved.is_empty() && moved.iter().all(Seen::has_credentials));
}

// ---- 2. plain http to another machine ----------------------------------------------------

/// A name under .invalid, reached only through a proxy on 127.0.0.1 (HTTP_PROXY): a client
/// that sends the request anyway reaches the proxy, never the network, never DNS.
const REMOTE_HTTP: &str = "http://apikeys-test.invalid";

fn write_config(home: &std::path::Path, text: &str) {
    let dir = home.join("config/apikeys");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_to_another_machine_is_a_usage_error_before_any_request() {
    let home = tempfile::tempdir().unwrap();
    let proxy = RawServer::start(plain_vtex).await;
    let proxy_url = proxy.url();
    let env = [("HTTP_PROXY", proxy_url.as_str())];

    let run = cli(
        home.path(),
        &env,
        &["--base-url", REMOTE_HTTP, "keys", "list"],
    )
    .await;
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("https://"), "{}", run.stderr);
    assert!(run.stderr.contains("--base-url"), "{}", run.stderr);

    write_config(
        home.path(),
        &format!("[profiles.proxy]\nbase_url = \"{REMOTE_HTTP}\"\n"),
    );
    let run = cli(home.path(), &env, &["keys", "list"]).await;
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("insecure_http = true"),
        "{}",
        run.stderr
    );

    assert!(
        proxy.seen().is_empty(),
        "a request was sent: {:?}",
        proxy.seen()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_may_allow_plain_http_to_a_private_proxy_and_is_warned() {
    let home = tempfile::tempdir().unwrap();
    let proxy = RawServer::start(plain_vtex).await;
    let proxy_url = proxy.url();
    write_config(
        home.path(),
        &format!("[profiles.proxy]\nbase_url = \"{REMOTE_HTTP}\"\ninsecure_http = true\n"),
    );

    let run = cli(
        home.path(),
        &[("HTTP_PROXY", &proxy_url)],
        &["keys", "list", "--output", "json"],
    )
    .await;

    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "[]");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("plain http"), "{}", run.stderr);
    let listing = format!("{REMOTE_HTTP}/api/vlm/appkeys");
    assert!(proxy.seen().iter().any(|s| s.target.starts_with(&listing)));
}

#[test]
fn the_header_marks_an_insecure_http_profile() {
    use apikeys::tui::state::{Header, State};
    let screen = |insecure_http: bool| {
        let header = Header {
            account: "acme".into(),
            profile: "proxy".into(),
            caller_key: raw_http::APP_KEY.into(),
            insecure_http,
            ..Header::default()
        };
        let state = State::new(header, chrono::Utc::now(), false, Duration::from_secs(60));
        let backend = ratatui::backend::TestBackend::new(100, 20);
        let mut terminal = ratatui::Terminal::new(backend).unwrap();
        terminal
            .draw(|frame| apikeys::tui::view::render(&state, frame))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..buffer.area.width)
            .map(|x| buffer[(x, 0)].symbol().to_string())
            .collect::<String>()
    };
    assert!(screen(true).contains("insecure http"), "{}", screen(true));
    assert!(!screen(false).contains("insecure"), "{}", screen(false));
}

// ---- 3. bounded answers ------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_answer_stops_at_64_mib_with_a_sentence() {
    let home = tempfile::tempdir().unwrap();
    let server = RawServer::start(|_: &Seen| Reply::Endless).await;

    // The timeout only bounds the old behaviour (reading until it) on a failure of this test.
    let run = cli(
        home.path(),
        &[],
        &[
            "--base-url",
            &server.url(),
            "--timeout",
            "8",
            "keys",
            "list",
        ],
    )
    .await;

    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("larger than 64 MiB"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_declared_oversized_answer_is_refused_without_reading_it() {
    let home = tempfile::tempdir().unwrap();
    let server = RawServer::start(|_: &Seen| Reply::Declared(200 * 1024 * 1024)).await;

    let run = cli(
        home.path(),
        &[],
        &[
            "--base-url",
            &server.url(),
            "--timeout",
            "30",
            "keys",
            "list",
        ],
    )
    .await;

    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("larger than 64 MiB"), "{}", run.stderr);
    // Refused on the header: nothing is waited for (the body never comes).
    assert!(run.took < Duration::from_secs(20), "{:?}", run.took);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_terminal_app_gets_the_same_answer_limit() {
    let server = RawServer::start(|_: &Seen| Reply::Endless).await;
    let creds = common::Creds {
        app_key: raw_http::APP_KEY.into(),
        token: raw_http::FAKE_TOKEN.into(),
    };
    let mut app = common::tui::start(&server.url(), &creds, Default::default());
    let frame = app
        .wait_for("the limit error", |f| f.says("larger than"))
        .await;
    assert!(!frame.screen.contains(raw_http::FAKE_TOKEN));
    app.quit().await;
}

// ---- 4. --timeout is the deadline of the whole command -----------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn timeout_covers_the_retries_of_a_slow_503() {
    let home = tempfile::tempdir().unwrap();
    let server = RawServer::start(|_: &Seen| {
        Reply::json(503, r#"{"Message": "busy"}"#).after(Duration::from_millis(600))
    })
    .await;

    let run = cli(
        home.path(),
        &[],
        &[
            "--base-url",
            &server.url(),
            "--timeout",
            "1",
            "keys",
            "list",
        ],
    )
    .await;

    assert_eq!(run.code, Some(1), "{}", run.stderr);
    // Four attempts of 0.6 s and their pauses take over 3 s; the deadline is 1 s.
    assert!(
        run.took < Duration::from_millis(2500),
        "took {:?}",
        run.took
    );
}

/// A server that answers everything right, 600 ms late: one call fits in a second, two do not.
async fn slow_server() -> RawServer {
    RawServer::start(|seen: &Seen| plain_vtex(seen).after(Duration::from_millis(600))).await
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_covers_every_call_of_a_command() {
    let home = tempfile::tempdir().unwrap();
    let server = slow_server().await;
    let list = |timeout: &'static str| {
        let base = server.url();
        let home = home.path().to_path_buf();
        async move {
            cli(
                &home,
                &[],
                &["--base-url", &base, "--timeout", timeout, "keys", "list"],
            )
            .await
        }
    };

    // Two calls (session, listing): 1.2 s.
    let run = list("10").await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let run = list("1").await;
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("within 1s"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_terminal_app_action_has_one_deadline() {
    let server = slow_server().await;
    let options = ClientOptions {
        timeout: Duration::from_secs(1),
        ..ClientOptions::default()
    };
    let credentials = Credentials {
        app_key: raw_http::APP_KEY.into(),
        app_token: raw_http::FAKE_TOKEN.to_string().into(),
    };
    let client = VtexClient::new(server.url().parse().unwrap(), credentials, options).unwrap();
    let mut tasks = apikeys::tui::runner::Tasks::default();

    // Listing keys is two calls here (session, then the listing).
    tasks.spawn(&client, 7, Call::ListKeys);

    match tasks.next().await {
        Some(Action::Api {
            id: 7,
            outcome: Outcome::Keys(Err(failure)),
        }) => assert!(failure.message.contains("within 1s"), "{}", failure.message),
        other => panic!("expected a timed-out listing, got {other:?}"),
    }
}
