//! What a database holds beyond what `model import` writes into models: views, triggers, functions
//! and extensions (which models can declare, see the README's "Views, functions, triggers,
//! extensions and generated columns", but which import leaves to the user), exclusion constraints,
//! index methods... `model import` lists them (in the generated file and on stderr) so that nothing
//! is dropped silently. Generated columns are imported (`#[model(generated = "..")]`), so not listed.

use super::IntrospectError;
use crate::ir::TableFilter;
use diesel::sql_types::{Nullable, Text};
use diesel::QueryableByName;

/// One object the models do not declare, in words, with the table it belongs to (if any).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Unexpressed {
    /// The table it belongs to, when it belongs to one (a trigger, an index...).
    #[diesel(sql_type = Nullable<Text>)]
    pub table_name: Option<String>,
    /// What it is, e.g. `view "active_users"`.
    #[diesel(sql_type = Text)]
    pub what: String,
}

/// The objects whose table the crate owns (`filter`), or that belong to no table.
pub fn owned(objects: Vec<Unexpressed>, filter: &TableFilter) -> Vec<Unexpressed> {
    objects
        .into_iter()
        .filter(|o| o.table_name.as_deref().is_none_or(|t| filter.allows(t)))
        .collect()
}

/// PostgreSQL (schema `public`): views and materialized views, triggers, functions and procedures
/// (not an extension's), exclusion constraints, deferrable constraints, indexes that are not plain
/// b-trees or have `INCLUDE` columns, sequences no column owns, extensions,
/// domains, and tables of other schemas.
#[cfg(feature = "postgres")]
pub fn postgres_objects(conn: &mut diesel::pg::PgConnection) -> Result<Vec<Unexpressed>, IntrospectError> {
    use diesel::RunQueryDsl;
    let q = r#"
SELECT NULL::text AS table_name, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END || ' "' || c.relname || '"' || $v$ (not imported: declare a struct with `view = ".."` to manage it)$v$ AS what
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
UNION ALL
SELECT c.relname::text, 'trigger "' || t.tgname || '" on table "' || c.relname || '"' || $t$ (not imported: a file in the `objects` folder manages it)$t$
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND NOT t.tgisinternal
UNION ALL
SELECT NULL, CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END || ' "' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')"' || CASE p.prokind WHEN 'f' THEN $f$ (not imported: a file in the `objects` folder manages it)$f$ ELSE '' END
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'public'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT c.relname::text, 'exclusion constraint "' || k.conname || '" on table "' || c.relname || '": ' || pg_get_constraintdef(k.oid)
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND k.contype = 'x'
UNION ALL
SELECT c.relname::text, 'constraint "' || k.conname || '" on table "' || c.relname || '" is DEFERRABLE' || CASE WHEN k.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND k.condeferrable
UNION ALL
SELECT c.relname::text, 'index "' || i.relname || '" on table "' || c.relname || '": ' || pg_get_indexdef(x.indexrelid)
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
  JOIN pg_am am ON am.oid = i.relam JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND (am.amname <> 'btree' OR x.indnkeyatts <> x.indnatts)

UNION ALL
SELECT NULL, 'sequence "' || c.relname || '" (not owned by a column)'
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'S'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT NULL, 'extension "' || e.extname || '"' || $e$ (not imported: list it in `extensions` to manage it)$e$ FROM pg_extension e WHERE e.extname <> 'plpgsql'
UNION ALL
SELECT NULL, 'domain "' || t.typname || '"'
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'd'
UNION ALL
SELECT NULL, 'schema "' || n.nspname || '" (' || count(*) || ' tables; only schema public is imported)'
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('public', 'pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
  GROUP BY n.nspname
"#;
    diesel::sql_query(q).load(conn).map_err(IntrospectError::query(
        "the views, triggers and other objects of schema public",
    ))
}

/// SQLite: views, triggers, virtual tables, `WITHOUT ROWID` and `STRICT` tables.
#[cfg(feature = "sqlite")]
pub fn sqlite_objects(conn: &mut diesel::sqlite::SqliteConnection) -> Result<Vec<Unexpressed>, IntrospectError> {
    use diesel::RunQueryDsl;
    let q = r#"
SELECT CASE type WHEN 'trigger' THEN tbl_name END AS table_name,
       type || ' "' || name || '"' || CASE type WHEN 'trigger'
         THEN ' on table "' || tbl_name || '" (not imported: a file in the `objects` folder manages it)'
         ELSE ' (not imported: declare a struct with `view = ".."` to manage it)' END AS what
  FROM sqlite_schema WHERE type IN ('view', 'trigger')
UNION ALL
SELECT name, 'virtual table "' || name || '": ' || sql FROM sqlite_schema
  WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'

UNION ALL
SELECT name, 'table "' || name || '" is WITHOUT ROWID or STRICT' FROM sqlite_schema
  WHERE type = 'table' AND (upper(sql) LIKE '%WITHOUT ROWID%' OR upper(rtrim(sql)) LIKE '%) STRICT%')
"#;
    diesel::sql_query(q).load(conn).map_err(IntrospectError::query(
        "the views, triggers and other objects (sqlite_schema)",
    ))
}

/// MySQL / MariaDB: views, triggers, routines, events, full-text and spatial indexes, prefix
/// indexes, partitioned tables.
#[cfg(feature = "mysql")]
pub fn mysql_objects(conn: &mut diesel::mysql::MysqlConnection) -> Result<Vec<Unexpressed>, IntrospectError> {
    use diesel::RunQueryDsl;
    let q = r#"
SELECT CAST(NULL AS CHAR) AS table_name, CONCAT('view "', TABLE_NAME, '" (not imported: declare a struct with `view = ".."` to manage it)') AS what
  FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()
UNION ALL
SELECT EVENT_OBJECT_TABLE, CONCAT('trigger "', TRIGGER_NAME, '" on table "', EVENT_OBJECT_TABLE, '" (not imported: a file in the `objects` folder manages it)')
  FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
UNION ALL
SELECT NULL, CONCAT(LOWER(ROUTINE_TYPE), ' "', ROUTINE_NAME, '"', IF(ROUTINE_TYPE = 'FUNCTION', ' (not imported: a file in the `objects` folder manages it)', ''))
  FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
UNION ALL
SELECT NULL, CONCAT('event "', EVENT_NAME, '"') FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()
UNION ALL
SELECT DISTINCT TABLE_NAME, CONCAT(INDEX_TYPE, ' index "', INDEX_NAME, '" on table "', TABLE_NAME, '" (read as a plain index)')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_TYPE IN ('FULLTEXT', 'SPATIAL')
UNION ALL
SELECT DISTINCT TABLE_NAME, CONCAT('index "', INDEX_NAME, '" on table "', TABLE_NAME, '" indexes a prefix of column "', COLUMN_NAME, '" (', SUB_PART, ' characters)')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND SUB_PART IS NOT NULL

UNION ALL
SELECT DISTINCT TABLE_NAME, CONCAT('table "', TABLE_NAME, '" is partitioned')
  FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND PARTITION_NAME IS NOT NULL
"#;
    diesel::sql_query(q).load(conn).map_err(IntrospectError::query(
        "the views, triggers and other objects of the current database",
    ))
}
