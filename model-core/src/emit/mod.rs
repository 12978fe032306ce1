//! The migrations folder: what is in it, the recorded state, and writing a new migration.
//!
//! Layout (Diesel's, plus one hidden folder Diesel ignores):
//!
//! ```text
//! migrations/
//!   2026-11-23-101500_create_users/up.sql, down.sql     ← written once, never touched again
//!   2026-11-24-090000_backfill_emails/up.sql, down.sql  ← hand-written: kept, ordered, never rewritten
//!   .model/2026-11-23-101500_create_users.json          ← the schema after that migration
//! ```
//!
//! Each record names the migrations its migration follows, so the folder is a graph (see
//! [`crate::graph`] and [`History`]); the recorded state is the schema of the graph's head, so
//! deleting the last generated migration (to regenerate it) rolls the state back with it.

mod folder;
mod history;
mod state;
mod version;
mod write;

pub use folder::{MigrationDir, MigrationsFolder};
pub use history::{History, NewerRecord, Place};
pub(crate) use state::{RecordTables, Spans};
pub use state::{RecordedState, Snapshot, FORMAT, SNAPSHOT_DIR};
pub use version::next_version;
pub(crate) use write::write_parts_if_changed;
pub use write::{write_if_changed, Written};

/// The `metadata.toml` of a migration folder, when the migration needs one: Diesel's
/// `run_in_transaction = false` for a migration that cannot run in one transaction (see
/// [`crate::plan::Migration::run_in_transaction`]).
///
/// ```
/// use model_core::ir::{Column, ColumnType, Dialect, Schema, Table};
/// use model_core::plan::plan_migration;
/// let mut t = Table::new("t");
/// t.columns.push(Column::new("a", ColumnType::Text));
/// let m = plan_migration(&Schema::default(), &Schema::new(vec![t]), Dialect::Postgres, false).unwrap().unwrap();
/// assert_eq!(model_core::emit::metadata_toml(&m), None);
/// ```
pub fn metadata_toml(migration: &crate::plan::Migration) -> Option<String> {
    (!migration.run_in_transaction).then(|| {
        if migration.up_sql.contains("CONCURRENTLY") {
            "# PostgreSQL builds and drops indexes CONCURRENTLY only outside a transaction\n\
             run_in_transaction = false\n"
        } else if migration.up_sql.contains("$model_backfill$") {
            "# the backfill commits each batch, which it can only outside a transaction\n\
             run_in_transaction = false\n"
        } else {
            "# PostgreSQL uses new enum values only once they are committed: the migration commits in between\n\
             run_in_transaction = false\n"
        }
        .to_string()
    })
}

use std::path::PathBuf;

/// Errors reading or writing the migrations folder.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// A file or folder cannot be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A recorded snapshot cannot be read.
    #[error("{path}: the recorded schema cannot be read ({message}); restore it from version control, or delete it together with its migration folder to regenerate that migration")]
    BadSnapshot {
        /// The snapshot file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The snapshot was recorded for another dialect.
    #[error("{path}: the recorded schema is for {recorded}, but [package.metadata.model] says dialect = \"{configured}\"; a migrations folder serves one dialect: point `migrations` at another folder for the new one")]
    DialectMismatch {
        /// The snapshot file.
        path: PathBuf,
        /// Dialect in the snapshot.
        recorded: String,
        /// Dialect in the configuration.
        configured: String,
    },
    /// A snapshot was written by a newer version of the crate, in a format this one cannot read.
    #[error("{path} is in snapshot format {format}, written by {written_by}; this build reads formats up to 2 (model-core {ours}): upgrade the model crate in this project (e.g. `cargo update -p diesel-model`) to the version the team uses", ours = env!("CARGO_PKG_VERSION"))]
    NewerSnapshot {
        /// The snapshot file.
        path: PathBuf,
        /// Its format.
        format: u32,
        /// Who wrote it, in words (`model-core 0.3.0`).
        written_by: String,
    },
    /// The records in `.model/` do not make a migration graph.
    #[error("{0}")]
    Graph(crate::graph::GraphError),
    /// No version can be made that sorts after the existing ones.
    #[error("{folder}: migration `{existing}` has a version that sorts after any date-based version; rename it to the `YYYY-MM-DD-HHMMSS_name` form")]
    VersionOrder {
        /// The migrations folder.
        folder: PathBuf,
        /// The migration folder name in the way.
        existing: String,
    },
}

pub(crate) fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> EmitError {
    let path = path.into();
    move |source| EmitError::Io { path, source }
}
