//! MySQL commits every DDL statement at once: a transaction cannot undo half a migration. So on
//! MySQL a migration is applied one statement at a time, and after each statement the number of
//! statements done is recorded in the table `__model_migration_progress` (with a checksum of those
//! statements). When a statement fails, [`Error::Partial`] names the migration, the statement (its
//! number and text) and what is already applied, and says how to recover; the next run of
//! [`migrate`](super::migrate) resumes at the failed statement, once its cause is fixed. When the
//! migration completes, it is recorded in Diesel's `__diesel_schema_migrations` and its progress
//! row is deleted.

pub(super) mod progress;
mod record;
mod split;

use super::Error;
use diesel::backend::Backend;
use diesel::migration::Migration;
use diesel::mysql::MysqlConnection;
use diesel::sql_types::Text;
use diesel::{sql_query, RunQueryDsl};

pub use progress::TABLE as PROGRESS_TABLE;

/// Apply `migration` statement by statement (resuming after the statements a previous run
/// recorded), then record it as applied. Returns its version.
pub(super) fn apply<DB: Backend>(conn: &mut MysqlConnection, migration: &dyn Migration<DB>) -> Result<String, Error> {
    let version = migration.name().version().to_string();
    let name = migration.name().to_string();
    let sql = record::up_sql(migration).map_err(|source| Error::Apply {
        version: version.clone(),
        name: name.clone(),
        source,
    })?;
    let statements = split::statements(&sql);
    let bookkeeping = |source: diesel::result::Error| Error::Progress {
        version: version.clone(),
        name: name.clone(),
        source: Box::new(source),
    };
    progress::ensure(conn).map_err(bookkeeping)?;
    let start = match progress::read(conn, &version).map_err(bookkeeping)? {
        None => 0,
        Some(p) => {
            let done = usize::try_from(p.done).unwrap_or(0).min(statements.len());
            if progress::checksum(&statements[..done]) != p.checksum {
                return Err(Error::Edited { version, name, done });
            }
            done
        }
    };
    for (i, statement) in statements.iter().enumerate().skip(start) {
        if let Err(source) = sql_query(statement.as_str()).execute(conn) {
            return Err(Error::Partial {
                version,
                name,
                number: i + 1,
                total: statements.len(),
                statement: statement.clone(),
                source: Box::new(source),
            });
        }
        progress::write(conn, &version, i + 1, &progress::checksum(&statements[..=i])).map_err(bookkeeping)?;
    }
    sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES (?)")
        .bind::<Text, _>(&version)
        .execute(conn)
        .map_err(bookkeeping)?;
    progress::clear(conn, &version).map_err(bookkeeping)?;
    Ok(version)
}
