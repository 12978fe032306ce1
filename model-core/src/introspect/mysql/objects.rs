//! MySQL's views, functions and triggers (the current database), and the forms MySQL gives the
//! model's own objects and generated columns.

use crate::introspect::IntrospectError;
use crate::ir::{tokens, Column, ColumnType, Dialect, Function, Schema, Trigger, View};
use crate::render::quote_ident;
use diesel::mysql::MysqlConnection;
use diesel::sql_types::Text;
use diesel::{sql_query, QueryableByName, RunQueryDsl};

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
}

#[derive(QueryableByName)]
struct ShowTrigger {
    #[diesel(sql_type = Text, column_name = "SQL Original Statement")]
    sql: String,
}

#[derive(QueryableByName)]
struct ShowTable {
    #[diesel(sql_type = Text, column_name = "Create Table")]
    sql: String,
}

/// Read the views (`VIEW_DEFINITION`, columns from `columns`), functions (their body,
/// `ROUTINE_DEFINITION`) and triggers (their original statement, without `DEFINER`) into `schema`.
pub(super) fn read(
    conn: &mut MysqlConnection,
    schema: &mut Schema,
    columns: &[super::rows::ColumnRow],
) -> Result<(), IntrospectError> {
    let views: Vec<NameSql> = sql_query(
        "SELECT TABLE_NAME AS name, VIEW_DEFINITION AS sql FROM information_schema.VIEWS \
         WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
    )
    .load(conn)
    .map_err(IntrospectError::query("the views of the current database"))?;
    for v in views {
        let mut view = View::new(v.name.clone(), v.sql);
        view.columns = columns
            .iter()
            .filter(|c| c.table_name == v.name)
            .map(|c| Column {
                nullable: true,
                ..Column::new(c.name.clone(), ColumnType::Custom { sql: c.ty.clone() })
            })
            .collect();
        schema.views.push(view);
    }
    let functions: Vec<NameSql> = sql_query(
        "SELECT ROUTINE_NAME AS name, ROUTINE_DEFINITION AS sql FROM information_schema.ROUTINES \
         WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE = 'FUNCTION' ORDER BY ROUTINE_NAME",
    )
    .load(conn)
    .map_err(IntrospectError::query("the functions of the current database"))?;
    schema
        .functions
        .extend(functions.into_iter().map(|f| Function { name: f.name, sql: f.sql }));
    let triggers: Vec<TriggerRow> = sql_query(
        "SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS `table` FROM information_schema.TRIGGERS \
         WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME",
    )
    .load(conn)
    .map_err(IntrospectError::query("the triggers of the current database"))?;
    for t in triggers {
        let shown: Vec<ShowTrigger> = sql_query(format!("SHOW CREATE TRIGGER {}", quote_ident(&t.name, Dialect::Mysql)))
            .load(conn)
            .map_err(IntrospectError::query(format!("the definition of trigger \"{}\"", t.name)))?;
        let sql = shown.into_iter().next().map(|s| without_definer(&s.sql)).unwrap_or_default();
        schema.triggers.push(Trigger {
            name: t.name,
            table: t.table,
            sql,
        });
    }
    Ok(())
}

/// `CREATE DEFINER=`u`@`h` TRIGGER ..` without its `DEFINER=..` clause.
fn without_definer(sql: &str) -> String {
    let toks = tokens(sql);
    match toks.as_slice() {
        [create, definer, ..] if create.is("CREATE") && definer.is("DEFINER") => {
            match toks.iter().position(|t| t.is("TRIGGER") || t.is("FUNCTION") || t.is("VIEW")) {
                Some(kind) => format!("{} {}", &sql[..create.end], &sql[toks[kind].start..]),
                None => sql.to_string(),
            }
        }
        _ => sql.to_string(),
    }
}

