//! The migrations folder read as a graph: each migration, what it follows and its schema.

use super::{io_err, EmitError, MigrationsFolder, Snapshot, SNAPSHOT_DIR};
use crate::graph::{Graph, Kind, Node};
use crate::ir::{Dialect, Schema};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Deserializes the texts of a record's tables, in order (see [`History::schema_reusing`]).
pub(crate) type ReadTables<'a> = dyn Fn(&[&str]) -> Vec<Result<crate::ir::Table, serde_json::Error>> + 'a;

/// Where a record puts its migration: its keys but the schema, which is read only when needed (a
/// long history has many records, each with a whole schema; a build needs one or two of them).
#[derive(Debug, Clone, Deserialize)]
pub struct Place {
    /// The record's format.
    pub format: u32,
    /// The dialect it was written for.
    pub dialect: Dialect,
    /// The migrations it follows (format 2).
    #[serde(default)]
    pub parents: Vec<String>,
    /// What made the migration.
    #[serde(default)]
    pub kind: Kind,
    /// The `model-core` version that wrote the record (format 2; empty in format 1).
    #[serde(default)]
    pub written_by: String,
}

/// A record written by a newer `model-core` than the one reading it (see [`History::newer`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewerRecord {
    /// The record file.
    pub path: PathBuf,
    /// The version that wrote it.
    pub written_by: String,
}

impl NewerRecord {
    /// What the build step and the CLI say about the newest of `records` (`None` when there is none):
    /// the file, the version that wrote it and this one's, and what to do.
    ///
    /// ```
    /// use model_core::emit::NewerRecord;
    /// let r = NewerRecord { path: "migrations/.model/m.json".into(), written_by: "99.0.0".into() };
    /// let w = NewerRecord::warning(&[r]).unwrap();
    /// assert!(w.contains("m.json") && w.contains("99.0.0"), "{w}");
    /// assert!(NewerRecord::warning(&[]).is_none());
    /// ```
    pub fn warning(records: &[NewerRecord]) -> Option<String> {
        let newest = records
            .iter()
            .max_by(|a, b| version_key(&a.written_by).cmp(&version_key(&b.written_by)))?;
        let others = match records.len() {
            1 => String::new(),
            n => format!(" (and {} more record(s) of newer versions)", n - 1),
        };
        Some(format!(
            "{} was written by model-core {}, newer than the model-core {} of this build{others}: this build \
             may not understand what newer versions record, and a migration it writes may differ from \
             what the team's version writes; upgrade the model crate in this project (e.g. `cargo update -p \
             diesel-model`) to the version the team uses",
            newest.path.display(),
            newest.written_by,
            env!("CARGO_PKG_VERSION")
        ))
    }
}

/// `1.2.3-beta.1` as numbers for ordering: `[1, 2, 3]` (the pre-release and build parts ignored),
/// `None` when it is not a version.
fn version_key(v: &str) -> Option<Vec<u64>> {
    let core = v.split(['-', '+']).next()?;
    core.split('.').map(|p| p.trim().parse().ok()).collect()
}

/// `true` when `written_by` is a version newer than this crate's (an unreadable one is not).
fn is_newer(written_by: &str) -> bool {
    match (version_key(written_by), version_key(env!("CARGO_PKG_VERSION"))) {
        (Some(theirs), Some(ours)) => theirs > ours,
        _ => false,
    }
}

/// A migrations folder and its records in `.model/`, as a [`Graph`].
///
/// Each migration is a node: one with a format 2 record sits where its record says; one with a
/// format 1 record (written before the graph existed, when the history was a line) follows the
/// migration before it in version order; a hand-written migration without a record follows the
/// migration before it in version order too (the build step records that place the first time it
/// sees the migration, see [`History::unrecorded`]). Schemas are read from the records when asked
/// for ([`History::schema`]), once each.
#[derive(Debug, Clone)]
pub struct History {
    /// The graph.
    pub graph: Graph,
    /// Where each record puts its migration, for the migrations that have one.
    pub places: BTreeMap<String, Place>,
    /// Hand-written migrations without a record yet, in version order.
    pub unrecorded: Vec<String>,
    /// Snapshot files whose migration folder no longer exists (ignored).
    pub orphans: Vec<PathBuf>,
    /// Records written by a newer `model-core` than this one, in version order of their migration:
    /// the build step and the CLI warn (see [`NewerRecord::warning`]). A newer *format* is an error
    /// instead ([`EmitError::NewerSnapshot`]).
    pub newer: Vec<NewerRecord>,
    folder: PathBuf,
    schemas: RefCell<BTreeMap<String, Schema>>,
    /// The text of each record read, for [`Snapshot::into_json_reusing`].
    texts: RefCell<BTreeMap<String, String>>,
}

