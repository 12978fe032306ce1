//! What a [`Driver`](super::Driver) asks of a connection, in a few words ([`Exec`]), and how a
//! Diesel connection of each backend answers them ([`Direct`]). The drivers are written against
//! [`Exec`] only, so the same driver serves a `PgConnection`, an r2d2 pooled connection, diesel-async's
//! `AsyncConnectionWrapper` or, through the async bridge, a diesel-async connection.

use super::{AppliedRow, Count};
use crate::runtime::lock::LockRow;
use diesel::sql_types::{Nullable, Text};
use diesel::{QueryResult, QueryableByName};

/// Four nullable text columns `a` to `d`, for the few driver queries that read something else than
/// a count (queries select all four, `NULL` where they have nothing to say).
#[derive(Debug, Clone, Default, PartialEq, Eq, QueryableByName)]
pub struct Texts {
    /// Column `a`.
    #[diesel(sql_type = Nullable<Text>)]
    pub a: Option<String>,
    /// Column `b`.
    #[diesel(sql_type = Nullable<Text>)]
    pub b: Option<String>,
    /// Column `c`.
    #[diesel(sql_type = Nullable<Text>)]
    pub c: Option<String>,
    /// Column `d`.
    #[diesel(sql_type = Nullable<Text>)]
    pub d: Option<String>,
}

/// The questions a driver asks its connection. Every driver query is one of these, so a connection
/// that can answer them (directly, or from another thread through the async bridge) can be migrated.
pub trait Exec {
    /// Execute `sql` (one statement or several), without results.
    fn batch(&mut self, sql: &str) -> QueryResult<()>;
    /// Execute one statement as a query (`sql_query(..).execute`), returning the rows it touched.
    fn execute(&mut self, sql: &str) -> QueryResult<usize>;
    /// Run a query whose one row has one `BigInt` column `n`.
    fn count(&mut self, sql: &str) -> QueryResult<i64>;
    /// Run a query returning [`Texts`] rows.
    fn texts(&mut self, sql: &str) -> QueryResult<Vec<Texts>>;
    /// Run a query returning [`AppliedRow`]s.
    fn applied_rows(&mut self, sql: &str) -> QueryResult<Vec<AppliedRow>>;
    /// `(version, checksum)` of every applied migration, oldest first: the typed query of
    /// [`sums_query!`](super::sums_query).
    fn sums(&mut self) -> QueryResult<Vec<(String, Option<String>)>>;
    /// SQLite's `PRAGMA busy_timeout` (which, unlike a `SELECT` from `pragma_busy_timeout()`, reads
    /// nothing of the database file, so it works while another process holds the write lock).
    fn busy_timeout(&mut self) -> QueryResult<i64>;
    /// Run a query returning the table lock's [`LockRow`]s.
    fn lock_rows(&mut self, sql: &str) -> QueryResult<Vec<LockRow>>;
    /// The live schema, read back by introspection, when this connection is one introspection can
    /// read: Diesel's own `PgConnection`, `SqliteConnection`, `MysqlConnection` (features
    /// `postgres`, `sqlite`, `mysql`), or an r2d2 pooled one of them; `None` otherwise.
    fn live_schema(
        &mut self,
        models: &crate::ir::Schema,
    ) -> Option<Result<crate::ir::Schema, crate::introspect::IntrospectError>> {
        let _ = models;
        None
    }
    /// `model` with its views, functions and triggers in the form the database gives them (see
    /// [`crate::introspect::canonical`]), where introspection can read this connection; else
    /// `model` as it is.
    fn canonical(&mut self, model: &crate::ir::Schema, live: &crate::ir::Schema) -> crate::ir::Schema {
        let _ = live;
        model.clone()
    }
}

/// The row of `PRAGMA busy_timeout`.
#[derive(Debug, QueryableByName)]
pub struct BusyTimeout {
    /// Milliseconds.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub timeout: i64,
}

/// `Exec` for a sync Diesel connection of one backend: `$name<'a, C>` wraps `&'a mut C` for any
/// `C: Connection<Backend = $backend> + LoadConnection` (a struct per backend, as Rust's coherence
/// does not tell `Backend = Pg` from `Backend = Sqlite` apart).
macro_rules! direct {
    ($name:ident, $backend:ty) => {
        /// A sync Diesel connection of this backend, as an [`Exec`].
        pub struct $name<'a, C>(pub &'a mut C);

        impl<C> Exec for $name<'_, C>
        where
            C: diesel::Connection<Backend = $backend> + diesel::connection::LoadConnection + 'static,
        {
            fn batch(&mut self, sql: &str) -> QueryResult<()> {
                diesel::connection::SimpleConnection::batch_execute(self.0, sql)
            }

            fn execute(&mut self, sql: &str) -> QueryResult<usize> {
                diesel::RunQueryDsl::execute(diesel::sql_query(sql), self.0)
            }

            fn count(&mut self, sql: &str) -> QueryResult<i64> {
                Ok(diesel::RunQueryDsl::get_result::<Count>(diesel::sql_query(sql), self.0)?.n)
            }

            fn texts(&mut self, sql: &str) -> QueryResult<Vec<Texts>> {
                diesel::RunQueryDsl::load(diesel::sql_query(sql), self.0)
            }

            fn applied_rows(&mut self, sql: &str) -> QueryResult<Vec<AppliedRow>> {
                diesel::RunQueryDsl::load(diesel::sql_query(sql), self.0)
            }

            fn sums(&mut self) -> QueryResult<Vec<(String, Option<String>)>> {
                diesel::RunQueryDsl::load(super::sums_query!(), self.0)
            }

            fn busy_timeout(&mut self) -> QueryResult<i64> {
                let row: BusyTimeout =
                    diesel::RunQueryDsl::get_result(diesel::sql_query("PRAGMA busy_timeout"), self.0)?;
                Ok(row.timeout)
            }

            fn lock_rows(&mut self, sql: &str) -> QueryResult<Vec<LockRow>> {
                diesel::RunQueryDsl::load(diesel::sql_query(sql), self.0)
            }

            fn live_schema(
                &mut self,
                models: &crate::ir::Schema,
            ) -> Option<Result<crate::ir::Schema, crate::introspect::IntrospectError>> {
                concrete(self.0).map(|c| c.live_schema(models).map(|(schema, _)| schema))
            }

            fn canonical(&mut self, model: &crate::ir::Schema, live: &crate::ir::Schema) -> crate::ir::Schema {
                match concrete(self.0) {
                    Some(c) => c.canonical(model, live),
                    None => model.clone(),
                }
            }
        }
    };
}

