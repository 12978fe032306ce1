//! Apply pending migrations: [`migrate`], [`migrate_with`], [`upgrade_to`].

use super::checksum::checksum;
use super::driver::{driver, AppliedRow, Driver};
use super::script::{scripts, Script};
use super::{Error, MigrateConnection, Options};
use diesel::migration::MigrationSource;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// Apply every pending migration of `source` to the database behind `conn`, in version order, and
/// return the versions applied (empty when the database was up to date). [`migrate_with`] with the
/// default [`Options`] (60 s to get the migration lock; on PostgreSQL a `lock_timeout` of 2 s in each
/// migration, and 5 new tries with backoff of a migration that timed out waiting for a table lock).
///
/// What it guarantees, on every backend:
///
/// - **One run at a time.** The whole run, the creation of the tracking tables included, holds a
///   cross-process lock: a PostgreSQL advisory lock (polled with `pg_try_advisory_lock`, so a
///   `CREATE INDEX CONCURRENTLY` in a `run_in_transaction = false` migration works), MySQL's
///   `GET_LOCK`, SQLite's write lock (`BEGIN IMMEDIATE`, taken again between migrations). Replicas
///   that start together wait for each other; a wait past [`Options::lock_timeout`] is
///   [`Error::LockTimeout`], which says who holds the lock when the database can tell.
/// - **Checksums.** Each applied migration's checksum (SHA-256 of its up.sql without comments and
///   blanks) is kept in `__model_migrations`, beside Diesel's `__diesel_schema_migrations`. An
///   applied migration whose up.sql changed since is [`Error::Checksum`], which names it and says
///   how to accept the edit ([`accept`](super::accept)). Migrations applied before this crate kept
///   checksums (bare Diesel) are adopted: their checksum is recorded, and a line logged.
/// - **Atomicity.** Each migration runs in its own transaction (PostgreSQL, SQLite; on PostgreSQL
///   not when its `metadata.toml` says `run_in_transaction = false`), sent as one batch like Diesel
///   does; when it fails, it is rolled back to its start and run again statement by statement, so
///   [`Error::Statement`] names the migration, the failing statement and the database's message. The
///   migration is rolled back whole; the ones before it stay applied. On MySQL,
///   where DDL commits at once, the progress of a migration is recorded after each statement in
///   `__model_migration_progress` and a failed run ([`Error::Partial`]) resumes at the failed
///   statement. A process killed in the middle leaves a database the next run completes.
/// - **Branches.** A pending migration that sorts before the newest applied one (made on a git
///   branch merged after the database got the other branch) runs only when a merge migration —
///   applied, or about to run — brings it in: the build step wrote that merge after checking that
///   the branches change different objects. It is logged at `info`. Any other such migration is
///   [`Error::OutOfOrder`], which names it, before anything runs.
/// - **Lock timeouts** (PostgreSQL): each migration runs with `lock_timeout` set
///   ([`Options::ddl_lock_timeout`]), so a DDL statement queued behind a long query gives up instead of
///   making every later query of the table wait behind it; the migration (rolled back whole) is then
///   tried again after a backoff, [`Options::retries`] times at most, each try logged at `warn`. A
///   `CREATE INDEX CONCURRENTLY` that was interrupted leaves an `INVALID` index: before a migration
///   that runs outside a transaction builds an index concurrently, such an index of that name is
///   dropped (logged), so the build runs again instead of failing for ever.
/// - **Logging** through the `log` crate: each migration applied and how long it took, lock waits,
///   adoptions.
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
pub fn migrate<C>(conn: &mut C, source: impl MigrationSource<C::Db>) -> Result<Vec<String>, Error>
where
    C: MigrateConnection + ?Sized,
{
    migrate_with(conn, source, &Options::default())
}

