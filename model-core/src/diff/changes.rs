//! The differences between two versions of one table, in words.

use crate::ir::Table;

/// Each difference between `old` and `new` (same table), e.g. `column "body" removed`.
/// Rename hints (`renamed_from` on columns) are not differences; a table `renamed_from` is
/// handled by the caller.
pub(super) fn table_changes(old: &Table, new: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if old.comment != new.comment {
        out.push("table comment changed".to_string());
    }
    for c in &old.columns {
        if new.column(&c.name).is_none() {
            out.push(format!("column \"{}\" removed", c.name));
        }
    }
    for c in &new.columns {
        match old.column(&c.name) {
            None => out.push(format!("column \"{}\" added", c.name)),
            Some(o) => {
                let (mut o, mut n) = (o.clone(), c.clone());
                o.renamed_from = None;
                n.renamed_from = None;
                if o != n {
                    out.push(format!("column \"{}\" changed", c.name));
                }
            }
        }
    }
    let old_names: Vec<&str> = old.columns.iter().map(|c| c.name.as_str()).collect();
    let new_names: Vec<&str> = new.columns.iter().map(|c| c.name.as_str()).collect();
    let same_set = old_names.len() == new_names.len() && old_names.iter().all(|n| new_names.contains(n));
    if same_set && old_names != new_names {
        out.push("columns reordered".to_string());
    }
    if old.primary_key != new.primary_key {
        out.push("primary key changed".to_string());
    }
    if old.uniques != new.uniques {
        out.push("unique constraints changed".to_string());
    }
    if old.indexes != new.indexes {
        out.push("indexes changed".to_string());
    }
    if old.foreign_keys != new.foreign_keys {
        out.push("foreign keys changed".to_string());
    }
    if old.checks != new.checks {
        out.push("check constraints changed".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::table_changes;
    use crate::ir::ColumnType;
    use crate::ops::fixtures::{col, users};

    #[test]
    fn equal_tables_have_no_changes() {
        assert!(table_changes(&users(), &users()).is_empty());
    }

    #[test]
    fn column_rename_hints_are_not_changes() {
        let mut new = users();
        new.columns[1].renamed_from = Some("mail".into());
        assert!(table_changes(&users(), &new).is_empty());
    }

    #[test]
    fn names_each_difference() {
        let mut new = users();
        new.columns.retain(|c| c.name != "first_name");
        new.columns.push(col("age", ColumnType::Integer));
        new.columns[1].nullable = true;
        new.comment = None;
        new.indexes.clear();
        assert_eq!(
            table_changes(&users(), &new),
            [
                "table comment changed",
                "column \"first_name\" removed",
                "column \"email\" changed",
                "column \"age\" added",
                "indexes changed",
            ]
        );
    }

    #[test]
    fn reordering_columns_is_a_change() {
        let mut new = users();
        new.columns.swap(1, 2);
        assert_eq!(table_changes(&users(), &new), ["columns reordered"]);
    }
}
