//! Drift check: [`verify`].

use super::Error;
use crate::introspect::IntrospectError;
use crate::ir::{compare, Dialect, Difference, Schema};

/// Compare the live database behind `conn` with `models` (introspection, then
/// [`ir::compare`](crate::ir::compare)) and return each difference, in words; empty when the
/// database holds the models. A service can call it at startup, after [`migrate`](super::migrate),
/// with the `model_schema()` that `model::include_schema!()` defines.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection, RunQueryDsl};
/// use model_core::ir::{Column, ColumnType, Schema, Table};
///
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// diesel::sql_query("CREATE TABLE tags (id INTEGER NOT NULL)").execute(&mut conn).unwrap();
/// let mut tags = Table::new("tags");
/// tags.columns.push(Column::new("id", ColumnType::Integer));
/// tags.columns.push(Column::new("name", ColumnType::Text));
/// let diffs = model_core::runtime::verify(&mut conn, &Schema::new(vec![tags])).unwrap();
/// assert_eq!(diffs.len(), 1);
/// assert!(diffs[0].to_string().contains("\"name\""), "{}", diffs[0]);
/// # }
/// ```
pub fn verify<C>(conn: &mut C, models: &Schema) -> Result<Vec<Difference>, Error>
where
    C: Introspect + ?Sized,
{
    let (live, dialect) = conn.__introspect().map_err(|source| Error::Introspect { source })?;
    Ok(compare(models, &live, dialect))
}

/// A connection whose database [`verify`] can read back: Diesel's own `PgConnection`,
/// `SqliteConnection` or `MysqlConnection` (features `postgres`, `sqlite`, `mysql`), or an r2d2
/// pooled one of them as it comes from the pool (`&mut pooled`; feature `r2d2`).
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// fn readable<C: model_core::runtime::Introspect>() {}
/// readable::<diesel::SqliteConnection>();
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`model::verify` cannot read the database behind `{Self}`",
    label = "not a connection `verify` can introspect",
    note = "pass Diesel's `PgConnection`, `SqliteConnection` or `MysqlConnection` (features `postgres`, `sqlite`, \
            `mysql`), or an r2d2 pooled one (`&mut pooled`, feature `r2d2`)",
    note = "introspection reads the catalog with Diesel's sync connections: with diesel-async, open one sync \
            connection for the drift check (`PgConnection::establish`), or skip it"
)]
pub trait Introspect {
    /// The live schema and its dialect.
    #[doc(hidden)]
    fn __introspect(&mut self) -> Result<(Schema, Dialect), IntrospectError>;
}

#[cfg(feature = "postgres")]
impl Introspect for diesel::pg::PgConnection {
    fn __introspect(&mut self) -> Result<(Schema, Dialect), IntrospectError> {
        Ok((crate::introspect::postgres(self)?, Dialect::Postgres))
    }
}

#[cfg(feature = "sqlite")]
impl Introspect for diesel::sqlite::SqliteConnection {
    fn __introspect(&mut self) -> Result<(Schema, Dialect), IntrospectError> {
        Ok((crate::introspect::sqlite(self)?, Dialect::Sqlite))
    }
}

#[cfg(feature = "mysql")]
impl Introspect for diesel::mysql::MysqlConnection {
    fn __introspect(&mut self) -> Result<(Schema, Dialect), IntrospectError> {
        Ok((crate::introspect::mysql(self)?, Dialect::Mysql))
    }
}

#[cfg(feature = "r2d2")]
impl<M> Introspect for diesel::r2d2::PooledConnection<M>
where
    M: diesel::r2d2::ManageConnection,
    M::Connection: Introspect,
{
    fn __introspect(&mut self) -> Result<(Schema, Dialect), IntrospectError> {
        (**self).__introspect()
    }
}
