//! MySQL commits every DDL statement at once: a transaction cannot undo half a migration. So on
//! MySQL a migration is applied one statement at a time, and after each statement the number of
//! statements done is recorded in the table `__model_migration_progress` (with a checksum of those
//! statements). When a statement fails, [`Error::Partial`] names the migration, the statement (its
//! number and text) and what is already applied, and says how to recover; the next run of
//! [`migrate`](super::migrate) resumes at the failed statement, once its cause is fixed. When the
//! migration completes, its progress row is deleted and Diesel records it in
//! `__diesel_schema_migrations` as usual.
//!
//! The migration reaches the connection through Diesel's harness ([`Stepwise`] wraps it), so
//! `migrate` keeps working for any backend. Diesel opens a transaction around a migration; MySQL
//! ends it at the first DDL statement anyway, so the run commits it at once: each statement and its
//! progress row are then durable on their own.

pub(super) mod progress;
mod record;
mod split;

use super::Error;
use diesel::backend::Backend;
use diesel::connection::BoxableConnection;
use diesel::migration::{Migration, MigrationMetadata, MigrationName};
use diesel::mysql::MysqlConnection;
use diesel::{sql_query, RunQueryDsl};

pub use progress::TABLE as PROGRESS_TABLE;

/// A migration that runs statement by statement when its connection is a [`MysqlConnection`], and
/// as it is otherwise.
pub(super) struct Stepwise<'a, DB: Backend + 'static> {
    inner: &'a dyn Migration<DB>,
}

impl<'a, DB: Backend + 'static> Stepwise<'a, DB> {
    /// Wrap `inner`.
    pub(super) fn new(inner: &'a dyn Migration<DB>) -> Self {
        Stepwise { inner }
    }
}

impl<DB: Backend + 'static> Migration<DB> for Stepwise<'_, DB> {
    fn run(&self, conn: &mut dyn BoxableConnection<DB>) -> diesel::migration::Result<()> {
        match conn.as_any_mut().downcast_mut::<MysqlConnection>() {
            Some(mysql) => apply(mysql, self.inner).map_err(Into::into),
            None => self.inner.run(conn),
        }
    }

    fn revert(&self, conn: &mut dyn BoxableConnection<DB>) -> diesel::migration::Result<()> {
        self.inner.revert(conn)
    }

    fn metadata(&self) -> &dyn MigrationMetadata {
        self.inner.metadata()
    }

    fn name(&self) -> &dyn MigrationName {
        self.inner.name()
    }
}

/// Apply `migration` statement by statement, resuming after the statements a previous run
/// recorded.
fn apply<DB: Backend>(conn: &mut MysqlConnection, migration: &dyn Migration<DB>) -> Result<(), Error> {
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
    // end the transaction Diesel opened (MySQL would at the first DDL statement)
    sql_query("COMMIT").execute(conn).map_err(bookkeeping)?;
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
                statement: split::without_leading_comments(statement).to_string(),
                source: Box::new(source),
            });
        }
        progress::write(conn, &version, i + 1, &progress::checksum(&statements[..=i])).map_err(bookkeeping)?;
    }
    progress::clear(conn, &version).map_err(bookkeeping)
}
