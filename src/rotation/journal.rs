//! The rotation journal: one JSON line per step per key, appended and synced before the step's
//! effect is relied on, so a run killed at any point (`kill -9`, a reboot) leaves enough for the
//! next run to finish or take back what it started. It never holds a token.
//!
//! `$XDG_STATE_HOME/apikeys/rotation.jsonl`, 0600 in a 0700 directory. Runs take
//! `rotation.lock` beside it (an advisory lock the kernel drops with the process), so two
//! rotations never reconcile each other's keys half-way.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What happened to a key, in the order a rotation does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// About to ask for the renewal (the server may have done it even if no answer came).
    RenewStarted,
    /// Renewed: both tokens work; only this run holds the new one.
    Renewed,
    /// The sink runs (its process group is in the record).
    HandOffStarted,
    /// The sink took the new token.
    HandedOff,
    /// The new token logs in (and the verify command passed).
    Verified,
    /// Waiting for its grace to end before the old token is deleted (`finishDue`).
    Grace,
    // ---- waiting for a person: reported by every run until settled ----
    /// The renewal is pending and could not be undone here (VTEX's public API); the report
    /// says to undo it in the Admin. Settled by the key's next rotation, or once the server
    /// shows no renewal pending.
    LeftPending,
    /// The renewal was finished behind a hand-off that never ended: the key's only token is one
    /// nobody stored. Settled by the key's next rotation (or a token made since).
    Broken,
    // ---- closed: nothing is left to do for the key ----
    /// The old token is deleted; only the new one works.
    Finished,
    /// The renewal was undone: the old token works, the new one is gone.
    Undone,
    /// The renewal itself failed: nothing changed.
    Failed,
}

impl Step {
    /// Whether the key's rotation is over (nothing for a later run to do or say).
    pub fn closed(self) -> bool {
        matches!(self, Step::Finished | Step::Undone | Step::Failed)
    }

    /// Whether the entry waits for a person (reported, never acted on).
    pub fn needs_attention(self) -> bool {
        matches!(self, Step::LeftPending | Step::Broken)
    }
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub at: DateTime<Utc>,
    /// Which server the key lives on (its base URL, or "embedded demo").
    pub server: String,
    pub app_key: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub label: String,
    pub step: Step,
    /// When the old token is to be deleted (`grace`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_due: Option<DateTime<Utc>>,
    /// The sink's process group and its leader's start time (`hand-off-started`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sink_group: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sink_started: Option<u64>,
    /// Why a step failed (never a token: redacted text from the server or a command).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the server created this rotation's new token (from the renewal's answer): a
    /// pending renewal with another date is someone else's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_token_created: Option<DateTime<Utc>>,
}

/// Why the journal cannot be used; each says the path.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("no state directory is known on this system (set XDG_STATE_HOME)")]
    NoStateDir,
    #[error(
        "another rotation is running on this machine (it holds {}); wait for it to end",
        .0.display()
    )]
    Busy(PathBuf),
    #[error("cannot use the rotation journal {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// The journal's default place: `$XDG_STATE_HOME/apikeys/rotation.jsonl` when that is set
/// (on every system), else the system's state directory (`~/.local/state` on Linux), else
/// its local data directory (macOS and Windows have no state directory).
pub fn default_path() -> Result<PathBuf, JournalError> {
    let from_env = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute());
    from_env
        .or_else(dirs::state_dir)
        .or_else(dirs::data_local_dir)
        .map(|dir| dir.join("apikeys").join("rotation.jsonl"))
        .ok_or(JournalError::NoStateDir)
}

/// The journal of a run: locked for it, appended to as steps happen.
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
    _lock: File,
}

