//! The head index, kept in `OUT_DIR`: which of the models' tables the record of the newest
//! migration (the head) holds unchanged, as the last run of the build step left them, and what that
//! run saw of every model file. The next run then reads the head's record without deserializing
//! those tables again: it takes the models' table in their place (see
//! [`crate::emit::History::schema_reusing`]). And when only a few files changed since, the run does
//! not even deserialize the models of the others (see the `delta` module): each table's line also
//! holds the foreign keys' tables and what the schema file needs of its model
//! ([`super::schema_file::SchemaEntry`]). Deserializing many models or a record of many tables is
//! most of the work of a run that adds one table, in a build script compiled without optimisation as
//! Cargo compiles them by default.
//!
//! A table is taken from the models only when everything that made it is as the index recorded:
//! the parser and the settings (the scan cache's key and the whole configuration), every enum of the
//! crate (a hash of them all), the model's file (the hash of its text, from the scan cache) and the
//! head's record (its migration, and the length and modification time of its file, like Cargo's
//! own check). Anything else, or an index that cannot be read, and the record is read whole.
//!
//! The file is text: the key, the enums' hash, then the head (migration, length, modification
//! time in nanoseconds), then one line per model file (`F`, the hash of its text, `e` when it
//! declares enums and `v` when it declares views or `-`, the number of its tables, its length and
//! modification time when its text was read (`len:ns`, or `-` when it had just been written), its
//! path as a JSON string), one per table (`T`, name, file hash, the tables its foreign keys reference
//! separated by `\u{1f}`, file path as a JSON string, the schema entry's line) and, when the run
//! knew them, one per table of the head's record and of its parent's saying where its text is in
//! the record (`R`, the record, start and end byte, name: the next run then does not search the
//! records for them), tab-separated.

use super::scan::ScannedModel;
use super::schema_file::SchemaEntry;
use crate::ir::Table;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File name inside `OUT_DIR`.
pub(crate) const FILE_NAME: &str = "model_head_index.txt";

/// The separator of the referenced tables in a table's line.
const REF_SEP: char = '\u{1f}';

/// The index as read.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct HeadIndex {
    pub(crate) head: String,
    len: u64,
    mtime: u128,
    /// Model file → what the last run saw of it.
    pub(crate) files: BTreeMap<PathBuf, FileLine>,
    /// Table → its line.
    pub(crate) tables: BTreeMap<String, TableLine>,
    /// Where the tables of the head's record, and of its parent's, are in their texts, by record,
    /// when the run knew (see [`crate::emit::RecordTables::at`], which checks them).
    pub(crate) spans: BTreeMap<String, crate::emit::Spans>,
}

/// What the last run saw of a model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileLine {
    /// The hash of its text.
    pub(crate) hash: u64,
    /// It declares `#[derive(ModelEnum)]` enums.
    pub(crate) enums: bool,
    /// It declares views.
    pub(crate) views: bool,
    /// The number of its models' tables (views left out).
    pub(crate) tables: usize,
    /// Its length and modification time when its text was read, if it was settled then (see
    /// [`super::scan::Skipping::stamps`]): the same stamp now, and its hash is the same.
    pub(crate) stamp: Option<super::scan::Stamp>,
}

/// A table the head's record holds as its model has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableLine {
    /// The model's file.
    pub(crate) file: PathBuf,
    /// The hash of that file's text.
    pub(crate) hash: u64,
    /// The tables its foreign keys reference.
    pub(crate) refs: Vec<String>,
    /// What the schema file needs of the model.
    pub(crate) entry: SchemaEntry,
    /// The line as read from the index (written back as it is).
    pub(crate) raw: Option<String>,
}

/// Length and modification time (ns) of `path`.
fn stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), mtime))
}

/// A name that fits in a line of the index (the tab-separated fields and the references' separator).
fn fits(name: &str) -> bool {
    // (bytes: the separator is ASCII, and a char pattern is slow without optimisation)
    !name
        .bytes()
        .any(|b| matches!(b, b'\t' | b'\n' | b'\r') || b == REF_SEP as u8)
}

impl HeadIndex {
    /// The index in `out_dir` when it was written under `key` with these `enums` (their hash).
    pub(crate) fn load(out_dir: &Path, key: &str, enums: u64) -> Option<HeadIndex> {
        Self::load_any(out_dir, key)
            .filter(|(_, e)| *e == enums)
            .map(|(i, _)| i)
    }