/// [`migrate`] with [`Options`] (the lock timeout).
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::runtime::{migrate_with, Options};
///
/// let dir = std::env::temp_dir().join(format!("model_doc_migrate_with_{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// let source = diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
/// let options = Options { lock_timeout: std::time::Duration::from_secs(5), ..Options::default() };
/// assert!(migrate_with(&mut conn, source, &options).unwrap().is_empty());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn migrate_with<C>(
    conn: &mut C,
    source: impl MigrationSource<C::Db>,
    options: &Options,
) -> Result<Vec<String>, Error>
where
    C: MigrateConnection + ?Sized,
{
    let scripts = scripts(&source, false)?;
    let mut driver = driver(conn)?;
    migrate_scripts(driver.as_mut(), &scripts, options)
}

/// [`migrate_with`] of migrations already read (each tenant's run reads them once for all).
pub(super) fn migrate_scripts(d: &mut dyn Driver, scripts: &[Script], options: &Options) -> Result<Vec<String>, Error> {
    super::fast::run(d, scripts, scripts.len(), options, |d, s, upto| up(d, s, upto, options))
}

/// Apply the pending migrations of `source` up to and including the version `target`, and return
/// the versions applied; [`Error::UnknownVersion`] when no migration of `source` has that version.
/// Same guarantees as [`migrate`].
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::runtime::{upgrade_to, Options};
///
/// let dir = std::env::temp_dir().join(format!("model_doc_upgrade_to_{}", std::process::id()));
/// for (name, sql) in [("2024-01-01-000000_a", "CREATE TABLE a (id INTEGER);"),
///                     ("2024-01-02-000000_b", "CREATE TABLE b (id INTEGER);")] {
///     std::fs::create_dir_all(dir.join(name)).unwrap();
///     std::fs::write(dir.join(name).join("up.sql"), sql).unwrap();
/// }
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// let source = || diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
/// let applied = upgrade_to(&mut conn, source(), "20240101000000", &Options::default()).unwrap();
/// assert_eq!(applied, ["20240101000000"]);
/// assert!(upgrade_to(&mut conn, source(), "20990101000000", &Options::default()).is_err());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn upgrade_to<C>(
    conn: &mut C,
    source: impl MigrationSource<C::Db>,
    target: &str,
    options: &Options,
) -> Result<Vec<String>, Error>
where
    C: MigrateConnection + ?Sized,
{
    let scripts = scripts(&source, false)?;
    let Some(last) = scripts.iter().position(|s| s.version == target) else {
        return Err(Error::UnknownVersion {
            version: target.to_string(),
            why: "not in the migrations folder",
        });
    };
    let mut driver = driver(conn)?;
    super::fast::run(driver.as_mut(), &scripts, last + 1, options, |d, s, upto| {
        up(d, s, upto, options)
    })
}

/// Under the lock: create the tracking tables, check the checksums (adopting what bare Diesel
/// applied), then apply the pending migrations among the first `upto` scripts, reading the applied
/// ones again before each (SQLite lets other processes in between two migrations).
fn up(d: &mut dyn Driver, scripts: &[Script], upto: usize, options: &Options) -> Result<Vec<String>, Error> {
    d.set_ddl_lock_timeout(options.ddl_lock_timeout);
    let applied = d.sums_or_create()?;
    check_checksums(d, scripts, &applied)?;
    let mut applied: HashSet<String> = applied.into_iter().map(|r| r.version).collect();
    super::branches::check(scripts, &applied, upto)?;
    let mut done = Vec::new();
    while let Some(script) = scripts[..upto].iter().find(|s| !applied.contains(&s.version)) {
        if baseline_held(d, script)? {
            d.record_without_running(script, &checksum(&script.up, d.dialect()))?;
            log::info!(
                "baseline migration {} (`{}`) recorded as applied without running it: the database already holds \
                 exactly its schema",
                script.version,
                script.name
            );
            done.push(script.version.clone());
            applied.insert(script.version.clone());
            continue;
        }
        let start = Instant::now();
        log::info!("applying migration {} (`{}`)", script.version, script.name);
        apply_with_retries(d, script, options)?;
        log::info!(
            "applied migration {} (`{}`) in {:?}",
            script.version,
            script.name,
            start.elapsed()
        );
        done.push(script.version.clone());
        if d.lock_released_between_migrations() {
            // another process may have applied migrations while the lock was free
            applied = d.sums_or_create()?.into_iter().map(|r| r.version).collect();
        } else {
            applied.insert(script.version.clone());
        }
    }
    if done.is_empty() {
        log::debug!("no pending migration");
    }
    Ok(done)
}

