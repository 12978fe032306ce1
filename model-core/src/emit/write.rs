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
    write_parts_if_changed(path, &[content], mtime)
}

/// [`write_if_changed`] for a content given in parts, in order, written one after the other
/// without being put together first (a record of a large schema is mostly the text of its
/// parent's, and copying it into one string costs more than writing it).
pub(crate) fn write_parts_if_changed(
    path: &Path,
    parts: &[impl AsRef<str>],
    mtime: Option<FileTime>,
) -> Result<Written, EmitError> {
    use std::io::Write;
    let len: usize = parts.iter().map(|p| p.as_ref().len()).sum();
    // (a file of another length differs: not read, which matters for the large ones)
    let same_length = std::fs::metadata(path).is_ok_and(|m| m.len() == len as u64);
    if same_length && std::fs::read(path).is_ok_and(|old| same_parts(&old, parts)) {
        return Ok(Written::Unchanged);
    }
    if let Some(parent) = path.parent() {
        create_dirs(parent, mtime)?;
    }
    let write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::fs::File::create(path)?);
        for part in parts {
            out.write_all(part.as_ref().as_bytes())?;
        }
        out.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    };
    write().map_err(io_err(path))?;
    if let Some(t) = mtime {
        filetime::set_file_mtime(path, t).map_err(io_err(path))?;
        if let Some(parent) = path.parent() {
            filetime::set_file_mtime(parent, t).map_err(io_err(parent))?;
        }
    }
    Ok(Written::Written)
}

/// Whether `bytes` are the parts, put together.
fn same_parts(mut bytes: &[u8], parts: &[impl AsRef<str>]) -> bool {
    for part in parts {
        let part = part.as_ref().as_bytes();
        match bytes.strip_prefix(part) {
            Some(rest) => bytes = rest,
            None => return false,
        }
    }
    bytes.is_empty()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_in_parts_is_written_and_compared_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.txt");
        assert_eq!(
            write_parts_if_changed(&p, &["ab", "", "cd"], None).unwrap(),
            Written::Written
        );
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "abcd");
        assert_eq!(write_if_changed(&p, "abcd", None).unwrap(), Written::Unchanged);
        assert_eq!(
            write_parts_if_changed(&p, &["a", "bcd"], None).unwrap(),
            Written::Unchanged
        );
        assert_eq!(
            write_parts_if_changed(&p, &["a", "bce"], None).unwrap(),
            Written::Written
        );
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "abce");
        assert!(!same_parts(b"abc", &["ab"]) && !same_parts(b"ab", &["abc"]) && same_parts(b"", &[""]));
    }
}
