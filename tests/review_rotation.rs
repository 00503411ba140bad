//! Findings of the review of `apikeys rotate` (issue 14), each shown by the built binary
//! against the reference server over 127.0.0.1 with real sink scripts. Every test here failed
//! on the code it was written against; the report names the fix each one calls for.

mod common;
mod pty_app;
#[path = "support/rotation.rs"]
mod rotation;

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use common::Creds;
use common::cli::Run;
use rotation::{World, outcome_of};

/// A label is the server's (anyone who may edit keys sets it). A sink written the way people
/// write shell, with the placeholder in quotes, must still run nothing the label says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_label_in_a_quoted_placeholder_runs_nothing() {
    let world = World::new().await;
    let double = world.home.path().join("dq");
    let single = world.home.path().join("sq");
    let label = format!(
        "x $(touch {}) y;touch {};z",
        double.display(),
        single.display()
    );
    let key = world.key(&label, 0).await;
    let app_key = key.creds.app_key.clone();
    let quoted_twice = r#"cat >/dev/null; echo "{label}" >/dev/null"#;
    let _ = world.rotate(&[&app_key, "--sink", quoted_twice]).await;
    assert!(
        !double.exists(),
        "a label's $(…) ran inside \"{{label}}\": the value was single-quoted inside double quotes"
    );
    let in_single_quotes = r#"cat >/dev/null; echo '{label}' >/dev/null"#;
    let _ = world.rotate(&[&app_key, "--sink", in_single_quotes]).await;
    assert!(
        !single.exists(),
        "a label's `;` ran inside '{{label}}': the quotes cancelled each other"
    );
}

/// "Exit 0 within a timeout": a sink that stores the token, starts something in the
/// background (an agent, a cache warm-up) and exits 0 at once has succeeded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sink_that_exits_0_but_leaves_a_background_child_is_a_success() {
    let world = World::new().await;
    let key = world.key("Starts an agent", 0).await;
    let app_key = key.creds.app_key.clone();
    let sink = format!(
        "cat > {}; (sleep 8 &); exit 0",
        world.store_file(&app_key, "token").display()
    );
    let run = world
        .rotate(&[
            &app_key,
            "--sink",
            &sink,
            "--sink-timeout",
            "3",
            "--output",
            "json",
        ])
        .await;
    let report: Value = serde_json::from_str(&run.stdout).expect("a JSON report");
    let entry = outcome_of(&report, &app_key);
    assert_eq!(
        entry["outcome"], "rotated",
        "the sink exited 0 at once but was judged by its child's stderr: {entry}"
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
}

/// The renewal reached the server but its answer was lost (a dropped connection, a timeout):
/// the server renewed, nobody holds the new token. The journal must keep the key open so the
/// next run takes the renewal back; closing it as "failed: nothing changed" leaves a renewal
/// pending for good, and `keys finish-renewal` on it would delete the only token in use.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_whose_answer_was_lost_is_taken_back_by_the_next_run() {
    let world = World::new().await;
    let key = world.key("Answer lost", 0).await;
    let app_key = key.creds.app_key.clone();
    let proxy = LosingProxy::start(world.server.url(""), true).await;
    let sink = world.sink();
    let first = rotate_via(&world, &proxy.url, &[&app_key, "--sink", &sink]).await;
    assert!(
        proxy.dropped.load(Ordering::SeqCst),
        "the proxy dropped a renewal's answer"
    );
    // (Mended: the run that lost the answer takes the renewal back itself; the next run
    // has nothing left. Either way none may stay pending.)
    assert_eq!(first.status, 1, "{}\n{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("the server had renewed it"),
        "{}",
        first.stdout
    );
    let second = rotate_via(&world, &proxy.url, &["--finish-due", "--output", "json"]).await;
    assert!(
        !world.server.renewal_pending(&app_key).await,
        "a renewal nobody holds the new token of is still pending after the next run.\nfirst \
         run: {}\n{}\nsecond run: {}\n{}\njournal: {}",
        first.stdout,
        first.stderr,
        second.stdout,
        second.stderr,
        world.journal_text()
    );
    assert!(world.server.login_works(&app_key, &key.creds.token).await);
}

