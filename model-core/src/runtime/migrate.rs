//! Apply pending migrations one by one.

use super::Error;
use diesel::backend::Backend;
use diesel::migration::{Migration, MigrationSource, MigrationVersion};
use diesel_migrations::MigrationHarness;
use std::collections::HashSet;

/// Apply every pending migration of `source` to the database behind `conn`, in version order, and
/// return the versions applied (empty when the database was up to date).
///
/// Each migration runs in its own transaction (unless its `metadata.toml` says
/// `run_in_transaction = false`) and is recorded in Diesel's `__diesel_schema_migrations` table, so
/// a service can call this at every start. A failing migration stops the run with
/// [`Error::Apply`], which names it; the migrations before it stay applied.
///
/// On MySQL (a `MysqlConnection`, feature `mysql`), where DDL commits at once and a transaction
/// cannot undo half a migration, each migration runs one statement at a time with its progress
/// recorded in `__model_migration_progress`: a failing statement stops the run with
/// [`Error::Partial`], which names the statement and what is applied and says how to recover, and
/// the next run resumes at that statement.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use diesel_migrations::FileBasedMigrations;
///
/// let dir = std::env::temp_dir().join(format!("model_doc_migrate_{}", std::process::id()));
/// let m = dir.join("2024-01-01-000000_create_users");
/// std::fs::create_dir_all(&m).unwrap();
/// std::fs::write(m.join("up.sql"), "CREATE TABLE users (id INTEGER PRIMARY KEY);").unwrap();
/// std::fs::write(m.join("down.sql"), "DROP TABLE users;").unwrap();
///
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// let source = FileBasedMigrations::from_path(&dir).unwrap();
/// let applied = model_core::runtime::migrate(&mut conn, source).unwrap();
/// assert_eq!(applied, vec!["20240101000000".to_string()]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn migrate<DB, C>(conn: &mut C, source: impl MigrationSource<DB>) -> Result<Vec<String>, Error>
where
    DB: Backend + 'static,
    C: MigrationHarness<DB>,
{
    let all = source.migrations().map_err(|source| Error::Source { source })?;
    let applied: HashSet<String> = conn
        .applied_migrations()
        .map_err(|source| Error::Applied { source })?
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut pending: Vec<&dyn Migration<DB>> = all
        .iter()
        .map(|m| m.as_ref())
        .filter(|m| !applied.contains(&m.name().version().to_string()))
        .collect();
    pending.sort_by(|a, b| a.name().version().cmp(&b.name().version()));

    let mut done = Vec::with_capacity(pending.len());
    for migration in pending {
        // On MySQL the migration runs statement by statement (see `super::mysql`); its own errors
        // come back boxed through Diesel and are unboxed here.
        #[cfg(feature = "mysql")]
        let run = conn.run_migration(&super::mysql::Stepwise::new(migration));
        #[cfg(not(feature = "mysql"))]
        let run = conn.run_migration(migration);
        let version: MigrationVersion<'static> = run.map_err(|source| match source.downcast::<Error>() {
            Ok(error) => *error,
            Err(source) => Error::Apply {
                version: migration.name().version().to_string(),
                name: migration.name().to_string(),
                source,
            },
        })?;
        done.push(version.to_string());
    }
    Ok(done)
}
