//! UNIQUE constraints, indexes and CHECK constraints, named by the rule in [`crate::ir`] naming.

use super::lists;
use crate::ir::{self, Check, Index, UniqueConstraint};
use crate::parse::{Container, Ctxt};
use proc_macro2::Span;

/// Field `unique` flags, then struct `unique(a, b)`s.
pub(crate) fn uniques(ctxt: &Ctxt, c: &Container, table: &str, columns: &[String]) -> Vec<(UniqueConstraint, Span)> {
    let mut out = Vec::new();
    for (i, f) in c.fields.iter().enumerate() {
        if let Some(flag) = &f.attrs.unique {
            let cols = vec![columns[i].clone()];
            out.push((
                UniqueConstraint {
                    name: ir::unique_name(table, &cols),
                    columns: cols,
                },
                flag.key,
            ));
        }
    }
    for u in &c.attrs.uniques {
        if let Some(fields) = lists::resolve(ctxt, c, &u.value, "unique") {
            let cols: Vec<String> = fields.iter().map(|i| columns[*i].clone()).collect();
            out.push((
                UniqueConstraint {
                    name: ir::unique_name(table, &cols),
                    columns: cols,
                },
                u.key,
            ));
        }
    }
    out
}

/// Field `index` flags, then struct `index(...)`es.
pub(crate) fn indexes(ctxt: &Ctxt, c: &Container, table: &str, columns: &[String]) -> Vec<(Index, Span)> {
    let mut out = Vec::new();
    for (i, f) in c.fields.iter().enumerate() {
        if let Some(flag) = &f.attrs.index {
            let cols = vec![columns[i].clone()];
            let ix = Index {
                name: ir::index_name(table, &cols, false),
                columns: cols,
                unique: false,
                where_sql: None,
            };
            out.push((ix, flag.key));
        }
    }
    for ix in &c.attrs.indexes {
        if let Some(fields) = lists::resolve(ctxt, c, &ix.fields, "index") {
            let cols: Vec<String> = fields.iter().map(|i| columns[*i].clone()).collect();
            let name = match &ix.name {
                Some(n) => n.value.clone(),
                None => ir::index_name(table, &cols, ix.unique),
            };
            let span = ix.name.as_ref().map_or(ix.key, |n| n.span);
            let where_sql = ix.where_sql.as_ref().map(|w| w.value.clone());
            out.push((
                Index {
                    name,
                    columns: cols,
                    unique: ix.unique,
                    where_sql,
                },
                span,
            ));
        }
    }
    out
}

/// Field `check = "..."`s, then struct `check(name, sql)`s.
pub(crate) fn checks(ctxt: &Ctxt, c: &Container, table: &str, columns: &[String]) -> Vec<Check> {
    let mut out: Vec<Check> = Vec::new();
    for (i, f) in c.fields.iter().enumerate() {
        if let Some(sql) = &f.attrs.check {
            out.push(Check {
                name: ir::column_check_name(table, &columns[i]),
                sql: sql.value.clone(),
            });
        }
    }
    for ck in &c.attrs.checks {
        let name = ir::check_name(table, &ck.name.value);
        if out.iter().any(|other| other.name == name) {
            ctxt.at(
                ck.name.span,
                format!("two checks are named `{name}`: give this one another `name`"),
            );
        }
        out.push(Check {
            name,
            sql: ck.sql.value.clone(),
        });
    }
    out
}
