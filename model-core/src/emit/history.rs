//! The migrations folder read as a graph: each migration, what it follows and its schema.

use super::{io_err, EmitError, MigrationsFolder, Snapshot, SNAPSHOT_DIR};
use crate::graph::{Graph, Kind, Node};
use crate::ir::{Dialect, Schema};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A migrations folder and its records in `.model/`, as a [`Graph`].
///
/// Each migration is a node: one with a format 2 record sits where its record says; one with a
/// format 1 record (written before the graph existed, when the history was a line) follows the
/// migration before it in version order; a hand-written migration without a record follows the
/// migration before it in version order too (the build step records that place the first time it
/// sees the migration, see [`History::unrecorded`]).
#[derive(Debug, Clone)]
pub struct History {
    /// The graph.
    pub graph: Graph,
    /// The schema after each migration (a hand-written one has its parent's).
    pub schemas: BTreeMap<String, Schema>,
    /// The record of each migration that has one.
    pub records: BTreeMap<String, Snapshot>,
    /// Hand-written migrations without a record yet, in version order.
    pub unrecorded: Vec<String>,
    /// Snapshot files whose migration folder no longer exists (ignored).
    pub orphans: Vec<PathBuf>,
}

impl History {
    /// Read the records of `folder`.
    ///
    /// ```
    /// use model_core::emit::{History, MigrationsFolder};
    /// let dir = std::env::temp_dir().join(format!("model-history-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(dir.join("2024-01-02-030405_backfill")).unwrap();
    /// let folder = MigrationsFolder::read(&dir).unwrap();
    /// let h = History::load(&folder, model_core::ir::Dialect::Sqlite).unwrap();
    /// assert_eq!(h.unrecorded, ["2024-01-02-030405_backfill"]);
    /// assert_eq!(h.graph.heads().len(), 1);
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
        let mut records = BTreeMap::new();
        let mut unrecorded = Vec::new();
        let mut previous: Option<&str> = None;
        for m in &folder.migrations {
            let path = Snapshot::path(&folder.path, &m.name);
            let before: Vec<String> = previous.map(str::to_string).into_iter().collect();
            if path.is_file() {
                let snap = Snapshot::read(&path)?;
                if snap.dialect != dialect {
                    return Err(EmitError::DialectMismatch {
                        path,
                        recorded: snap.dialect.to_string(),
                        configured: dialect.to_string(),
                    });
                }
                let parents = if snap.parents_known() {
                    snap.parents.clone()
                } else {
                    before
                };
                nodes.push(Node::new(&m.name, snap.kind, parents));
                records.insert(m.name.clone(), snap);
            } else {
                nodes.push(Node::new(&m.name, Kind::Manual, before));
                unrecorded.push(m.name.clone());
            }
            previous = Some(&m.name);
        }
        let graph = Graph::new(nodes).map_err(EmitError::Graph)?;
        let mut schemas = BTreeMap::new();
        for node in graph.nodes() {
            let schema = match records.get(&node.name) {
                Some(r) => r.schema.clone(),
                None => node
                    .parents
                    .first()
                    .and_then(|p| schemas.get(p).cloned())
                    .unwrap_or_default(),
            };
            schemas.insert(node.name.clone(), schema);
        }
        Ok(History {
            graph,
            schemas,
            records,
            unrecorded,
            orphans,
        })
    }

    /// The schema after `name` (empty for an unknown name).
    pub fn schema(&self, name: &str) -> Schema {
        self.schemas.get(name).cloned().unwrap_or_default()
    }
}
