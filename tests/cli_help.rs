//! What `--help` tells a new user: every subcommand and every argument says what it does, and
//! each flag is listed only on the commands it applies to. The definitions walked are the
//! binary's own (src/cli.rs and src/flags.rs, included below); the placement is checked on the built binary's
//! `--help` too, as a user reads it.

#[allow(dead_code)]
#[path = "../src/cli.rs"]
mod cli;
#[allow(dead_code)]
#[path = "../src/flags.rs"]
mod flags;

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use clap::CommandFactory;

/// Every subcommand without an about, and every argument (but help and version) without help,
/// named by its command path: "apikeys keys create --label".
fn undocumented(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
    for arg in command.get_arguments() {
        let id = arg.get_id().as_str();
        if id == "help" || id == "version" {
            continue;
        }
        let documented = arg
            .get_help()
            .is_some_and(|help| !help.to_string().trim().is_empty());
        if !documented {
            let name = arg
                .get_long()
                .map_or_else(|| id.to_uppercase(), |long| format!("--{long}"));
            missing.push(format!("{path} {name}"));
        }
    }
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let sub_path = format!("{path} {}", sub.get_name());
        let about = sub
            .get_about()
            .is_some_and(|about| !about.to_string().trim().is_empty());
        if !about {
            missing.push(format!("{sub_path} (the subcommand)"));
        }
        undocumented(sub, &sub_path, missing);
    }
}

#[test]
fn every_subcommand_and_argument_has_help_text() {
    let mut command = cli::Cli::command();
    command.build();
    let mut missing = Vec::new();
    undocumented(&command, "apikeys", &mut missing);
    assert!(
        missing.is_empty(),
        "{} without help text:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

/// `apikeys ARGS` with nothing of the developer's (no config, no credentials). A run still
/// going after 60 s (a server started where a refusal was due) is killed, and fails the test.
fn apikeys(args: &[&str]) -> (Output, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output().unwrap()));
    match finished.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => (output, home),
        Err(_) => {
            // SAFETY: kill(2) on the pid of our own child, which has not been reaped.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            panic!("`apikeys {}` was still running after 60 s", args.join(" "));
        }
    }
}

fn help(args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.push("--help");
    let (output, _home) = apikeys(&args);
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The flags naming a server and a deadline: they apply to the commands that talk to one.
const CLIENT_FLAGS: [&str; 6] = [
    "--profile",
    "--account",
    "--environment",
    "--base-url",
    "--demo",
    "--timeout",
];

/// Whether `line` of clap's help is the entry of `flag` (`  -c, --flag <VALUE>  help…`), not
/// a description that mentions it.
fn option_line_names(line: &str, flag: &str) -> bool {
    let line = line.trim_start();
    let line = match line.split_once(", ") {
        Some((short, rest)) if short.len() == 2 && short.starts_with('-') => rest,
        _ => line,
    };
    line.strip_prefix(flag)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '=']))
}

#[test]
fn each_flag_is_listed_only_where_it_applies() {
    let mut wrong = Vec::new();
    let mut check = |args: &[&str], flag: &str, listed: bool| {
        let text = help(args);
        let shown = text.lines().any(|line| option_line_names(line, flag));
        if shown != listed {
            let verb = if listed { "lacks" } else { "lists" };
            wrong.push(format!("`apikeys {} --help` {verb} {flag}", args.join(" ")));
        }
    };
    for flag in CLIENT_FLAGS.iter().chain(&["--clipboard"]) {
        check(&["completions"], flag, false);
    }
    for flag in [
        "--profile",
        "--environment",
        "--base-url",
        "--demo",
        "--timeout",
        "--clipboard",
    ] {
        check(&["serve"], flag, false);
    }
    // The server's own --account: the account it creates in an empty database.
    check(&["serve"], "--account", true);
    for args in [
        &["keys", "list"][..],
        &["keys", "create"][..],
        &["keys", "delete"][..],
        &["external", "remove"][..],
        &["roles", "list"][..],
        &["settings", "set"][..],
        &["audit"][..],
        &["whoami"][..],
        &[][..],
    ] {
        for flag in CLIENT_FLAGS {
            check(args, flag, true);
        }
    }
    // A copy can happen in the app and in `keys create` / `keys renew` (with --copy) only.
    for args in [&[][..], &["keys", "create"][..], &["keys", "renew"][..]] {
        check(args, "--clipboard", true);
    }
    for args in [
        &["keys", "list"][..],
        &["keys", "delete"][..],
        &["external", "add"][..],
        &["audit"][..],
        &["whoami"][..],
    ] {
        check(args, "--clipboard", false);
    }
    // The app's own flags are not offered to the subcommands.
    for flag in ["--read-only", "--mouse", "--refresh"] {
        check(&[], flag, true);
        check(&["keys", "delete"], flag, false);
    }
    assert!(wrong.is_empty(), "\n  {}", wrong.join("\n  "));
}

#[test]
fn a_top_level_flag_that_does_not_apply_is_refused() {
    for (args, flag) in [
        (&["--demo", "serve", "--bind", "127.0.0.1:0"][..], "--demo"),
        (
            &["--base-url", "http://127.0.0.1:9", "completions", "bash"][..],
            "--base-url",
        ),
        (&["--clipboard", "off", "keys", "list"][..], "--clipboard"),
        // --read-only is the app's: a script must not believe it protects a deletion.
        (
            &["--read-only", "--demo", "keys", "delete", "x", "--yes"][..],
            "--read-only",
        ),
    ] {
        let (output, _home) = apikeys(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
        assert!(
            stderr.contains("does not apply"),
            "{args:?} says why: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn client_flags_work_before_and_after_the_subcommand() {
    for args in [
        &["--demo", "keys", "list", "--output", "json"][..],
        &["keys", "list", "--demo", "--output", "json"][..],
        &["keys", "--demo", "list", "--output", "json"][..],
        &[
            "--timeout",
            "20",
            "keys",
            "list",
            "--demo",
            "--output",
            "json",
        ][..],
    ] {
        let (output, _home) = apikeys(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        let keys: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(keys.len(), 61, "{args:?}: the demo account's keys");
    }
}
