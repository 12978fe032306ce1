//! The runtime for diesel-async connections: [`migrate_async`] and the other `*_async` functions.
//! Each does what its sync counterpart does (the same code runs, see the async bridge), and takes a
//! diesel-async connection instead: `AsyncPgConnection`, `AsyncMysqlConnection`,
//! `SyncConnectionWrapper<SqliteConnection>`, or a deadpool or bb8 pooled one.
//!
//! Safe to await on any tokio runtime, multi-thread or current-thread: the work runs on a thread of
//! its own and the calling task only awaits the connection. Neither libpq nor libmysqlclient is
//! needed (features `async` and `postgres_backend` or `mysql_backend`).
//!
//! Cancellation: dropping the future before it completes stops the work at its next query, but the
//! connection may then still hold the migration lock (PostgreSQL, MySQL) or an open transaction:
//! drop that connection rather than reuse it.

use super::bridge::run;
use super::connection::AsyncMigrateConnection;
use super::script::{scripts, Script};
use super::{Applied, Downgrade, Error, Options, Status};
use diesel::backend::Backend;
use diesel::connection::BoxableConnection;
use diesel::migration::{Migration, MigrationMetadata, MigrationName, MigrationSource, MigrationVersion};
use std::future::Future;

/// [`migrate`](super::migrate) on a diesel-async connection: apply every pending migration of
/// `source` under the migration lock, with checksums, and return the versions applied.
///
/// ```no_run
/// # #[cfg(feature = "postgres_backend")]
/// # async fn start() -> Result<(), Box<dyn std::error::Error>> {
/// use diesel_async::{AsyncConnection, AsyncPgConnection};
/// use diesel_migrations::{embed_migrations, EmbeddedMigrations};
///
/// const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../examples/quickstart-pg/migrations");
///
/// let mut conn = AsyncPgConnection::establish(&std::env::var("DATABASE_URL")?).await?;
/// let applied = model_core::runtime::migrate_async(&mut conn, MIGRATIONS).await?;
/// println!("applied {applied:?}");
/// # Ok(())
/// # }
/// ```
///
/// On a connection of a deadpool pool, as it comes from the pool (bb8's the same way); no
/// `spawn_blocking` is needed:
///
/// ```no_run
/// # #[cfg(feature = "postgres_backend")]
/// # async fn start() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
/// use diesel_async::pooled_connection::{deadpool::Pool, AsyncDieselConnectionManager};
/// use diesel_async::AsyncPgConnection;
/// use diesel_migrations::{embed_migrations, EmbeddedMigrations};
///
/// const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../examples/quickstart-pg/migrations");
///
/// let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(std::env::var("DATABASE_URL")?);
/// let pool = Pool::builder(manager).max_size(8).build()?;
/// let mut conn = pool.get().await?;
/// model_core::runtime::migrate_async(&mut conn, MIGRATIONS).await?;
/// # Ok(())
/// # }
/// ```
pub fn migrate_async<'c, C>(
    conn: &'c mut C,
    source: impl MigrationSource<C::Db>,
) -> impl Future<Output = Result<Vec<String>, Error>> + Send + 'c
where
    C: AsyncMigrateConnection + ?Sized,
{
    migrate_with_async(conn, source, &Options::default())
}

/// [`migrate_with`](super::migrate_with) on a diesel-async connection (see [`migrate_async`]).
///
/// ```no_run
/// # #[cfg(feature = "sqlite")]
/// # async fn start() -> Result<(), Box<dyn std::error::Error>> {
/// use diesel::SqliteConnection;
/// use diesel_async::{sync_connection_wrapper::SyncConnectionWrapper, AsyncConnection};
/// use model_core::runtime::{migrate_with_async, Options};
///
/// let mut conn = SyncConnectionWrapper::<SqliteConnection>::establish("app.db").await?;
/// let source = diesel_migrations::FileBasedMigrations::from_path("migrations")?;
/// let options = Options { lock_timeout: std::time::Duration::from_secs(5), ..Options::default() };
/// migrate_with_async(&mut conn, source, &options).await?;
/// # Ok(())
/// # }
/// ```
pub fn migrate_with_async<'c, C>(
    conn: &'c mut C,
    source: impl MigrationSource<C::Db>,
    options: &Options,
) -> impl Future<Output = Result<Vec<String>, Error>> + Send + 'c
where
    C: AsyncMigrateConnection + ?Sized,
{
    let owned = Owned::read(&source, false);
    let options = options.clone();
    async move { run(conn, move |remote| super::migrate_with(remote, owned?, &options)).await }
}

