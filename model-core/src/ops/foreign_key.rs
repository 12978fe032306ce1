//! Words for the foreign key ops.

use super::quoted;
use crate::ir::ForeignKey;

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
