//! Which connections the runtime accepts: [`MigrateConnection`] (any sync Diesel connection of a
//! supported backend) and, with the `async` feature, [`AsyncMigrateConnection`] (any diesel-async
//! connection of one, pooled ones included). Both are decided at compile time by the connection's
//! backend ([`MigrationBackend`]), so a connection the runtime cannot drive is a compile error that
//! says what to write, never an error at run time.

use super::driver::{Driver, Exec};
use diesel::connection::LoadConnection;
use diesel::Connection;

/// A backend's driver behind a connection, boxed (what the runtime works with; no public use).
#[doc(hidden)]
pub struct DriverBox<'a>(pub(crate) Box<dyn Driver + 'a>);

mod sealed {
    /// Only the crate implements [`MigrationBackend`](super::MigrationBackend).
    pub trait Sealed {}
}

/// A Diesel backend the runtime can migrate: PostgreSQL (`diesel::pg::Pg`, feature `postgres` or
/// `postgres_backend`), SQLite (`diesel::sqlite::Sqlite`, feature `sqlite`) and MySQL/MariaDB
/// (`diesel::mysql::Mysql`, feature `mysql` or `mysql_backend`). Sealed: implemented by the crate
/// only.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// fn supported<DB: model_core::runtime::MigrationBackend>() {}
/// supported::<diesel::sqlite::Sqlite>();
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "the runtime cannot migrate a database of the Diesel backend `{Self}`",
    note = "it migrates PostgreSQL, SQLite and MySQL/MariaDB: enable the matching feature of `model` (`postgres` or \
            `postgres_backend`, `sqlite`, `mysql` or `mysql_backend`)"
)]
pub trait MigrationBackend: diesel::backend::Backend + sealed::Sealed {
    /// This backend's driver over `exec`.
    #[doc(hidden)]
    fn __driver<'a, E: Exec + 'a>(exec: E) -> DriverBox<'a>;

    /// This backend's driver over a sync Diesel connection.
    #[doc(hidden)]
    fn __direct<'a, C>(conn: &'a mut C) -> DriverBox<'a>
    where
        C: Connection<Backend = Self> + LoadConnection + 'static;

    /// Answer one question of the async bridge on a diesel-async connection.
    #[cfg(feature = "async")]
    #[doc(hidden)]
    fn __answer<'c, C>(
        conn: &'c mut C,
        request: super::bridge::Request,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = diesel::QueryResult<super::bridge::Reply>> + Send + 'c>>
    where
        C: diesel_async::AsyncConnection<Backend = Self> + 'c;
}

/// `MigrationBackend` for one backend: its driver type and its `Direct` connection wrapper.
macro_rules! backend {
    ($backend:ty, $driver:path, $direct:ident) => {
        impl sealed::Sealed for $backend {}

        impl MigrationBackend for $backend {
            fn __driver<'a, E: Exec + 'a>(exec: E) -> DriverBox<'a> {
                DriverBox(Box::new(<$driver>::new(exec)))
            }

            fn __direct<'a, C>(conn: &'a mut C) -> DriverBox<'a>
            where
                C: Connection<Backend = Self> + LoadConnection + 'static,
            {
                Self::__driver(super::driver::$direct(conn))
            }

            #[cfg(feature = "async")]
            fn __answer<'c, C>(
                conn: &'c mut C,
                request: super::bridge::Request,
            ) -> std::pin::Pin<
                Box<dyn std::future::Future<Output = diesel::QueryResult<super::bridge::Reply>> + Send + 'c>,
            >
            where
                C: diesel_async::AsyncConnection<Backend = Self> + 'c,
            {
                Box::pin(super::bridge::answer!(conn, request))
            }
        }
    };
}

#[cfg(feature = "mysql_backend")]
backend!(diesel::mysql::Mysql, super::driver::mysql::Mysql<E>, DirectMysql);
#[cfg(feature = "postgres_backend")]
backend!(diesel::pg::Pg, super::driver::postgres::Pg<E>, DirectPg);
#[cfg(feature = "sqlite")]
backend!(diesel::sqlite::Sqlite, super::driver::sqlite::Sqlite<E>, DirectSqlite);

