//! What is applied: [`status`], [`history`]; accepting an edited migration: [`accept`].

use super::checksum::checksum;
use super::driver::{driver, tracking, Driver};
use super::lock::{in_schema, locked};
use super::script::{scripts, Script};
use super::{Error, MigrateConnection, Options};
use diesel::migration::MigrationSource;

/// Where each migration stands (see [`status`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Every migration of the source and every applied one, in version order.
    pub migrations: Vec<MigrationStatus>,
}

/// One migration in a [`Status`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Its version.
    pub version: String,
    /// Its full name (folder name); `None` when it is not in the source.
    pub name: Option<String>,
    /// When it was applied (as the database prints the time), if it is.
    pub applied_at: Option<String>,
    /// Its state.
    pub state: State,
    /// MySQL only: a [`State::Pending`] migration whose first statements an earlier run applied
    /// before it stopped (MySQL commits each DDL statement at once); the next
    /// [`migrate`](super::migrate) resumes after them.
    pub partial: Option<Partial>,
}

/// How far an earlier run got into a MySQL migration (see [`MigrationStatus::partial`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partial {
    /// Statements applied, from the first.
    pub done: usize,
    /// Statements in its up.sql.
    pub total: usize,
    /// Those statements are not the same in its up.sql any more: the next run refuses to resume
    /// ([`Error::Edited`]).
    pub edited: bool,
}

/// The state of a migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Applied, and its up.sql is the one applied (or it was applied without a checksum: the next
    /// [`migrate`](super::migrate) adopts it).
    Applied,
    /// Not applied yet.
    Pending,
    /// Applied, and its up.sql has changed since (see [`accept`]).
    Edited,
    /// Applied, but not in the source.
    Missing,
}

/// An applied migration (see [`history`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Its version.
    pub version: String,
    /// When it was applied (Diesel's `run_on`, as the database prints it).
    pub applied_at: Option<String>,
    /// The checksum recorded in `__model_migrations` (`None` for a migration applied by bare Diesel
    /// and not adopted yet).
    pub checksum: Option<String>,
}

/// Where each migration of `source` stands on the database: applied, pending (on MySQL, with the
/// statements an earlier run applied before it stopped: [`MigrationStatus::partial`]), edited since
/// it was applied, or applied but missing from `source`. Takes no lock and creates nothing.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::runtime::{status, State};
///
/// let dir = std::env::temp_dir().join(format!("model_doc_status_{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("2024-01-01-000000_a")).unwrap();
/// std::fs::write(dir.join("2024-01-01-000000_a/up.sql"), "CREATE TABLE a (id INTEGER);").unwrap();
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// let source = diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
/// let s = status(&mut conn, source).unwrap();
/// assert_eq!(s.migrations[0].state, State::Pending);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn status<C>(conn: &mut C, source: impl MigrationSource<C::Db>) -> Result<Status, Error>
where
    C: MigrateConnection + ?Sized,
{
    status_with(conn, source, &Options::default())
}

/// [`status`] in [`Options::schema`] when set (one tenant's schema or database; the other options do
/// not matter here): [`Error::NoSchema`] when it does not exist.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::runtime::{status_with, Options};
///
/// let dir = std::env::temp_dir().join(format!("model_doc_status_with_{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// let source = || diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
/// assert!(status_with(&mut conn, source(), &Options::default()).unwrap().migrations.is_empty());
/// // SQLite has no schemas: one file per tenant
/// assert!(status_with(&mut conn, source(), &Options::default().schema("t1")).is_err());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn status_with<C>(conn: &mut C, source: impl MigrationSource<C::Db>, options: &Options) -> Result<Status, Error>
where
    C: MigrateConnection + ?Sized,
{
    let scripts = scripts(&source, false)?;
    let mut d = driver(conn)?;
    status_of(d.as_mut(), &scripts, options)
}

/// [`status_with`] of migrations already read.
pub(super) fn status_of(d: &mut dyn Driver, scripts: &[Script], options: &Options) -> Result<Status, Error> {
    let applied = in_schema(d, options.schema.as_deref(), |d| d.applied())?;
    let partly: std::collections::HashMap<String, Partial> =
        in_schema(d, options.schema.as_deref(), |d| d.partly_applied(scripts))?
            .into_iter()
            .collect();
    let by_version: std::collections::HashMap<&str, &super::driver::AppliedRow> =
        applied.iter().map(|r| (r.version.as_str(), r)).collect();
    let mut migrations: Vec<MigrationStatus> = scripts
        .iter()
        .map(|s| {
            let row = by_version.get(s.version.as_str()).copied();
            let state = match row {
                None => State::Pending,
                Some(r) => match &r.checksum {
                    Some(c) if *c != checksum(&s.up, d.dialect()) => State::Edited,
                    _ => State::Applied,
                },
            };
            MigrationStatus {
                version: s.version.clone(),
                name: Some(s.name.clone()),
                applied_at: row.and_then(|r| r.applied_at.clone()),
                state,
                partial: (state == State::Pending)
                    .then(|| partly.get(&s.version).copied())
                    .flatten(),
            }
        })
        .collect();
    let known: std::collections::HashSet<&str> = scripts.iter().map(|s| s.version.as_str()).collect();
    for r in &applied {
        if !known.contains(r.version.as_str()) {
            migrations.push(MigrationStatus {
                version: r.version.clone(),
                name: None,
                applied_at: r.applied_at.clone(),
                state: State::Missing,
                partial: None,
            });
        }
    }
    migrations.sort_by(|a, b| a.version.cmp(&b.version));
    Ok(Status { migrations })
}

