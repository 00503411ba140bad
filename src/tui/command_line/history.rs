//! The lines run on the command line, newest last, kept in `$XDG_STATE_HOME/apikeys/history`
//! (0600 in a 0700 directory). A line that may hold a token is never kept.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Lines kept, in memory and in the file.
pub const CAP: usize = 500;

/// Runs of letters and digits at least this long are taken for a token.
const TOKEN_RUN: usize = 32;

#[derive(Debug, Clone, Default)]
pub struct History {
    /// Oldest first.
    pub lines: Vec<String>,
    /// Where new lines are appended; `None`: kept in memory only.
    pub path: Option<PathBuf>,
}

/// Where the history lives: the state directory, else the data directory.
pub fn default_path() -> Option<PathBuf> {
    dirs::state_dir()
        .map(|dir| dir.join("apikeys"))
        .or_else(crate::paths::data_dir)
        .map(|dir| dir.join("history"))
}

/// Whether a line holds something that may be a token: a run of 32 or more letters and
/// digits in a word that is not an appKey (VTEX tokens are long runs of capitals and digits).
pub fn may_hold_token(line: &str) -> bool {
    line.split_whitespace()
        .filter(|word| crate::keyformat::app_key_account(word).is_none())
        .any(|word| {
            // Base64url and JWT-like secrets hold `-` and `_` too.
            word.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .any(|run| run.len() >= TOKEN_RUN)
        })
}

impl History {
    /// Reads the file; one that is missing, unreadable or not text gives an empty history.
    pub fn load(path: Option<PathBuf>) -> History {
        let lines = path
            .as_deref()
            .and_then(|path| std::fs::read(path).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .map(|text| {
                let lines: Vec<String> = text
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty() && !may_hold_token(line))
                    .map(String::from)
                    .collect();
                let skip = lines.len().saturating_sub(CAP);
                lines[skip..].to_vec()
            })
            .unwrap_or_default();
        History { lines, path }
    }

    /// Adds a line run; says whether it is to be written (not a repeat of the previous line,
    /// not a line that may hold a token).
    pub fn push(&mut self, line: &str) -> bool {
        let line = line.trim();
        if line.is_empty() || may_hold_token(line) || self.lines.last().is_some_and(|l| l == line) {
            return false;
        }
        self.lines.push(line.to_string());
        if self.lines.len() > CAP {
            self.lines.remove(0);
        }
        true
    }
}

/// Writes the history with `line` added: the file is rewritten with its last [`CAP`] lines,
/// through a temporary file, 0600 in a 0700 directory.
pub fn append(path: &Path, line: &str) -> std::io::Result<()> {
    if may_hold_token(line) {
        return Ok(()); // never, whoever asks
    }
    let mut history = History::load(Some(path.to_path_buf()));
    history.push(line);
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let temporary = path.with_extension("tmp");
    let mut file = private_file(&temporary)?;
    for kept in &history.lines {
        writeln!(file, "{kept}")?;
    }
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// What the event loop does with `Effect::SaveHistory`: writes, and the first failure of the
/// run only is returned as a sentence to show (the next ones would say the same).
pub fn save(path: &Path, line: &str) -> Option<String> {
    use std::sync::atomic::{AtomicBool, Ordering};
    static SAID: AtomicBool = AtomicBool::new(false);
    let error = append(path, line).err()?;
    (!SAID.swap(true, Ordering::Relaxed))
        .then(|| crate::tui::strings::commands::history_not_saved(&error.to_string()))
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