    /// The index in `out_dir` when it was written under `key`, and the hash of the enums it was
    /// written with.
    pub(crate) fn load_any(out_dir: &Path, key: &str) -> Option<(HeadIndex, u64)> {
        let text = std::fs::read_to_string(out_dir.join(FILE_NAME)).ok()?;
        let mut lines = text.split('\n');
        if lines.next()? != key {
            return None;
        }
        let enums = u64::from_str_radix(lines.next()?, 16).ok()?;
        let mut head = lines.next()?.split('\t');
        let (name, len, mtime) = (head.next()?, head.next()?, head.next()?);
        let mut index = HeadIndex {
            head: name.to_string(),
            len: len.parse().ok()?,
            mtime: mtime.parse().ok()?,
            ..HeadIndex::default()
        };
        for line in lines.filter(|l| !l.is_empty()) {
            if let Some(rest) = line.strip_prefix("R\t") {
                let mut parts = rest.splitn(4, '\t');
                let (record, start, end, name) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
                let span = (name.to_string(), start.parse().ok()?, end.parse().ok()?);
                index.spans.entry(record.to_string()).or_default().push(span);
            } else if let Some(rest) = line.strip_prefix("F\t") {
                let mut parts = rest.splitn(5, '\t');
                let (hash, flags, count, stamp, file) = (
                    parts.next()?,
                    parts.next()?,
                    parts.next()?,
                    parts.next()?,
                    parts.next()?,
                );
                let file: PathBuf = serde_json::from_str(file).ok()?;
                let stamp = match stamp.split_once(':') {
                    Some((len, mtime)) => Some((len.parse().ok()?, mtime.parse().ok()?)),
                    None if stamp == "-" => None,
                    None => return None,
                };
                let one = FileLine {
                    hash: u64::from_str_radix(hash, 16).ok()?,
                    enums: flags.contains('e'),
                    views: flags.contains('v'),
                    tables: count.parse().ok()?,
                    stamp,
                };
                index.files.insert(file, one);
            } else {
                let rest = line.strip_prefix("T\t")?;
                let mut parts = rest.splitn(5, '\t');
                let (table, hash, refs, file, entry) = (
                    parts.next()?,
                    parts.next()?,
                    parts.next()?,
                    parts.next()?,
                    parts.next()?,
                );
                let one = TableLine {
                    file: serde_json::from_str(file).ok()?,
                    hash: u64::from_str_radix(hash, 16).ok()?,
                    refs: refs
                        .split(REF_SEP)
                        .filter(|r| !r.is_empty())
                        .map(str::to_string)
                        .collect(),
                    entry: SchemaEntry::from_line(entry)?,
                    raw: Some(line.to_string()),
                };
                index.tables.insert(table.to_string(), one);
            }
        }
        Some((index, enums))
    }

    /// Whether the index is of the record of `head` (its file `record`) as it is now.
    pub(crate) fn is_of(&self, head: &str, record: &Path) -> bool {
        head == self.head && stamp(record) == Some((self.len, self.mtime))
    }

