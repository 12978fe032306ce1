//! The memo of the build step's last run that found nothing to write, kept in `OUT_DIR`: Cargo runs
//! the build script again whenever anything under a watched path changes (a model file saved without
//! a change of the schema, a file of the migrations folder touched, `cargo clean -p`), and most such
//! runs have nothing to do. When every input is as the memo recorded it, [`super::run`] prints what
//! the recorded run printed and stops, without reading the models or the recorded state.
//!
//! The inputs are everything under the paths the run told Cargo to watch (`Cargo.toml`, the model
//! files and folders, view and object files, the migrations folder with `.model/`) and the schema
//! file in `OUT_DIR`: each folder by the names in it, each file by its size and modification time
//! (nanoseconds), like Cargo's own check; a file modified less than [`RACY`] before the memo was
//! recorded is also compared by a hash of its content, since a second write within the clock's
//! granularity may keep the time. The memo also records the parser and the run's settings (crate
//! version, dialect, build-script binary, mode, `MODEL_ALLOW_*`): any difference, a memo that cannot
//! be read, or any input that changed means the full run, which records a new memo when it writes
//! nothing.

use super::Report;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// File name inside `OUT_DIR`.
pub(crate) const FILE_NAME: &str = "model_run_memo.json";

/// A file modified this close (nanoseconds) to the memo's recording is also compared by content.
const RACY: u128 = 2_000_000_000;

/// The memo.
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct Memo {
    key: String,
    recorded_at: u128,
    inputs: Vec<Input>,
    watched: Vec<PathBuf>,
    warnings: Vec<String>,
}

/// One input's state.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
enum Input {
    /// A folder: the hash of its sorted entry names.
    Dir(PathBuf, u64),
    /// A file: size, modification time (ns since the epoch), and the content's hash when racy.
    File(PathBuf, u64, u128, Option<u64>),
    /// A path that does not exist.
    Missing(PathBuf),
}

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn mtime_ns(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// The states of `roots` and everything under them, in a stable order; `racy_after`: files modified
/// after this get a content hash.
fn walk(roots: &[PathBuf], racy_after: u128) -> Vec<Input> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = roots.iter().rev().cloned().collect();
    while let Some(path) = stack.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            out.push(Input::Missing(path));
            continue;
        };
        if meta.is_dir() {
            let mut names: Vec<std::ffi::OsString> = match std::fs::read_dir(&path) {
                Ok(rd) => rd.flatten().map(|e| e.file_name()).collect(),
                Err(_) => {
                    out.push(Input::Missing(path));
                    continue;
                }
            };
            names.sort();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            names.hash(&mut h);
            for n in names.iter().rev() {
                stack.push(path.join(n));
            }
            out.push(Input::Dir(path, h.finish()));
        } else {
            let mtime = mtime_ns(&meta);
            let hash = (mtime >= racy_after).then(|| std::fs::read(&path).map(|b| hash_bytes(&b)).unwrap_or(0));
            out.push(Input::File(path, meta.len(), mtime, hash));
        }
    }
    out
}

/// `true` when `inputs` are as they are now on disk.
fn unchanged(inputs: &[Input]) -> bool {
    inputs.iter().all(|input| match input {
        Input::Missing(p) => std::fs::symlink_metadata(p).is_err(),
        Input::Dir(p, hash) => {
            let Ok(rd) = std::fs::read_dir(p) else { return false };
            let mut names: Vec<std::ffi::OsString> = rd.flatten().map(|e| e.file_name()).collect();
            names.sort();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            names.hash(&mut h);
            h.finish() == *hash
        }
        Input::File(p, len, mtime, hash) => {
            let Ok(meta) = std::fs::metadata(p) else { return false };
            if !meta.is_file() || meta.len() != *len || mtime_ns(&meta) != *mtime {
                return false;
            }
            match hash {
                None => true,
                Some(h) => std::fs::read(p).map(|b| hash_bytes(&b)).is_ok_and(|x| x == *h),
            }
        }
    })
}

/// The roots a run's inputs are found under: what it watched, `more` (the migrations folder, which
/// a run does not watch while it does not exist), and the schema file.
fn roots(report: &Report, more: &[PathBuf], out_dir: &Path) -> Vec<PathBuf> {
    let mut roots = report.watched.clone();
    roots.extend(more.iter().filter(|p| !report.watched.contains(p)).cloned());
    roots.push(out_dir.join(super::schema_file::FILE_NAME));
    roots
}

