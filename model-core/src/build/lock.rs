//! One build step at a time per migrations folder: `cargo check` (run by an editor on every save)
//! and `cargo build` may run the build script at the same moment.

use super::BuildError;
use crate::emit::SNAPSHOT_DIR;
use filetime::FileTime;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The lock file, in the hidden folder of the migrations folder.
pub(super) const LOCK_FILE: &str = ".lock";
/// Keeps the lock file out of git.
const GITIGNORE: &str = ".gitignore";

/// A lock on a migrations folder, released when dropped.
pub(super) struct FolderLock {
    _file: File,
}

impl FolderLock {
    /// Wait for the exclusive lock of `migrations` (creating `.model/.lock`, and a `.model/.gitignore`
    /// naming it, when missing; both get `mtime` so Cargo does not see them as changes).
    pub(super) fn exclusive(migrations: &Path, mtime: FileTime) -> Result<FolderLock, BuildError> {
        let dir = migrations.join(SNAPSHOT_DIR);
        let path = dir.join(LOCK_FILE);
        if !path.is_file() {
            crate::emit::write_if_changed(&dir.join(GITIGNORE), "/.lock\n", Some(mtime))?;
            crate::emit::write_if_changed(&path, "", Some(mtime))?;
        }
        let file = open(&path)?;
        fs4::FileExt::lock(&file).map_err(|source| BuildError::Io { path, source })?;
        Ok(FolderLock { _file: file })
    }

    /// Wait for a shared lock (check mode: read while no build writes), when the lock file exists.
    pub(super) fn shared(migrations: &Path) -> Result<Option<FolderLock>, BuildError> {
        let path = migrations.join(SNAPSHOT_DIR).join(LOCK_FILE);
        if !path.is_file() {
            return Ok(None);
        }
        let file = open(&path)?;
        fs4::FileExt::lock_shared(&file).map_err(|source| BuildError::Io { path, source })?;
        Ok(Some(FolderLock { _file: file }))
    }
}

fn open(path: &PathBuf) -> Result<File, BuildError> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|source| BuildError::Io {
            path: path.clone(),
            source,
        })
}
