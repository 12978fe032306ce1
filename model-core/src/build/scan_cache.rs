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
//! The cache is a small list, [`FILE_NAME`]: one line for the key, then one line per source file,
//! its hash and its path (a JSON string) separated by a tab. What a file holds is in a file of its
//! own in the folder [`ENTRIES`] (named after the hash of the source's path): a line that repeats
//! the list's line, then one line per piece of the source (its top-level items, see
//! [`super::items`]): the hash of the piece's text, its first line, and what it holds as compact
//! JSON, its places counted from the piece's first line. A run reads an entry only when it decodes
//! its file, and writes only the entries of the files it parsed: an edit of one model file reads
//! and writes that file's entry, not the models of every file (at 1,000 tables the whole cache was
//! 1.7 MB, and copying it cost more than the parse of the edited file). When a file changed, the
//! pieces whose text did not change are taken from its previous entry, not parsed again (see
//! [`super::scan`]).

use super::scan::{ScannedEnum, ScannedModel};
use crate::emit::{write_if_changed, EmitError};
use crate::ir::Dialect;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The list's file name inside `OUT_DIR`.
pub(crate) const FILE_NAME: &str = "model_scan_cache.txt";

/// The entries' folder inside `OUT_DIR`.
pub(crate) const ENTRIES: &str = "model_scan_cache";

/// The file earlier versions kept the whole cache in: removed when the cache is saved.
const FORMER: &str = "model_scan_cache.json";

/// The scan cache (empty when there is no list or it belongs to another parser).
#[derive(Debug, Default)]
pub(crate) struct ScanCache {
    key: String,
    /// The entries' folder.
    dir: PathBuf,
    /// The entries of the list not used yet, with the hash of their source.
    files: BTreeMap<PathBuf, u64>,
    /// How many entries the list had.
    loaded: usize,
    /// The entries of this run.
    used: BTreeMap<PathBuf, Used>,
    /// Whether this run parsed a file (the cache then changes).
    parsed: bool,
}

/// An entry of this run: kept as it is on disk (unchanged source), or what a parse found.
#[derive(Debug)]
enum Used {
    Kept(u64),
    Parsed(u64, Entry),
}

impl Used {
    fn hash(&self) -> u64 {
        match self {
            Used::Kept(h) | Used::Parsed(h, _) => *h,
        }
    }
}

/// What a piece of a file holds (its places counted from the piece's first line).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Found {
    /// Its models.
    pub models: Vec<ScannedModel>,
    /// Its enums.
    #[serde(default)]
    pub enums: Vec<ScannedEnum>,
}

/// The entry of a parsed file: its pieces.
type Entry = Vec<Piece>;

/// A piece of a parsed file (see [`super::items`]), for its entry.
#[derive(Debug)]
pub(crate) struct Piece {
    /// The hash of its text.
    pub hash: u64,
    /// Its first line in the file.
    pub line: usize,
    /// What it holds.
    pub held: Held,
}

/// What a [`Piece`] holds, its places counted from the piece's first line (line 1).
#[derive(Debug)]
pub(crate) enum Held {
    /// As the previous entry of its file has it (JSON).
    Json(String),
    /// As a parse of the piece found it.
    Found(Found),
}

/// What an entry holds, its places in the file: the models and enums of its file, in order
/// (`None` when it does not parse).
pub(crate) fn decode(entry: &str) -> Option<(Vec<ScannedModel>, Vec<ScannedEnum>)> {
    let (mut models, mut enums) = (Vec::new(), Vec::new());
    for piece in entry.lines() {
        let (_, line, json) = piece_line(piece)?;
        let (m, e) = decode_piece(json, line)?;
        models.extend(m);
        enums.extend(e);
    }
    Some((models, enums))
}

/// What a piece's JSON holds, its places moved to the piece's first line `line`.
pub(crate) fn decode_piece(json: &str, line: usize) -> Option<(Vec<ScannedModel>, Vec<ScannedEnum>)> {
    let mut found: Found = serde_json::from_str(json).ok()?;
    super::scan::move_lines(&mut found.models, &mut found.enums, 1, line);
    Some((found.models, found.enums))
}

/// The pieces of an entry: the JSON of each by the hash of its text.
pub(crate) fn pieces(entry: &str) -> std::collections::HashMap<u64, &str> {
    entry
        .lines()
        .filter_map(piece_line)
        .map(|(hash, _, json)| (hash, json))
        .collect()
}

/// A piece's line of an entry: its hash, its first line and its JSON.
fn piece_line(piece: &str) -> Option<(u64, usize, &str)> {
    let mut parts = piece.splitn(3, '\t');
    let (hash, line, json) = (parts.next()?, parts.next()?, parts.next()?);
    Some((u64::from_str_radix(hash, 16).ok()?, line.parse().ok()?, json))
}

/// The line of source `file` whose text hashes to `hash`, in the list and atop its entry.
fn line(file: &Path, hash: u64) -> String {
    format!("{hash:x}\t{}", super::path_json(file))
}

