//! `information_schema` queries (the connection's current database) and the rows they return.

use crate::introspect::IntrospectError;
use diesel::mysql::MysqlConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{sql_query, QueryableByName, RunQueryDsl};

/// A base table and its comment (`''` when it has none).
#[derive(Debug, QueryableByName)]
pub(super) struct TableRow {
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub comment: String,
}

/// A column, in ordinal order within its table.
#[derive(Debug, QueryableByName)]
pub(super) struct ColumnRow {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    /// `COLUMN_TYPE`, e.g. `bigint(20)`, `varchar(255)`, `tinyint(1)`.
    #[diesel(sql_type = Text)]
    pub ty: String,
    /// `YES` or `NO`.
    #[diesel(sql_type = Text)]
    pub nullable: String,
    /// `COLUMN_DEFAULT` as MariaDB prints it (`'draft'`, `0`, `current_timestamp()`, `NULL`).
    #[diesel(sql_type = Nullable<Text>)]
    pub default_sql: Option<String>,
    /// `EXTRA`, e.g. `auto_increment`, `STORED GENERATED`, `VIRTUAL GENERATED`.
    #[diesel(sql_type = Text)]
    pub extra: String,
    #[diesel(sql_type = Text)]
    pub comment: String,
    /// `GENERATION_EXPRESSION` of a generated column (`NULL` or empty otherwise).
    #[diesel(sql_type = Nullable<Text>)]
    pub generation: Option<String>,
}

/// One column of a primary key, unique or foreign key constraint, in key order.
#[derive(Debug, QueryableByName)]
pub(super) struct KeyRow {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    /// `PRIMARY KEY`, `UNIQUE` or `FOREIGN KEY`.
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub column: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub ref_table: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub ref_column: Option<String>,
}

/// The referential actions of a foreign key.
#[derive(Debug, QueryableByName)]
pub(super) struct RuleRow {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub on_delete: String,
    #[diesel(sql_type = Text)]
    pub on_update: String,
}

/// One column of an index (primary key and constraint indexes included), in index order.
#[derive(Debug, QueryableByName)]
pub(super) struct IndexRow {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub non_unique: i64,
    /// `NULL` for an expression (MySQL 8 functional index).
    #[diesel(sql_type = Nullable<Text>)]
    pub column: Option<String>,
}

/// A CHECK constraint. `level` is `Column` for MariaDB's column checks (named after the column, e.g.
/// the `json_valid` check of a JSON column), else `Table`.
#[derive(Debug, QueryableByName)]
pub(super) struct CheckRow {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub level: String,
    #[diesel(sql_type = Text)]
    pub clause: String,
}

fn load<T: QueryableByName<diesel::mysql::Mysql> + 'static>(
    conn: &mut MysqlConnection,
    what: &str,
    query: &str,
) -> Result<Vec<T>, IntrospectError> {
    sql_query(query).load(conn).map_err(IntrospectError::query(what))
}

pub(super) fn tables(conn: &mut MysqlConnection) -> Result<Vec<TableRow>, IntrospectError> {
    load(
        conn,
        "the tables of the current database",
        "SELECT TABLE_NAME AS name, TABLE_COMMENT AS comment FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    )
}

pub(super) fn columns(conn: &mut MysqlConnection) -> Result<Vec<ColumnRow>, IntrospectError> {
    load(
        conn,
        "the columns of the current database",
        "SELECT TABLE_NAME AS table_name, COLUMN_NAME AS name, COLUMN_TYPE AS ty, IS_NULLABLE AS nullable, \
           COLUMN_DEFAULT AS default_sql, EXTRA AS extra, COLUMN_COMMENT AS comment, \
           GENERATION_EXPRESSION AS generation \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, ORDINAL_POSITION",
    )
}

pub(super) fn keys(conn: &mut MysqlConnection) -> Result<Vec<KeyRow>, IntrospectError> {
    load(
        conn,
        "the keys of the current database",
        "SELECT k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS name, c.CONSTRAINT_TYPE AS kind, \
           k.COLUMN_NAME AS `column`, k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_column \
         FROM information_schema.KEY_COLUMN_USAGE k \
           JOIN information_schema.TABLE_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA \
             AND c.TABLE_NAME = k.TABLE_NAME AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
         WHERE k.TABLE_SCHEMA = DATABASE() AND c.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY') \
         ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    )
}

pub(super) fn rules(conn: &mut MysqlConnection) -> Result<Vec<RuleRow>, IntrospectError> {
    load(
        conn,
        "the foreign key actions of the current database",
        "SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, DELETE_RULE AS on_delete, \
           UPDATE_RULE AS on_update \
         FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
    )
}

pub(super) fn indexes(conn: &mut MysqlConnection) -> Result<Vec<IndexRow>, IntrospectError> {
    load(
        conn,
        "the indexes of the current database",
        "SELECT TABLE_NAME AS table_name, INDEX_NAME AS name, CAST(NON_UNIQUE AS SIGNED) AS non_unique, \
           COLUMN_NAME AS `column` \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    )
}

/// MariaDB's `CHECK_CONSTRAINTS` has the table and the level; MySQL 8's has neither (there check
/// names are unique per database), so it is joined with `TABLE_CONSTRAINTS` instead.
pub(super) fn checks(conn: &mut MysqlConnection) -> Result<Vec<CheckRow>, IntrospectError> {
    let what = "the checks of the current database";
    let mariadb = "SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, LEVEL AS level, \
                     CHECK_CLAUSE AS clause \
                   FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() \
                   ORDER BY TABLE_NAME, CONSTRAINT_NAME";
    let mysql = "SELECT t.TABLE_NAME AS table_name, c.CONSTRAINT_NAME AS name, 'Table' AS level, \
                   c.CHECK_CLAUSE AS clause \
                 FROM information_schema.CHECK_CONSTRAINTS c \
                   JOIN information_schema.TABLE_CONSTRAINTS t ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA \
                     AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND t.CONSTRAINT_TYPE = 'CHECK' \
                 WHERE c.CONSTRAINT_SCHEMA = DATABASE() ORDER BY t.TABLE_NAME, c.CONSTRAINT_NAME";
    load(conn, what, mariadb).or_else(|_| load(conn, what, mysql))
}
