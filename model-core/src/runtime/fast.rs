//! The fast start: a database that already holds every migration of the source, as verified by an
//! earlier run, is recognised in one query, without the lock's round trips and without the
//! checksum of every applied migration.
//!
//! A run that leaves every migration of the source applied records in `__model_fingerprint`
//! ([`FINGERPRINT_TABLE`]) the **fingerprint** of the source (SHA-256 of each migration's version and
//! `up.sql` text, byte for byte) together with the number of rows of Diesel's
//! `__diesel_schema_migrations` and its newest version, once its checksums are verified. A start
//! whose source has that fingerprint, on a database whose Diesel table still has that many rows and
//! that newest version, has nothing to apply and nothing to verify: it returns at once. Anything
//! else runs the full, locked path, which records the fingerprint again at its end:
//!
//! - a new migration, or any edit of an applied one (even of a comment: the fingerprint is of the
//!   raw text) changes the fingerprint, so the full path checks the checksums (an edit beyond
//!   comments and blanks is still [`Error::Checksum`](super::Error::Checksum));
//! - migrations applied or reverted behind the runtime's back (bare Diesel, `model downgrade`)
//!   change the row count or the newest version;
//! - another process migrating: on PostgreSQL the query takes the migration lock for its own
//!   duration (`pg_try_advisory_xact_lock`), on MySQL it requires the lock free (`IS_FREE_LOCK`), so
//!   a start never returns at once while another process holds the lock; on SQLite it reads the last
//!   committed state (a migration in progress is not committed, so its fingerprint is not there).
//!
//! The query only reads: it cannot get in the way of a run that holds the lock. It is asked only of
//! runs without [`Options::schema`] (a tenant's run reads its own tracking tables) and without
//! [`LockStrategy::Table`] (whose lock is a row the query does not look at); those always take the
//! locked path.

use super::driver::postgres_key;
use super::driver::{tracking, Driver};
use super::lock::locked;
use super::script::Script;
use super::{Error, LockStrategy, Options};
use crate::ir::Dialect;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// The table of the fingerprint (one row).
pub const FINGERPRINT_TABLE: &str = "__model_fingerprint";

/// Diesel's table.
const DIESEL_TABLE: &str = "__diesel_schema_migrations";

/// The fingerprint of `scripts`: 64 hex digits.
fn fingerprint(scripts: &[Script]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"model-fingerprint-1\0");
    for s in scripts {
        hasher.update(s.version.as_bytes());
        hasher.update([0]);
        hasher.update(s.up.as_bytes());
        hasher.update([0]);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for byte in hasher.finalize() {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    out
}

/// The query that counts 1 when the database is up to date with the fingerprint `fp` (0 otherwise;
/// an error when a table is missing).
fn check_sql(dialect: Dialect, fp: &str) -> String {
    let (count, lock) = match dialect {
        Dialect::Postgres => {
            let (a, b) = postgres_key();
            (
                "count(*)".to_string(),
                format!(" AND pg_try_advisory_xact_lock({a}, {b})"),
            )
        }
        Dialect::Mysql => (
            "CAST(count(*) AS SIGNED)".to_string(),
            " AND IS_FREE_LOCK(CONCAT('model_migrate_', SHA1(IFNULL(DATABASE(), '')))) = 1".to_string(),
        ),
        Dialect::Sqlite => ("count(*)".to_string(), String::new()),
    };
    format!(
        "SELECT {count} AS n FROM {FINGERPRINT_TABLE} f WHERE f.id = 1 AND f.fingerprint = '{fp}' AND f.applied = \
         (SELECT count(*) FROM {DIESEL_TABLE}) AND f.newest = (SELECT max(version) FROM {DIESEL_TABLE}){lock}"
    )
}

/// The statements that record `fp` with the present state of Diesel's table.
fn record_sql(fp: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {FINGERPRINT_TABLE} (id INTEGER NOT NULL PRIMARY KEY, fingerprint VARCHAR(64) NOT \
         NULL, applied BIGINT NOT NULL, newest VARCHAR(50));\n\
         DELETE FROM {FINGERPRINT_TABLE};\n\
         INSERT INTO {FINGERPRINT_TABLE} (id, fingerprint, applied, newest) SELECT 1, '{fp}', count(*), max(version) \
         FROM {DIESEL_TABLE}"
    )
}

/// Apply the pending migrations among the first `upto` of `scripts`: at once when the database is
/// known to hold all of them, else with `up` under the lock (as `options` say), recording the
/// fingerprint afterwards when the source is then wholly applied.
pub(super) fn run(
    d: &mut dyn Driver,
    scripts: &[Script],
    upto: usize,
    options: &Options,
    up: impl FnOnce(&mut dyn Driver, &[Script], usize) -> Result<Vec<String>, Error>,
) -> Result<Vec<String>, Error> {
    let fast = options.schema.is_none() && options.lock != LockStrategy::Table;
    let fp = fingerprint(scripts);
    // an error (first run: no table) is not up to date
    if fast && d.count(&check_sql(d.dialect(), &fp)).is_ok_and(|n| n == 1) {
        log::debug!("no pending migration (the database holds the fingerprint of the migrations)");
        return Ok(Vec::new());
    }
    locked(d, options, |d| {
        let done = up(d, scripts, upto)?;
        if options.schema.is_some() {
            return Ok(done);
        }
        let applied: HashSet<String> = d
            .sums()
            .map_err(|e| tracking("read", e))?
            .into_iter()
            .map(|(version, _)| version)
            .collect();
        if scripts.iter().all(|s| applied.contains(&s.version)) {
            d.batch(&record_sql(&fp))
                .map_err(|e| tracking(&format!("record the fingerprint in `{FINGERPRINT_TABLE}` beside"), e))?;
        }
        Ok(done)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(version: &str, up: &str) -> Script {
        Script {
            version: version.into(),
            name: format!("{version}_x"),
            up: up.into(),
            down: None,
            in_transaction: true,
        }
    }

    #[test]
    fn the_fingerprint_sees_every_byte_and_every_boundary() {
        let a = fingerprint(&[script("1", "CREATE TABLE a (id INT);"), script("2", "SELECT 1;")]);
        assert_eq!(a.len(), 64);
        assert_eq!(
            a,
            fingerprint(&[script("1", "CREATE TABLE a (id INT);"), script("2", "SELECT 1;")])
        );
        // a comment is an edit here (the full path then finds the checksum unchanged)
        assert_ne!(
            a,
            fingerprint(&[script("1", "CREATE TABLE a (id INT); -- x"), script("2", "SELECT 1;")])
        );
        assert_ne!(a, fingerprint(&[script("1", "CREATE TABLE a (id INT);")]));
        assert_ne!(
            fingerprint(&[script("1", "ab")]),
            fingerprint(&[script("1a", "b")]),
            "the version and the text are kept apart"
        );
    }
}