/// `model` with the forms MySQL gives its objects: a view's query as MySQL rewrites it (found by
/// creating the view `__model_view_probe` and dropping it again: MySQL's DDL cannot be rolled back),
/// a function as its body when the model's statement ends with the body the database holds (MySQL
/// keeps only the body), a trigger without `DEFINER`, a generated column's expression as MySQL
/// rewrites it (found in a temporary table of the model's columns).
pub(super) fn canonical(conn: &mut MysqlConnection, model: &Schema, live: &Schema) -> Schema {
    let mut out = model.clone();
    for v in out.views.iter_mut().filter(|v| live.view(&v.name).is_some()) {
        let probe = "__model_view_probe";
        let created = sql_query(format!("CREATE OR REPLACE VIEW `{probe}` AS {}", v.sql)).execute(conn);
        v.sql = match created {
            Err(e) => format!("-- MySQL refuses the model's definition: {e}\n{}", v.sql),
            Ok(_) => {
                let read: Result<Vec<NameSql>, _> = sql_query(format!(
                    "SELECT TABLE_NAME AS name, VIEW_DEFINITION AS sql FROM information_schema.VIEWS \
                     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{probe}'"
                ))
                .load(conn);
                let _ = sql_query(format!("DROP VIEW IF EXISTS `{probe}`")).execute(conn);
                read.ok()
                    .and_then(|rows| rows.into_iter().next())
                    .map_or_else(|| v.sql.clone(), |r| r.sql)
            }
        };
    }
    for f in &mut out.functions {
        let Some(l) = live.functions.iter().find(|l| l.name.eq_ignore_ascii_case(&f.name)) else {
            continue;
        };
        let (body, text) = (crate::ir::normalize_sql(&l.sql), crate::ir::normalize_sql(&f.sql));
        if !body.is_empty() && text.ends_with(&body) {
            f.sql = l.sql.clone();
        }
    }
    for t in &mut out.triggers {
        t.sql = without_definer(&t.sql);
    }
    for t in &mut out.tables {
        if t.columns.iter().all(|c| c.generated.is_none()) {
            continue;
        }
        let Some(live_table) = live.table(&t.name) else { continue };
        if let Some(exprs) = generated_forms(conn, t) {
            for c in t.columns.iter_mut().filter(|c| live_table.column(&c.name).is_some()) {
                if let (Some(g), Some(e)) = (c.generated.as_mut(), exprs.iter().find(|(n, _)| *n == c.name)) {
                    g.sql = e.1.clone();
                }
            }
        }
    }
    out
}

/// The generation expressions of `table`'s generated columns as MySQL prints them, from a
/// temporary table with the model's columns.
fn generated_forms(conn: &mut MysqlConnection, table: &crate::ir::Table) -> Option<Vec<(String, String)>> {
    let probe = "__model_generated_probe";
    let defs: Vec<String> = table
        .columns
        .iter()
        .map(|c| crate::render::column_definition(&crate::ir::Table::new(probe), &Column { identity: false, ..c.clone() }, Dialect::Mysql))
        .collect();
    let created = sql_query(format!("CREATE TEMPORARY TABLE `{probe}` ({})", defs.join(", "))).execute(conn);
    if created.is_err() {
        return None;
    }
    let shown: Result<Vec<ShowTable>, _> = sql_query(format!("SHOW CREATE TABLE `{probe}`")).load(conn);
    let _ = sql_query(format!("DROP TEMPORARY TABLE IF EXISTS `{probe}`")).execute(conn);
    let text = shown.ok()?.into_iter().next()?.sql;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix('`') else { continue };
        let Some(end) = rest.find('`') else { continue };
        let name = rest[..end].replace("``", "`");
        let Some(at) = line.find("GENERATED ALWAYS AS (") else { continue };
        let body = &line[at + "GENERATED ALWAYS AS (".len()..];
        let mut depth = 1usize;
        let mut close = None;
        for (i, ch) in body.char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        if let Some(close) = close {
            out.push((name, body[..close].to_string()));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_definer_is_left_out() {
        assert_eq!(
            super::without_definer("CREATE DEFINER=`root`@`%` TRIGGER t BEFORE UPDATE ON x FOR EACH ROW SET NEW.a = 1"),
            "CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW SET NEW.a = 1"
        );
        assert_eq!(super::without_definer("CREATE TRIGGER t"), "CREATE TRIGGER t");
    }
}
