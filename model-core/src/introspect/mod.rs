//! Introspection: read a live database into the IR ([`Schema`]), to check that a
//! migrated database holds the models (see [`compare`](crate::ir::compare)).
//!
//! Diesel's `__diesel_schema_migrations` table and every table whose name starts with `__` or
//! `sqlite_` are skipped. Defaults that are plain literals (`0`, `1.5`, `true`, `'draft'`, with or
//! without a `::type` cast) are read as [`Literal`](crate::ir::Literal)s, anything else as raw SQL.

mod default;
mod error;
#[cfg(feature = "mysql")]
mod mysql;
pub mod objects;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use error::IntrospectError;

use crate::ir::Schema;
#[cfg(feature = "mysql")]
pub use mysql::mysql;
#[cfg(feature = "postgres")]
pub(crate) use postgres::canonical_in as postgres_canonical_in;
#[cfg(feature = "postgres")]
pub use postgres::{postgres, postgres_schema, postgres_with};
#[cfg(feature = "sqlite")]
pub use sqlite::sqlite;

/// `model` with the SQL of its views, functions, triggers (and on MySQL its generated columns' expressions)
/// replaced by the form the database behind `conn` gives the same definitions, where `live` (that
/// database, introspected) holds an object of the same name: so that [`compare`](crate::ir::compare)
/// sees equal text for equal definitions, whatever the database prints back (PostgreSQL and MySQL
/// rewrite a view's query). Objects the database does not hold are left as they are.
///
/// How: PostgreSQL creates each in a transaction that is rolled back (a view as a temporary view);
/// MySQL creates the view `__model_view_probe` (and a temporary table for generated columns) and
/// drops it again, and compares a function by its body (all MySQL keeps of it); SQLite stores the
/// statements as the migrations ran them, so nothing is done there. [`crate::runtime::verify`]
/// calls it; call it yourself before `compare` on a schema you introspected.
///
/// ```no_run
/// # #[cfg(feature = "postgres")] {
/// use diesel::{Connection, PgConnection};
/// let mut conn = PgConnection::establish("postgres://postgres@127.0.0.1:5432/app")?;
/// # let models = model_core::ir::Schema::default();
/// let live = model_core::introspect::postgres(&mut conn)?;
/// let model = model_core::introspect::canonical(&mut conn, &models, &live);
/// let drift = model_core::ir::compare(&model, &live, model_core::ir::Dialect::Postgres);
/// # let _ = drift; }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn canonical<C: diesel::Connection + 'static>(conn: &mut C, model: &Schema, live: &Schema) -> Schema {
    let any: &mut dyn std::any::Any = conn;
    #[cfg(feature = "postgres")]
    if let Some(c) = any.downcast_mut::<diesel::pg::PgConnection>() {
        return postgres::canonical(c, model, live);
    }
    #[cfg(feature = "mysql")]
    if let Some(c) = any.downcast_mut::<diesel::mysql::MysqlConnection>() {
        return mysql::canonical(c, model, live);
    }
    let _ = (any, live);
    model.clone()
}

/// Tables introspection leaves out: Diesel's bookkeeping and internal tables.
#[cfg_attr(
    not(any(feature = "postgres", feature = "sqlite", feature = "mysql")),
    allow(dead_code)
)]
fn skipped_table(name: &str) -> bool {
    name.starts_with("__") || name.starts_with("sqlite_")
}

#[cfg(test)]
mod tests {
    #[test]
    fn skips_bookkeeping_tables() {
        assert!(super::skipped_table("__diesel_schema_migrations"));
        assert!(super::skipped_table("sqlite_sequence"));
        assert!(!super::skipped_table("users"));
    }
}
