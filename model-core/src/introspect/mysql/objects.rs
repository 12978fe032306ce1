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
    #[diesel(sql_type = Text)]
    timing: String,
    #[diesel(sql_type = Text)]
    event: String,
    #[diesel(sql_type = Text)]
    body: String,
}

#[derive(QueryableByName)]
struct ShowTable {
    #[diesel(sql_type = Text, column_name = "Create Table")]
    sql: String,
}

/// Read the views (`VIEW_DEFINITION`, columns from `columns`), functions (their body,
/// `ROUTINE_DEFINITION`) and triggers (written back from `information_schema.TRIGGERS`, see
/// [`trigger_form`]) into `schema`.
pub(super) fn read(
    conn: &mut MysqlConnection,
    schema: &mut Schema,
    columns: &[super::rows::ColumnRow],
) -> Result<(), IntrospectError> {
    let views: Vec<NameSql> = sql_query(
        "SELECT TABLE_NAME AS name, VIEW_DEFINITION AS `sql` FROM information_schema.VIEWS \
         WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
    )
    .load(conn)
    .map_err(IntrospectError::query("the views of the current database"))?;
    for v in views {
        let mut view = View::new(v.name.clone(), v.sql);
        // the columns' types as a table's are read (what a model of the view declares), else as written
        view.columns = columns
            .iter()
            .filter(|c| c.table_name == v.name)
            .map(|c| Column {
                nullable: c.nullable.eq_ignore_ascii_case("yes"),
                ..Column::new(
                    c.name.clone(),
                    super::types::mysql_type(&c.ty).unwrap_or_else(|_| ColumnType::Custom { sql: c.ty.clone() }),
                )
            })
            .collect();
        schema.views.push(view);
    }
    let functions: Vec<NameSql> = sql_query(
        "SELECT ROUTINE_NAME AS name, ROUTINE_DEFINITION AS `sql` FROM information_schema.ROUTINES \
         WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE = 'FUNCTION' ORDER BY ROUTINE_NAME",
    )
    .load(conn)
    .map_err(IntrospectError::query("the functions of the current database"))?;
    schema.functions.extend(functions.into_iter().map(|f| Function {
        name: f.name,
        sql: f.sql,
    }));
    let triggers: Vec<TriggerRow> = sql_query(
        "SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS `table`, ACTION_TIMING AS timing, \
           EVENT_MANIPULATION AS event, ACTION_STATEMENT AS body \
         FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME",
    )
    .load(conn)
    .map_err(IntrospectError::query("the triggers of the current database"))?;
    for t in triggers {
        let sql = trigger_form(&t.name, &t.timing, &t.event, &t.table, &t.body);
        schema.triggers.push(Trigger {
            name: t.name,
            table: t.table,
            sql,
        });
    }
    Ok(())
}

/// A trigger written back in one form from its parts, as MySQL keeps them (the statement itself is
/// not kept: `SHOW CREATE TRIGGER` cannot be read through a prepared statement).
fn trigger_form(name: &str, timing: &str, event: &str, table: &str, body: &str) -> String {
    format!(
        "CREATE TRIGGER {} {} {} ON {} FOR EACH ROW {}",
        quote_ident(name, Dialect::Mysql),
        timing.to_uppercase(),
        event.to_uppercase(),
        quote_ident(table, Dialect::Mysql),
        body.trim()
    )
}

/// The model's trigger in [`trigger_form`]: `CREATE [DEFINER = ..] TRIGGER name BEFORE|AFTER
/// INSERT|UPDATE|DELETE ON table FOR EACH ROW [FOLLOWS|PRECEDES other] body`; `None` when it is not of
/// that shape.
fn model_trigger_form(t: &Trigger) -> Option<String> {
    let toks = tokens(&t.sql);
    let at = toks.iter().position(|x| x.is("TRIGGER"))?;
    let mut i = at + 1;
    if toks.get(i).is_some_and(|x| x.is("IF")) {
        i += 3;
    }
    i += 1; // the name
    let (timing, event) = (toks.get(i)?, toks.get(i + 1)?);
    if !toks.get(i + 2)?.is("ON") {
        return None;
    }
    let mut j = i + 4;
    while toks.get(j).is_some_and(|x| x.text == ".") {
        j += 2;
    }
    let each = ["FOR", "EACH", "ROW"];
    if !each
        .iter()
        .enumerate()
        .all(|(k, w)| toks.get(j + k).is_some_and(|x| x.is(w)))
    {
        return None;
    }
    j += 3;
    if toks.get(j).is_some_and(|x| x.is("FOLLOWS") || x.is("PRECEDES")) {
        j += 2;
    }
    let body = &t.sql[toks.get(j)?.start..];
    Some(trigger_form(&t.name, &timing.text, &event.text, &t.table, body))
}

/// `model` with the forms MySQL gives its objects: a view's query as MySQL rewrites it (found by
/// creating the view `__model_view_probe` and dropping it again: MySQL's DDL cannot be rolled back),
/// a function as its body when the model's statement ends with the body the database holds (MySQL
/// keeps only the body), a trigger in the form of its parts (see [`trigger_form`]), a generated column's expression as MySQL
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
                    "SELECT TABLE_NAME AS name, VIEW_DEFINITION AS `sql` FROM information_schema.VIEWS \
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
        if let Some(form) = model_trigger_form(t) {
            t.sql = form;
        }
    }
    for t in &mut out.tables {
        if t.columns.iter().all(|c| c.generated.is_none()) {
            continue;
        }
        let Some(live_table) = live.table(&t.name) else {
            continue;
        };
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
        .map(|c| {
            crate::render::column_definition(
                &crate::ir::Table::new(probe),
                &Column {
                    identity: false,
                    ..c.clone()
                },
                Dialect::Mysql,
            )
        })
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
        let Some(at) = line.find("GENERATED ALWAYS AS (") else {
            continue;
        };
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
    use crate::ir::{Dialect, Trigger};

    #[test]
    fn a_model_trigger_is_written_as_mysql_keeps_it() {
        let t = Trigger::parse(
            "CREATE DEFINER=`root`@`%` TRIGGER t before update ON app.x FOR EACH ROW FOLLOWS other SET NEW.a = 1",
            Dialect::Mysql,
        )
        .unwrap();
        assert_eq!(
            super::model_trigger_form(&t).as_deref(),
            Some("CREATE TRIGGER `t` BEFORE UPDATE ON `x` FOR EACH ROW SET NEW.a = 1")
        );
        assert_eq!(
            super::trigger_form("t", "BEFORE", "UPDATE", "x", " SET NEW.a = 1 "),
            "CREATE TRIGGER `t` BEFORE UPDATE ON `x` FOR EACH ROW SET NEW.a = 1"
        );
    }
}