/// The journal knows "a rotation of this key is in its grace", not which renewal it made. If
/// that renewal is undone meanwhile and someone renews the key again (their new token not yet
/// deployed), `--finish-due` must not finish a renewal apikeys never verified: that deletes
/// the token the integration still uses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finish_due_finishes_only_the_renewal_it_verified() {
    let world = World::new().await;
    let key = world.key("Grace then hands", 0).await;
    let app_key = key.creds.app_key.clone();
    let sink = world.sink();
    let run = world
        .rotate(&[&app_key, "--sink", &sink, "--grace", "1s"])
        .await;
    assert_eq!(run.status, 0, "{}\n{}", run.stdout, run.stderr);
    let renewal = |action: &str| format!("/api/vtexid/apikey/{app_key}/apitoken/{action}");
    let undo = world
        .server
        .admin_call(reqwest::Method::PATCH, &renewal("undo-renewal"), None)
        .await;
    assert!(undo.status.is_success(), "{}", undo.text);
    let renew = world
        .server
        .admin_call(reqwest::Method::PATCH, &renewal("renew"), None)
        .await;
    assert!(renew.status.is_success(), "{}", renew.text);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let _ = world.rotate(&["--finish-due"]).await;
    assert!(
        world.server.login_works(&app_key, &key.creds.token).await,
        "--finish-due deleted the token in use by finishing someone else's renewal"
    );
}

/// Without a sink the token is shown once and "leaves the screen" after Enter. VTEX tokens are
/// 100 characters: on an 80-column terminal the token and the prompt wrap, and going up two
/// lines does not reach the token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shown_token_leaves_an_80_column_screen() {
    let server = common::TestServer::start().await;
    let key = server.key_with_roles("hand", &[]).await;
    let home = tempfile::tempdir().unwrap();
    let url = server.url("");
    let state = home.path().join("state");
    let args = ["rotate", "--base-url", url.as_str(), &key.creds.app_key];
    let mut pty = pty_app::Pty::spawn_full(
        &args,
        &home.path().join("data"),
        &home.path().join("config"),
        (80, 24),
        &[
            ("VTEX_APP_KEY", server.admin.app_key.as_str()),
            ("VTEX_APP_TOKEN", server.admin.token.as_str()),
            ("XDG_STATE_HOME", state.to_str().unwrap()),
        ],
    );
    let shown = tokio::task::block_in_place(|| {
        pty.wait_for("the prompt", |s| s.contains("take this renewal back"))
    });
    assert!(token_like(&shown), "the token was shown:\n{shown}");
    let after = tokio::task::block_in_place(|| {
        pty.send("\r");
        pty.wait_for("the report", |s| s.contains("rotated in"))
    });
    assert!(
        !token_like(&after),
        "a piece of the token is still on the screen:\n{after}"
    );
}

/// Ctrl-C (SIGINT) or cron's SIGTERM while a sink runs: the sink lives in a session of its
/// own, so nothing kills it, and the renewal stays pending until some later run. An
/// interrupted run must kill its sinks and take its renewals back before it exits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_run_kills_its_sink_and_takes_the_renewal_back() {
    let world = World::new().await;
    let key = world.key("A slow vault", 0).await;
    let app_key = key.creds.app_key.clone();
    let admin = world.server.admin.clone();
    let mut child = world
        .command(&admin, &[&app_key, "--sink", &world.sink()])
        .spawn()
        .unwrap();
    rotation::wait_for_file(&world.store_file(&app_key, "started")).await;
    let sink_pid = rotation::pid_in(&world.store_file(&app_key, "pid"));
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let _ = tokio::task::block_in_place(|| child.wait());
    let sink_alive = rotation::alive(sink_pid);
    let pending = world.server.renewal_pending(&app_key).await;
    if sink_alive {
        // SAFETY: the test's own sink, known alive a moment ago; it would sleep a minute more.
        unsafe { libc::kill(sink_pid as i32, libc::SIGKILL) };
    }
    assert!(
        !sink_alive,
        "the sink outlived the interrupted run, holding the token"
    );
    assert!(!pending, "the interrupted run left its renewal pending");
}

