//! Where apikeys keeps its files, following the XDG base directories.

use std::path::PathBuf;

/// `$XDG_DATA_HOME/apikeys` (usually `~/.local/share/apikeys`).
pub fn data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("apikeys"))
}

/// The database `apikeys serve` uses when no `--db` is given.
pub fn default_server_db() -> Option<PathBuf> {
    data_dir().map(|dir| dir.join("server.sqlite3"))
}
