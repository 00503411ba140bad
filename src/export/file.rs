//! Writing an export: readable by its owner only (0600, whatever the umask), and never over
//! an existing file by surprise. A default name that is taken gets the next free number
//! (`apikeys-acme-2026-03-01-2.xlsx`), as a browser does with downloads, so a second export
//! the same day just works; a name the user gave that is taken is replaced only when asked
//! (`--force`), atomically (a new file renamed over it), so a failed export leaves the old
//! one whole.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Format;

/// `apikeys-{account}-{date}.{ext}`, the account reduced to what is safe in a file name.
pub fn default_name(account: &str, date: &str, format: Format) -> String {
    let account: String = account
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect();
    let account = if account.is_empty() {
        "account".to_string()
    } else {
        account
    };
    format!("apikeys-{account}-{date}.{}", format.extension())
}

/// The first of `dir/name`, `dir/name-2`, `dir/name-3`… that does not exist yet.
pub fn free_path(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    if !exists(&path) {
        return path;
    }
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}.{extension}")))
        .find(|path| !exists(path))
        .expect("some number is free")
}

/// Whether anything (a file, a directory, a dangling link) has this name.
pub fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Creates `path` (0600) holding `bytes`; fails if it exists (`AlreadyExists`), even when
/// it appeared since it was checked.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = create_private(path)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if written.is_err() {
        let _ = fs::remove_file(path);
    }
    written
}

/// Writes `bytes` to a new 0600 file beside `path`, then renames it over `path`.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new("."));
    let temporary = dir.join(format!(".{name}.{}.part", std::process::id()));
    write_new(&temporary, bytes)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    // The mode asked for is filtered by the umask; say 0600 exactly.
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_are_safe_and_numbered_when_taken() {
        assert_eq!(
            default_name("acme", "2026-03-01", Format::Xlsx),
            "apikeys-acme-2026-03-01.xlsx"
        );
        assert_eq!(
            default_name("../x y", "2026-03-01", Format::Csv),
            "apikeys-xy-2026-03-01.csv"
        );
        let dir = tempfile::tempdir().unwrap();
        let name = "apikeys-acme-2026-03-01.xlsx";
        assert_eq!(free_path(dir.path(), name), dir.path().join(name));
        write_new(&dir.path().join(name), b"one").unwrap();
        assert_eq!(
            free_path(dir.path(), name),
            dir.path().join("apikeys-acme-2026-03-01-2.xlsx")
        );
        let err = write_new(&dir.path().join(name), b"two").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        replace(&dir.path().join(name), b"two").unwrap();
        assert_eq!(fs::read(dir.path().join(name)).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no leftover");
    }
}
