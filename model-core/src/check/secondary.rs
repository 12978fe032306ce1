//! UNIQUE constraints, indexes and CHECK constraints, named by the rule in [`crate::ir`] naming.

use super::lists;
use crate::ir::{self, Check, FkAction, ForeignKey, Index, UniqueConstraint};
use crate::parse::{CheckName, Container, Ctxt};
use proc_macro2::Span;

/// Field `unique` flags, then struct `unique(a, b)`s.
pub(crate) fn uniques(ctxt: &Ctxt, c: &Container, table: &str, columns: &[String]) -> Vec<(UniqueConstraint, Span)> {
    let mut out = Vec::new();
    for (i, f) in c.fields.iter().enumerate() {
        if let Some(flag) = &f.attrs.unique {
            let cols = vec![columns[i].clone()];
            let name = f.attrs.unique_name.as_ref().map(|n| n.value.clone());
            out.push((
                UniqueConstraint {
                    name: name.unwrap_or_else(|| ir::unique_name(table, &cols)),
                    columns: cols,
                },
                f.attrs.unique_name.as_ref().map_or(flag.key, |n| n.span),
            ));
        }
    }
    for u in &c.attrs.uniques {
        if let Some(fields) = lists::resolve(ctxt, c, &u.fields.value, "unique") {
            let cols: Vec<String> = fields.iter().map(|i| columns[*i].clone()).collect();
            let name = u.name.as_ref().map(|n| n.value.clone());
            out.push((
                UniqueConstraint {
                    name: name.unwrap_or_else(|| ir::unique_name(table, &cols)),
                    columns: cols,
                },
                u.name.as_ref().map_or(u.fields.key, |n| n.span),
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
            let name = f.attrs.index_name.as_ref().map(|n| n.value.clone());
            let ix = Index {
                name: name.unwrap_or_else(|| ir::index_name(table, &cols, false)),
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

/// Field `check = "..."`s, then struct `check(name, sql)`s, each with the span of its name.
pub(crate) fn checks(ctxt: &Ctxt, c: &Container, table: &str, columns: &[String]) -> Vec<(Check, Span)> {
    let mut out: Vec<(Check, Span)> = Vec::new();
    for (i, f) in c.fields.iter().enumerate() {
        if let Some(sql) = &f.attrs.check {
            let name = f.attrs.check_name.as_ref().map(|n| n.value.clone());
            out.push((
                Check {
                    name: name.unwrap_or_else(|| ir::column_check_name(table, &columns[i])),
                    sql: sql.value.clone(),
                },
                f.attrs.check_name.as_ref().map_or(sql.key, |n| n.span),
            ));
        }
    }
    for ck in &c.attrs.checks {
        let (name, span) = match &ck.name {
            CheckName::Short(n) => (ir::check_name(table, &n.value), n.span),
            CheckName::Exact(n) => (n.value.clone(), n.span),
        };
        if out.iter().any(|(other, _)| other.name == name) {
            ctxt.at(
                span,
                format!("two checks are named `{name}`: give this one another `name`"),
            );
            continue;
        }
        out.push((
            Check {
                name,
                sql: ck.sql.value.clone(),
            },
            span,
        ));
    }
    out
}

/// The name of each field's foreign key: `fk_name`, else the naming rule's; `None` for a field
/// without `references`.
pub(crate) fn field_fk_names(c: &Container, table: &str, columns: &[String]) -> Vec<Option<String>> {
    c.fields
        .iter()
        .zip(columns)
        .map(|(f, column)| {
            let r = f.attrs.references.as_ref()?;
            Some(match &f.attrs.fk_name {
                Some(n) => n.value.clone(),
                None => ir::fk_name(table, &[column], &r.value.table),
            })
        })
        .collect()
}

/// Struct `foreign_key(a, b, references = "t(x, y)", ...)`s, with the indexes of their fields and
/// the span of their name (or key).
pub(crate) fn foreign_keys(
    ctxt: &Ctxt,
    c: &Container,
    table: &str,
    columns: &[String],
) -> Vec<(ForeignKey, Vec<usize>, Span)> {
    let mut out = Vec::new();
    for fk in &c.attrs.foreign_keys {
        let Some(fields) = lists::resolve(ctxt, c, &fk.fields, "foreign_key") else {
            continue;
        };
        let cols: Vec<String> = fields.iter().map(|i| columns[*i].clone()).collect();
        let r = &fk.references.value;
        let name = match &fk.name {
            Some(n) => n.value.clone(),
            None => ir::fk_name(table, &cols, &r.table),
        };
        let action = |a: &Option<crate::parse::Attr<FkAction>>| a.as_ref().map_or(FkAction::NoAction, |a| a.value);
        out.push((
            ForeignKey {
                name,
                columns: cols,
                ref_table: r.table.clone(),
                ref_columns: r.columns.clone(),
                on_delete: action(&fk.on_delete),
                on_update: action(&fk.on_update),
            },
            fields,
            fk.name.as_ref().map_or(fk.key, |n| n.span),
        ));
    }
    out
}
