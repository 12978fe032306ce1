use super::{io_err, EmitError};
use filetime::FileTime;
use std::path::Path;

/// What [`write_if_changed`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file already had this content: not touched.
    Unchanged,
    /// The file was created or its content replaced.
    Written,
}

/// Write `content` to `path` only when the file does not already hold exactly it, creating parent
/// folders. When `mtime` is given, the written file and the folders created for it get that
/// modification time (see the build step: files it writes must not look newer than the build that
/// wrote them, or Cargo would run the build script again and rebuild the crate for nothing).
///
/// ```
/// use model_core::emit::{write_if_changed, Written};
/// let p = std::env::temp_dir().join(format!("model-write-doc-{}/a.txt", std::process::id()));
/// assert_eq!(write_if_changed(&p, "x", None).unwrap(), Written::Written);
/// assert_eq!(write_if_changed(&p, "x", None).unwrap(), Written::Unchanged);
/// ```
pub fn write_if_changed(path: &Path, content: &str, mtime: Option<FileTime>) -> Result<Written, EmitError> {
    // (a file of another length differs: not read, which matters for the large ones)
    let same_length = std::fs::metadata(path).is_ok_and(|m| m.len() == content.len() as u64);
    if same_length && std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(Written::Unchanged);
    }
    if let Some(parent) = path.parent() {
        create_dirs(parent, mtime)?;
    }
    std::fs::write(path, content).map_err(io_err(path))?;
    if let Some(t) = mtime {
        filetime::set_file_mtime(path, t).map_err(io_err(path))?;
        if let Some(parent) = path.parent() {
            filetime::set_file_mtime(parent, t).map_err(io_err(parent))?;
        }
    }
    Ok(Written::Written)
}

fn create_dirs(dir: &Path, mtime: Option<FileTime>) -> Result<(), EmitError> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        create_dirs(parent, mtime)?;
    }
    match std::fs::create_dir(dir) {
        // made meanwhile by another writer (a thread of this run, another build)
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => return Ok(()),
        other => other.map_err(io_err(dir))?,
    }
    if let (Some(t), Some(parent)) = (mtime, dir.parent()) {
        filetime::set_file_mtime(parent, t).map_err(io_err(parent))?;
    }
    Ok(())
}