/// Apply `script`; when it fails on a lock timeout (another session holds a lock on a table it
/// changes), wait and try again, [`Options::retries`] times at most, logging each try.
fn apply_with_retries(d: &mut dyn Driver, script: &Script, options: &Options) -> Result<(), Error> {
    let sum = checksum(&script.up, d.dialect());
    let mut attempt = 0;
    loop {
        match d.apply(script, &sum) {
            Err(e) if e.lock_timed_out() && attempt < options.retries => {
                attempt += 1;
                let wait = options.backoff(attempt);
                log::warn!(
                    "migration {} (`{}`) gave up waiting for a lock ({e}); trying again in {wait:?} ({attempt} of {} \
                     tries)",
                    script.version,
                    script.name,
                    options.retries
                );
                std::thread::sleep(wait);
            }
            other => return other,
        }
    }
}

/// For a baseline migration (see [`crate::baseline`]): `true` when the database already holds
/// exactly its schema (record it without running it), `false` when it holds none of its tables (run
/// it), [`Error::Baseline`] naming the differences when it holds part of it. `false` for any other
/// migration.
fn baseline_held(d: &mut dyn Driver, script: &Script) -> Result<bool, Error> {
    let Some(baseline) = crate::baseline::Baseline::from_sql(&script.up) else {
        return Ok(false);
    };
    let baseline = baseline.map_err(|message| Error::BaselineHeader {
        version: script.version.clone(),
        name: script.name.clone(),
        message,
    })?;
    let live = baseline
        .tables
        .apply(&d.live_schema(&baseline.schema)?)
        .owned_by(&baseline.schema);
    // its views, functions and triggers as the database writes them (MySQL qualifies a view's
    // names and keeps only a function's body), as `verify` compares them
    let model = d.canonical(&baseline.schema, &live);
    let differences = crate::ir::compare(&model, &live, d.dialect());
    if differences.is_empty() {
        return Ok(true);
    }
    let holds_none = !baseline.schema.tables.iter().any(|t| live.table(&t.name).is_some());
    if holds_none {
        return Ok(false);
    }
    Err(Error::Baseline {
        version: script.version.clone(),
        name: script.name.clone(),
        differences: differences.iter().map(ToString::to_string).collect(),
    })
}

/// An applied migration whose up.sql changed is an error; one without a checksum (applied by bare
/// Diesel, or before this crate kept checksums) is adopted: its checksum is recorded.
fn check_checksums(d: &mut dyn Driver, scripts: &[Script], applied: &[AppliedRow]) -> Result<(), Error> {
    let by_version: HashMap<&str, &Script> = scripts.iter().map(|s| (s.version.as_str(), s)).collect();
    for row in applied {
        let Some(script) = by_version.get(row.version.as_str()) else {
            log::warn!(
                "migration {} is applied but not in the migrations folder (applied by a newer version of the \
                 service?)",
                row.version
            );
            continue;
        };
        let sum = checksum(&script.up, d.dialect());
        match &row.checksum {
            Some(recorded) if *recorded != sum && super::branches::looks_like_rewritten_draft(scripts, script) => {
                return Err(Error::RewrittenDraft {
                    version: script.version.clone(),
                    name: script.name.clone(),
                })
            }
            Some(recorded) if *recorded != sum => {
                return Err(Error::Checksum {
                    version: script.version.clone(),
                    name: script.name.clone(),
                    recorded: recorded.clone(),
                    current: sum,
                })
            }
            Some(_) => {}
            None => {
                d.set_checksum(&script.version, &sum)
                    .map_err(|e| super::driver::tracking(&format!("adopt migration {} in", script.version), e))?;
                log::info!(
                    "adopted migration {} (`{}`), applied without a checksum (bare Diesel): recorded its checksum",
                    script.version,
                    script.name
                );
            }
        }
    }
    Ok(())
}
