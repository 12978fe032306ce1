//! Rules across fields, on names only (types are the [`lower`](crate::lower) stage's job):
//! the table and column names, lists naming fields, the primary key, index and constraint names.
//!
//! Errors go to the shared collector; the result is always complete enough for the next stage to
//! go on and find more errors.

mod lists;
mod names;
mod primary_key;
mod rules;
mod secondary;
mod view;

use crate::ir::{Check, Index, UniqueConstraint};
use crate::parse::{Container, Ctxt};

/// What the check stage resolved.
pub(crate) struct Checked {
    /// SQL table name.
    pub table_name: String,
    /// Module name of the `table!`.
    pub module: syn::Ident,
    /// SQL column name of each field, in field order.
    pub columns: Vec<String>,
    /// Indexes (into the fields) of the primary key, in key order; empty when there is none.
    pub primary_key: Vec<usize>,
    /// UNIQUE constraints: field-level ones first, then struct-level.
    pub uniques: Vec<UniqueConstraint>,
    /// Indexes: field-level first, then struct-level.
    pub indexes: Vec<Index>,
    /// CHECK constraints: field-level first, then struct-level.
    pub checks: Vec<Check>,
}

/// Run every name-level rule on `c`.
pub(crate) fn check(ctxt: &Ctxt, c: &Container) -> Checked {
    view::rules(ctxt, c);
    let table_name = names::table_name(c);
    let module = names::module(c, &table_name);
    let columns = names::columns(ctxt, c, &table_name, &module);
    let primary_key = primary_key::resolve(ctxt, c);
    let uniques = secondary::uniques(ctxt, c, &table_name, &columns);
    let indexes = secondary::indexes(ctxt, c, &table_name, &columns);
    let checks = secondary::checks(ctxt, c, &table_name, &columns);
    rules::constraint_names(ctxt, &table_name, &uniques, &indexes);
    rules::field_rules(ctxt, c, &primary_key);
    let uniques = uniques.into_iter().map(|(u, _)| u).collect();
    let indexes = indexes.into_iter().map(|(i, _)| i).collect();
    Checked {
        table_name,
        module,
        columns,
        primary_key,
        uniques,
        indexes,
        checks,
    }
}