/// The applied migrations, oldest first (empty on a database never migrated). Takes no lock and
/// creates nothing.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// assert!(model_core::runtime::history(&mut conn).unwrap().is_empty());
/// # }
/// ```
pub fn history<C>(conn: &mut C) -> Result<Vec<Applied>, Error>
where
    C: MigrateConnection + ?Sized,
{
    history_with(conn, &Options::default())
}

/// [`history`] in [`Options::schema`] when set: [`Error::NoSchema`] when it does not exist.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::runtime::{history_with, Options};
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// assert!(history_with(&mut conn, &Options::default()).unwrap().is_empty());
/// # }
/// ```
pub fn history_with<C>(conn: &mut C, options: &Options) -> Result<Vec<Applied>, Error>
where
    C: MigrateConnection + ?Sized,
{
    let mut d = driver(conn)?;
    Ok(in_schema(d.as_mut(), options.schema.as_deref(), |d| d.applied())?
        .into_iter()
        .map(|r| Applied {
            version: r.version,
            applied_at: r.applied_at,
            checksum: r.checksum,
        })
        .collect())
}

/// Accept the edit of an applied migration: record the checksum of its up.sql as it is now in
/// `source`, so [`migrate`](super::migrate) stops reporting [`Error::Checksum`] for it. Nothing is
/// run: the database must already hold what the edit changes (or it must not matter). Takes the
/// migration lock ([`Options::default`]'s timeout); [`Error::UnknownVersion`] when the version is
/// not applied or not in `source`.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::runtime::{accept, migrate, Error};
///
/// let dir = std::env::temp_dir().join(format!("model_doc_accept_{}", std::process::id()));
/// let up = dir.join("2024-01-01-000000_a/up.sql");
/// std::fs::create_dir_all(up.parent().unwrap()).unwrap();
/// std::fs::write(&up, "CREATE TABLE a (id INTEGER);").unwrap();
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// let source = || diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
/// migrate(&mut conn, source()).unwrap();
/// std::fs::write(&up, "CREATE TABLE a (id BIGINT);").unwrap();
/// assert!(matches!(migrate(&mut conn, source()), Err(Error::Checksum { .. })));
/// accept(&mut conn, source(), "20240101000000").unwrap();
/// assert!(migrate(&mut conn, source()).unwrap().is_empty());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn accept<C>(conn: &mut C, source: impl MigrationSource<C::Db>, version: &str) -> Result<(), Error>
where
    C: MigrateConnection + ?Sized,
{
    accept_with(conn, source, version, &Options::default())
}

/// [`accept`] with [`Options`]: the lock's strategy and timeout, the schema.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::runtime::{accept_with, Error, Options};
/// let dir = std::env::temp_dir().join(format!("model_doc_accept_with_{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// let source = diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
/// let e = accept_with(&mut conn, source, "20240101000000", &Options::default()).unwrap_err();
/// assert!(matches!(e, Error::UnknownVersion { .. }));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn accept_with<C>(
    conn: &mut C,
    source: impl MigrationSource<C::Db>,
    version: &str,
    options: &Options,
) -> Result<(), Error>
where
    C: MigrateConnection + ?Sized,
{
    let scripts = scripts(&source, false)?;
    let Some(script) = scripts.iter().find(|s| s.version == version) else {
        return Err(Error::UnknownVersion {
            version: version.to_string(),
            why: "not in the migrations folder",
        });
    };
    let mut driver = driver(conn)?;
    locked(driver.as_mut(), options, |d| {
        d.ensure_tables()?;
        if !d.read_applied(true)?.iter().any(|r| r.version == version) {
            return Err(Error::UnknownVersion {
                version: version.to_string(),
                why: "not applied",
            });
        }
        let sum = checksum(&script.up, d.dialect());
        d.set_checksum(version, &sum)
            .map_err(|e| tracking(&format!("accept migration {version} in"), e))?;
        log::info!(
            "accepted the edit of migration {version} (`{}`): recorded its new checksum",
            script.name
        );
        Ok(())
    })
}
