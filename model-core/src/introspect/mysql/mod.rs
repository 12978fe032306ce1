//! MySQL / MariaDB introspection through `information_schema` (the connection's current database).

mod assemble;
mod clause;
mod default;
mod objects;
mod rows;
mod types;

use crate::introspect::IntrospectError;
use crate::ir::Schema;
use diesel::mysql::MysqlConnection;

/// Read the base tables of the connection's current database into a [`Schema`].
///
/// - Columns in ordinal order; `COLUMN_TYPE` read with MySQL's spellings (`int(11)` is `INT`,
///   `tinyint(1)` is `BOOLEAN`, `binary(16)` a UUID, `datetime` a timestamp: MySQL keeps no time
///   zone, so `TIMESTAMPTZ` models read back as `TIMESTAMP`, which compare treats alike); a MariaDB
///   `LONGTEXT` column with its `json_valid` check is JSON (the check is not reported); an
///   `ENUM('a', 'b')` column is an enum with those values and no type name (MySQL has none).
/// - `AUTO_INCREMENT` is identity; defaults as MariaDB prints them (quoted strings unescaped,
///   `0`/`1` of a boolean read as `FALSE`/`TRUE`); empty comments are none.
/// - The primary key gets the naming rule's name (MySQL calls every one `PRIMARY`); unique
///   constraints, foreign keys (actions from `REFERENTIAL_CONSTRAINTS`) and checks (backquotes
///   around plain names dropped) keep theirs.
/// - Indexes leave out the primary key, the unique constraints and the index MySQL adds for a
///   foreign key. MySQL stores a `UNIQUE` constraint as a unique index and cannot tell which was
///   written, so every unique index reads as a unique constraint; [`compare`](crate::ir::compare)
///   treats the two alike on MySQL.
/// - Generated columns with their expression as MySQL rewrites it; views (`VIEW_DEFINITION`, and
///   their columns), functions (their body: MySQL keeps no more) and triggers (their original
///   statement, without `DEFINER`).
///
/// ```no_run
/// use diesel::{Connection, MysqlConnection};
/// let mut conn = MysqlConnection::establish("mysql://root@127.0.0.1:3306/app")?;
/// let live = model_core::introspect::mysql(&mut conn)?;
/// for t in &live.tables {
///     println!("{}: {} columns", t.name, t.columns.len());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn mysql(conn: &mut MysqlConnection) -> Result<Schema, IntrospectError> {
    let rows = assemble::Rows {
        tables: rows::tables(conn)?,
        columns: rows::columns(conn)?,
        keys: rows::keys(conn)?,
        rules: rows::rules(conn)?,
        indexes: rows::indexes(conn)?,
        checks: rows::checks(conn)?,
    };
    let mut schema = assemble::schema(&rows)?;
    objects::read(conn, &mut schema, &rows.columns)?;
    schema.sort();
    Ok(schema)
}

/// `model` with its objects' SQL in the forms MySQL gives them (see [`super::canonical`]).
pub(crate) fn canonical(conn: &mut MysqlConnection, model: &Schema, live: &Schema) -> Schema {
    objects::canonical(conn, model, live)
}