impl Journal {
    /// Opens (creating) the journal and takes its lock; `Busy` if another run holds it.
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        let io_error = |source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
        prepare_dir(path).map_err(io_error)?;
        let lock_path = path.with_extension("lock");
        let lock = private_file(&lock_path, false).map_err(io_error)?;
        if !try_lock(&lock) {
            return Err(JournalError::Busy(lock_path));
        }
        let file = private_file(path, true).map_err(io_error)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `record` and syncs it to disk before returning.
    pub fn record(&self, record: &Record) -> io::Result<()> {
        let mut line = serde_json::to_string(record).map_err(io::Error::other)?;
        line.push('\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }

    /// The last record of every key still open, oldest first.
    pub fn open_entries(&self) -> io::Result<Vec<Record>> {
        Ok(latest_open(read(&self.path)?.records))
    }

    /// Rewrites the journal to hold only `keep` (a temporary file renamed over it), so it does
    /// not grow with every run.
    pub fn compact(&self, keep: &[Record]) -> io::Result<()> {
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let tmp = self.path.with_extension("jsonl.tmp");
        let mut out = private_file(&tmp, false)?;
        out.set_len(0)?;
        for record in keep {
            let mut line = serde_json::to_string(record).map_err(io::Error::other)?;
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
        out.sync_all()?;
        fs::rename(&tmp, &self.path)?;
        // The rename itself is made durable too: a crash must not bring the old file back.
        if let Some(dir) = self.path.parent() {
            File::open(dir)?.sync_all()?;
        }
        *file = private_file(&self.path, true)?;
        Ok(())
    }
}

/// What a journal file holds, read without its lock (the app's "rotation due", a dry run).
pub struct Contents {
    pub records: Vec<Record>,
    /// Lines that could not be read (a line cut by a crash mid-write); skipped.
    pub unreadable: usize,
}

/// Reads every record of the journal at `path`; no file is an empty journal.
pub fn read(path: &Path) -> io::Result<Contents> {
    let mut contents = Contents {
        records: Vec::new(),
        unreadable: 0,
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(contents),
        Err(err) => return Err(err),
    };
    for line in BufReader::new(file).split(b'\n') {
        let line = line?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Record>(&line) {
            Ok(record) => contents.records.push(record),
            Err(_) => contents.unreadable += 1,
        }
    }
    Ok(contents)
}

/// The last record of each (server, appKey), kept only when still open, in journal order.
pub fn latest_open(records: Vec<Record>) -> Vec<Record> {
    let mut last: HashMap<(String, String), usize> = HashMap::new();
    for (at, record) in records.iter().enumerate() {
        last.insert((record.server.clone(), record.app_key.clone()), at);
    }
    let mut keep: Vec<usize> = last.into_values().collect();
    keep.sort_unstable();
    keep.into_iter()
        .map(|at| records[at].clone())
        .filter(|record| !record.step.closed())
        .collect()
}

fn prepare_dir(path: &Path) -> io::Result<()> {
    let Some(dir) = path.parent() else {
        return Ok(());
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    fs::create_dir_all(dir)
}

/// Opens (creating) a file only its owner may read, tightening an older one.
fn private_file(path: &Path, append: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).read(true);
    if append {
        options.append(true);
    } else {
        options.write(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// An exclusive advisory lock, without waiting.
fn try_lock(file: &File) -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor this function borrows; no memory is shared.
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(app_key: &str, step: Step) -> Record {
        Record {
            at: Utc::now(),
            server: "http://127.0.0.1:1".into(),
            app_key: app_key.into(),
            id: String::new(),
            label: "ERP".into(),
            step,
            finish_due: None,
            sink_group: None,
            sink_started: None,
            reason: None,
            new_token_created: None,
        }
    }

    #[test]
    fn the_last_step_of_each_key_decides_and_closed_keys_drop_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/apikeys/rotation.jsonl");
        let journal = Journal::open(&path).unwrap();
        for (key, step) in [
            ("vtexappkey-acme-AAAAAA", Step::RenewStarted),
            ("vtexappkey-acme-BBBBBB", Step::RenewStarted),
            ("vtexappkey-acme-AAAAAA", Step::Renewed),
            ("vtexappkey-acme-BBBBBB", Step::Finished),
        ] {
            journal.record(&record(key, step)).unwrap();
        }
        let open = journal.open_entries().unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].step, Step::Renewed);
        // A line cut by a crash is skipped, not fatal.
        fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"at\":\"20")
            .unwrap();
        let contents = read(&path).unwrap();
        assert_eq!((contents.records.len(), contents.unreadable), (4, 1));
        journal.compact(&open).unwrap();
        journal
            .record(&record("vtexappkey-acme-CCCCCC", Step::Renewed))
            .unwrap();
        assert_eq!(read(&path).unwrap().records.len(), 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
    }

    #[test]
    fn a_second_run_is_refused_while_the_first_holds_the_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rotation.jsonl");
        let first = Journal::open(&path).unwrap();
        assert!(matches!(Journal::open(&path), Err(JournalError::Busy(_))));
        drop(first);
        assert!(Journal::open(&path).is_ok());
    }
}