/// The [`Place`] of a record as this crate writes it (pretty JSON, `"schema"` the last key at the first
/// level), read from the keys before the schema only: a record's schema is most of its text, and the
/// history needs it for one or two records. `None` (read the whole record) when the text is not in
/// that form, its format is not one this version reads, or the keys before the schema do not parse.
fn place_of_head(text: &str) -> Option<Place> {
    let (head, _) = text.split_once(SCHEMA_KEY)?;
    // format 2 writes these keys before the schema; without them (a record edited by hand) it is
    // read whole, so a key after the schema is not taken for missing
    let keys = ["\"parents\":", "\"kind\":", "\"written_by\":"];
    let head = format!("{}\n}}", head.strip_suffix(',')?);
    let place: Place = serde_json::from_str(&head).ok()?;
    let complete = place.format < 2 || keys.iter().all(|k| head.contains(k));
    (complete && place.format >= 1 && place.format <= super::FORMAT).then_some(place)
}

/// The start of the record `path` up to its schema (see [`place_of_head`]): its first 16 KiB, or
/// more until the text of the schema's key is in it, or the whole file. A record's schema is
/// most of its text, and every record of the folder is read on each build.
fn read_start(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    let mut chunk = 16 * 1024;
    loop {
        let read = (&mut file).take(chunk).read_to_end(&mut bytes)?;
        let found = memchr::memmem::find(&bytes, SCHEMA_KEY.as_bytes()).is_some();
        if found || (read as u64) < chunk {
            break;
        }
        chunk *= 4;
    }
    // (a cut in the middle of a character is left out: the keys before the schema are whole)
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            bytes.truncate(valid);
            String::from_utf8(bytes).unwrap_or_default()
        }
    })
}

/// Where a record's schema starts (see [`place_of_head`]).
const SCHEMA_KEY: &str = "\n  \"schema\": ";

/// The name of the table whose record text is `segment` (as this crate writes it: the name first),
/// when it is written without escapes.
pub(super) fn table_name(segment: &str) -> Option<&str> {
    let rest = segment.strip_prefix("      {\n        \"name\": \"")?;
    let name = &rest[..rest.find('"')?];
    (!name.contains('\\')).then_some(name)
}

impl History {
    /// Read the records of `folder` (their schemas are read later, when asked for).
    ///
    /// ```
    /// use model_core::emit::{History, MigrationsFolder};
    /// let dir = std::env::temp_dir().join(format!("model-history-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(dir.join("2024-01-02-030405_backfill")).unwrap();
    /// let folder = MigrationsFolder::read(&dir).unwrap();
    /// let h = History::load(&folder, model_core::ir::Dialect::Sqlite).unwrap();
    /// assert_eq!(h.unrecorded, ["2024-01-02-030405_backfill"]);
    /// assert_eq!(h.graph.heads().len(), 1);
    /// assert!(h.schema("2024-01-02-030405_backfill").unwrap().tables.is_empty());
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    ///
    /// # Errors
    ///
    /// [`EmitError`] when a record cannot be read, is of another dialect or a newer format, or the
    /// records do not make a graph (a parent missing from the folder).
    pub fn load(folder: &MigrationsFolder, dialect: Dialect) -> Result<History, EmitError> {
        let mut orphans = Vec::new();
        let dir = folder.path.join(SNAPSHOT_DIR);
        if dir.is_dir() {
            for entry in std::fs::read_dir(&dir).map_err(io_err(&dir))? {
                let entry = entry.map_err(io_err(&dir))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(stem) = name.strip_suffix(".json") {
                    if folder.get(stem).is_none() {
                        orphans.push(entry.path());
                    }
                }
            }
        }
        orphans.sort();
        let mut nodes = Vec::with_capacity(folder.migrations.len());
        let mut places = BTreeMap::new();
        let mut unrecorded = Vec::new();
        let mut newer = Vec::new();
        let mut previous: Option<&str> = None;
        for m in &folder.migrations {
            let path = Snapshot::path(&folder.path, &m.name);
            let before: Vec<String> = previous.map(str::to_string).into_iter().collect();
            if path.is_file() {
                // the keys before the schema, from the start of the record; all of it when they are
                // not found there
                let start = read_start(&path).map_err(io_err(&path))?;
                let place = match place_of_head(&start) {
                    Some(place) => place,
                    None => {
                        let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
                        Snapshot::check_format(&path, &text)?;
                        serde_json::from_str(&text).map_err(|e| EmitError::BadSnapshot {
                            path: path.clone(),
                            message: e.to_string(),
                        })?
                    }
                };
                if place.dialect != dialect {
                    return Err(EmitError::DialectMismatch {
                        path,
                        recorded: place.dialect.to_string(),
                        configured: dialect.to_string(),
                    });
                }
                let parents = if place.format >= 2 {
                    place.parents.clone()
                } else {
                    before
                };
                if is_newer(&place.written_by) {
                    newer.push(NewerRecord {
                        path: path.clone(),
                        written_by: place.written_by.clone(),
                    });
                }
                nodes.push(Node::new(&m.name, place.kind, parents));
                places.insert(m.name.clone(), place);
            } else {
                nodes.push(Node::new(&m.name, Kind::Manual, before));
                unrecorded.push(m.name.clone());
            }
            previous = Some(&m.name);
        }
        let graph = Graph::new(nodes).map_err(EmitError::Graph)?;
        Ok(History {
            graph,
            places,
            unrecorded,
            orphans,
            newer,
            folder: folder.path.clone(),
            schemas: RefCell::default(),
            texts: RefCell::default(),
        })
    }

