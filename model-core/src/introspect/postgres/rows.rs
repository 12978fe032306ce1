//! Catalog queries (pg_catalog, one schema) and the rows they return.

use crate::introspect::IntrospectError;
use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Nullable, Text};
use diesel::{sql_query, QueryableByName, RunQueryDsl};

/// Ordinary and partitioned tables of `schema` (the filter used by every query).
fn in_schema(schema: &str) -> String {
    format!(
        "n.nspname = '{}' AND c.relkind IN ('r', 'p')",
        schema.replace('\'', "''")
    )
}

/// A table and its comment.
#[derive(Debug, QueryableByName)]
pub(super) struct TableRow {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub comment: Option<String>,
}

/// A column, in ordinal order within its table.
#[derive(Debug, QueryableByName)]
pub(super) struct ColumnRow {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub ty: String,
    #[diesel(sql_type = Bool)]
    pub not_null: bool,
    #[diesel(sql_type = Nullable<Text>)]
    pub default_sql: Option<String>,
    /// `attidentity`: `a` (always), `d` (by default) or empty.
    #[diesel(sql_type = Text)]
    pub identity: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub comment: Option<String>,
    /// The name of the column's enum type (`pg_type.typtype = 'e'`), else `NULL`.
    #[diesel(sql_type = Nullable<Text>)]
    pub enum_name: Option<String>,
    /// Its labels from `pg_enum`, ordered by `enumsortorder`.
    #[diesel(sql_type = Nullable<Array<Text>>)]
    pub enum_values: Option<Vec<String>>,
    /// `attgenerated`: `s` for a stored generated column (its expression is then `default_sql`).
    #[diesel(sql_type = Text)]
    pub generated: String,
}

/// A primary key, unique, foreign key or check constraint.
#[derive(Debug, QueryableByName)]
pub(super) struct ConstraintRow {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    /// `contype`: `p`, `u`, `f` or `c`.
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Array<Text>)]
    pub columns: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub ref_table: Option<String>,
    #[diesel(sql_type = Array<Text>)]
    pub ref_columns: Vec<String>,
    /// `confdeltype` (`a` no action, `r` restrict, `c` cascade, `n` set null, `d` set default).
    #[diesel(sql_type = Text)]
    pub on_delete: String,
    /// `confupdtype`, coded as `on_delete`.
    #[diesel(sql_type = Text)]
    pub on_update: String,
    /// `pg_get_constraintdef`, e.g. `CHECK ((price > (0)::numeric))`.
    #[diesel(sql_type = Text)]
    pub definition: String,
}

/// An index that does not back a constraint.
#[derive(Debug, QueryableByName)]
pub(super) struct IndexRow {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Bool)]
    pub is_unique: bool,
    /// Key columns in index order; an expression element is given as its SQL text.
    #[diesel(sql_type = Array<Text>)]
    pub columns: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub predicate: Option<String>,
}

pub(super) fn tables(conn: &mut PgConnection, schema: &str) -> Result<Vec<TableRow>, IntrospectError> {
    let tables = in_schema(schema);
    let q = format!(
        "SELECT c.relname::text AS name, obj_description(c.oid, 'pg_class') AS comment \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE {tables} ORDER BY c.relname"
    );
    sql_query(q)
        .load(conn)
        .map_err(IntrospectError::query(format!("the tables of schema {schema}")))
}

pub(super) fn columns(conn: &mut PgConnection, schema: &str) -> Result<Vec<ColumnRow>, IntrospectError> {
    let tables = in_schema(schema);
    let q = format!(
        "SELECT c.relname::text AS table_name, a.attname::text AS name, \
           format_type(a.atttypid, a.atttypmod) AS ty, a.attnotnull AS not_null, \
           pg_get_expr(d.adbin, d.adrelid) AS default_sql, a.attidentity::text AS identity, \
           col_description(c.oid, a.attnum) AS comment, \
           CASE WHEN t.typtype = 'e' THEN t.typname::text END AS enum_name, \
           CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e \
                 WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS enum_values, \
           a.attgenerated::text AS generated \
         FROM pg_attribute a \
           JOIN pg_class c ON c.oid = a.attrelid \
           JOIN pg_type t ON t.oid = a.atttypid \
           JOIN pg_namespace n ON n.oid = c.relnamespace \
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE {tables} AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY c.relname, a.attnum"
    );
    sql_query(q)
        .load(conn)
        .map_err(IntrospectError::query(format!("the columns of schema {schema}")))
}

pub(super) fn constraints(conn: &mut PgConnection, schema: &str) -> Result<Vec<ConstraintRow>, IntrospectError> {
    let tables = in_schema(schema);
    let q = format!(
        "SELECT c.relname::text AS table_name, k.conname::text AS name, k.contype::text AS kind, \
           ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(num, ord) \
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num ORDER BY u.ord) AS columns, \
           r.relname::text AS ref_table, \
           ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(num, ord) \
                 JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num ORDER BY u.ord) AS ref_columns, \
           k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update, \
           pg_get_constraintdef(k.oid) AS definition \
         FROM pg_constraint k \
           JOIN pg_class c ON c.oid = k.conrelid \
           JOIN pg_namespace n ON n.oid = c.relnamespace \
           LEFT JOIN pg_class r ON r.oid = k.confrelid \
         WHERE {tables} AND k.contype IN ('p', 'u', 'f', 'c') \
         ORDER BY c.relname, k.conname"
    );
    sql_query(q)
        .load(conn)
        .map_err(IntrospectError::query(format!("the constraints of schema {schema}")))
}

pub(super) fn indexes(conn: &mut PgConnection, schema: &str) -> Result<Vec<IndexRow>, IntrospectError> {
    let tables = in_schema(schema);
    let q = format!(
        "SELECT c.relname::text AS table_name, i.relname::text AS name, x.indisunique AS is_unique, \
           ARRAY(SELECT COALESCE(a.attname::text, pg_get_indexdef(x.indexrelid, u.ord::int, true)) \
                 FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(num, ord) \
                 LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.num AND u.num > 0 \
                 WHERE u.ord <= x.indnkeyatts ORDER BY u.ord) AS columns, \
           pg_get_expr(x.indpred, x.indrelid) AS predicate \
         FROM pg_index x \
           JOIN pg_class c ON c.oid = x.indrelid \
           JOIN pg_class i ON i.oid = x.indexrelid \
           JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE {tables} AND NOT EXISTS ( \
           SELECT 1 FROM pg_constraint k \
           WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x')) \
         ORDER BY c.relname, i.relname"
    );
    sql_query(q)
        .load(conn)
        .map_err(IntrospectError::query(format!("the indexes of schema {schema}")))
}
