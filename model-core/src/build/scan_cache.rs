//! What the scan found per file (models and enums), kept between runs of the build step in `OUT_DIR`, so a run where
//! the model sources did not change (Cargo reruns the build script whenever a file under a watched
//! folder changes) does not parse them again: parsing is most of the build step's time.
//!
//! An entry is used only when the file's text hashes to the same value (FNV-1a, 64 bits) and the
//! cache was written by the same parser: the key holds the crate's version, the dialect, the default
//! schema, and the
//! size and modification time of the running build script, which Cargo rebuilds whenever this crate
//! changes. Files with errors are never cached. A cache that cannot be read is ignored.

use super::scan::{ScannedEnum, ScannedModel};
use crate::emit::{write_if_changed, EmitError};
use crate::ir::Dialect;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File name inside `OUT_DIR`.
pub(crate) const FILE_NAME: &str = "model_scan_cache.json";

/// The scan cache (empty when there is no file or it belongs to another parser).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct ScanCache {
    key: String,
    files: BTreeMap<PathBuf, Entry>,
    #[serde(skip)]
    used: BTreeMap<PathBuf, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    hash: u64,
    models: Vec<ScannedModel>,
    #[serde(default)]
    enums: Vec<ScannedEnum>,
}

impl ScanCache {
    /// Read the cache at `path` for `dialect` and the configured default `schema`.
    pub(crate) fn load(path: &Path, dialect: Dialect, schema: Option<&str>) -> ScanCache {
        let key = format!("{}/{}", key(dialect), schema.unwrap_or(""));
        let cache = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<ScanCache>(&text).ok())
            .filter(|c| c.key == key);
        cache.unwrap_or(ScanCache {
            key,
            ..ScanCache::default()
        })
    }

    /// The models and enums of `file` when its text is the one cached.
    pub(crate) fn get(&mut self, file: &Path, text: &str) -> Option<(&[ScannedModel], &[ScannedEnum])> {
        let hash = fnv64(text.as_bytes());
        let entry = self.files.get(file).filter(|e| e.hash == hash)?.clone();
        let entry = self.used.entry(file.to_path_buf()).or_insert(entry);
        Some((&entry.models, &entry.enums))
    }

    /// Record what a parse of `file` found.
    pub(crate) fn put(&mut self, file: &Path, text: &str, models: Vec<ScannedModel>, enums: Vec<ScannedEnum>) {
        let hash = fnv64(text.as_bytes());
        self.used.insert(file.to_path_buf(), Entry { hash, models, enums });
    }

    /// Write the entries used by this run (files no longer scanned are forgotten), only if they
    /// changed.
    pub(crate) fn save(self, path: &Path) -> Result<(), EmitError> {
        let kept = ScanCache {
            key: self.key,
            files: self.used,
            used: BTreeMap::new(),
        };
        let text = serde_json::to_string(&kept).unwrap_or_default();
        write_if_changed(path, &text, None).map(|_| ())
    }
}

fn key(dialect: Dialect) -> String {
    let exe = std::env::current_exe().ok().and_then(|p| std::fs::metadata(p).ok());
    let (len, mtime) = exe
        .map(|m| {
            (
                m.len(),
                m.modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()),
            )
        })
        .unwrap_or((0, None));
    let nanos = mtime.map_or(0, |d| d.as_nanos());
    format!("3/{}/{dialect}/{len}/{nanos}", env!("CARGO_PKG_VERSION"))
}

fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
