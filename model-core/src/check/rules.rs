//! Remaining name-level rules: one name per index or constraint, keys that need another key.

use crate::ir::{self, Index, UniqueConstraint};
use crate::parse::{Container, Ctxt};
use proc_macro2::Span;

/// Indexes and UNIQUE constraints (which are indexes in PostgreSQL and MySQL) and the primary key
/// need distinct names.
pub(crate) fn constraint_names(
    ctxt: &Ctxt,
    table: &str,
    uniques: &[(UniqueConstraint, Span)],
    indexes: &[(Index, Span)],
) {
    let mut seen: Vec<String> = vec![ir::pk_name(table)];
    let all = uniques
        .iter()
        .map(|(u, s)| (&u.name, *s, "unique constraint"))
        .chain(indexes.iter().map(|(i, s)| (&i.name, *s, "index")));
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