    /// The whole record of `name`, when it has one.
    ///
    /// # Errors
    ///
    /// [`EmitError`] when it cannot be read.
    pub fn record(&self, name: &str) -> Result<Option<Snapshot>, EmitError> {
        let Some(snap) = self.read(name)? else {
            return Ok(None);
        };
        self.schemas
            .borrow_mut()
            .entry(name.to_string())
            .or_insert_with(|| snap.schema.clone());
        Ok(Some(snap))
    }

    /// The record of `name` read from its file (its text kept for [`History::read_record`]), not
    /// kept in the schemas read.
    fn read(&self, name: &str) -> Result<Option<Snapshot>, EmitError> {
        if !self.places.contains_key(name) {
            return Ok(None);
        }
        let path = Snapshot::path(&self.folder, name);
        let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
        let snap = Snapshot::parse(&path, &text)?;
        self.texts.borrow_mut().insert(name.to_string(), text);
        Ok(Some(snap))
    }

    /// The schema and the record's text of `name`, when its record was read already (by
    /// [`History::schema`] or [`History::record`]): what [`Snapshot::into_json_reusing`] takes.
    pub(crate) fn read_record(&self, name: &str) -> Option<(std::cell::Ref<'_, Schema>, std::cell::Ref<'_, String>)> {
        let schema = std::cell::Ref::filter_map(self.schemas.borrow(), |m| m.get(name)).ok()?;
        let text = std::cell::Ref::filter_map(self.texts.borrow(), |m| m.get(name)).ok()?;
        Some((schema, text))
    }

    /// The schema after `name`: its record's, or for a hand-written migration without one its
    /// parent's (empty for an unknown name and before the first migration).
    ///
    /// # Errors
    ///
    /// [`EmitError`] when a record cannot be read.
    pub fn schema(&self, name: &str) -> Result<Schema, EmitError> {
        if let Some(s) = self.schemas.borrow().get(name) {
            return Ok(s.clone());
        }
        // one copy kept, one returned
        let schema = match self.read(name)? {
            Some(r) => r.schema,
            None => match self.graph.node(name).and_then(|n| n.parents.first()) {
                Some(p) => self.schema(p)?,
                None => Schema::default(),
            },
        };
        self.schemas.borrow_mut().insert(name.to_string(), schema.clone());
        Ok(schema)
    }

