//! One `apikeys rotate` process as a user runs it: the admin key in its environment, a sink
//! script that stores each token in a 0600 file per appKey, its own XDG directories (the
//! journal under XDG_STATE_HOME, no config). Timed from spawn to exit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use secrecy::ExposeSecret;
use serde_json::Value;

use super::server::{ACCOUNT, Server};

/// A user's home for the runs on one server: the sink's token files, the journal.
pub struct Home {
    pub dir: PathBuf,
    pub tokens: PathBuf,
    sink: PathBuf,
}

impl Home {
    pub fn new(dir: &Path) -> Home {
        let tokens = dir.join("tokens");
        std::fs::create_dir_all(&tokens).expect("create the token dir");
        std::fs::create_dir_all(dir.join("config")).expect("create the config dir");
        let sink = dir.join("sink.sh");
        let script = format!(
            "#!/bin/sh\n# Stores the token on stdin in a file only its owner reads.\numask 077\n\
             exec cat > {}/\"$1\"\n",
            quoted(&tokens)
        );
        std::fs::write(&sink, script).expect("write the sink script");
        set_mode(&sink, 0o700);
        Home {
            dir: dir.to_path_buf(),
            tokens,
            sink,
        }
    }

    pub fn journal(&self) -> PathBuf {
        self.dir.join("state/apikeys/rotation.jsonl")
    }

    /// The sink as a user would write it: the script, given the (shell-quoted) appKey.
    pub fn sink_command(&self) -> String {
        format!("{} {{appKey}}", quoted(&self.sink))
    }
}

fn quoted(path: &Path) -> String {
    let text = path.to_str().expect("a UTF-8 temp path");
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The bench runs the sink through sh: Unix only, as the sink itself.
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// What one rotate process did.
pub struct Finished {
    pub wall: Duration,
    /// User + system time of the rotate process and the sinks it ran.
    pub cpu: Duration,
    pub exit: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub report: Value,
}

impl Finished {
    /// Keys by outcome in the JSON report ("rotated", "in-grace", …).
    pub fn outcomes(&self) -> BTreeMap<String, usize> {
        let mut outcomes = BTreeMap::new();
        for key in self.report["keys"].as_array().into_iter().flatten() {
            let outcome = key["outcome"].as_str().unwrap_or("?").to_string();
            *outcomes.entry(outcome).or_default() += 1;
        }
        outcomes
    }

    pub fn skipped(&self) -> usize {
        self.report["skipped"].as_array().map_or(0, Vec::len)
    }

    /// Each step's time per key in ms, from the report's own figures, with "key" (the whole
    /// key) and "between steps" (the key's time outside its steps: journal writes, waiting
    /// for a turn).
    pub fn step_times(&self) -> BTreeMap<String, Vec<u64>> {
        let mut by_step: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for key in self.report["keys"].as_array().into_iter().flatten() {
            let total = key["ms"].as_u64().unwrap_or(0);
            let steps: u64 = key["steps"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|step| step["ms"].as_u64().unwrap_or(0))
                .sum();
            by_step.entry("key".into()).or_default().push(total);
            by_step
                .entry("between steps".into())
                .or_default()
                .push(total.saturating_sub(steps));
            for step in key["steps"].as_array().into_iter().flatten() {
                let name = step["step"].as_str().unwrap_or("?").to_string();
                by_step
                    .entry(name)
                    .or_default()
                    .push(step["ms"].as_u64().unwrap_or(0));
            }
        }
        by_step
    }
}

/// Runs `apikeys rotate ARGS --output json` against `server` from `home`, and waits for it.
pub fn rotate(server: &Server, home: &Home, args: &[&str]) -> Finished {
    let cpu_before = children_cpu();
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_apikeys"))
        .arg("rotate")
        .args(args)
        .args(["--output", "json", "--account", ACCOUNT])
        .args(["--base-url", &server.base_url])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home.dir)
        .env("XDG_STATE_HOME", home.dir.join("state"))
        .env("XDG_CONFIG_HOME", home.dir.join("config"))
        .env("XDG_DATA_HOME", home.dir.join("data"))
        .env("VTEX_APP_KEY", &server.app_key)
        .env("VTEX_APP_TOKEN", server.app_token.expose_secret())
        .stdin(Stdio::null())
        .output()
        .expect("run apikeys rotate");
    let wall = started.elapsed();
    let cpu = children_cpu() - cpu_before;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report = serde_json::from_str(&stdout).unwrap_or_else(|err| {
        panic!("rotate {args:?} printed no JSON report ({err}); its stderr:\n{stderr}")
    });
    Finished {
        wall,
        cpu,
        exit: output.status.code(),
        stdout,
        stderr,
        report,
    }
}

/// The CPU time of every child this process has reaped (and their reaped children): the
/// server is reaped only at the end, so a delta around one rotate is that rotate and its sinks.
fn children_cpu() -> Duration {
    // SAFETY: getrusage writes into the struct it is given; nothing else is shared.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// What the journal holds after a run.
#[derive(Debug, Clone, Default)]
pub struct JournalFigures {
    pub lines: usize,
    pub bytes: u64,
    /// How many keys have how many lines ("6 lines: 88 keys").
    pub lines_per_key: BTreeMap<usize, usize>,
    /// The steps of one key, in order, as a sample (the first key of the file).
    pub sample: Vec<String>,
}

pub fn journal_figures(path: &Path) -> JournalFigures {
    let Ok(text) = std::fs::read_to_string(path) else {
        return JournalFigures::default();
    };
    let records: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("a journal line is JSON"))
        .collect();
    let mut per_key: BTreeMap<&str, usize> = BTreeMap::new();
    for record in &records {
        *per_key
            .entry(record["appKey"].as_str().unwrap_or("?"))
            .or_default() += 1;
    }
    let mut lines_per_key = BTreeMap::new();
    for count in per_key.values() {
        *lines_per_key.entry(*count).or_default() += 1;
    }
    let first = records.first().and_then(|r| r["appKey"].as_str());
    let sample = text
        .lines()
        .zip(&records)
        .filter(|(_, record)| record["appKey"].as_str() == first)
        .map(|(line, _)| line.to_string())
        .collect();
    JournalFigures {
        lines: records.len(),
        bytes: text.len() as u64,
        lines_per_key,
        sample,
    }
}
