//! Words for the foreign key ops.

use super::quoted;
use crate::ir::{FkAction, ForeignKey};

pub(super) fn describe_add(table: &str, fk: &ForeignKey) -> String {
    format!(
        "add foreign key {} on {} referencing {}",
        quoted(&fk.name),
        quoted(table),
        quoted(&fk.ref_table)
    )
}

pub(super) fn describe_drop(table: &str, fk: &ForeignKey) -> String {
    format!(
        "drop foreign key {} on {} referencing {}",
        quoted(&fk.name),
        quoted(table),
        quoted(&fk.ref_table)
    )
}

/// `change foreign key "fk" on "t": on_delete cascade → set null` when `from` and `to` are one
/// foreign key whose actions alone changed; `None` otherwise.
pub(super) fn describe_change(table: &str, from: &ForeignKey, to: &ForeignKey) -> Option<String> {
    let same_key = from.name == to.name
        && from.columns == to.columns
        && from.ref_table == to.ref_table
        && from.ref_columns == to.ref_columns;
    let mut what = Vec::new();
    for (word, a, b) in [
        ("on_delete", from.on_delete, to.on_delete),
        ("on_update", from.on_update, to.on_update),
    ] {
        if a != b {
            what.push(format!("{word} {} → {}", action(a), action(b)));
        }
    }
    if !same_key || what.is_empty() {
        return None;
    }
    Some(format!(
        "change foreign key {} on {}: {}",
        quoted(&to.name),
        quoted(table),
        what.join(", ")
    ))
}

/// The attribute spelling of an action (`set null`).
fn action(a: FkAction) -> String {
    a.sql().to_ascii_lowercase()
}