/// A connection [`migrate`](super::migrate) and the other sync functions of the runtime can drive:
/// any sync Diesel connection (`diesel::Connection` + `LoadConnection`) of a supported backend —
/// `PgConnection`, `SqliteConnection`, `MysqlConnection`, an r2d2 pooled connection as it comes
/// from the pool (`&mut pooled` or `&mut *pooled`), or diesel-async's `AsyncConnectionWrapper`
/// (outside an async context, e.g. in `tokio::task::spawn_blocking`; in async code call
/// [`migrate_async`](super::migrate_async) instead).
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// fn migratable<C: model_core::runtime::MigrateConnection>() {}
/// migratable::<diesel::SqliteConnection>();
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a sync Diesel connection that `model::migrate` can drive",
    label = "not a `diesel::Connection` of PostgreSQL, SQLite or MySQL",
    note = "pass a sync Diesel connection: `PgConnection`, `SqliteConnection`, `MysqlConnection`, an r2d2 pooled \
            connection (`&mut pooled` or `&mut *pooled`), or diesel-async's `AsyncConnectionWrapper`",
    note = "for a diesel-async connection or a deadpool/bb8 pooled one, call \
            `model::migrate_async(&mut conn, MIGRATIONS).await` (feature `async`)"
)]
pub trait MigrateConnection {
    /// The connection's Diesel backend.
    type Db: MigrationBackend;

    /// The driver of this connection.
    #[doc(hidden)]
    fn __driver(&mut self) -> DriverBox<'_>;
}

#[diagnostic::do_not_recommend]
impl<C> MigrateConnection for C
where
    C: Connection + LoadConnection + 'static,
    C::Backend: MigrationBackend,
{
    type Db = C::Backend;

    fn __driver(&mut self) -> DriverBox<'_> {
        <C::Backend as MigrationBackend>::__direct(self)
    }
}

/// A diesel-async connection [`migrate_async`](super::migrate_async) and the other async functions
/// of the runtime can drive: `AsyncPgConnection`, `AsyncMysqlConnection`,
/// `SyncConnectionWrapper<SqliteConnection>`, and the pooled connections of deadpool and bb8 as they
/// come from the pool (`&mut conn` or `&mut *conn`), or anything else that implements
/// `diesel_async::AsyncConnection` for a supported backend.
#[cfg(feature = "async")]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a diesel-async connection that `model::migrate_async` can drive",
    label = "not a `diesel_async::AsyncConnection` of PostgreSQL, SQLite or MySQL",
    note = "pass a diesel-async connection: `AsyncPgConnection`, `AsyncMysqlConnection`, \
            `SyncConnectionWrapper<SqliteConnection>`, or a deadpool/bb8 pooled one (`&mut conn`)",
    note = "for a sync Diesel connection (`PgConnection`, r2d2), call `model::migrate(&mut conn, MIGRATIONS)`"
)]
pub trait AsyncMigrateConnection: Send {
    /// The connection's Diesel backend.
    type Db: MigrationBackend;

    /// Answer one question of the async bridge.
    #[doc(hidden)]
    fn __answer(
        &mut self,
        request: super::bridge::Request,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = diesel::QueryResult<super::bridge::Reply>> + Send + '_>>;
}

#[cfg(feature = "async")]
#[diagnostic::do_not_recommend]
impl<C> AsyncMigrateConnection for C
where
    C: diesel_async::AsyncConnection,
    C::Backend: MigrationBackend,
{
    type Db = C::Backend;

    fn __answer(
        &mut self,
        request: super::bridge::Request,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = diesel::QueryResult<super::bridge::Reply>> + Send + '_>>
    {
        <C::Backend as MigrationBackend>::__answer(self, request)
    }
}
