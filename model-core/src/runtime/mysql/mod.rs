//! MySQL commits every DDL statement at once: a transaction cannot undo half a migration. So on
//! MySQL a migration is applied one statement at a time, and after each statement the number of
//! statements done is recorded in the table `__model_migration_progress` (with a checksum of those
//! statements). When a statement fails, [`Error::Partial`] names the migration, the statement (its
//! number and text) and what is already applied, and says how to recover; the next run of
//! [`migrate`](super::migrate) resumes at the failed statement, once its cause is fixed. When the
//! migration completes, its progress row is deleted and it is recorded in
//! `__diesel_schema_migrations` and `__model_migrations`, in one transaction.

pub(crate) mod progress;

use super::driver::Exec;
use super::script::Script;
use super::split;
use super::Error;
use crate::ir::Dialect;

pub use progress::TABLE as PROGRESS_TABLE;

/// Apply the statements of `script`'s up.sql one by one, resuming after the statements a previous
/// run recorded; the progress row is left for the caller to delete with the migration's record.
/// `before` runs before each statement (the table lock's heartbeat).
pub(crate) fn apply<E: Exec>(
    conn: &mut E,
    script: &Script,
    before: &mut dyn FnMut(&mut E) -> Result<(), Error>,
) -> Result<(), Error> {
    let (version, name) = (script.version.clone(), script.name.clone());
    let statements = split::statements(&script.up, Dialect::Mysql);
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
        before(conn)?;
        if let Err(source) = conn.execute(statement) {
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
    Ok(())
}
