//! What the scan found per file (models and enums), kept between runs of the build step in `OUT_DIR`, so a run where
//! the model sources did not change (Cargo reruns the build script whenever a file under a watched
//! folder changes) does not parse them again: parsing is most of the build step's time.
//!
//! An entry is used only when the file's text hashes to the same value (std's SipHash, 64 bits) and
//! the cache was written by the same parser: the key holds the crate's version, the dialect, the
//! default schema, and the
//! size and modification time of the running build script, which Cargo rebuilds whenever this crate
//! changes. Files with errors are never cached. A cache that cannot be read is ignored.
//!
//! The file is one line for the key, then one line per source file: its hash, its path (a JSON
//! string) and what it holds (compact JSON), separated by tabs (which compact JSON escapes). An entry
//! is deserialized only when its file is scanned, and a run writes the unchanged entries back as the
//! text it read: only the files parsed again are serialized.

use super::scan::{ScannedEnum, ScannedModel};
use crate::emit::{write_if_changed, EmitError};
use crate::ir::Dialect;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// File name inside `OUT_DIR`.
pub(crate) const FILE_NAME: &str = "model_scan_cache.json";

/// The scan cache (empty when there is no file or it belongs to another parser).
#[derive(Debug, Default)]
pub(crate) struct ScanCache {
    key: String,
    /// The file's text, as read (the entries are not copied out of it).
    text: String,
    /// The entries of the file not used yet: hash, and where the JSON of [`Entry`] is in `text`.
    files: BTreeMap<PathBuf, (u64, Range<usize>)>,
    /// How many entries the file had.
    loaded: usize,
    /// The entries of this run.
    used: BTreeMap<PathBuf, Used>,
    /// Whether this run parsed a file (the cache then changes).
    parsed: bool,
}

/// An entry of this run: its text in the file read (unchanged source), or what a parse found.
#[derive(Debug)]
enum Used {
    Text(u64, Range<usize>),
    Parsed(u64, Entry),
}

