//! Revert applied migrations: [`downgrade`].

use super::driver::{driver, Driver};
use super::lock::locked;
use super::script::{scripts, Script};
use super::{Error, MigrateConnection, Options};
use diesel::migration::MigrationSource;
use std::time::Instant;

/// How far [`downgrade`] goes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Downgrade {
    /// Revert every applied migration newer than this version (which stays applied).
    To(String),
    /// Revert this many applied migrations, the newest first.
    Steps(usize),
}

/// Revert applied migrations, newest first, each with its down.sql (in a transaction where the
/// backend allows, as [`migrate`](super::migrate) does), under the migration lock; return the
/// versions reverted. Before reverting anything it refuses, naming it, a migration to revert that has
/// no down.sql ([`Error::NoDown`]) or that is not in `source` ([`Error::NotInSource`]);
/// `Downgrade::To` a version neither in `source` nor applied is [`Error::UnknownVersion`].
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::runtime::{downgrade, migrate, Downgrade, Options};
///
/// let dir = std::env::temp_dir().join(format!("model_doc_downgrade_{}", std::process::id()));
/// for (name, up, down) in [("2024-01-01-000000_a", "CREATE TABLE a (id INTEGER);", "DROP TABLE a;"),
///                          ("2024-01-02-000000_b", "CREATE TABLE b (id INTEGER);", "DROP TABLE b;")] {
///     std::fs::create_dir_all(dir.join(name)).unwrap();
///     std::fs::write(dir.join(name).join("up.sql"), up).unwrap();
///     std::fs::write(dir.join(name).join("down.sql"), down).unwrap();
/// }
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// let source = || diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
/// migrate(&mut conn, source()).unwrap();
/// let reverted = downgrade(&mut conn, source(), Downgrade::Steps(1), &Options::default()).unwrap();
/// assert_eq!(reverted, ["20240102000000"]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn downgrade<C>(
    conn: &mut C,
    source: impl MigrationSource<C::Db>,
    to: Downgrade,
    options: &Options,
) -> Result<Vec<String>, Error>
where
    C: MigrateConnection + ?Sized,
{
    let scripts = scripts(&source, true)?;
    let mut driver = driver(conn)?;
    driver.set_ddl_lock_timeout(options.ddl_lock_timeout);
    locked(driver.as_mut(), options, |d| down(d, &scripts, &to))
}

fn down(d: &mut dyn Driver, scripts: &[Script], to: &Downgrade) -> Result<Vec<String>, Error> {
    d.ensure_tables()?;
    let applied: Vec<String> = d.read_applied(true)?.into_iter().map(|r| r.version).collect();
    let mut newest_first: Vec<&String> = match to {
        Downgrade::To(target) => {
            if !applied.contains(target) && !scripts.iter().any(|s| &s.version == target) {
                return Err(Error::UnknownVersion {
                    version: target.clone(),
                    why: "neither applied nor in the migrations folder",
                });
            }
            applied.iter().filter(|v| v.as_str() > target.as_str()).collect()
        }
        Downgrade::Steps(n) => applied.iter().rev().take(*n).collect(),
    };
    newest_first.sort_by(|a, b| b.cmp(a));
    // refuse before reverting anything
    let mut plan = Vec::with_capacity(newest_first.len());
    for version in newest_first {
        let Some(script) = scripts.iter().find(|s| &s.version == version) else {
            return Err(Error::NotInSource {
                version: version.clone(),
            });
        };
        let Some(sql) = script.down.as_deref() else {
            return Err(Error::NoDown {
                version: script.version.clone(),
                name: script.name.clone(),
            });
        };
        plan.push((script, sql));
    }
    let mut done = Vec::with_capacity(plan.len());
    for (script, sql) in plan {
        let start = Instant::now();
        log::info!("reverting migration {} (`{}`)", script.version, script.name);
        d.revert(script, sql)?;
        log::info!(
            "reverted migration {} (`{}`) in {:?}",
            script.version,
            script.name,
            start.elapsed()
        );
        done.push(script.version.clone());
    }
    Ok(done)
}

