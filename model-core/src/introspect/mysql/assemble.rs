//! Turn `information_schema` rows into IR tables.

use super::clause::{is_json_valid_of, unquote_identifiers};
use super::default;
use super::rows::{CheckRow, ColumnRow, IndexRow, KeyRow, RuleRow, TableRow};
use super::types::mysql_type;
use crate::introspect::{skipped_table, IntrospectError};
use crate::ir::{
    pk_name, Check, Column, ColumnType, FkAction, ForeignKey, Index, PrimaryKey, Schema, Table, UniqueConstraint,
};

/// Every row read from the catalog.
pub(super) struct Rows {
    pub tables: Vec<TableRow>,
    pub columns: Vec<ColumnRow>,
    pub keys: Vec<KeyRow>,
    pub rules: Vec<RuleRow>,
    pub indexes: Vec<IndexRow>,
    pub checks: Vec<CheckRow>,
}

pub(super) fn schema(rows: &Rows) -> Result<Schema, IntrospectError> {
    let mut out = Vec::new();
    for row in rows.tables.iter().filter(|t| !skipped_table(&t.name)) {
        out.push(table(rows, row)?);
    }
    Ok(Schema::new(out))
}

fn table(rows: &Rows, row: &TableRow) -> Result<Table, IntrospectError> {
    let name = row.name.as_str();
    let mut t = Table::new(name);
    t.comment = non_empty(&row.comment);
    for c in rows.columns.iter().filter(|c| c.table_name == name) {
        t.columns.push(column(name, c)?);
    }
    let checks: Vec<&CheckRow> = rows.checks.iter().filter(|c| c.table_name == name).collect();
    for ck in checks {
        let json_column = t
            .columns
            .iter_mut()
            .find(|c| ck.level == "Column" && c.name == ck.name && is_json_valid_of(&ck.clause, &c.name));
        match json_column {
            Some(c) if c.ty == (ColumnType::Custom { sql: "longtext".into() }) => c.ty = ColumnType::Json,
            Some(_) => {}
            None => t.checks.push(Check {
                name: ck.name.clone(),
                sql: unquote_identifiers(&ck.clause),
            }),
        }
    }
    keys(rows, &mut t)?;
    t.indexes = indexes(rows, &t);
    Ok(t)
}

fn column(table: &str, c: &ColumnRow) -> Result<Column, IntrospectError> {
    let ty = mysql_type(&c.ty).map_err(|source| IntrospectError::Type {
        table: table.to_string(),
        column: c.name.clone(),
        ty: c.ty.clone(),
        source,
    })?;
    let mut col = Column::new(c.name.clone(), ty);
    col.nullable = c.nullable.eq_ignore_ascii_case("yes");
    let extra = c.extra.to_ascii_lowercase();
    col.identity = extra.contains("auto_increment");
    if extra.contains("generated") {
        col.generated = Some(crate::ir::Generated {
            sql: c.generation.clone().unwrap_or_default(),
            is_virtual: extra.contains("virtual"),
        });
    } else if !col.identity {
        col.default = default::read(c.default_sql.as_deref(), &col.ty);
    }
    col.comment = non_empty(&c.comment);
    Ok(col)
}

/// Primary key, unique constraints and foreign keys (with their actions), from the key rows in key
/// order. MySQL names every primary key `PRIMARY`: it gets the naming rule's name ([`pk_name`]).
fn keys(rows: &Rows, t: &mut Table) -> Result<(), IntrospectError> {
    let mine: Vec<&KeyRow> = rows.keys.iter().filter(|k| k.table_name == t.name).collect();
    let mut names: Vec<(&str, &str)> = mine.iter().map(|k| (k.name.as_str(), k.kind.as_str())).collect();
    names.dedup();
    for (name, kind) in names {
        let parts: Vec<&&KeyRow> = mine.iter().filter(|k| k.name == name).collect();
        let columns: Vec<String> = parts.iter().map(|k| k.column.clone()).collect();
        match kind {
            "PRIMARY KEY" => {
                t.primary_key = Some(PrimaryKey {
                    name: pk_name(&t.name),
                    columns,
                })
            }
            "UNIQUE" => t.uniques.push(UniqueConstraint {
                name: name.to_string(),
                columns,
            }),
            _ => t.foreign_keys.push(foreign_key(rows, &t.name, name, &parts, columns)?),
        }
    }
    Ok(())
}

fn foreign_key(
    rows: &Rows,
    table: &str,
    name: &str,
    parts: &[&&KeyRow],
    columns: Vec<String>,
) -> Result<ForeignKey, IntrospectError> {
    let rule = rows.rules.iter().find(|r| r.table_name == table && r.name == name);
    let action = |text: Option<&str>| -> Result<FkAction, IntrospectError> {
        let text = text.unwrap_or("NO ACTION");
        FkAction::parse(text).ok_or_else(|| IntrospectError::FkAction {
            table: table.to_string(),
            name: name.to_string(),
            action: text.to_string(),
        })
    };
    Ok(ForeignKey {
        name: name.to_string(),
        columns,
        ref_table: parts.first().and_then(|k| k.ref_table.clone()).unwrap_or_default(),
        ref_columns: parts.iter().filter_map(|k| k.ref_column.clone()).collect(),
        on_delete: action(rule.map(|r| r.on_delete.as_str()))?,
        on_update: action(rule.map(|r| r.on_update.as_str()))?,
    })
}

/// The indexes that are not the primary key, a unique constraint, or the index MySQL creates for a
/// foreign key that has none (named after the foreign key, over its columns). MySQL keeps that
/// index when the foreign key is dropped: a plain index named by the foreign-key naming rule for
/// its own columns (`fk_<table>_<columns>_…`) is taken for one and left out too. MySQL cannot tell
/// a `CREATE UNIQUE INDEX` from a `UNIQUE` constraint: both are read as unique constraints.
fn indexes(rows: &Rows, t: &Table) -> Vec<Index> {
    let mine: Vec<&IndexRow> = rows.indexes.iter().filter(|i| i.table_name == t.name).collect();
    let mut names: Vec<&str> = mine.iter().map(|i| i.name.as_str()).collect();
    names.dedup();
    let mut out = Vec::new();
    for name in names {
        let parts: Vec<&&IndexRow> = mine.iter().filter(|i| i.name == name).collect();
        let columns: Vec<String> = parts
            .iter()
            .map(|i| i.column.clone().unwrap_or_else(|| "<expression>".into()))
            .collect();
        let is_constraint = name == "PRIMARY" || t.uniques.iter().any(|u| u.name == name);
        let unique = parts.first().is_some_and(|i| i.non_unique == 0);
        let for_fk = t.foreign_keys.iter().any(|f| f.name == name && f.columns == columns);
        let left_by_fk = !unique && name.starts_with(&format!("fk_{}_{}_", t.name, columns.join("_")));
        if is_constraint || for_fk || left_by_fk {
            continue;
        }
        out.push(Index {
            name: name.to_string(),
            columns,
            unique,
            where_sql: None,
        });
    }
    out
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}
