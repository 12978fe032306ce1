//! What a database holds beyond what `model import` writes out: `model import` writes the tables as
//! models, the views as view structs, the functions and triggers as files of the objects folder and
//! the extensions into `extensions` (see the README's "Adopting an existing database"); what is left
//! — procedures, exclusion constraints, index methods, domains, events... — is listed here, so that
//! `model import` can say it (in the generated file and on stderr) and nothing is dropped silently.
//! Generated columns are imported (`#[model(generated = "..")]`), so not listed.

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

/// PostgreSQL (schema `public`): procedures, aggregates and window functions (not an extension's), exclusion constraints, deferrable
/// constraints, indexes that are not plain b-trees or have `INCLUDE` columns, sequences no column
/// owns, domains, and the schemas with tables that are neither `public` nor one of `schemas` (the
/// schemas read besides `public`, as given to [`postgres_with`](super::postgres_with)).
///
/// ```no_run
/// use diesel::{Connection, PgConnection};
/// let mut conn = PgConnection::establish("postgres://postgres@127.0.0.1:5432/app")?;
/// let schemas = ["billing"];
/// let live = model_core::introspect::postgres_with(&mut conn, &schemas)?;
/// for o in model_core::introspect::objects::postgres_objects(&mut conn, &schemas)? {
///     eprintln!("not in the models: {}", o.what);
/// }
/// # let _ = live;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "postgres")]
pub fn postgres_objects(
    conn: &mut diesel::pg::PgConnection,
    schemas: &[&str],
) -> Result<Vec<Unexpressed>, IntrospectError> {
    use diesel::sql_types::Array;
    use diesel::RunQueryDsl;
    let q = r#"
SELECT NULL::text AS table_name, CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'window function' END || ' "' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')"' AS what
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'public' AND p.prokind IN ('p', 'a', 'w')
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
SELECT NULL, 'domain "' || t.typname || '"'
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'd'
UNION ALL
SELECT NULL, 'schema "' || n.nspname || '" (' || count(*) || ' tables; `model import --schemas ' || n.nspname || '` reads it)'
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('public', 'pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
    AND n.nspname <> ALL($1)
  GROUP BY n.nspname
"#;
    diesel::sql_query(q)
        .bind::<Array<Text>, _>(schemas)
        .load(conn)
        .map_err(IntrospectError::query(
            "the objects of schema public that models cannot declare",
        ))
}

/// SQLite: virtual tables, `WITHOUT ROWID` and `STRICT` tables.
#[cfg(feature = "sqlite")]
pub fn sqlite_objects(conn: &mut diesel::sqlite::SqliteConnection) -> Result<Vec<Unexpressed>, IntrospectError> {
    use diesel::RunQueryDsl;
    let q = r#"
SELECT name AS table_name, 'virtual table "' || name || '": ' || sql AS what FROM sqlite_schema
  WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'

UNION ALL
SELECT name, 'table "' || name || '" is WITHOUT ROWID or STRICT' FROM sqlite_schema
  WHERE type = 'table' AND (upper(sql) LIKE '%WITHOUT ROWID%' OR upper(rtrim(sql)) LIKE '%) STRICT%')
"#;
    diesel::sql_query(q).load(conn).map_err(IntrospectError::query(
        "the objects that models cannot declare (sqlite_schema)",
    ))
}

/// MySQL / MariaDB: procedures, events, full-text and spatial indexes, prefix indexes, partitioned
/// tables.
#[cfg(feature = "mysql")]
pub fn mysql_objects(conn: &mut diesel::mysql::MysqlConnection) -> Result<Vec<Unexpressed>, IntrospectError> {
    use diesel::RunQueryDsl;
    let q = r#"
SELECT CAST(NULL AS CHAR) AS table_name, CONCAT('procedure "', ROUTINE_NAME, '"') AS what
  FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE = 'PROCEDURE'
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
        "the objects of the current database that models cannot declare",
    ))
}

/// MySQL / MariaDB: `schema` (introspected from the current database) with its objects as a crate
/// writes them: each function as a whole `CREATE FUNCTION` statement (`SHOW CREATE FUNCTION`,
/// without its `DEFINER`; introspection keeps only the body, all `information_schema` has), and
/// each view's query without the database's name in front of the names it reads (MySQL writes
/// `` `db`.`users` ``, which would tie the view to this database). `model import` writes these.
#[cfg(feature = "mysql")]
pub fn mysql_as_written(
    conn: &mut diesel::mysql::MysqlConnection,
    schema: &mut crate::ir::Schema,
) -> Result<(), IntrospectError> {
    use diesel::RunQueryDsl;
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Shown {
        #[diesel(sql_type = Nullable<Text>, column_name = "Create Function")]
        sql: Option<String>,
    }
    let db: Vec<Name> = diesel::sql_query("SELECT DATABASE() AS name")
        .load(conn)
        .map_err(IntrospectError::query("the name of the current database"))?;
    if let Some(db) = db.first() {
        let prefix = format!("{}.", crate::render::quote_ident(&db.name, crate::ir::Dialect::Mysql));
        for v in &mut schema.views {
            v.sql = v.sql.replace(&prefix, "");
        }
    }
    let names: Vec<Name> = diesel::sql_query(
        "SELECT ROUTINE_NAME AS name FROM information_schema.ROUTINES \
         WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE = 'FUNCTION' ORDER BY ROUTINE_NAME",
    )
    .load(conn)
    .map_err(IntrospectError::query("the functions of the current database"))?;
    let mut out = Vec::new();
    for n in names {
        let shown: Vec<Shown> = diesel::sql_query(format!(
            "SHOW CREATE FUNCTION {}",
            crate::render::quote_ident(&n.name, crate::ir::Dialect::Mysql)
        ))
        .load(conn)
        .map_err(IntrospectError::query(format!(
            "function \"{}\" (SHOW CREATE FUNCTION)",
            n.name
        )))?;
        let Some(sql) = shown.into_iter().next().and_then(|s| s.sql) else {
            continue;
        };
        out.push(crate::ir::Function {
            name: n.name,
            sql: without_definer(&sql),
        });
    }
    schema.functions = out;
    Ok(())
}

/// `CREATE DEFINER=`u`@`h` FUNCTION ..` → `CREATE FUNCTION ..`: the definer is the account that ran
/// the statement, not part of the definition.
#[cfg(feature = "mysql")]
fn without_definer(sql: &str) -> String {
    let toks = crate::ir::tokens(sql);
    let definer = toks.get(1).is_some_and(|t| t.is("DEFINER"));
    match (definer, toks.iter().position(|t| t.is("FUNCTION"))) {
        (true, Some(at)) => format!("CREATE {}", &sql[toks[at].start..]),
        _ => sql.to_string(),
    }
}

#[cfg(all(test, feature = "mysql"))]
mod tests {
    #[test]
    fn the_definer_is_left_out() {
        assert_eq!(
            super::without_definer(
                "CREATE DEFINER=`root`@`%` FUNCTION `f`(x int) RETURNS int\n    DETERMINISTIC\nRETURN x + 1"
            ),
            "CREATE FUNCTION `f`(x int) RETURNS int\n    DETERMINISTIC\nRETURN x + 1"
        );
        assert_eq!(
            super::without_definer("CREATE FUNCTION f() RETURNS int RETURN 1"),
            "CREATE FUNCTION f() RETURNS int RETURN 1"
        );
    }
}