/// The text of a migration as a database applied it, before the build step rewrote or removed it
/// (a draft, see `model_core::build::draft`): what [`revert_draft`] undoes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Its version.
    pub version: String,
    /// Its folder name at the time.
    pub name: String,
    /// Its `up.sql` then.
    pub up: String,
    /// Its `down.sql` then.
    pub down: String,
    /// `run_in_transaction` of its `metadata.toml` then.
    pub run_in_transaction: bool,
}

/// Whether the database applied `draft` as it is (its version is applied with the checksum of its
/// `up.sql`). Takes no lock and creates nothing.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::runtime::{applied_draft, Draft};
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// let d = Draft { version: "1".into(), name: "1_a".into(), up: "SELECT 1;".into(), down: String::new(), run_in_transaction: true };
/// assert!(!applied_draft(&mut conn, &d).unwrap());
/// # }
/// ```
pub fn applied_draft<C>(conn: &mut C, draft: &Draft) -> Result<bool, Error>
where
    C: MigrateConnection + ?Sized,
{
    let mut d = driver(conn)?;
    let sum = super::checksum::checksum(&draft.up, d.dialect());
    Ok(d.applied()?
        .iter()
        .any(|r| r.version == draft.version && r.checksum.as_deref() == Some(sum.as_str())))
}

/// Undo `draft`, a migration the database applied with the text it had before the build step
/// rewrote or removed it: run its `down.sql` (in a transaction where the backend allows) and forget
/// the version, under the migration lock, so the migration as it is now is pending again. Refused
/// with [`Error::UnknownVersion`] when the database did not apply that text.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::runtime::{migrate, revert_draft, Draft, Options};
///
/// let dir = std::env::temp_dir().join(format!("model_doc_revert_draft_{}", std::process::id()));
/// let m = dir.join("2024-01-01-000000_a");
/// std::fs::create_dir_all(&m).unwrap();
/// std::fs::write(m.join("up.sql"), "CREATE TABLE a (id INTEGER);").unwrap();
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// migrate(&mut conn, diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap()).unwrap();
/// let old = Draft { version: "20240101000000".into(), name: "2024-01-01-000000_a".into(),
///     up: "CREATE TABLE a (id INTEGER);".into(), down: "DROP TABLE a;".into(), run_in_transaction: true };
/// revert_draft(&mut conn, &old, &Options::default()).unwrap();
/// assert!(model_core::runtime::history(&mut conn).unwrap().is_empty());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn revert_draft<C>(conn: &mut C, draft: &Draft, options: &Options) -> Result<(), Error>
where
    C: MigrateConnection + ?Sized,
{
    let script = Script {
        version: draft.version.clone(),
        name: draft.name.clone(),
        up: draft.up.clone(),
        down: Some(draft.down.clone()),
        in_transaction: draft.run_in_transaction,
    };
    let mut driver = driver(conn)?;
    driver.set_ddl_lock_timeout(options.ddl_lock_timeout);
    locked(driver.as_mut(), options, |d| {
        d.ensure_tables()?;
        let sum = super::checksum::checksum(&script.up, d.dialect());
        let applied = d.read_applied(true)?;
        if !applied
            .iter()
            .any(|r| r.version == script.version && r.checksum.as_deref() == Some(sum.as_str()))
        {
            return Err(Error::UnknownVersion {
                version: script.version.clone(),
                why: "not applied with the text of that draft",
            });
        }
        let start = Instant::now();
        log::info!("reverting the replaced draft {} (`{}`)", script.version, script.name);
        d.revert(&script, &draft.down)?;
        log::info!(
            "reverted the replaced draft {} (`{}`) in {:?}",
            script.version,
            script.name,
            start.elapsed()
        );
        Ok(())
    })
}
