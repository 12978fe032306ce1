//! The migrations folder read as a graph: each migration, what it follows and its schema.

use super::{io_err, EmitError, MigrationsFolder, Snapshot, SNAPSHOT_DIR};
use crate::graph::{Graph, Kind, Node};
use crate::ir::{Dialect, Schema};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

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
    folder: PathBuf,
    schemas: RefCell<BTreeMap<String, Schema>>,
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
        let mut previous: Option<&str> = None;
        for m in &folder.migrations {
            let path = Snapshot::path(&folder.path, &m.name);
            let before: Vec<String> = previous.map(str::to_string).into_iter().collect();
            if path.is_file() {
                let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
                Snapshot::check_format(&path, &text)?;
                let place: Place = serde_json::from_str(&text).map_err(|e| EmitError::BadSnapshot {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
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
            folder: folder.path.clone(),
            schemas: RefCell::default(),
        })
    }

    /// The whole record of `name`, when it has one.
    ///
    /// # Errors
    ///
    /// [`EmitError`] when it cannot be read.
    pub fn record(&self, name: &str) -> Result<Option<Snapshot>, EmitError> {
        if !self.places.contains_key(name) {
            return Ok(None);
        }
        let snap = Snapshot::read(&Snapshot::path(&self.folder, name))?;
        self.schemas
            .borrow_mut()
            .entry(name.to_string())
            .or_insert_with(|| snap.schema.clone());
        Ok(Some(snap))
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
        let schema = match self.record(name)? {
            Some(r) => r.schema,
            None => match self.graph.node(name).and_then(|n| n.parents.first()) {
                Some(p) => self.schema(p)?,
                None => Schema::default(),
            },
        };
        self.schemas.borrow_mut().insert(name.to_string(), schema.clone());
        Ok(schema)
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
