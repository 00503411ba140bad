//! `keys create --copy` and `keys renew --copy` with no terminal to copy to: the built binary,
//! in a new session (`setsid`: no controlling terminal, as under cron or a service), stdin
//! null, stdout and stderr piped, against a reference server on 127.0.0.1:0. The copy must be
//! refused before anything changes (exit 2, nothing created, nothing renewed), and no OSC 52
//! sequence — the token in base64 — may reach stdout or stderr, which end up in logs.

mod common;

use std::os::unix::process::CommandExt;
use std::process::Stdio;

use common::{Creds, TestServer};
use reqwest::Method;
use serde_json::Value;

/// One run of the binary without a controlling terminal.
struct Run {
    args: String,
    status: i32,
    stdout: String,
    stderr: String,
}

fn detached(server: &TestServer, creds: &Creds, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut command = common::cli::command(server, creds, home.path(), args);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: setsid is async-signal-safe; it detaches the child from this terminal.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = command.output().unwrap();
    Run {
        args: args.join(" "),
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs of 40 or more base64 characters: a 100-letter token is 136 of them.
fn base64_runs(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
        .filter(|run| run.len() >= 40)
        .collect()
}

/// The text with every base64 run cut out, so a failure message never carries a token.
fn redacted(text: &str) -> String {
    base64_runs(text)
        .into_iter()
        .fold(text.to_string(), |text, run| {
            text.replace(run, &format!("<{} base64 characters>", run.len()))
        })
}

/// Refused as a usage error, saying how to get the token instead, with nothing copied out.
fn assert_refused(run: &Run) {
    let (stdout, stderr) = (redacted(&run.stdout), redacted(&run.stderr));
    assert_eq!(
        run.status, 2,
        "`apikeys {}` exited {}\nstdout: {stdout:?}\nstderr: {stderr:?}",
        run.args, run.status
    );
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            !text.contains("\x1b]52") && !text.contains('\x1b'),
            "`apikeys {}` wrote an escape sequence to {name}: {:?}",
            run.args,
            redacted(text)
        );
        assert!(
            base64_runs(text).is_empty(),
            "`apikeys {}` wrote something like base64 to {name}: {:?}",
            run.args,
            redacted(text)
        );
    }
    assert!(run.stdout.is_empty(), "{stdout:?}");
    assert!(
        run.stderr.contains("Run without --copy"),
        "the refusal says how to get the token: {stderr}"
    );
}

async fn keys(server: &TestServer) -> Vec<Value> {
    let reply = server
        .admin_call(Method::GET, "/api/vlm/appkeys?expand=roles,token", None)
        .await;
    reply.body.as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn create_copy_without_a_terminal_creates_nothing_and_leaks_nothing() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let before = keys(&server).await.len();
    for clipboard in ["auto", "osc52", "native", "off"] {
        let label = format!("Lost {clipboard}");
        let args = [
            "keys",
            "create",
            "--label",
            &label,
            "--copy",
            "--clipboard",
            clipboard,
            "--output",
            "json",
        ];
        let run = tokio::task::block_in_place(|| detached(&server, &admin, &args));
        assert_refused(&run);
        assert!(run.stderr.contains("No key was created"), "{}", run.stderr);
        let now = keys(&server).await;
        assert!(
            now.iter().all(|key| key["label"] != label.as_str()),
            "clipboard = {clipboard}: a key was created whose token nobody has"
        );
        assert_eq!(now.len(), before);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn renew_copy_without_a_terminal_renews_nothing() {
    let server = TestServer::start().await;
    let admin = server.admin.clone();
    let target = server.key_with_roles("ERP", &[]).await;
    let app_key = target.creds.app_key.clone();
    for (clipboard, delete_old) in [("auto", "later"), ("osc52", "now"), ("off", "now")] {
        let args = [
            "keys",
            "renew",
            &app_key,
            "--copy",
            "--clipboard",
            clipboard,
            "--delete-old",
            delete_old,
            "--output",
            "json",
        ];
        let run = tokio::task::block_in_place(|| detached(&server, &admin, &args));
        assert_refused(&run);
        assert!(run.stderr.contains("Nothing was renewed"), "{}", run.stderr);
        let key = keys(&server)
            .await
            .into_iter()
            .find(|key| key["appKey"] == app_key.as_str())
            .unwrap();
        assert!(
            key["creationDateNewToken"].is_null(),
            "clipboard = {clipboard}: a renewal is pending with a token nobody has: {key}"
        );
        assert!(
            server.login_works(&app_key, &target.creds.token).await,
            "clipboard = {clipboard}: the old token must still work"
        );
    }
}