impl Memo {
    /// The memo in `out_dir` when it was recorded under `key` and its inputs did not change.
    ///
    /// Files compared by content (modified close to the recording) whose time is now far enough in
    /// the past are compared by size and time from then on: the memo is written again without their
    /// hashes, so a build long after an edit does not read and hash the edited files each time; and
    /// the head index gets their stamps (see [`super::head_index::HeadIndex::settle`]), so the next
    /// run over changed files does not read them either.
    pub(crate) fn valid(out_dir: &Path, key: &str) -> Option<Memo> {
        let text = std::fs::read_to_string(out_dir.join(FILE_NAME)).ok()?;
        let mut memo: Memo = serde_json::from_str(&text).ok()?;
        if memo.key != key || !unchanged(&memo.inputs) {
            return None;
        }
        let settled = now_ns().saturating_sub(RACY);
        // (path, length, time, hash of the content) of the files settled since
        let mut now_settled: Vec<(PathBuf, u64, u128, u64)> = Vec::new();
        for input in &mut memo.inputs {
            if let Input::File(path, len, mtime, hash @ Some(_)) = input {
                if *mtime < settled {
                    now_settled.extend(hash.take().map(|h| (path.clone(), *len, *mtime, h)));
                }
            }
        }
        if !now_settled.is_empty() {
            super::write_cache(&out_dir.join(FILE_NAME), &memo);
            // the head index's files read when just written: settled too, when the index's hash of
            // their text is the one the memo has just compared (the same hash of the same bytes)
            super::head_index::HeadIndex::settle(out_dir, |path, hash| {
                now_settled
                    .iter()
                    .find(|(p, _, _, h)| p == path && *h == hash)
                    .map(|(_, len, mtime, _)| (*len, *mtime))
            });
        }
        Some(memo)
    }

    /// What the memo's run printed: its watched paths and warnings.
    pub(crate) fn report(self) -> Report {
        Report {
            watched: self.watched,
            warnings: self.warnings,
            how: super::How::Memo,
            ..Report::default()
        }
    }

    /// Record `report`'s run in `out_dir` under `key` when it wrote nothing (else remove the memo).
    pub(crate) fn record(out_dir: &Path, key: &str, report: &Report, more: &[PathBuf]) {
        let path = out_dir.join(FILE_NAME);
        if report.written.is_some() || report.merged.is_some() || report.removed.is_some() || !report.more.is_empty() {
            let _ = std::fs::remove_file(&path);
            return;
        }
        let recorded_at = now_ns();
        let memo = Memo {
            key: key.to_string(),
            recorded_at,
            inputs: walk(&roots(report, more, out_dir), recorded_at.saturating_sub(RACY)),
            watched: report.watched.clone(),
            warnings: report.warnings.clone(),
        };
        super::write_cache(&path, &memo);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_input_invalidates_the_memo() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let models = dir.path().join("src");
        std::fs::create_dir_all(&models).unwrap();
        std::fs::write(models.join("a.rs"), "struct A;").unwrap();
        let report = Report {
            watched: vec![models.clone()],
            warnings: vec!["w".into()],
            ..Report::default()
        };
        Memo::record(&out, "k", &report, &[]);
        let memo = Memo::valid(&out, "k").expect("nothing changed");
        assert_eq!(memo.report().warnings, ["w"]);
        assert!(Memo::valid(&out, "other key").is_none());
        // same size, same second: the content hash of a racy file tells
        std::fs::write(models.join("a.rs"), "struct B;").unwrap();
        assert!(Memo::valid(&out, "k").is_none());
        Memo::record(&out, "k", &report, &[]);
        assert!(Memo::valid(&out, "k").is_some());
        std::fs::write(models.join("b.rs"), "").unwrap();
        assert!(Memo::valid(&out, "k").is_none(), "a new file in a watched folder");
        Memo::record(&out, "k", &report, &[]);
        std::fs::write(out.join(crate::build::schema_file::FILE_NAME), "x").unwrap();
        assert!(Memo::valid(&out, "k").is_none(), "the schema file appeared");
        Memo::record(&out, "k", &report, &[]);
        std::fs::remove_file(out.join(crate::build::schema_file::FILE_NAME)).unwrap();
        assert!(Memo::valid(&out, "k").is_none(), "the schema file is gone");
        // a file compared by content (its time was close to the recording) is compared by size
        // and time once that time is far enough in the past: the memo drops its hash
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        for f in ["a.rs", "b.rs"] {
            let file = std::fs::File::options().write(true).open(models.join(f)).unwrap();
            file.set_modified(old).unwrap();
        }
        let hashed = |out: &Path| {
            let memo: Memo = serde_json::from_str(&std::fs::read_to_string(out.join(FILE_NAME)).unwrap()).unwrap();
            memo.inputs
                .iter()
                .filter(|i| matches!(i, Input::File(_, _, _, Some(_))))
                .count()
        };
        let memo = Memo {
            key: "k".into(),
            recorded_at: now_ns(),
            inputs: walk(&roots(&report, &[], &out), 0),
            watched: report.watched.clone(),
            warnings: report.warnings.clone(),
        };
        crate::build::write_cache(&out.join(FILE_NAME), &memo);
        assert_eq!(hashed(&out), 2, "both files compared by content");
        assert!(Memo::valid(&out, "k").is_some());
        assert_eq!(hashed(&out), 0, "their hashes dropped");
        assert!(Memo::valid(&out, "k").is_some(), "and still valid");
        std::fs::write(models.join("a.rs"), "struct C;").unwrap();
        assert!(Memo::valid(&out, "k").is_none(), "an edit is still seen");
        Memo::record(&out, "k", &report, &[]);
        std::fs::write(out.join(FILE_NAME), "not json").unwrap();
        assert!(Memo::valid(&out, "k").is_none(), "an unreadable memo is no memo");
        let wrote = Report {
            written: Some(dir.path().join("m")),
            ..report.clone()
        };
        Memo::record(&out, "k", &report, &[]);
        Memo::record(&out, "k", &wrote, &[]);
        assert!(!out.join(FILE_NAME).exists(), "a run that wrote leaves no memo");
    }
}
