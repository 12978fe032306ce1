//! Drift check: [`verify`].

use super::Error;
use crate::ir::{compare, Dialect, Difference, Schema, TableFilter};
use diesel::Connection;
use std::any::Any;

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
    C: Connection + 'static,
{
    verify_with(conn, models, &TableFilter::default())
}

/// [`verify`] for a crate that owns only some tables of its database: the tables `filter` leaves out
/// (and foreign keys to them) are not read as drift. `model::include_schema!()` defines
/// `model_filter()`, the crate's `include` / `exclude` of `[package.metadata.model]`.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection, RunQueryDsl};
/// use model_core::ir::{Schema, TableFilter};
///
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// diesel::sql_query("CREATE TABLE audit_log (id INTEGER NOT NULL)").execute(&mut conn).unwrap();
/// let mine = TableFilter::new(Vec::<String>::new(), ["audit_*"]).unwrap();
/// assert!(model_core::runtime::verify_with(&mut conn, &Schema::default(), &mine).unwrap().is_empty());
/// assert_eq!(model_core::runtime::verify(&mut conn, &Schema::default()).unwrap().len(), 1);
/// # }
/// ```
pub fn verify_with<C>(conn: &mut C, models: &Schema, filter: &TableFilter) -> Result<Vec<Difference>, Error>
where
    C: Connection + 'static,
{
    let (live, dialect) = live_schema(conn)?;
    Ok(compare(models, &filter.apply(&live), dialect))
}

/// The live schema behind `conn` (introspection of its backend) and its dialect.
pub(crate) fn live_schema<C>(conn: &mut C) -> Result<(Schema, Dialect), Error>
where
    C: Connection + 'static,
{
    let any: &mut dyn Any = conn;
    let introspect = |source| Error::Introspect { source };
    #[cfg(feature = "postgres")]
    if let Some(c) = any.downcast_mut::<diesel::pg::PgConnection>() {
        let live = crate::introspect::postgres(c).map_err(introspect)?;
        return Ok((live, Dialect::Postgres));
    }
    #[cfg(feature = "sqlite")]
    if let Some(c) = any.downcast_mut::<diesel::sqlite::SqliteConnection>() {
        let live = crate::introspect::sqlite(c).map_err(introspect)?;
        return Ok((live, Dialect::Sqlite));
    }
    #[cfg(feature = "mysql")]
    if let Some(c) = any.downcast_mut::<diesel::mysql::MysqlConnection>() {
        let live = crate::introspect::mysql(c).map_err(introspect)?;
        return Ok((live, Dialect::Mysql));
    }
    let _ = (any, introspect);
    Err(Error::Unsupported {
        connection: std::any::type_name::<C>(),
    })
}