impl Used {
    fn hash(&self) -> u64 {
        match self {
            Used::Text(h, _) | Used::Parsed(h, _) => *h,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    models: Vec<ScannedModel>,
    #[serde(default)]
    enums: Vec<ScannedEnum>,
}

/// What an entry's JSON holds: the models and enums of its file (`None` when it does not parse).
pub(crate) fn decode(json: &str) -> Option<(Vec<ScannedModel>, Vec<ScannedEnum>)> {
    let entry: Entry = serde_json::from_str(json).ok()?;
    Some((entry.models, entry.enums))
}

impl ScanCache {
    /// Read the cache at `path` for `dialect` and the configured default `schema`.
    pub(crate) fn load(path: &Path, dialect: Dialect, schema: Option<&str>) -> ScanCache {
        let key = cache_key(dialect, schema);
        let mut cache = ScanCache {
            key,
            ..ScanCache::default()
        };
        let Ok(text) = std::fs::read_to_string(path) else {
            return cache;
        };
        let mut lines = text.split('\n');
        if lines.next() != Some(cache.key.as_str()) {
            return cache;
        }
        let base = text.as_ptr() as usize;
        for line in lines.filter(|l| !l.is_empty()) {
            let mut parts = line.splitn(3, '\t');
            let (Some(hash), Some(file), Some(json)) = (parts.next(), parts.next(), parts.next()) else {
                cache.files.clear();
                return cache;
            };
            let (Ok(hash), Ok(file)) = (u64::from_str_radix(hash, 16), serde_json::from_str::<PathBuf>(file)) else {
                cache.files.clear();
                return cache;
            };
            let start = json.as_ptr() as usize - base;
            cache.files.insert(file, (hash, start..start + json.len()));
        }
        cache.loaded = cache.files.len();
        cache.text = text;
        cache
    }

    /// The JSON of the entry of `file` when its text hashes to `hash` (see [`hash_text`]).
    pub(crate) fn lookup(&self, file: &Path, hash: u64) -> Option<&str> {
        self.files
            .get(file)
            .filter(|e| e.0 == hash)
            .and_then(|(_, json)| self.text.get(json.clone()))
    }

    /// Keep the entry of `file` as read, when its text hashes to `hash` (it is then no longer
    /// [`ScanCache::lookup`]'s but [`ScanCache::kept`]'s).
    pub(crate) fn keep(&mut self, file: &Path, hash: u64) {
        if self.files.get(file).is_some_and(|(h, _)| *h == hash) {
            if let Some((_, json)) = self.files.remove(file) {
                self.used.insert(file.to_path_buf(), Used::Text(hash, json));
            }
        }
    }

    /// The JSON of the entry of `file` kept as read by [`ScanCache::keep`].
    pub(crate) fn kept(&self, file: &Path) -> Option<&str> {
        match self.used.get(file)? {
            Used::Text(_, json) => self.text.get(json.clone()),
            Used::Parsed(..) => None,
        }
    }

    /// The models and enums of `file` when its text is the one cached.
    #[cfg(test)]
    pub(crate) fn get(&mut self, file: &Path, text: &str) -> Option<(Vec<ScannedModel>, Vec<ScannedEnum>)> {
        let hash = hash_text(text);
        let found = decode(self.lookup(file, hash)?)?;
        self.keep(file, hash);
        Some(found)
    }

    /// Record what a parse of `file`, whose text hashes to `hash`, found.
    pub(crate) fn put(&mut self, file: &Path, hash: u64, models: Vec<ScannedModel>, enums: Vec<ScannedEnum>) {
        self.parsed = true;
        self.used
            .insert(file.to_path_buf(), Used::Parsed(hash, Entry { models, enums }));
    }

    /// Write the entries used by this run (files no longer scanned are forgotten), only if they
    /// changed. The entries parsed again are serialized in parallel (see [`super::par_map`]).
    pub(crate) fn save(&self, path: &Path) -> Result<(), EmitError> {
        // every entry came from the file, and every one was used: it holds this already
        if !self.parsed && self.used.len() == self.loaded && path.is_file() {
            return Ok(());
        }
        // the entries parsed again serialized on several threads, the others copied as read
        let parsed: Vec<(&PathBuf, &Entry)> = self
            .used
            .iter()
            .filter_map(|(f, u)| match u {
                Used::Parsed(_, entry) => Some((f, entry)),
                Used::Text(..) => None,
            })
            .collect();
        let mut serialized: BTreeMap<&PathBuf, String> = parsed
            .iter()
            .map(|(f, _)| *f)
            .zip(super::par_map(parsed.len(), |i| {
                serde_json::to_string(parsed[i].1).unwrap_or_default()
            }))
            .collect();
        let size = self.text.len() + serialized.values().map(String::len).sum::<usize>() + 64;
        let mut text = String::with_capacity(size);
        text.push_str(&self.key);
        text.push('\n');
        for (file, entry) in &self.used {
            text.push_str(&format!("{:x}\t", entry.hash()));
            text.push_str(&serde_json::to_string(file).unwrap_or_default());
            text.push('\t');
            match entry {
                Used::Text(_, json) => text.push_str(self.text.get(json.clone()).unwrap_or_default()),
                Used::Parsed(..) => text.push_str(&serialized.remove(file).unwrap_or_default()),
            }
            text.push('\n');
        }
        write_if_changed(path, &text, None).map(|_| ())
    }
}

/// The parser's key: the crate's version, the dialect and the running build-script binary.
pub(crate) fn key(dialect: Dialect) -> String {
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
    format!("4/{}/{dialect}/{len}/{nanos}", env!("CARGO_PKG_VERSION"))
}

/// The hash of a source file's text (std's SipHash: this file is read by the build script that
/// wrote it, see [`key`], so the hasher does not change in between).
pub(crate) fn hash_text(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.as_bytes().hash(&mut h);
    h.finish()
}

/// The first line of a cache for `dialect` and the default `schema`: [`key`] and the schema.
pub(crate) fn cache_key(dialect: Dialect, schema: Option<&str>) -> String {
    format!("{}/{}", key(dialect), schema.unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_a_bad_file_is_no_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let file = dir.path().join("a\tb.rs");
        let mut cache = ScanCache::load(&path, Dialect::Sqlite, None);
        assert!(cache.get(&file, "x").is_none());
        cache.put(&file, hash_text("x"), Vec::new(), Vec::new());
        cache.save(&path).unwrap();
        let mut cache = ScanCache::load(&path, Dialect::Sqlite, None);
        assert!(cache.get(&file, "x").is_some(), "same text");
        assert!(cache.get(&file, "y").is_none(), "another text");
        assert_eq!(
            cache.kept(&file).map(|j| decode(j).is_some()),
            Some(true),
            "kept as read"
        );
        assert!(
            ScanCache::load(&path, Dialect::Postgres, None).files.is_empty(),
            "another key"
        );
        assert!(
            ScanCache::load(&path, Dialect::Sqlite, Some("app")).files.is_empty(),
            "another default schema"
        );
        std::fs::write(&path, format!("{}\nnot an entry\n", cache_key(Dialect::Sqlite, None))).unwrap();
        assert!(ScanCache::load(&path, Dialect::Sqlite, None).files.is_empty());
        let text = format!("{}\n0\t\"f.rs\"\tnot json\n", cache_key(Dialect::Sqlite, None));
        std::fs::write(&path, text).unwrap();
        let mut cache = ScanCache::load(&path, Dialect::Sqlite, None);
        assert!(
            cache.get(Path::new("f.rs"), "").is_none(),
            "an entry that does not parse is a miss"
        );
    }
}