/// [`upgrade_to`](super::upgrade_to) on a diesel-async connection (see [`migrate_async`]).
pub fn upgrade_to_async<'c, C>(
    conn: &'c mut C,
    source: impl MigrationSource<C::Db>,
    target: &str,
    options: &Options,
) -> impl Future<Output = Result<Vec<String>, Error>> + Send + 'c
where
    C: AsyncMigrateConnection + ?Sized,
{
    let owned = Owned::read(&source, false);
    let (target, options) = (target.to_string(), options.clone());
    async move { run(conn, move |remote| super::upgrade_to(remote, owned?, &target, &options)).await }
}

/// [`downgrade`](super::downgrade) on a diesel-async connection (see [`migrate_async`]).
pub fn downgrade_async<'c, C>(
    conn: &'c mut C,
    source: impl MigrationSource<C::Db>,
    to: Downgrade,
    options: &Options,
) -> impl Future<Output = Result<Vec<String>, Error>> + Send + 'c
where
    C: AsyncMigrateConnection + ?Sized,
{
    let owned = Owned::read(&source, true);
    let options = options.clone();
    async move { run(conn, move |remote| super::downgrade(remote, owned?, to, &options)).await }
}

/// [`status`](super::status) on a diesel-async connection (see [`migrate_async`]).
pub fn status_async<'c, C>(
    conn: &'c mut C,
    source: impl MigrationSource<C::Db>,
) -> impl Future<Output = Result<Status, Error>> + Send + 'c
where
    C: AsyncMigrateConnection + ?Sized,
{
    let owned = Owned::read(&source, false);
    async move { run(conn, move |remote| super::status(remote, owned?)).await }
}

/// [`history`](super::history) on a diesel-async connection (see [`migrate_async`]).
// Written out like the others so that the signature promises a `Send` future.
#[allow(clippy::manual_async_fn)]
pub fn history_async<C>(conn: &mut C) -> impl Future<Output = Result<Vec<Applied>, Error>> + Send + '_
where
    C: AsyncMigrateConnection + ?Sized,
{
    #[allow(clippy::redundant_closure)] // the function item would need `C::Db: 'static`
    async move {
        run(conn, |remote| super::history(remote)).await
    }
}

/// [`accept`](super::accept) on a diesel-async connection (see [`migrate_async`]).
pub fn accept_async<'c, C>(
    conn: &'c mut C,
    source: impl MigrationSource<C::Db>,
    version: &str,
) -> impl Future<Output = Result<(), Error>> + Send + 'c
where
    C: AsyncMigrateConnection + ?Sized,
{
    let owned = Owned::read(&source, false);
    let version = version.to_string();
    async move { run(conn, move |remote| super::accept(remote, owned?, &version)).await }
}

/// The migrations of a source, read once on the caller's side (a source need not be `Send`), as a
/// source of their own for the work thread.
struct Owned(Vec<Script>);

impl Owned {
    fn read<DB: Backend>(source: &impl MigrationSource<DB>, with_down: bool) -> Result<Owned, Error> {
        scripts(source, with_down).map(Owned)
    }
}

impl<DB: Backend> MigrationSource<DB> for Owned {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<DB>>>> {
        Ok(self
            .0
            .iter()
            .map(|s| Box::new(OwnedMigration(s.clone())) as Box<dyn Migration<DB>>)
            .collect())
    }
}

struct OwnedMigration(Script);

impl std::fmt::Display for OwnedMigration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.name)
    }
}

impl MigrationName for OwnedMigration {
    fn version(&self) -> MigrationVersion<'_> {
        MigrationVersion::from(self.0.version.as_str())
    }
}

impl MigrationMetadata for OwnedMigration {
    fn run_in_transaction(&self) -> bool {
        self.0.in_transaction
    }
}

impl<DB: Backend> Migration<DB> for OwnedMigration {
    fn run(&self, conn: &mut dyn BoxableConnection<DB>) -> diesel::migration::Result<()> {
        Ok(conn.batch_execute(&self.0.up)?)
    }

    fn revert(&self, conn: &mut dyn BoxableConnection<DB>) -> diesel::migration::Result<()> {
        match &self.0.down {
            Some(down) => Ok(conn.batch_execute(down)?),
            None => Err(format!("migration {} has no down.sql", self.0.name).into()),
        }
    }

    fn metadata(&self) -> &dyn MigrationMetadata {
        self
    }

    fn name(&self) -> &dyn MigrationName {
        self
    }
}