/// The journal names a server by its base URL, so a run against another address of the same
/// account (acme.myvtex.com and acme.vtexcommercestable.com.br; here a second loopback
/// address) neither settles what a crashed run left nor says that anything is open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_entry_is_not_forgotten_when_the_next_run_uses_another_address() {
    let world = World::new().await;
    let key = world.key("A slow vault", 0).await;
    let app_key = key.creds.app_key.clone();
    let other_address = LosingProxy::start(world.server.url(""), false).await;
    let sink = world.sink();
    let mut child = command_via(&world, &other_address.url, &[&app_key, "--sink", &sink])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    rotation::wait_for_file(&world.store_file(&app_key, "started")).await;
    child.kill().await.unwrap(); // SIGKILL, as a crash
    let sink_pid = rotation::pid_in(&world.store_file(&app_key, "pid"));
    assert!(world.server.renewal_pending(&app_key).await);
    let run = world.rotate(&["--finish-due"]).await;
    let pending = world.server.renewal_pending(&app_key).await;
    if rotation::alive(sink_pid) {
        // SAFETY: the test's own sink (the crashed run's), still sleeping.
        unsafe { libc::kill(sink_pid as i32, libc::SIGKILL) };
    }
    assert!(
        !pending || run.stderr.contains(&app_key),
        "a renewal nobody holds is pending and the run said nothing (exit {}):\n{}\n{}",
        run.status,
        run.stdout,
        run.stderr
    );
}

/// The dry run "prints the plan: which sink command after substitution". Without a sink and
/// without a terminal the real run refuses (exit 2); the dry run plans an empty command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_without_a_sink_does_not_plan_an_empty_command() {
    let world = World::new().await;
    let key = world.key("Cron job", 0).await;
    let app_key = key.creds.app_key.clone();
    let real = world.rotate(&[&app_key]).await;
    assert_eq!(real.status, 2, "{}", real.stderr);
    let dry = world
        .rotate(&[&app_key, "--dry-run", "--output", "json"])
        .await;
    let planned_sink = serde_json::from_str::<Value>(&dry.stdout)
        .ok()
        .and_then(|plan| plan["rotate"][0]["sink"].as_str().map(str::to_string));
    assert!(
        dry.status == 2 || planned_sink.as_deref().is_some_and(|s| !s.is_empty()),
        "the dry run said exit {} with the sink {planned_sink:?}; the real run refuses:\n{}",
        dry.status,
        dry.stdout
    );
}

/// A sink's error line is cut at 200 characters, then scrubbed: a token cut by the limit is no
/// longer the whole token, and its first letters (too few to look like one) reach the report
/// and the journal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_cut_by_the_error_line_limit_is_still_scrubbed() {
    let world = World::new().await;
    let key = world.key("Talkative vault", 0).await;
    let app_key = key.creds.app_key.clone();
    // 188 characters of words, a space, then the token: the cut falls 11 letters into it.
    let sink = format!(
        "t=$(cat); printf %s \"$t\" > {}/{{appKey}}.token; printf 'a %.0s' $(seq 94) >&2; \
         printf ' %s\\n' \"$t\" >&2; exit 3",
        world.store().display()
    );
    let run = world
        .rotate(&[&app_key, "--sink", &sink, "--output", "json"])
        .await;
    let stored = world.stored(&app_key).expect("the sink stored the token");
    assert_eq!(stored.len(), 100, "a reference-server token");
    let report: Value = serde_json::from_str(&run.stdout).expect("a JSON report");
    let reason = outcome_of(&report, &app_key)["reason"].as_str().unwrap();
    assert!(
        reason.contains("a a a"),
        "the sink's line is reported: {reason}"
    );
    let head = &stored[..11];
    for (place, text) in [
        ("report", run.stdout.as_str()),
        ("stderr", run.stderr.as_str()),
        ("journal", world.journal_text().as_str()),
    ] {
        assert!(
            !text.contains(head),
            "the token's first 11 letters are in the {place}: {reason}"
        );
    }
}

