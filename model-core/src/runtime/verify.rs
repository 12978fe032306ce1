//! Drift check: [`verify`].

use super::Error;
use crate::ir::{compare, Difference, Schema};
use diesel::Connection;
use std::any::Any;

/// Compare the live database behind `conn` with `models` (introspection, the model's views,
/// functions and triggers put in the database's own form with
/// [`introspect::canonical`](crate::introspect::canonical), then [`ir::compare`](crate::ir::compare))
/// and return each difference, in words; empty when the database holds the models. On MySQL this
/// creates and drops a view named `__model_view_probe` when the models have views. A service can call it at startup, after [`migrate`](super::migrate),
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
    let any: &mut dyn Any = conn;
    let introspect = |source| Error::Introspect { source };
    #[cfg(feature = "postgres")]
    if let Some(c) = any.downcast_mut::<diesel::pg::PgConnection>() {
        let live = crate::introspect::postgres(c).map_err(introspect)?;
        let model = crate::introspect::canonical(c, models, &live);
        return Ok(compare(&model, &live, crate::ir::Dialect::Postgres));
    }
    #[cfg(feature = "sqlite")]
    if let Some(c) = any.downcast_mut::<diesel::sqlite::SqliteConnection>() {
        let live = crate::introspect::sqlite(c).map_err(introspect)?;
        let model = crate::introspect::canonical(c, models, &live);
        return Ok(compare(&model, &live, crate::ir::Dialect::Sqlite));
    }
    #[cfg(feature = "mysql")]
    if let Some(c) = any.downcast_mut::<diesel::mysql::MysqlConnection>() {
        let live = crate::introspect::mysql(c).map_err(introspect)?;
        let model = crate::introspect::canonical(c, models, &live);
        return Ok(compare(&model, &live, crate::ir::Dialect::Mysql));
    }
    let _ = (any, introspect, models);
    Err(Error::Unsupported {
        connection: std::any::type_name::<C>(),
    })
}