    /// The models' tables the record of `head` (its file `record`) holds unchanged: those whose
    /// file's text hashes as recorded (`hash_of`), when the record is the one indexed.
    pub(crate) fn known<'a>(
        &self,
        head: &str,
        record: &Path,
        models: &'a [ScannedModel],
        hash_of: impl Fn(&Path) -> Option<u64>,
    ) -> BTreeMap<&'a str, &'a Table> {
        let mut known = BTreeMap::new();
        if !self.is_of(head, record) {
            return known;
        }
        for m in models.iter().filter(|m| m.view.is_none()) {
            let Some(line) = self.tables.get(&m.table.name) else {
                continue;
            };
            if line.file == m.file && hash_of(&m.file) == Some(line.hash) {
                known.insert(m.table.name.as_str(), &m.table);
            }
        }
        known
    }

    /// Record in `out_dir` that the record of `head` (its file `record`) holds `tables` as the
    /// models have them, and what the run saw of the model `files`; without a readable record, no
    /// index. A table or file whose name does not fit in a line is left out (a later run then reads
    /// it again).
    pub(crate) fn record(
        out_dir: &Path,
        key: &str,
        enums: u64,
        (head, record): (&str, &Path),
        files: &BTreeMap<PathBuf, FileLine>,
        tables: &BTreeMap<String, TableLine>,
        spans: &[(&str, &crate::emit::Spans)],
    ) {
        let Some((len, mtime)) = stamp(record) else {
            Self::remove(out_dir);
            return;
        };
        let mut text = format!("{key}\n{enums:x}\n{head}\t{len}\t{mtime}\n");
        for (record, spans) in spans {
            if fits(record) && spans.iter().all(|(name, _, _)| fits(name)) {
                for (name, start, end) in spans.iter() {
                    text.push_str("R\t");
                    text.push_str(record);
                    text.push_str(&format!("\t{start}\t{end}\t"));
                    text.push_str(name);
                    text.push('\n');
                }
            }
        }
        // each file's path as JSON, once (the tables' lines name them too)
        let mut paths: BTreeMap<&[u8], String> = BTreeMap::new();
        for (file, line) in files {
            let Ok(path) = serde_json::to_string(file) else {
                continue;
            };
            paths.insert(file.as_os_str().as_encoded_bytes(), path.clone());
            let flags = match (line.enums, line.views) {
                (false, false) => "-",
                (true, false) => "e",
                (false, true) => "v",
                (true, true) => "ev",
            };
            let stamp = line
                .stamp
                .map_or_else(|| "-".to_string(), |(len, mtime)| format!("{len}:{mtime}"));
            text.push_str(&format!(
                "F\t{:x}\t{flags}\t{}\t{stamp}\t{path}\n",
                line.hash, line.tables
            ));
        }
        for (table, line) in tables {
            if let Some(raw) = &line.raw {
                text.push_str(raw);
                text.push('\n');
                continue;
            }
            if !fits(table) || !line.refs.iter().all(|r| fits(r)) {
                continue;
            }
            let path = match paths.get(line.file.as_os_str().as_encoded_bytes()) {
                Some(path) => std::borrow::Cow::Borrowed(path.as_str()),
                None => match serde_json::to_string(&line.file) {
                    Ok(path) => std::borrow::Cow::Owned(path),
                    Err(_) => continue,
                },
            };
            text.push_str("T\t");
            text.push_str(table);
            text.push_str(&format!("\t{:x}\t", line.hash));
            text.push_str(&line.refs.join(&REF_SEP.to_string()));
            text.push('\t');
            text.push_str(&path);
            text.push('\t');
            text.push_str(&line.entry.to_line());
            text.push('\n');
        }
        if crate::emit::write_if_changed(&out_dir.join(FILE_NAME), &text, None).is_err() {
            Self::remove(out_dir);
        }
    }

    /// No index (a run that leaves no single head equal to the models).
    pub(crate) fn remove(out_dir: &Path) {
        let _ = std::fs::remove_file(out_dir.join(FILE_NAME));
    }
}

/// The key of the head index of the crate `config`: the scan cache's (parser, dialect, default
/// schema; see [`super::scan_cache::cache_key`]), the crate's folder and a hash of the whole
/// configuration (the tables it leaves out and the objects change what a run makes of the same
/// models).
pub(crate) fn key(config: &crate::config::Config) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{config:?}").hash(&mut h);
    format!(
        "{}/{}/{:x}",
        super::scan_cache::cache_key(config.dialect, config.schema.as_deref()),
        config.manifest_dir.display(),
        h.finish()
    )
}

/// The line of the model `m` (with file hash `hash`), whose foreign keys' tables `lookup` finds.
pub(crate) fn table_line<'a>(m: &'a ScannedModel, hash: u64, lookup: impl Fn(&str) -> Option<&'a Table>) -> TableLine {
    let mut refs: Vec<String> = m.table.foreign_keys.iter().map(|fk| fk.ref_table.clone()).collect();
    refs.sort();
    refs.dedup();
    TableLine {
        file: m.file.clone(),
        hash,
        refs,
        entry: SchemaEntry::of(m, lookup),
        raw: None,
    }
}

/// The table lines of the models' tables that `after` (the schema the head's record holds, sorted
/// by name) has exactly as the models do; `hash_of` gives each model file's hash, `lookup` the
/// models' tables by name (those of `models` and any other).
pub(crate) fn entries<'a>(
    models: &'a [ScannedModel],
    after: &crate::ir::Schema,
    hash_of: impl Fn(&Path) -> Option<u64>,
    lookup: impl Fn(&str) -> Option<&'a Table> + Copy,
) -> BTreeMap<String, TableLine> {
    let same = |m: &ScannedModel| {
        m.view.is_none()
            && after
                .tables
                .binary_search_by(|t| t.name.as_str().cmp(&m.table.name))
                .is_ok_and(|i| after.tables[i] == m.table)
    };
    models
        .iter()
        .filter(|m| same(m))
        .filter_map(|m| {
            let hash = hash_of(&m.file)?;
            Some((m.table.name.clone(), table_line(m, hash, lookup)))
        })
        .collect()
}