/// Every run reconciles first, then plans. When the plan fails (a name no key has), what the
/// reconciliation did (a renewal undone) is missing from the report: `--output json` prints
/// nothing at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_reconciling_did_is_reported_even_when_the_plan_fails() {
    let world = World::new().await;
    let key = world.key("A slow vault", 0).await;
    let app_key = key.creds.app_key.clone();
    let sink = world.sink();
    let mut child = world
        .command(&world.server.admin.clone(), &[&app_key, "--sink", &sink])
        .spawn()
        .unwrap();
    rotation::wait_for_file(&world.store_file(&app_key, "started")).await;
    child.kill().unwrap(); // SIGKILL
    let _ = tokio::task::block_in_place(|| child.wait());
    let run = world
        .rotate(&["no such key", "--sink", &sink, "--output", "json"])
        .await;
    assert!(!world.server.renewal_pending(&app_key).await, "reconciled");
    let report: Option<Value> = serde_json::from_str(&run.stdout).ok();
    let reported = report
        .as_ref()
        .and_then(|r| r["keys"].as_array())
        .is_some_and(|keys| keys.iter().any(|k| k["appKey"] == app_key.as_str()));
    assert!(
        reported,
        "the undone renewal is not in the JSON report (exit {}):\nstdout: {}\nstderr: {}",
        run.status, run.stdout, run.stderr
    );
}

/// "Each step is journaled before it is relied on": here the journal stops taking writes after
/// `renew-started` (the file may grow no further: a full disk, a quota). The run goes on,
/// hands the token off, starts a grace and exits 0; the journal still says "renew started", so
/// the next run undoes the renewal, killing the token the sink stored and the integration may
/// already use.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_that_stops_taking_writes_does_not_get_a_rotation_undone_later() {
    use std::os::unix::process::CommandExt;
    let world = World::new().await;
    let label = "Disk fills up";
    let key = world.key(label, 0).await;
    let app_key = key.creds.app_key.clone();
    // An open entry of another server, which compaction keeps: the journal's size after it.
    let other = serde_json::json!({"at": "2026-01-01T00:00:00Z", "server": "http://other.invalid/",
        "appKey": "vtexappkey-other-AAAAAA", "id": "", "label": "x".repeat(1000),
        "step": "renewed"});
    let kept = format!("{other}\n");
    std::fs::create_dir_all(world.journal().parent().unwrap()).unwrap();
    std::fs::write(world.journal(), &kept).unwrap();
    let server = world.server.url("");
    let renew_started = serde_json::json!({"at": "2026-12-01T19:52:00.123456789Z",
        "server": format!("{}/", server.trim_end_matches('/')), "appKey": app_key, "id": key.id,
        "label": label, "step": "renew-started"});
    // Room for `renew-started` (give or take its timestamp), not for the next record.
    let limit = (kept.len() + renew_started.to_string().len() + 1 + 12) as u64;
    let sink = format!("cat > {}/{{appKey}}.token", world.store().display());
    let mut command = world.command(
        &world.server.admin.clone(),
        &[&app_key, "--sink", &sink, "--grace", "1h"],
    );
    // SAFETY: setrlimit and signal are async-signal-safe; nothing else runs before exec.
    unsafe {
        command.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let cap = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &cap) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let first = tokio::task::block_in_place(|| command.output()).unwrap();
    let first_text = format!(
        "exit {:?}\n{}\n{}",
        first.status.code(),
        String::from_utf8_lossy(&first.stdout),
        String::from_utf8_lossy(&first.stderr)
    );
    let journal = world.journal_text();
    let lines_of_key: Vec<&str> = journal.lines().filter(|l| l.contains(&app_key)).collect();
    assert!(
        lines_of_key.len() == 1 && lines_of_key[0].contains("renew-started"),
        "the limit let renew-started in and nothing after: {journal}\n{first_text}"
    );
    // (Mended: a run whose journal stops taking its steps takes the rotation back at once,
    // before the hand-off, and says why; nothing is stored that a later run could kill.)
    assert_eq!(first.status.code(), Some(1), "{first_text}");
    assert!(
        first_text.contains("the journal stopped taking"),
        "{first_text}"
    );
    assert!(
        !world.server.renewal_pending(&app_key).await,
        "{first_text}"
    );
    assert!(world.server.login_works(&app_key, &key.creds.token).await);
    let Some(stored) = world.stored(&app_key) else {
        return;
    };
    let second = world.rotate(&["--finish-due"]).await;
    assert!(
        world.server.login_works(&app_key, &stored).await,
        "the next run undid a rotation the first reported as in its grace.\nfirst run: \
         {first_text}\nsecond run: {}\n{}",
        second.stdout,
        second.stderr
    );
}

