//! Read one SQLite table into an IR [`Table`].

use super::ddl::{self, DdlConstraint, DdlKind};
use super::pragmas::{self, ColumnRow, ForeignKeyRow};
use crate::introspect::default::read_default;
use crate::introspect::IntrospectError;
use crate::ir::{
    check_name, column_check_name, fk_name, pk_name, unique_name, Check, Column, ColumnType, FkAction, ForeignKey,
    Index, PrimaryKey, Table, UniqueConstraint,
};
use diesel::sqlite::SqliteConnection;

/// Read `name`, whose `CREATE TABLE` text is `sql`.
pub(super) fn read(conn: &mut SqliteConnection, name: &str, sql: &str) -> Result<Table, IntrospectError> {
    let mut ddl = ddl::table_constraints(sql);
    let rows = pragmas::columns(conn, name)?;
    let mut t = Table::new(name);
    let pk_cols = primary_key_columns(&rows);
    let rowid_alias = match (pk_cols.as_slice(), rows.iter().find(|r| r.pk == 1)) {
        ([_], Some(r)) if r.ty.eq_ignore_ascii_case("INTEGER") => Some(r.name.clone()),
        _ => None,
    };
    let generated = ddl::generated_expressions(sql);
    // SQLite accepts AUTOINCREMENT only on the rowid alias
    let autoincrement = super::lexer::tokenize(sql).iter().any(|t| t.is("AUTOINCREMENT"));
    for r in &rows {
        let mut c = Column::new(r.name.clone(), column_type(name, r)?);
        c.identity = rowid_alias.as_deref() == Some(r.name.as_str());
        if c.identity && autoincrement {
            c.identity_kind = crate::ir::IdentityKind::Autoincrement;
        }
        c.nullable = r.notnull == 0 && !c.identity;
        c.default = r.dflt_value.as_deref().map(read_default);
        if r.hidden == 2 || r.hidden == 3 {
            let expr = generated.iter().find(|(col, _)| *col == r.name).map(|(_, e)| e.clone());
            c.generated = Some(crate::ir::Generated {
                sql: expr.unwrap_or_default(),
                is_virtual: r.hidden == 2,
            });
            c.default = None;
        }
        t.columns.push(c);
    }
    super::enums::read(&mut t, &mut ddl);
    if !pk_cols.is_empty() {
        let given = named(&ddl, |k| matches!(k, DdlKind::PrimaryKey(_)));
        t.primary_key = Some(PrimaryKey {
            name: given.unwrap_or_else(|| pk_name(name)),
            columns: pk_cols,
        });
    }
    read_indexes(conn, &mut t, &ddl)?;
    read_foreign_keys(conn, &mut t, &ddl)?;
    t.checks = checks(name, &ddl);
    Ok(t)
}

fn column_type(table: &str, r: &ColumnRow) -> Result<ColumnType, IntrospectError> {
    if r.ty.trim().is_empty() {
        return Ok(ColumnType::Custom { sql: String::new() });
    }
    ColumnType::parse_sql_for(&r.ty, crate::ir::Dialect::Sqlite).map_err(|source| IntrospectError::Type {
        table: table.to_string(),
        column: r.name.clone(),
        ty: r.ty.clone(),
        source,
    })
}

fn primary_key_columns(rows: &[ColumnRow]) -> Vec<String> {
    let mut pk: Vec<&ColumnRow> = rows.iter().filter(|r| r.pk > 0).collect();
    pk.sort_by_key(|r| r.pk);
    pk.into_iter().map(|r| r.name.clone()).collect()
}

/// The name given in the DDL to the first constraint matching `pred`.
fn named(ddl: &[DdlConstraint], pred: impl Fn(&DdlKind) -> bool) -> Option<String> {
    ddl.iter().find(|c| pred(&c.kind)).and_then(|c| c.name.clone())
}

fn read_indexes(conn: &mut SqliteConnection, t: &mut Table, ddl: &[DdlConstraint]) -> Result<(), IntrospectError> {
    for ix in pragmas::indexes(conn, &t.name)? {
        let columns: Vec<String> = pragmas::index_columns(conn, &ix.name)?
            .into_iter()
            .map(|c| c.name.unwrap_or_else(|| "<expression>".to_string()))
            .collect();
        match ix.origin.as_str() {
            "pk" => {}
            "u" => {
                let given = named(ddl, |k| matches!(k, DdlKind::Unique(c) if *c == columns));
                let name = given.unwrap_or_else(|| unique_name(&t.name, &columns));
                t.uniques.push(UniqueConstraint { name, columns });
            }
            _ => {
                let where_sql = if ix.partial != 0 {
                    pragmas::index_sql(conn, &ix.name)?
                        .as_deref()
                        .and_then(ddl::index_predicate)
                } else {
                    None
                };
                t.indexes.push(Index {
                    name: ix.name,
                    columns,
                    unique: ix.is_unique != 0,
                    where_sql,
                });
            }
        }
    }
    t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
    t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(())
}

fn read_foreign_keys(conn: &mut SqliteConnection, t: &mut Table, ddl: &[DdlConstraint]) -> Result<(), IntrospectError> {
    let rows = pragmas::foreign_keys(conn, &t.name)?;
    let mut ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    ids.dedup();
    for id in ids {
        let parts: Vec<&ForeignKeyRow> = rows.iter().filter(|r| r.id == id).collect();
        let Some(first) = parts.first() else { continue };
        let columns: Vec<String> = parts.iter().map(|r| r.from_column.clone()).collect();
        let ref_table = first.ref_table.clone();
        let ref_columns = match parts.iter().map(|r| r.to_column.clone()).collect::<Option<Vec<_>>>() {
            Some(cols) => cols,
            None => primary_key_columns(&pragmas::columns(conn, &ref_table)?),
        };
        let given = named(
            ddl,
            |k| matches!(k, DdlKind::ForeignKey { columns: c, ref_table: r } if *c == columns && r.eq_ignore_ascii_case(&ref_table)),
        );
        let name = given.unwrap_or_else(|| fk_name(&t.name, &columns, &ref_table));
        let action = |text: &str| {
            FkAction::parse(text).ok_or_else(|| IntrospectError::FkAction {
                table: t.name.clone(),
                name: name.clone(),
                action: text.to_string(),
            })
        };
        let (on_delete, on_update) = (action(&first.on_delete)?, action(&first.on_update)?);
        t.foreign_keys.push(ForeignKey {
            name,
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
        });
    }
    t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(())
}

fn checks(table: &str, ddl: &[DdlConstraint]) -> Vec<Check> {
    let mut unnamed = 0;
    let mut out = Vec::new();
    for c in ddl {
        let DdlKind::Check(sql) = &c.kind else {
            continue;
        };
        let name = match (&c.name, &c.column) {
            (Some(n), _) => n.clone(),
            (None, Some(col)) => column_check_name(table, col),
            (None, None) => {
                unnamed += 1;
                check_name(table, &unnamed.to_string())
            }
        };
        out.push(Check { name, sql: sql.clone() });
    }
    out
}
