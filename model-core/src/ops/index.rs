//! Words for the index ops.

use super::quoted;
use crate::ir::Index;

fn kind(index: &Index) -> &'static str {
    if index.unique {
        "unique index"
    } else {
        "index"
    }
}

pub(super) fn describe_create(table: &str, index: &Index) -> String {
    format!("create {} {} on {}", kind(index), quoted(&index.name), quoted(table))
}

pub(super) fn describe_drop(table: &str, index: &Index) -> String {
    format!("drop {} {} on {}", kind(index), quoted(&index.name), quoted(table))
}