/// Whether `screen` holds a run of 20 capital letters (a piece of a reference-server token;
/// appKeys hold 6).
fn token_like(screen: &str) -> bool {
    let mut run = 0;
    for c in screen.chars() {
        run = if c.is_ascii_uppercase() { run + 1 } else { 0 };
        if run >= 20 {
            return true;
        }
    }
    false
}

/// `apikeys rotate ARGS…` as the admin of `world`'s server, reached at `base_url`, to its end.
async fn rotate_via(world: &World, base_url: &str, args: &[&str]) -> Run {
    let output = tokio::time::timeout(
        Duration::from_secs(120),
        command_via(world, base_url, args).output(),
    )
    .await
    .expect("rotate ends")
    .unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The command of `rotate_via`, not started.
fn command_via(world: &World, base_url: &str, args: &[&str]) -> tokio::process::Command {
    let admin: &Creds = &world.server.admin;
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_apikeys"));
    command
        .arg("--base-url")
        .arg(base_url)
        .arg("rotate")
        .args(args)
        .env_clear()
        .env("HOME", world.home.path())
        .env("XDG_CONFIG_HOME", world.home.path().join("config"))
        .env("XDG_DATA_HOME", world.home.path().join("data"))
        .env("XDG_STATE_HOME", world.home.path().join("state"))
        .env("STORE_DIR", world.store())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("VTEX_APP_KEY", &admin.app_key)
        .env("VTEX_APP_TOKEN", &admin.token)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}

/// A loopback HTTP proxy, one request per connection (`Connection: close` added), that lets
/// the first renewal reach the server and then closes the connection without its answer.
struct LosingProxy {
    url: String,
    dropped: Arc<AtomicBool>,
}

impl LosingProxy {
    /// `lose_renewal` false: a faithful second address of the same server.
    async fn start(upstream: String, lose_renewal: bool) -> LosingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        // Already "dropped" when nothing is to be lost.
        let dropped = Arc::new(AtomicBool::new(!lose_renewal));
        let flag = dropped.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(forward(client, upstream.clone(), flag.clone()));
            }
        });
        LosingProxy { url, dropped }
    }
}

async fn forward(mut client: TcpStream, upstream: String, dropped: Arc<AtomicBool>) {
    let Some(request) = read_request(&mut client).await else {
        return;
    };
    let head_end = request.iter().position(|&b| b == b'\n').unwrap_or(0) + 1;
    let first_line = String::from_utf8_lossy(&request[..head_end]).to_string();
    let mut sent = request[..head_end].to_vec();
    sent.extend_from_slice(b"Connection: close\r\n");
    sent.extend_from_slice(&request[head_end..]);
    let Ok(mut server) = TcpStream::connect(&upstream).await else {
        return;
    };
    if server.write_all(&sent).await.is_err() {
        return;
    }
    let mut answer = Vec::new();
    let _ = server.read_to_end(&mut answer).await;
    let is_renewal = first_line.starts_with("PATCH ") && first_line.contains("/apitoken/renew ");
    if is_renewal && !dropped.swap(true, Ordering::SeqCst) {
        return; // the server renewed; the answer is lost with the connection
    }
    let _ = client.write_all(&answer).await;
    let _ = client.shutdown().await;
}

/// One request: its head and, after it, `Content-Length` bytes of body.
async fn read_request(client: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_len = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = client.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_len]).to_ascii_lowercase();
    let body_len: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < head_len + body_len {
        let n = client.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(data)
}