    /// [`History::schema`] of a recorded migration, taking the tables of `known` (tables the record
    /// holds as they are there, by name; see the build step's head index) instead of
    /// deserializing their text: a record of many tables of which one changed is then read for the
    /// cost of the others' text only. Tables not in `known`, and a record not in the form this
    /// crate writes, are read as [`History::schema`] reads them; the tables' texts left to read are
    /// deserialized by `read_all` (given them all at once, it may share them out among threads).
    ///
    /// # Errors
    ///
    /// [`EmitError`] when the record cannot be read.
    pub(crate) fn schema_reusing(
        &self,
        name: &str,
        known: &BTreeMap<&str, &crate::ir::Table>,
        read_all: &ReadTables<'_>,
    ) -> Result<Schema, EmitError> {
        if self.schemas.borrow().contains_key(name) || !self.places.contains_key(name) {
            return self.schema(name);
        }
        let path = Snapshot::path(&self.folder, name);
        let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
        let Some(segments) = super::state::table_texts(&text) else {
            return self.schema(name);
        };
        if segments.is_empty() {
            return self.schema(name);
        }
        // the record without its tables: the snapshot's other keys and objects, read as always
        let mut snapshot = Snapshot::parse(&path, &super::state::without_tables(&text, &segments))?;
        let bad = |e: serde_json::Error| EmitError::BadSnapshot {
            path: path.clone(),
            message: e.to_string(),
        };
        let mut tables = Vec::with_capacity(segments.len());
        let known_of = |segment: &str| table_name(segment).and_then(|n| known.get(n));
        let unknown: Vec<&str> = segments.iter().copied().filter(|s| known_of(s).is_none()).collect();
        let mut read = read_all(&unknown).into_iter();
        for segment in &segments {
            match known_of(segment) {
                Some(table) => tables.push((*table).clone()),
                None => {
                    let table = read
                        .next()
                        .ok_or_else(|| bad(serde::de::Error::custom("a table was not read")))?;
                    tables.push(table.map_err(bad)?);
                }
            }
        }
        snapshot.schema.tables = tables;
        self.texts.borrow_mut().insert(name.to_string(), text);
        self.schemas
            .borrow_mut()
            .insert(name.to_string(), snapshot.schema.clone());
        Ok(snapshot.schema)
    }

    /// The schemas of `names` and of their parents, by name (what a merge of branches reads).
    ///
    /// # Errors
    ///
    /// [`EmitError`] when a record cannot be read.
    pub fn schemas<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Result<BTreeMap<String, Schema>, EmitError> {
        let mut out = BTreeMap::new();
        for name in names {
            let node = self.graph.node(name);
            for n in std::iter::once(name).chain(node.into_iter().flat_map(|n| n.parents.iter().map(String::as_str))) {
                if !out.contains_key(n) {
                    out.insert(n.to_string(), self.schema(n)?);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_read_up_to_its_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        let body = "\u{e9}".repeat(20_000);
        // the key early: the start only, cut where a character would be cut
        std::fs::write(&path, format!("{{\n  \"format\": 2,{SCHEMA_KEY}\"{body}\"\n}}")).unwrap();
        let start = read_start(&path).unwrap();
        assert!(
            start.contains(SCHEMA_KEY) && start.len() <= 16 * 1024,
            "{}",
            start.len()
        );
        // the key after the first 16 KiB: read on until it is in
        let keys = "x".repeat(40_000);
        std::fs::write(&path, format!("{{\n  \"k\": \"{keys}\",{SCHEMA_KEY}\"{body}\"\n}}")).unwrap();
        let start = read_start(&path).unwrap();
        assert!(start.contains(SCHEMA_KEY) && start.len() < 40_000 + 64 * 1024);
        // no key: the whole file
        std::fs::write(&path, &body).unwrap();
        assert_eq!(read_start(&path).unwrap(), body);
        assert!(read_start(&dir.path().join("missing.json")).is_err());
    }

    #[test]
    fn the_place_of_a_record_is_read_from_its_keys_before_the_schema() {
        let mut t = crate::ir::Table::new("t");
        t.comment = Some("a \"schema\": {".into());
        let s = Snapshot::new(Dialect::Postgres, "2026-01-01-000000_x", Schema::new(vec![t]))
            .with_parents(["2025-01-01-000000_a"])
            .with_kind(Kind::Merge);
        let text = s.to_json();
        let fast = place_of_head(&text).expect("a record this crate wrote");
        let full: Place = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (fast.format, fast.dialect, fast.parents, fast.kind, fast.written_by),
            (full.format, full.dialect, full.parents, full.kind, full.written_by)
        );
        // other forms are read whole
        assert!(place_of_head(&serde_json::to_string(&s).unwrap()).is_none());
        assert!(place_of_head(&text.replace("\"format\": 2", "\"format\": 9")).is_none());
        assert!(place_of_head("{\n  \"schema\": {}\n}").is_none());
        let reordered = text
            .replace("  \"kind\": \"merge\",\n", "")
            .replace("\n}\n", ",\n  \"kind\": \"merge\"\n}\n");
        assert!(place_of_head(&reordered).is_none(), "{reordered}");
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(is_newer("999.0.0"));
        assert!(is_newer(&format!("{}.1", env!("CARGO_PKG_VERSION"))));
        assert!(!is_newer(env!("CARGO_PKG_VERSION")));
        assert!(!is_newer("0.0.1"));
        assert!(!is_newer(""));
        assert!(!is_newer("a newer one"));
        assert!(version_key("0.10.0") > version_key("0.9.9"));
        assert_eq!(version_key("1.2.3-beta.1+x"), Some(vec![1, 2, 3]));
    }
}
