//! Words for the primary key, unique and check ops.

use super::quoted;

pub(super) fn describe(verb: &str, kind: &str, table: &str, name: &str, columns: &[String]) -> String {
    let cols = if columns.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ")
        )
    };
    let prep = if verb == "add" { "to" } else { "from" };
    format!("{verb} {kind} {}{cols} {prep} {}", quoted(name), quoted(table))
}
