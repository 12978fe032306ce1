//! The catalog queries of SQLite (`sqlite_schema` and the table-valued pragma functions).

use crate::introspect::IntrospectError;
use diesel::sql_types::{Integer, Nullable, Text};
use diesel::sqlite::SqliteConnection;
use diesel::{sql_query, QueryableByName, RunQueryDsl};

/// A row of `sqlite_schema`.
#[derive(Debug, QueryableByName)]
pub(super) struct SchemaRow {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub sql: Option<String>,
}

/// A row of `pragma_table_info`.
#[derive(Debug, QueryableByName)]
pub(super) struct ColumnRow {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub ty: String,
    #[diesel(sql_type = Integer)]
    pub notnull: i32,
    #[diesel(sql_type = Nullable<Text>)]
    pub dflt_value: Option<String>,
    /// Position in the primary key (1-based), 0 when not part of it.
    #[diesel(sql_type = Integer)]
    pub pk: i32,
    /// `pragma_table_xinfo`'s `hidden`: 0 a plain column, 2 a virtual and 3 a stored generated column.
    #[diesel(sql_type = Integer)]
    pub hidden: i32,
}

/// A row of `pragma_index_list`.
#[derive(Debug, QueryableByName)]
pub(super) struct IndexRow {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Integer)]
    pub is_unique: i32,
    /// `c` (CREATE INDEX), `u` (UNIQUE constraint) or `pk`.
    #[diesel(sql_type = Text)]
    pub origin: String,
    #[diesel(sql_type = Integer)]
    pub partial: i32,
}

/// A row of `pragma_index_info`: one key column (`None` for an expression).
#[derive(Debug, QueryableByName)]
pub(super) struct IndexColumnRow {
    #[diesel(sql_type = Nullable<Text>)]
    pub name: Option<String>,
}

/// A row of `pragma_foreign_key_list`.
#[derive(Debug, QueryableByName)]
pub(super) struct ForeignKeyRow {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub ref_table: String,
    #[diesel(sql_type = Text)]
    pub from_column: String,
    /// `None` when the key references the other table's primary key implicitly.
    #[diesel(sql_type = Nullable<Text>)]
    pub to_column: Option<String>,
    #[diesel(sql_type = Text)]
    pub on_update: String,
    #[diesel(sql_type = Text)]
    pub on_delete: String,
}

pub(super) fn tables(conn: &mut SqliteConnection) -> Result<Vec<SchemaRow>, IntrospectError> {
    of_type(conn, "table")
}

/// The rows of `sqlite_schema` of one type (`table`, `view`, `trigger`), by name.
pub(super) fn of_type(conn: &mut SqliteConnection, ty: &str) -> Result<Vec<SchemaRow>, IntrospectError> {
    sql_query("SELECT name, sql FROM sqlite_schema WHERE type = ? ORDER BY name")
        .bind::<Text, _>(ty)
        .load(conn)
        .map_err(IntrospectError::query(format!("the {ty}s (sqlite_schema)")))
}

/// A trigger: its name, table and statement.
#[derive(Debug, QueryableByName)]
pub(super) struct TriggerRow {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub tbl_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub sql: Option<String>,
}

pub(super) fn triggers(conn: &mut SqliteConnection) -> Result<Vec<TriggerRow>, IntrospectError> {
    sql_query("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
        .load(conn)
        .map_err(IntrospectError::query("the triggers (sqlite_schema)"))
}

pub(super) fn index_sql(conn: &mut SqliteConnection, index: &str) -> Result<Option<String>, IntrospectError> {
    let rows: Vec<SchemaRow> = sql_query("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name = ?")
        .bind::<Text, _>(index)
        .load(conn)
        .map_err(IntrospectError::query(format!("the definition of index \"{index}\"")))?;
    Ok(rows.into_iter().next().and_then(|r| r.sql))
}

pub(super) fn columns(conn: &mut SqliteConnection, table: &str) -> Result<Vec<ColumnRow>, IntrospectError> {
    sql_query(
        "SELECT name, type AS ty, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?) WHERE hidden <> 1 \
         ORDER BY cid",
    )
    .bind::<Text, _>(table)
    .load(conn)
    .map_err(IntrospectError::query(format!("the columns of table \"{table}\"")))
}

pub(super) fn indexes(conn: &mut SqliteConnection, table: &str) -> Result<Vec<IndexRow>, IntrospectError> {
    sql_query("SELECT name, \"unique\" AS is_unique, origin, partial FROM pragma_index_list(?) ORDER BY name")
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(IntrospectError::query(format!("the indexes of table \"{table}\"")))
}

pub(super) fn index_columns(conn: &mut SqliteConnection, index: &str) -> Result<Vec<IndexColumnRow>, IntrospectError> {
    sql_query("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
        .bind::<Text, _>(index)
        .load(conn)
        .map_err(IntrospectError::query(format!("the columns of index \"{index}\"")))
}

pub(super) fn foreign_keys(conn: &mut SqliteConnection, table: &str) -> Result<Vec<ForeignKeyRow>, IntrospectError> {
    sql_query(
        "SELECT id, \"table\" AS ref_table, \"from\" AS from_column, \"to\" AS to_column, on_update, on_delete \
         FROM pragma_foreign_key_list(?) ORDER BY id, seq",
    )
    .bind::<Text, _>(table)
    .load(conn)
    .map_err(IntrospectError::query(format!("the foreign keys of table \"{table}\"")))
}
