//! Rules across fields, on names only (types are the [`lower`](crate::lower) stage's job):
//! the table and column names, lists naming fields, the primary key, index and constraint names.
//!
//! Errors go to the shared collector; the result is always complete enough for the next stage to
//! go on and find more errors.

mod lists;
pub mod names;
mod primary_key;
mod rules;
mod secondary;
mod view;

use crate::ir::{Check, ForeignKey, Index, UniqueConstraint};
use crate::parse::{Container, Ctxt};

/// What the check stage resolved.
pub(crate) struct Checked {
    /// SQL table name.
    pub table_name: String,
    /// The table's PostgreSQL schema, where it is written (`schema = ".."` or a dotted `table_name`).
    pub schema: Option<(String, proc_macro2::Span)>,
    /// Module name of the `table!`.
    pub module: syn::Ident,
    /// SQL column name of each field, in field order.
    pub columns: Vec<String>,
    /// Indexes (into the fields) of the primary key, in key order; empty when there is none.
    pub primary_key: Vec<usize>,
    /// The primary key's name (given, or the naming rule's).
    pub pk_name: String,
    /// UNIQUE constraints: field-level ones first, then struct-level.
    pub uniques: Vec<UniqueConstraint>,
    /// Indexes: field-level first, then struct-level.
    pub indexes: Vec<Index>,
    /// CHECK constraints: field-level first, then struct-level.
    pub checks: Vec<Check>,
    /// The name of each field's foreign key (given with `fk_name`, else the naming rule's), by field.
    pub fk_names: Vec<Option<String>>,
    /// Struct-level `foreign_key(...)`s with the indexes of their fields.
    pub foreign_keys: Vec<(ForeignKey, Vec<usize>)>,
}

/// Run every name-level rule on `c`.
pub(crate) fn check(ctxt: &Ctxt, c: &Container) -> Checked {
    view::rules(ctxt, c);
    let table_name = names::table_name(c);
    let schema = names::schema(ctxt, c);
    let module = names::module(c, &table_name);
    let columns = names::columns(ctxt, c, &table_name, &module);
    let primary_key = primary_key::resolve(ctxt, c);
    let pk_name = primary_key::name(ctxt, c, &primary_key).unwrap_or_else(|| crate::ir::pk_name(&table_name));
    let uniques = secondary::uniques(ctxt, c, &table_name, &columns);
    let indexes = secondary::indexes(ctxt, c, &table_name, &columns);
    let checks = secondary::checks(ctxt, c, &table_name, &columns);
    let fk_names = secondary::field_fk_names(c, &table_name, &columns);
    let foreign_keys = secondary::foreign_keys(ctxt, c, &table_name, &columns);
    rules::constraint_names(
        ctxt,
        &table_name,
        &pk_name,
        rules::Named {
            uniques: &uniques,
            indexes: &indexes,
            checks: &checks,
            field_fks: c
                .fields
                .iter()
                .zip(&fk_names)
                .filter_map(|(f, n)| Some((n.clone()?, f.attrs.fk_name.as_ref().map_or(f.ident.span(), |a| a.span))))
                .collect(),
            struct_fks: &foreign_keys,
        },
    );
    rules::field_rules(ctxt, c, &primary_key);
    let uniques = uniques.into_iter().map(|(u, _)| u).collect();
    let indexes = indexes.into_iter().map(|(i, _)| i).collect();
    let checks = checks.into_iter().map(|(c, _)| c).collect();
    let foreign_keys = foreign_keys.into_iter().map(|(fk, fields, _)| (fk, fields)).collect();
    Checked {
        table_name,
        schema,
        module,
        columns,
        primary_key,
        pk_name,
        uniques,
        indexes,
        checks,
        fk_names,
        foreign_keys,
    }
}
