use super::{io_err, EmitError, MigrationsFolder};
use crate::ir::{Dialect, Schema};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Name of the hidden folder (inside the migrations folder) that holds the recorded schemas.
pub const SNAPSHOT_DIR: &str = ".model";

const FORMAT: u32 = 1;

/// The schema recorded after one generated migration (`.model/<migration>.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// File format version.
    pub format: u32,
    /// Dialect the migration was rendered for.
    pub dialect: Dialect,
    /// The migration folder name this snapshot belongs to.
    pub migration: String,
    /// The whole schema after the migration.
    pub schema: Schema,
}

impl Snapshot {
    /// A snapshot of `schema` after `migration`.
    pub fn new(dialect: Dialect, migration: impl Into<String>, schema: Schema) -> Self {
        Snapshot {
            format: FORMAT,
            dialect,
            migration: migration.into(),
            schema,
        }
    }

    /// Path of the snapshot of `migration` in `folder`.
    pub fn path(folder: &Path, migration: &str) -> PathBuf {
        folder.join(SNAPSHOT_DIR).join(format!("{migration}.json"))
    }

    /// The file content: pretty JSON with a final newline (stable, diff-friendly).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The recorded state of a migrations folder: the snapshot of the newest migration that has one
    /// (`None` when no generated migration exists yet). Snapshots whose migration folder is gone are
    /// returned in `orphans` so the caller can warn.
    pub fn latest(folder: &MigrationsFolder, dialect: Dialect) -> Result<RecordedState, EmitError> {
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
        for m in folder.migrations.iter().rev() {
            let path = Snapshot::path(&folder.path, &m.name);
            if !path.is_file() {
                continue; // a hand-written migration
            }
            let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
            let snap: Snapshot = serde_json::from_str(&text).map_err(|e| EmitError::BadSnapshot {
                path: path.clone(),
                message: e.to_string(),
            })?;
            if snap.format != FORMAT {
                return Err(EmitError::BadSnapshot {
                    path,
                    message: format!("format {} is not {FORMAT}; upgrade the model crate", snap.format),
                });
            }
            if snap.dialect != dialect {
                return Err(EmitError::DialectMismatch {
                    path,
                    recorded: snap.dialect.to_string(),
                    configured: dialect.to_string(),
                });
            }
            return Ok(RecordedState {
                snapshot: Some(snap),
                orphans,
            });
        }
        Ok(RecordedState {
            snapshot: None,
            orphans,
        })
    }
}

/// What [`Snapshot::latest`] found.
#[derive(Debug, Clone)]
pub struct RecordedState {
    /// The newest snapshot, if any migration was generated yet.
    pub snapshot: Option<Snapshot>,
    /// Snapshot files whose migration folder no longer exists (ignored).
    pub orphans: Vec<PathBuf>,
}

impl RecordedState {
    /// The recorded schema (empty before the first generated migration).
    pub fn schema(&self) -> Schema {
        self.snapshot.as_ref().map(|s| s.schema.clone()).unwrap_or_default()
    }
}
