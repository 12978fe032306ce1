//! The head index, kept in `OUT_DIR`: which of the models' tables the record of the newest
//! migration (the head) holds unchanged, as the last run of the build step left them. The next run
//! then reads the head's record without deserializing those tables again: it takes the models'
//! table in their place (see [`crate::emit::History::schema_reusing`]). Deserializing a record of
//! many tables is most of the work of a run that adds one table, in a build script compiled without
//! optimisation as Cargo compiles them by default.
//!
//! A table is taken from the models only when everything that made it is as the index recorded:
//! the parser and the settings (the scan cache's key), every enum of the crate (a hash of them all),
//! the model's file (the hash of its text, from the scan cache) and the head's record (its
//! migration, and the length and modification time of its file, like Cargo's own check). Anything
//! else, or an index that cannot be read, and the record is read whole.
//!
//! The file is text: the key, the enums' hash, then the head (migration, length, modification
//! time in nanoseconds), then one line per table (name, file hash, file path as a JSON string),
//! tab-separated.

use super::scan::ScannedModel;
use crate::ir::Table;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File name inside `OUT_DIR`.
pub(crate) const FILE_NAME: &str = "model_head_index.txt";

/// The index as read.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct HeadIndex {
    head: String,
    len: u64,
    mtime: u128,
    /// Table → (model file, hash of its text).
    tables: BTreeMap<String, (PathBuf, u64)>,
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

impl HeadIndex {
    /// The index in `out_dir` when it was written under `key` with these `enums` (their hash).
    pub(crate) fn load(out_dir: &Path, key: &str, enums: u64) -> Option<HeadIndex> {
        let text = std::fs::read_to_string(out_dir.join(FILE_NAME)).ok()?;
        let mut lines = text.split('\n');
        if lines.next()? != key || lines.next()? != format!("{enums:x}") {
            return None;
        }
        let mut head = lines.next()?.split('\t');
        let (name, len, mtime) = (head.next()?, head.next()?, head.next()?);
        let mut index = HeadIndex {
            head: name.to_string(),
            len: len.parse().ok()?,
            mtime: mtime.parse().ok()?,
            tables: BTreeMap::new(),
        };
        for line in lines.filter(|l| !l.is_empty()) {
            let mut parts = line.splitn(3, '\t');
            let (table, hash, file) = (parts.next()?, parts.next()?, parts.next()?);
            let file: PathBuf = serde_json::from_str(file).ok()?;
            index
                .tables
                .insert(table.to_string(), (file, u64::from_str_radix(hash, 16).ok()?));
        }
        Some(index)
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
        if head != self.head || stamp(record) != Some((self.len, self.mtime)) {
            return known;
        }
        for m in models.iter().filter(|m| m.view.is_none()) {
            let Some((file, hash)) = self.tables.get(&m.table.name) else {
                continue;
            };
            if *file == m.file && hash_of(&m.file) == Some(*hash) {
                known.insert(m.table.name.as_str(), &m.table);
            }
        }
        known
    }

    /// Record in `out_dir` that the record of `head` (its file `record`) holds `tables` (name, model
    /// file, hash of its text) as the models have them; without a readable record, no index.
    pub(crate) fn record<'a>(
        out_dir: &Path,
        key: &str,
        enums: u64,
        head: &str,
        record: &Path,
        tables: impl Iterator<Item = (&'a str, &'a Path, u64)>,
    ) {
        let Some((len, mtime)) = stamp(record) else {
            Self::remove(out_dir);
            return;
        };
        let mut text = format!("{key}\n{enums:x}\n{head}\t{len}\t{mtime}\n");
        for (table, file, hash) in tables {
            let Ok(file) = serde_json::to_string(file) else {
                Self::remove(out_dir);
                return;
            };
            text.push_str(&format!("{table}\t{hash:x}\t{file}\n"));
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
/// schema; see [`super::scan_cache::cache_key`]) and the crate's folder.
pub(crate) fn key(config: &crate::config::Config) -> String {
    format!(
        "{}/{}",
        super::scan_cache::cache_key(config.dialect, config.schema.as_deref()),
        config.manifest_dir.display()
    )
}

/// What [`HeadIndex::record`] takes for a head whose record holds `after`: the models' tables that
/// `after` (sorted by name, as every schema) has exactly as the models do, each with its model file
/// and the hash of that file's text (`hash_of`).
pub(crate) fn entries<'a>(
    models: &'a [ScannedModel],
    after: &crate::ir::Schema,
    hash_of: impl Fn(&Path) -> Option<u64>,
) -> Vec<(&'a str, &'a Path, u64)> {
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
        .filter_map(|m| Some((m.table.name.as_str(), m.file.as_path(), hash_of(&m.file)?)))
        .collect()
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
        HeadIndex::record(
            dir.path(),
            "k",
            7,
            "h",
            &record,
            [("t", file.as_path(), 42u64)].into_iter(),
        );
        let index = HeadIndex::load(dir.path(), "k", 7).expect("the index");
        assert_eq!(index.tables["t"], (file.clone(), 42));
        assert!(HeadIndex::load(dir.path(), "other", 7).is_none(), "another key");
        assert!(HeadIndex::load(dir.path(), "k", 8).is_none(), "other enums");
        let model = ScannedModel {
            ident: "T".into(),
            at: Default::default(),
            table_name_at: None,
            table: Table::new("t"),
            module: "t".into(),
            fields: Vec::new(),
            file: file.clone(),
            module_path: Vec::new(),
            view: None,
            diesel_table: None,
        };
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
