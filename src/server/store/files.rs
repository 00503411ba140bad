//! The files around the database: its directory (0700 when we create it), the database and
//! its -wal and -shm (0600: they hold labels, the audit trail and token hashes), and the
//! `<db>.lock` that keeps a second server off the same file.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::{StoreError, StoreResult};

/// How a process holds `<db>.lock`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// `apikeys serve`: the only process on the file.
    Exclusive,
    /// The embedded demo: any number of demo windows, but no server.
    Shared,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn with_suffix(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Creates the database's directory, and any missing parent, readable by the owner only.
/// An existing directory is left as it is (it may be /tmp).
pub fn prepare_dir(db: &Path) -> StoreResult<()> {
    let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    if parent.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(parent).map_err(io_error(parent))
}

/// Creates the database file 0600 before SQLite opens it (SQLite gives -wal and -shm the
/// database file's mode), and takes group and other access away from files made before.
pub fn prepare_db_files(db: &Path) -> StoreResult<()> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(db).map_err(io_error(db))?;
    for path in [
        db.to_path_buf(),
        with_suffix(db, "-wal"),
        with_suffix(db, "-shm"),
    ] {
        owner_only(&path)?;
    }
    Ok(())
}

#[cfg(unix)]
fn owner_only(path: &Path) -> StoreResult<()> {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if meta.permissions().mode() & 0o077 != 0 {
        let mode = meta.permissions().mode() & 0o700;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(io_error(path))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn owner_only(_path: &Path) -> StoreResult<()> {
    Ok(())
}

/// `<db>.lock`, locked for the life of the returned file.
pub fn lock(db: &Path, mode: LockMode) -> StoreResult<File> {
    let path = with_suffix(db, ".lock");
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&path).map_err(io_error(&path))?;
    let locked = match mode {
        LockMode::Exclusive => file.try_lock(),
        LockMode::Shared => file.try_lock_shared(),
    };
    match locked {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(StoreError::InUse(match mode {
            LockMode::Exclusive => format!(
                "{} is already in use by another apikeys process (a server or the demo); \
                 stop it, or give this server another --db",
                db.display()
            ),
            LockMode::Shared => format!(
                "{} is in use by an apikeys server; stop it, or point the app at that server",
                db.display()
            ),
        })),
        Err(TryLockError::Error(source)) => Err(StoreError::Io { path, source }),
    }
}