/// What the index says of each model file `files` (with its hash from `hash_of` and its stamp from
/// `stamp_of`), whose models and enums are `models` and `enums`.
pub(crate) fn file_lines(
    files: &[PathBuf],
    models: &[ScannedModel],
    enums: &[super::scan::ScannedEnum],
    hash_of: impl Fn(&Path) -> Option<u64>,
    stamp_of: impl Fn(&Path) -> Option<super::scan::Stamp>,
) -> BTreeMap<PathBuf, FileLine> {
    let mut out: BTreeMap<PathBuf, FileLine> = files
        .iter()
        .filter_map(|f| {
            let line = FileLine {
                hash: hash_of(f)?,
                enums: false,
                views: false,
                tables: 0,
                stamp: stamp_of(f),
            };
            Some((f.clone(), line))
        })
        .collect();
    for m in models {
        if let Some(line) = out.get_mut(&m.file) {
            match m.view {
                Some(_) => line.views = true,
                None => line.tables += 1,
            }
        }
    }
    for e in enums {
        if let Some(line) = out.get_mut(&e.file) {
            line.enums = true;
        }
    }
    out
}

/// The hash of every enum of the crate (a model's table depends on the enums it uses).
pub(crate) fn enums_hash(enums: &[super::scan::ScannedEnum]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(enums).unwrap_or_default().hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_round_trips_and_answers_only_for_its_record() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("r.json");
        std::fs::write(&record, "{}").unwrap();
        let file = dir.path().join("m\t1.rs");
        let model = ScannedModel {
            ident: "T".into(),
            at: Default::default(),
            table_name_at: None,
            table: Table::new("t\u{e9}"),
            module: "t".into(),
            fields: Vec::new(),
            file: file.clone(),
            module_path: Vec::new(),
            view: None,
            diesel_table: None,
        };
        let mut line = table_line(&model, 42, |_| None);
        line.refs = vec!["a".into(), "b c".into()];
        let mut odd = line.clone();
        odd.refs = vec!["x\ty".into()];
        let files = BTreeMap::from([(
            file.clone(),
            FileLine {
                hash: 42,
                enums: true,
                views: false,
                tables: 1,
                stamp: Some((3, 1_700_000_000_123_456_789)),
            },
        )]);
        let tables = BTreeMap::from([("t\u{e9}".to_string(), line.clone()), ("odd".to_string(), odd)]);
        let spans = vec![("a".to_string(), 1, 2), ("b".to_string(), 3, 4)];
        HeadIndex::record(
            dir.path(),
            "k",
            7,
            ("h", &record),
            &files,
            &tables,
            &[("h", &spans), ("g", &spans)],
        );
        let index = HeadIndex::load(dir.path(), "k", 7).expect("the index");
        let read = &index.tables["t\u{e9}"];
        assert!(read.raw.as_deref().is_some_and(|r| r.starts_with("T\tt\u{e9}\t")));
        assert_eq!(
            TableLine {
                raw: None,
                ..read.clone()
            },
            line
        );
        assert!(
            !index.tables.contains_key("odd"),
            "a name that does not fit is left out"
        );
        assert_eq!(index.files, files);
        assert_eq!(
            index.spans,
            BTreeMap::from([("g".to_string(), spans.clone()), ("h".to_string(), spans)])
        );
        assert_eq!(HeadIndex::load_any(dir.path(), "k").map(|(_, e)| e), Some(7));
        assert!(HeadIndex::load(dir.path(), "other", 7).is_none(), "another key");
        assert!(HeadIndex::load(dir.path(), "k", 8).is_none(), "other enums");
        let models = [model];
        assert_eq!(index.known("h", &record, &models, |_| Some(42)).len(), 1);
        assert!(
            index.known("h", &record, &models, |_| Some(43)).is_empty(),
            "the file changed"
        );
        assert!(
            index.known("g", &record, &models, |_| Some(42)).is_empty(),
            "another head"
        );
        std::fs::write(&record, "{ }").unwrap();
        assert!(
            index.known("h", &record, &models, |_| Some(42)).is_empty(),
            "the record changed"
        );
        std::fs::write(dir.path().join(FILE_NAME), "k\n7\nh\tx\t1\n").unwrap();
        assert!(
            HeadIndex::load(dir.path(), "k", 7).is_none(),
            "an index that does not parse"
        );
        HeadIndex::remove(dir.path());
        assert!(HeadIndex::load(dir.path(), "k", 7).is_none());
    }
}
