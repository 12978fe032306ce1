//! SQLite introspection: `sqlite_schema`, the pragma functions, and the stored DDL text for what the
//! pragmas do not keep (constraint names, CHECK constraints, partial-index predicates).

mod ddl;
mod enums;
mod lexer;
mod pragmas;
mod table;

use crate::introspect::{skipped_table, IntrospectError};
use crate::ir::{Column, ColumnType, Schema, Trigger, View};
use diesel::sqlite::SqliteConnection;

/// Read every table of the database into a [`Schema`].
///
/// Columns come in declaration order; a single-column `INTEGER PRIMARY KEY` (the rowid alias) is an
/// identity column and `NOT NULL`. Unique constraints, indexes and foreign keys are sorted by name,
/// checks by their order in the DDL. SQLite keeps no comments. Constraints declared without
/// `CONSTRAINT "name"` get the name of the crate's naming rule ([`pk_name`](crate::ir::pk_name),
/// [`unique_name`](crate::ir::unique_name), [`fk_name`](crate::ir::fk_name),
/// [`column_check_name`](crate::ir::column_check_name); an unnamed table check is
/// `ck_<table>_<n>`, counting from 1). A key column that is an expression reads as its position
/// in the index, `<expression>`. A `TEXT` column with the check the crate writes for an enum column
/// (`CONSTRAINT "ck_<table>_<column>_enum" CHECK ("c" IN ('a', 'b'))`) is an enum with those values
/// and no type name (SQLite has none); that check is not reported. Generated columns read with their
/// expression from the DDL (`pragma_table_xinfo` says which are); views (their query as stored, and
/// their columns) and triggers (their statement as stored) are read too.
///
/// ```
/// use diesel::{Connection, RunQueryDsl, SqliteConnection};
/// let mut conn = SqliteConnection::establish(":memory:")?;
/// diesel::sql_query("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE)")
///     .execute(&mut conn)?;
/// let live = model_core::introspect::sqlite(&mut conn)?;
/// let users = live.table("users").unwrap();
/// assert!(users.columns[0].identity);
/// assert_eq!(users.uniques[0].name, "uq_users_email");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sqlite(conn: &mut SqliteConnection) -> Result<Schema, IntrospectError> {
    let mut tables = Vec::new();
    for row in pragmas::tables(conn)? {
        if skipped_table(&row.name) {
            continue;
        }
        tables.push(table::read(conn, &row.name, row.sql.as_deref().unwrap_or(""))?);
    }
    let mut schema = Schema::new(tables);
    for row in pragmas::of_type(conn, "view")? {
        let mut view = View::new(row.name.clone(), ddl::view_query(row.sql.as_deref().unwrap_or("")));
        view.columns = pragmas::columns(conn, &row.name)?
            .into_iter()
            .map(|c| {
                // the declared type of the column the view reads, as a table's is read (an expression has none)
                let ty = ColumnType::parse_sql_for(&c.ty, crate::ir::Dialect::Sqlite)
                    .ok()
                    .filter(|_| !c.ty.trim().is_empty())
                    .unwrap_or(ColumnType::Custom {
                        sql: c.ty.to_lowercase(),
                    });
                Column {
                    nullable: true,
                    ..Column::new(c.name, ty)
                }
            })
            .collect();
        schema.views.push(view);
    }
    for row in pragmas::triggers(conn)? {
        schema.triggers.push(Trigger {
            name: row.name,
            table: row.tbl_name,
            sql: row.sql.unwrap_or_default(),
        });
    }
    schema.sort();
    Ok(schema)
}
