//! Remaining name-level rules: one name per index or constraint, keys that need another key.

use crate::ir::{Check, ForeignKey, Index, UniqueConstraint};
use crate::parse::{Container, Ctxt};
use proc_macro2::Span;

/// The named objects of a table, with the span of each name (or of its key).
pub(crate) struct Named<'a> {
    pub uniques: &'a [(UniqueConstraint, Span)],
    pub indexes: &'a [(Index, Span)],
    pub checks: &'a [(Check, Span)],
    pub field_fks: Vec<(String, Span)>,
    pub struct_fks: &'a [(ForeignKey, Vec<usize>, Span)],
}

/// The primary key, UNIQUE constraints, indexes, foreign keys and checks of a table need distinct
/// names (PostgreSQL keeps one namespace for a table's constraints, and indexes share the schema's
/// namespace of relations with the indexes behind keys).
pub(crate) fn constraint_names(ctxt: &Ctxt, table: &str, pk_name: &str, named: Named) {
    let mut seen: Vec<String> = vec![pk_name.to_string()];
    let all = named
        .uniques
        .iter()
        .map(|(u, s)| (&u.name, *s, "unique constraint"))
        .chain(named.indexes.iter().map(|(i, s)| (&i.name, *s, "index")))
        .chain(named.field_fks.iter().map(|(n, s)| (n, *s, "foreign key")))
        .chain(named.struct_fks.iter().map(|(f, _, s)| (&f.name, *s, "foreign key")))
        .chain(named.checks.iter().map(|(c, s)| (&c.name, *s, "check")));
    for (name, span, what) in all {
        if seen.contains(name) {
            ctxt.at(
                span,
                format!("this {what} is named `{name}` like another index or constraint of `{table}`: remove the duplicate or give it another `name = \"...\"`"),
            );
        } else {
            seen.push(name.clone());
        }
    }
}

/// `on_delete`/`on_update` need `references`; `identity` needs a single-column primary key.
pub(crate) fn field_rules(ctxt: &Ctxt, c: &Container, primary_key: &[usize]) {
    for (i, f) in c.fields.iter().enumerate() {
        let a = &f.attrs;
        if a.references.is_none() {
            for (key, attr) in [("on_delete", &a.on_delete), ("on_update", &a.on_update)] {
                if let Some(attr) = attr {
                    ctxt.at(attr.key, format!("`{key}` without `references`: add `references = \"table(column)\"` to field `{}`, or remove `{key}`", f.ident));
                }
            }
        }
        if let Some(identity) = &a.identity {
            if primary_key != [i] {
                ctxt.at(
                    identity.key,
                    format!("`identity` applies to a single-column integer primary key, and `{}` is not one: remove `identity`", f.ident),
                );
            }
        }
    }
}