impl ScanCache {
    /// Read the cache's list at `path` (the entries are in [`ENTRIES`] beside it) for `dialect` and
    /// the configured default `schema`.
    pub(crate) fn load(path: &Path, dialect: Dialect, schema: Option<&str>) -> ScanCache {
        let key = cache_key(dialect, schema);
        let mut cache = ScanCache {
            key,
            dir: path.with_file_name(ENTRIES),
            ..ScanCache::default()
        };
        let Ok(text) = std::fs::read_to_string(path) else {
            return cache;
        };
        let mut lines = text.split('\n');
        if lines.next() != Some(cache.key.as_str()) {
            return cache;
        }
        for line in lines.filter(|l| !l.is_empty()) {
            let parsed = line
                .split_once('\t')
                .and_then(|(hash, file)| Some((u64::from_str_radix(hash, 16).ok()?, super::path_of_json(file)?)));
            let Some((hash, file)) = parsed else {
                cache.files.clear();
                return cache;
            };
            cache.files.insert(file, hash);
        }
        cache.loaded = cache.files.len();
        cache
    }

    /// Whether the list has an entry of `file` for the text that hashes to `hash` (see
    /// [`hash_text`]); its entry is not read.
    pub(crate) fn has(&self, file: &Path, hash: u64) -> bool {
        self.files.get(file) == Some(&hash)
    }

    /// The entry of `file` (its pieces' lines, see [`decode`]) when its text hashes to `hash`:
    /// `None` when the list has none, or its entry file is missing or written for another text.
    pub(crate) fn lookup(&self, file: &Path, hash: u64) -> Option<String> {
        self.has(file, hash).then(|| self.read(file, hash)).flatten()
    }

    /// The pieces' lines of the entry file of `file`, if its first line is the one of `file` and
    /// `hash`.
    fn read(&self, file: &Path, hash: u64) -> Option<String> {
        let mut text = std::fs::read_to_string(self.dir.join(entry_name(file))).ok()?;
        let at = text.find('\n')?;
        // (the pieces' lines cut off the text read, not copied out of it)
        let pieces = text.split_off(at + 1);
        (text[..at] == line(file, hash)).then_some(pieces)
    }

    /// The entry of `file` for the text it had when the cache was written (it changed since), to
    /// take its unchanged pieces from.
    pub(crate) fn previous(&self, file: &Path) -> Option<String> {
        self.read(file, *self.files.get(file)?)
    }

    /// Keep the entry of `file` as it is, when its text hashes to `hash` (it is then no longer
    /// [`ScanCache::lookup`]'s but [`ScanCache::kept`]'s).
    pub(crate) fn keep(&mut self, file: &Path, hash: u64) {
        if self.has(file, hash) {
            self.files.remove(file);
            self.used.insert(file.to_path_buf(), Used::Kept(hash));
        }
    }

    /// The entry of `file` kept by [`ScanCache::keep`] (read from its file, see [`decode`]).
    pub(crate) fn kept(&self, file: &Path) -> Option<String> {
        match self.used.get(file)? {
            Used::Kept(hash) => self.read(file, *hash),
            Used::Parsed(..) => None,
        }
    }

    /// The models and enums of `file` when its text is the one cached.
    #[cfg(test)]
    pub(crate) fn get(&mut self, file: &Path, text: &str) -> Option<(Vec<ScannedModel>, Vec<ScannedEnum>)> {
        let hash = hash_text(text);
        let found = decode(&self.lookup(file, hash)?)?;
        self.keep(file, hash);
        Some(found)
    }

    /// How many pieces of the entry this run made for `file` were taken from its previous entry.
    #[cfg(test)]
    pub(crate) fn reused(&self, file: &Path) -> usize {
        match self.used.get(file) {
            Some(Used::Parsed(_, pieces)) => pieces.iter().filter(|p| matches!(p.held, Held::Json(_))).count(),
            _ => 0,
        }
    }

    /// Record the pieces of `file`, whose text hashes to `hash`, as a parse found them.
    pub(crate) fn put(&mut self, file: &Path, hash: u64, pieces: Vec<Piece>) {
        self.parsed = true;
        self.used.insert(file.to_path_buf(), Used::Parsed(hash, pieces));
    }

