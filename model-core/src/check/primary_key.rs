//! The primary key: field `primary_key` flags or struct `primary_key(a, b)`, exactly one of them.

use super::lists;
use crate::parse::{Container, Ctxt};

/// The primary key's field indexes, in key order (empty, with an error, when there is none).
pub(crate) fn resolve(ctxt: &Ctxt, c: &Container) -> Vec<usize> {
    let on_fields: Vec<usize> = c
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.attrs.primary_key.is_some())
        .map(|(i, _)| i)
        .collect();
    let Some(list) = &c.attrs.primary_key else {
        if on_fields.is_empty() && c.attrs.is_view() {
            ctxt.spanned_by(
                &c.ident,
                format!(
                    "`{}` is a view, which has no key of its own, and Diesel's `table!` needs one: mark the field \
                     that identifies a row with `#[model(primary_key)]` (or list several with \
                     `#[model(primary_key(a, b))]`); it is Diesel's key only, not a database constraint",
                    c.ident
                ),
            );
        } else if on_fields.is_empty() {
            ctxt.spanned_by(
                &c.ident,
                format!(
                    "`{}` has no primary key: add `#[model(primary_key)]` to the id field, \
                     or `#[model(primary_key(a, b))]` to the struct",
                    c.ident
                ),
            );
        }
        return on_fields;
    };
    if !on_fields.is_empty() {
        let names: Vec<String> = on_fields.iter().map(|i| format!("`{}`", c.fields[*i].ident)).collect();
        ctxt.at(
            list.fields.key,
            format!(
                "the primary key is declared twice: `primary_key(...)` here and `primary_key` on {}: keep one of the two",
                names.join(", ")
            ),
        );
    }
    lists::resolve(ctxt, c, &list.fields.value, "primary_key").unwrap_or(on_fields)
}

/// The primary key's exact name: struct `primary_key(.., name = "..")` or a key field's `pk_name`;
/// `None` for the naming rule's. A `pk_name` on a field outside the key, or two names, are errors.
pub(crate) fn name(ctxt: &Ctxt, c: &Container, key: &[usize]) -> Option<String> {
    let mut found: Option<(String, proc_macro2::Span)> = None;
    if let Some(n) = c.attrs.primary_key.as_ref().and_then(|k| k.name.as_ref()) {
        found = Some((n.value.clone(), n.key));
    }
    for (i, f) in c.fields.iter().enumerate() {
        let Some(n) = &f.attrs.pk_name else { continue };
        if !key.contains(&i) {
            ctxt.at(
                n.key,
                format!(
                    "`pk_name` names the primary key, and `{}` is not part of it: put it on a key field, or write \
                     `primary_key(.., name = \"...\")` on the struct",
                    f.ident
                ),
            );
            continue;
        }
        match &found {
            Some((first, _)) if *first == n.value => {}
            Some(_) => ctxt.at(
                n.key,
                "the primary key is named twice with different names: keep one `pk_name` (or `primary_key(.., name)`)",
            ),
            None => found = Some((n.value.clone(), n.key)),
        }
    }
    found.map(|(n, _)| n)
}
