//! The migration lock, by [`LockStrategy`]: the engine's own lock (each driver's
//! [`Driver::lock`]), or the table lock ([`table`]), and where a run works ([`Options::schema`]).
//! [`locked`] is the one entry point: every function that changes the database runs under it.

mod table;

#[cfg(feature = "mysql_backend")]
pub(crate) use table::ExecSql;
pub use table::LockRow;
pub use table::LOCK_TABLE;
pub(crate) use table::{LockSql, TableLock};

use super::driver::Driver;
use super::{Error, LockStrategy, Options};
use std::time::{Duration, Instant};

/// What a driver's own lock did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Native {
    /// Taken.
    Held,
    /// Not taken: the engine's own lock does not hold for every client of the database (the
    /// reason, for the log): MariaDB Galera (`GET_LOCK` is node-local), CockroachDB (advisory
    /// locks are no-ops), YugabyteDB (none). Only the PostgreSQL and MySQL drivers say it.
    #[cfg_attr(not(any(feature = "postgres_backend", feature = "mysql_backend")), allow(dead_code))]
    NotShared(&'static str),
}

/// Run `f` in [`Options::schema`] (when set) under the migration lock taken as
/// [`Options::lock`] says, waiting at most [`Options::lock_timeout`]; the lock is released and the
/// connection's schema put back on every path (a failure there is reported only when `f`
/// succeeded).
pub(crate) fn locked<T>(
    driver: &mut dyn Driver,
    options: &Options,
    f: impl FnOnce(&mut dyn Driver) -> Result<T, Error>,
) -> Result<T, Error> {
    if let Some(schema) = &options.schema {
        driver.enter_schema(schema, &options.shared_schemas, true)?;
    }
    let result = take(driver, options).and_then(|()| {
        let result = f(driver);
        let released = release(driver);
        result.and_then(|v| released.map(|()| v))
    });
    if options.schema.is_some() {
        let left = driver.leave_schema();
        return result.and_then(|v| left.map(|()| v));
    }
    result
}

/// Run `f` in `schema` (when given), without the lock (status, history, verify): nothing is
/// created, a missing schema is [`Error::NoSchema`].
pub(crate) fn in_schema<T>(
    driver: &mut dyn Driver,
    schema: Option<&str>,
    f: impl FnOnce(&mut dyn Driver) -> Result<T, Error>,
) -> Result<T, Error> {
    let Some(schema) = schema else {
        return f(driver);
    };
    driver.enter_schema(schema, &[], false)?;
    let result = f(driver);
    let left = driver.leave_schema();
    result.and_then(|v| left.map(|()| v))
}

/// Take the lock.
fn take(d: &mut dyn Driver, options: &Options) -> Result<(), Error> {
    let timeout = options.lock_timeout;
    match options.lock {
        LockStrategy::Auto => match d.lock(timeout, false)? {
            Native::Held => Ok(()),
            Native::NotShared(why) => {
                log::debug!("the migration lock is the table lock: {why}");
                take_table(d, options, timeout)
            }
        },
        LockStrategy::Advisory => d.lock(timeout, true).map(|_| ()),
        LockStrategy::Table => {
            let start = Instant::now();
            if d.lock_sql().is_none() {
                // SQLite: its write lock is the whole file's
                return d.lock(timeout, true).map(|_| ());
            }
            take_table(d, options, timeout)?;
            // and the engine's own lock where it holds, so runs with the advisory strategy on the
            // same server are kept out too (row first, then that lock: they never wait for a row)
            match d.lock(timeout.saturating_sub(start.elapsed()), false) {
                Ok(_) => Ok(()),
                Err(e) => {
                    let _ = release(d);
                    Err(e)
                }
            }
        }
    }
}

fn take_table(d: &mut dyn Driver, options: &Options, timeout: Duration) -> Result<(), Error> {
    let Some(sql) = d.lock_sql() else {
        return d.lock(timeout, true).map(|_| ());
    };
    let lock = TableLock::acquire(sql, timeout, options.lock_lease)?;
    match d.table_lock() {
        Some(slot) => *slot = Some(lock),
        None => {
            // a driver with SQL for the lock keeps it; release at once rather than hold it untracked
            if let Some(sql) = d.lock_sql() {
                let _ = lock.release(sql);
            }
        }
    }
    Ok(())
}

/// Release what is held: the engine's lock (and the session settings of the run), then the row.
fn release(d: &mut dyn Driver) -> Result<(), Error> {
    let native = d.unlock();
    let row = match d.table_lock().and_then(Option::take) {
        Some(lock) => match d.lock_sql() {
            Some(sql) => lock.release(sql),
            None => Ok(()),
        },
        None => Ok(()),
    };
    native.and(row)
}
