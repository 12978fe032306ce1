//! PostgreSQL's views, functions, triggers and extensions (one schema, members of extensions
//! left out), and the forms PostgreSQL gives the model's own objects.

use crate::introspect::IntrospectError;
use crate::ir::{Column, ColumnType, Extension, Function, Schema, Trigger, View};
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Nullable, Text};
use diesel::{sql_query, Connection, QueryableByName, RunQueryDsl};

/// Not a member of an extension (`pg_depend` deptype `e`).
const OWN: &str = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')";

#[derive(QueryableByName)]
struct ViewRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    materialized: bool,
    #[diesel(sql_type = Text)]
    sql: String,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
}

#[derive(QueryableByName)]
struct ViewColumnRow {
    #[diesel(sql_type = Text)]
    view: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
}

#[derive(QueryableByName)]
struct NameSql {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

#[derive(QueryableByName)]
struct TriggerRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Read the views (with their columns), functions, triggers and extensions into `schema`. A view's
/// query is as `pg_get_viewdef` prints it, a function as `pg_get_functiondef`, a trigger as
/// `pg_get_triggerdef`; `plpgsql` is not listed among the extensions. `ns` is the schema read.
pub(super) fn read(conn: &mut PgConnection, ns: &str, schema: &mut Schema) -> Result<(), IntrospectError> {
    let own = |oid: &str| OWN.replace("{oid}", oid);
    let in_ns = format!("n.nspname = {}", literal(ns));
    let views: Vec<ViewRow> = sql_query(format!(
        "SELECT c.relname::text AS name, c.relkind = 'm' AS materialized, pg_get_viewdef(c.oid, true) AS sql, \
           obj_description(c.oid, 'pg_class') AS comment \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE {in_ns} AND c.relkind IN ('v', 'm') AND {} ORDER BY c.relname",
        own("c.oid")
    ))
    .load(conn)
    .map_err(IntrospectError::query(format!("the views of schema {ns}")))?;
    let columns: Vec<ViewColumnRow> = sql_query(format!(
        "SELECT c.relname::text AS view, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS ty \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE {in_ns} AND c.relkind IN ('v', 'm') AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY c.relname, a.attnum",
    ))
    .load(conn)
    .map_err(IntrospectError::query(format!(
        "the columns of the views of schema {ns}"
    )))?;
    for v in views {
        let mut view = View::new(v.name.clone(), v.sql);
        view.materialized = v.materialized;
        view.comment = v.comment;
        view.columns = columns
            .iter()
            .filter(|c| c.view == v.name)
            .map(|c| {
                let ty = ColumnType::parse_sql(&c.ty).unwrap_or(ColumnType::Custom { sql: c.ty.clone() });
                Column {
                    nullable: true,
                    ..Column::new(c.name.clone(), ty)
                }
            })
            .collect();
        schema.views.push(view);
    }
    let functions: Vec<NameSql> = sql_query(format!(
        "SELECT p.proname::text AS name, pg_get_functiondef(p.oid) AS sql \
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE {in_ns} AND p.prokind = 'f' AND {} ORDER BY p.proname, sql",
        own("p.oid")
    ))
    .load(conn)
    .map_err(IntrospectError::query(format!("the functions of schema {ns}")))?;
    schema.functions.extend(functions.into_iter().map(|f| Function {
        name: f.name,
        sql: f.sql,
    }));
    let triggers: Vec<TriggerRow> = sql_query(format!(
        "SELECT t.tgname::text AS name, c.relname::text AS table, pg_get_triggerdef(t.oid) AS sql \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE {in_ns} AND NOT t.tgisinternal ORDER BY t.tgname",
    ))
    .load(conn)
    .map_err(IntrospectError::query(format!("the triggers of schema {ns}")))?;
    schema.triggers.extend(triggers.into_iter().map(|t| Trigger {
        name: t.name,
        table: t.table,
        sql: t.sql,
    }));
    let extensions: Vec<NameRow> =
        sql_query("SELECT extname::text AS name FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname")
            .load(conn)
            .map_err(IntrospectError::query("the extensions"))?;
    schema
        .extensions
        .extend(extensions.into_iter().map(|e| Extension::new(e.name)));
    Ok(())
}

/// `model` with the SQL of each view, function and trigger that `live` also has replaced by the form
/// PostgreSQL gives it, found by creating it inside a transaction that is rolled back (a view as a
/// temporary view, a function with `CREATE OR REPLACE`, a trigger dropped and created again): so
/// [`compare`](crate::ir::compare) sees the same text for the same definition. One that PostgreSQL
/// refuses keeps its text with the reason in front, so it compares as different.
pub(super) fn canonical(conn: &mut PgConnection, model: &Schema, live: &Schema) -> Schema {
    let mut out = model.clone();
    for v in out.views.iter_mut().filter(|v| live.view(&v.name).is_some()) {
        let probe = format!("CREATE TEMP VIEW \"__model_view_probe\" AS {}", v.sql);
        let read = "SELECT '' AS name, pg_get_viewdef(c.oid, true) AS sql FROM pg_class c \
                    WHERE c.relname = '__model_view_probe' AND c.relnamespace = pg_my_temp_schema()";
        v.sql = rolled_back(conn, &[probe], read).unwrap_or_else(|e| cannot(&e, &v.sql));
    }
    for f in out
        .functions
        .iter_mut()
        .filter(|f| live.functions.iter().any(|l| l.name == f.name))
    {
        let read = format!(
            "SELECT p.proname::text AS name, pg_get_functiondef(p.oid) AS sql FROM pg_proc p \
             JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() AND p.proname = {} \
             ORDER BY sql",
            literal(&f.name)
        );
        f.sql = rolled_back(conn, &[f.or_replace_sql()], &read).unwrap_or_else(|e| cannot(&e, &f.sql));
    }
    for t in out
        .triggers
        .iter_mut()
        .filter(|t| live.triggers.iter().any(|l| l.name == t.name))
    {
        let drop = format!("DROP TRIGGER IF EXISTS {} ON {}", ident(&t.name), ident(&t.table));
        let read = format!(
            "SELECT t.tgname::text AS name, pg_get_triggerdef(t.oid) AS sql FROM pg_trigger t \
             WHERE NOT t.tgisinternal AND t.tgname = {} AND t.tgrelid = to_regclass({})",
            literal(&t.name),
            literal(&ident(&t.table))
        );
        t.sql = rolled_back(conn, &[drop, t.sql.clone()], &read).unwrap_or_else(|e| cannot(&e, &t.sql));
    }
    out
}

/// Run `statements` then `read` in a transaction that is rolled back; what `read` returned (its
/// `sql` column, rows joined by a line break).
fn rolled_back(conn: &mut PgConnection, statements: &[String], read: &str) -> Result<String, String> {
    let mut result: Result<String, String> = Err("nothing was read".into());
    let _ = conn.transaction::<(), diesel::result::Error, _>(|c| {
        for s in statements {
            if let Err(e) = sql_query(s.as_str()).execute(c) {
                result = Err(e.to_string());
                return Err(diesel::result::Error::RollbackTransaction);
            }
        }
        result = sql_query(read)
            .load::<NameSql>(c)
            .map(|rows| rows.into_iter().map(|r| r.sql).collect::<Vec<_>>().join("\n"))
            .map_err(|e| e.to_string());
        Err(diesel::result::Error::RollbackTransaction)
    });
    result
}

fn cannot(why: &str, sql: &str) -> String {
    format!(
        "-- PostgreSQL refuses the model's definition: {}\n{sql}",
        why.replace('\n', " ")
    )
}

fn literal(s: &str) -> String {
    crate::ir::Literal::Str(s.to_string()).to_sql(crate::ir::Dialect::Postgres)
}

fn ident(s: &str) -> String {
    crate::render::quote_ident(s, crate::ir::Dialect::Postgres)
}
