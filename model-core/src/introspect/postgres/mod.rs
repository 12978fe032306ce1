//! PostgreSQL introspection through `pg_catalog`: schema `public` ([`postgres`]) or any other
//! ([`postgres_schema`]).

mod assemble;
mod objects;
mod rows;

use crate::introspect::IntrospectError;
use crate::ir::Schema;
use diesel::pg::PgConnection;
use diesel::sql_types::Text;
use diesel::{sql_query, QueryableByName, RunQueryDsl};

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
    postgres_schema(conn, "public")
}

/// Read the tables of the schema `schema` (e.g. one tenant's), as [`postgres`] reads `public`.
/// Names are read as seen from inside the schema: for the reading, `search_path` is set to the
/// schema alone (and put back after), so defaults, checks and predicates that name its types or
/// functions read as they are written in its migrations, without the schema's name. A schema that
/// does not exist reads as an empty [`Schema`].
///
/// ```no_run
/// use diesel::{Connection, PgConnection};
/// let mut conn = PgConnection::establish("postgres://postgres@127.0.0.1:5432/app")?;
/// let tenant = model_core::introspect::postgres_schema(&mut conn, "tenant_0042")?;
/// println!("{} tables", tenant.tables.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn postgres_schema(conn: &mut PgConnection, schema: &str) -> Result<Schema, IntrospectError> {
    in_search_path(conn, schema, |c| read(c, schema))?
}

/// Read the default schema as [`postgres`] does, and the tables of each of `schemas` (the schemas
/// the models name, see [`Schema::table_schemas`]) with their schema set; tables are told apart by
/// name alone (as the models are). Views, functions, triggers and extensions are read from `public`
/// only. Tables of `public` read without a schema (as the default schema's).
///
/// ```no_run
/// use diesel::{Connection, PgConnection};
/// let mut conn = PgConnection::establish("postgres://postgres@127.0.0.1:5432/app")?;
/// let live = model_core::introspect::postgres_with(&mut conn, &["billing"])?;
/// for t in live.tables.iter().filter(|t| t.schema.is_some()) {
///     println!("{}.{}", t.schema.as_deref().unwrap_or_default(), t.name);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn postgres_with(conn: &mut PgConnection, schemas: &[&str]) -> Result<Schema, IntrospectError> {
    let mut out = postgres(conn)?;
    for schema in schemas.iter().filter(|s| **s != "public") {
        let read = postgres_schema(conn, schema)?;
        out.tables.extend(read.tables.into_iter().map(|mut t| {
            t.schema = Some(schema.to_string());
            t
        }));
    }
    out.sort();
    Ok(out)
}

/// `f` run with `search_path` set to `schema` alone, then put back.
fn in_search_path<T>(
    conn: &mut PgConnection,
    schema: &str,
    f: impl FnOnce(&mut PgConnection) -> T,
) -> Result<T, IntrospectError> {
    #[derive(QueryableByName)]
    struct Path {
        #[diesel(sql_type = Text)]
        path: String,
    }
    let search_path = |what: &str| IntrospectError::query(format!("{what} (search_path) for schema {schema}"));
    let before: Path = sql_query("SELECT current_setting('search_path') AS path")
        .get_result(conn)
        .map_err(search_path("the session's settings"))?;
    sql_query("SELECT set_config('search_path', quote_ident($1), false)")
        .bind::<Text, _>(schema)
        .execute(conn)
        .map_err(search_path("the session's settings"))?;
    let out = f(conn);
    sql_query("SELECT set_config('search_path', $1, false)")
        .bind::<Text, _>(&before.path)
        .execute(conn)
        .map_err(search_path("the session's settings, put back,"))?;
    Ok(out)
}

fn read(conn: &mut PgConnection, schema: &str) -> Result<Schema, IntrospectError> {
    let tables = rows::tables(conn, schema)?;
    let columns = rows::columns(conn, schema)?;
    let constraints = rows::constraints(conn, schema)?;
    let indexes = rows::indexes(conn, schema)?;
    let mut out = assemble::schema(tables, columns, constraints, indexes)?;
    objects::read(conn, schema, &mut out)?;
    out.sort();
    Ok(out)
}

/// `model` with its objects' SQL in the form PostgreSQL prints for them (see [`super::canonical`]).
pub(crate) fn canonical(conn: &mut PgConnection, model: &Schema, live: &Schema) -> Schema {
    objects::canonical(conn, model, live)
}

/// [`canonical`] with `search_path` set to `schema` (one tenant's), so the model's objects are
/// created, for their printed form, among that schema's tables.
pub(crate) fn canonical_in(
    conn: &mut PgConnection,
    schema: &str,
    model: &Schema,
    live: &Schema,
) -> Result<Schema, IntrospectError> {
    in_search_path(conn, schema, |c| objects::canonical(c, model, live))
}