    /// Write the list at `path` and the entries parsed by this run (serialized and written in
    /// parallel, see [`super::par_map`]); the entries of files no longer scanned are removed. Nothing
    /// is written when nothing changed.
    pub(crate) fn save(&self, path: &Path) -> Result<(), EmitError> {
        // every entry came from the list, and every one was used: it holds this already
        if !self.parsed && self.used.len() == self.loaded && path.is_file() {
            return Ok(());
        }
        let dir = path.with_file_name(ENTRIES);
        let parsed: Vec<(&PathBuf, u64, &Entry)> = self
            .used
            .iter()
            .filter_map(|(f, u)| match u {
                Used::Parsed(hash, entry) => Some((f, *hash, entry)),
                Used::Kept(..) => None,
            })
            .collect();
        if !parsed.is_empty() {
            std::fs::create_dir_all(&dir).map_err(|source| EmitError::Io {
                path: dir.clone(),
                source,
            })?;
        }
        let written = super::par_map(parsed.len(), |i| {
            let (file, hash, entry) = parsed[i];
            let mut text = line(file, hash);
            text.push('\n');
            for piece in entry {
                text.push_str(&format!("{:x}\t{}\t", piece.hash, piece.line));
                match &piece.held {
                    Held::Json(json) => text.push_str(json),
                    Held::Found(found) => text.push_str(&serde_json::to_string(found).unwrap_or_default()),
                }
                text.push('\n');
            }
            let entry_path = dir.join(entry_name(file));
            std::fs::write(&entry_path, text).map_err(|source| EmitError::Io {
                path: entry_path,
                source,
            })
        });
        written.into_iter().collect::<Result<Vec<()>, _>>()?;
        // the entries of files gone (unless another file's entry has the same name)
        let names: std::collections::BTreeSet<String> = self.used.keys().map(|f| entry_name(f)).collect();
        for file in self.files.keys() {
            let name = entry_name(file);
            if !names.contains(&name) {
                let _ = std::fs::remove_file(dir.join(name));
            }
        }
        let mut text = String::with_capacity(64 * (self.used.len() + 1));
        text.push_str(&self.key);
        text.push('\n');
        for (file, entry) in &self.used {
            text.push_str(&line(file, entry.hash()));
            text.push('\n');
        }
        write_if_changed(path, &text, None)?;
        let _ = std::fs::remove_file(path.with_file_name(FORMER));
        Ok(())
    }
}

/// The name of the entry file of source `file`: the hash of its path.
fn entry_name(file: &Path) -> String {
    format!("{:016x}.json", hash_text(&file.to_string_lossy()))
}

/// Every entry of the cache at `path` (the list, then each entry file's text), for tests that look
/// into it.
#[cfg(test)]
pub(crate) fn all_text(path: &Path) -> String {
    let mut text = std::fs::read_to_string(path).unwrap_or_default();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path.with_file_name(ENTRIES))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for e in entries {
        text.push_str(&std::fs::read_to_string(e).unwrap_or_default());
    }
    text
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
    format!("5/{}/{dialect}/{len}/{nanos}", env!("CARGO_PKG_VERSION"))
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
        let other = dir.path().join("c.rs");
        let mut cache = ScanCache::load(&path, Dialect::Sqlite, None);
        assert!(cache.get(&file, "x").is_none());
        cache.put(&file, hash_text("x"), Vec::new());
        cache.put(&other, hash_text("z"), Vec::new());
        cache.save(&path).unwrap();
        let mut cache = ScanCache::load(&path, Dialect::Sqlite, None);
        assert!(cache.get(&file, "x").is_some(), "same text");
        assert!(cache.get(&file, "y").is_none(), "another text");
        assert_eq!(
            cache.kept(&file).map(|j| decode(&j).is_some()),
            Some(true),
            "kept as it is"
        );
        assert!(
            ScanCache::load(&path, Dialect::Postgres, None).files.is_empty(),
            "another key"
        );
        assert!(
            ScanCache::load(&path, Dialect::Sqlite, Some("app")).files.is_empty(),
            "another default schema"
        );
        // `other` was not scanned by that run: saving forgets it and removes its entry
        let entry = dir.path().join(ENTRIES).join(entry_name(&other));
        assert!(entry.is_file());
        cache.put(&file, hash_text("y"), Vec::new());
        cache.save(&path).unwrap();
        assert!(!entry.exists(), "the entry of a file no longer scanned is removed");
        let cache = ScanCache::load(&path, Dialect::Sqlite, None);
        assert!(cache.lookup(&file, hash_text("y")).is_some());
        assert!(!cache.has(&other, hash_text("z")));
        // an entry file written for another text (a run that stopped between the entry and the
        // list) is a miss, as is a missing one
        let mine = dir.path().join(ENTRIES).join(entry_name(&file));
        let text = std::fs::read_to_string(&mine).unwrap();
        std::fs::write(&mine, text.replacen(&format!("{:x}", hash_text("y")), "1", 1)).unwrap();
        assert!(cache.lookup(&file, hash_text("y")).is_none(), "another text's entry");
        std::fs::remove_file(&mine).unwrap();
        assert!(cache.lookup(&file, hash_text("y")).is_none(), "no entry file");
        std::fs::write(&path, format!("{}\nnot an entry\n", cache_key(Dialect::Sqlite, None))).unwrap();
        assert!(ScanCache::load(&path, Dialect::Sqlite, None).files.is_empty());
        let f = dir.path().join("f.rs");
        let empty = hash_text("");
        std::fs::write(
            &path,
            format!("{}\n{}\n", cache_key(Dialect::Sqlite, None), line(&f, empty)),
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join(ENTRIES)).unwrap();
        std::fs::write(
            dir.path().join(ENTRIES).join(entry_name(&f)),
            format!("{}\n0\t1\tnot json\n", line(&f, empty)),
        )
        .unwrap();
        let mut cache = ScanCache::load(&path, Dialect::Sqlite, None);
        assert!(cache.has(&f, empty));
        assert!(cache.lookup(&f, empty).is_some(), "its entry is read");
        assert!(cache.get(&f, "").is_none(), "an entry that does not parse is a miss");
    }
}
