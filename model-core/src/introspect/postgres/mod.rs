//! PostgreSQL introspection through `pg_catalog` (schema `public`).

mod assemble;
mod objects;
mod rows;

use crate::introspect::IntrospectError;
use crate::ir::Schema;
use diesel::pg::PgConnection;

/// Read the tables of schema `public` into a [`Schema`]: columns in ordinal order with their types
/// (`format_type`), nullability, defaults, identity and comments; primary keys, unique constraints,
/// foreign keys and checks (sorted by name); indexes that do not back a constraint (sorted by name),
/// with their partial-index predicate. A `serial` column (default `nextval(...)`) reads as an identity
/// column without default. A column of an enum type reads as [`ColumnType::Enum`](crate::ir::ColumnType::Enum)
/// with the type's name and its labels from `pg_enum`, in `enumsortorder` order. A stored generated
/// column reads with its expression (`pg_get_expr`). Views (plain and materialized, with their
/// columns), functions, triggers and extensions are read too (not those an extension installs).
///
/// ```no_run
/// use diesel::{Connection, PgConnection};
/// let mut conn = PgConnection::establish("postgres://postgres@127.0.0.1:5432/app")?;
/// let live = model_core::introspect::postgres(&mut conn)?;
/// for t in &live.tables {
///     println!("{}: {} columns", t.name, t.columns.len());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn postgres(conn: &mut PgConnection) -> Result<Schema, IntrospectError> {
    let tables = rows::tables(conn)?;
    let columns = rows::columns(conn)?;
    let constraints = rows::constraints(conn)?;
    let indexes = rows::indexes(conn)?;
    let mut schema = assemble::schema(tables, columns, constraints, indexes)?;
    objects::read(conn, &mut schema)?;
    schema.sort();
    Ok(schema)
}

/// `model` with its objects' SQL in the form PostgreSQL prints for them (see [`super::canonical`]).
pub(crate) fn canonical(conn: &mut PgConnection, model: &Schema, live: &Schema) -> Schema {
    objects::canonical(conn, model, live)
}