/// `conn` as the Diesel connection introspection reads, when it is one (or an r2d2 pooled one).
pub(crate) fn concrete<C: 'static>(conn: &mut C) -> Option<crate::runtime::verify::Concrete<'_>> {
    use crate::runtime::verify::Concrete;
    let any: &mut dyn std::any::Any = conn;
    // each branch returns, so the mutable borrow of `any` ends there
    #[cfg(feature = "postgres")]
    if any.is::<diesel::pg::PgConnection>() {
        return any.downcast_mut::<diesel::pg::PgConnection>().map(Concrete::Pg);
    }
    #[cfg(feature = "sqlite")]
    if any.is::<diesel::sqlite::SqliteConnection>() {
        return any
            .downcast_mut::<diesel::sqlite::SqliteConnection>()
            .map(Concrete::Sqlite);
    }
    #[cfg(feature = "mysql")]
    if any.is::<diesel::mysql::MysqlConnection>() {
        return any
            .downcast_mut::<diesel::mysql::MysqlConnection>()
            .map(Concrete::Mysql);
    }
    #[cfg(all(feature = "r2d2", feature = "postgres"))]
    if any.is::<diesel::r2d2::PooledConnection<diesel::r2d2::ConnectionManager<diesel::pg::PgConnection>>>() {
        return any
            .downcast_mut::<diesel::r2d2::PooledConnection<diesel::r2d2::ConnectionManager<diesel::pg::PgConnection>>>()
            .map(|c| Concrete::Pg(c));
    }
    #[cfg(all(feature = "r2d2", feature = "sqlite"))]
    if any.is::<diesel::r2d2::PooledConnection<diesel::r2d2::ConnectionManager<diesel::sqlite::SqliteConnection>>>() {
        return any
            .downcast_mut::<diesel::r2d2::PooledConnection<diesel::r2d2::ConnectionManager<diesel::sqlite::SqliteConnection>>>()
            .map(|c| Concrete::Sqlite(c));
    }
    #[cfg(all(feature = "r2d2", feature = "mysql"))]
    if any.is::<diesel::r2d2::PooledConnection<diesel::r2d2::ConnectionManager<diesel::mysql::MysqlConnection>>>() {
        return any
            .downcast_mut::<diesel::r2d2::PooledConnection<diesel::r2d2::ConnectionManager<diesel::mysql::MysqlConnection>>>()
            .map(|c| Concrete::Mysql(c));
    }
    let _ = any;
    None
}

#[cfg(feature = "mysql_backend")]
direct!(DirectMysql, diesel::mysql::Mysql);
#[cfg(feature = "postgres_backend")]
direct!(DirectPg, diesel::pg::Pg);
#[cfg(feature = "sqlite")]
direct!(DirectSqlite, diesel::sqlite::Sqlite);

impl<E: Exec + ?Sized> Exec for &mut E {
    fn batch(&mut self, sql: &str) -> QueryResult<()> {
        (**self).batch(sql)
    }

    fn execute(&mut self, sql: &str) -> QueryResult<usize> {
        (**self).execute(sql)
    }

    fn count(&mut self, sql: &str) -> QueryResult<i64> {
        (**self).count(sql)
    }

    fn texts(&mut self, sql: &str) -> QueryResult<Vec<Texts>> {
        (**self).texts(sql)
    }

    fn applied_rows(&mut self, sql: &str) -> QueryResult<Vec<AppliedRow>> {
        (**self).applied_rows(sql)
    }

    fn sums(&mut self) -> QueryResult<Vec<(String, Option<String>)>> {
        (**self).sums()
    }

    fn busy_timeout(&mut self) -> QueryResult<i64> {
        (**self).busy_timeout()
    }

    fn lock_rows(&mut self, sql: &str) -> QueryResult<Vec<LockRow>> {
        (**self).lock_rows(sql)
    }

    fn live_schema(
        &mut self,
        models: &crate::ir::Schema,
    ) -> Option<Result<crate::ir::Schema, crate::introspect::IntrospectError>> {
        (**self).live_schema(models)
    }

    fn canonical(&mut self, model: &crate::ir::Schema, live: &crate::ir::Schema) -> crate::ir::Schema {
        (**self).canonical(model, live)
    }
}
