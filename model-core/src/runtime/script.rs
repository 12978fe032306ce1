//! A migration as the runtime needs it: its version, name, SQL text and metadata, read through
//! Diesel's [`Migration`] without running it.

use super::{BoxError, Error};
use diesel::backend::Backend;
use diesel::connection::{BoxableConnection, SimpleConnection};
use diesel::migration::{Migration, MigrationSource};
use diesel::QueryResult;

/// One migration of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Script {
    /// Its version (`20240101000000`).
    pub version: String,
    /// Its full name (the folder name).
    pub name: String,
    /// The text of `up.sql`.
    pub up: String,
    /// The text of `down.sql`, when there is one (and it was asked for).
    pub down: Option<String>,
    /// `run_in_transaction` of its `metadata.toml` (default `true`).
    pub in_transaction: bool,
}

/// Every migration of `source`, in version order; their down.sql only when `with_down`.
pub(super) fn scripts<DB: Backend>(source: &impl MigrationSource<DB>, with_down: bool) -> Result<Vec<Script>, Error> {
    let migrations = source.migrations().map_err(|source| Error::Source { source })?;
    let mut out = Vec::with_capacity(migrations.len());
    for m in &migrations {
        let version = m.name().version().to_string();
        let name = m.name().to_string();
        let up = up_sql(m.as_ref()).map_err(|source| Error::Apply {
            version: version.clone(),
            name: name.clone(),
            source,
        })?;
        // Diesel reports a missing down.sql (and an empty file-based one) as an error of `revert`
        let down = if with_down {
            down_sql(m.as_ref()).ok().filter(|sql| !sql.trim().is_empty())
        } else {
            None
        };
        out.push(Script {
            version,
            name,
            up,
            down,
            in_transaction: m.metadata().run_in_transaction(),
        });
    }
    out.sort_by(|a, b| a.version.cmp(&b.version));
    Ok(out)
}

/// A stand-in connection that keeps what it is asked to execute.
#[derive(Debug, Default)]
struct Recorder {
    sql: String,
}

impl SimpleConnection for Recorder {
    fn batch_execute(&mut self, query: &str) -> QueryResult<()> {
        self.sql.push_str(query);
        self.sql.push('\n');
        Ok(())
    }
}

impl<DB: Backend> BoxableConnection<DB> for Recorder {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// The text of `migration`'s `up.sql`: Diesel's migrations (file-based and embedded) run it with
/// one `batch_execute`, which the recorder keeps instead of executing.
pub(super) fn up_sql<DB: Backend>(migration: &dyn Migration<DB>) -> Result<String, BoxError> {
    let mut recorder = Recorder::default();
    migration.run(&mut recorder)?;
    Ok(recorder.sql)
}

/// The text of `migration`'s `down.sql`, recorded the same way.
fn down_sql<DB: Backend>(migration: &dyn Migration<DB>) -> Result<String, BoxError> {
    let mut recorder = Recorder::default();
    migration.revert(&mut recorder)?;
    Ok(recorder.sql)
}
