//! The renames of one diff, and old definitions translated into new names.

use crate::ir::{Check, ForeignKey, Index, PrimaryKey, UniqueConstraint};
use std::collections::BTreeMap;

/// Table renames (old → new name) and column renames per table (new table name → old → new
/// column name) found by the diff.
#[derive(Debug, Default)]
pub(super) struct Renames {
    tables: BTreeMap<String, String>,
    columns: BTreeMap<String, BTreeMap<String, String>>,
}

impl Renames {
    /// Record that table `from` is now `to`.
    pub(super) fn table_renamed(&mut self, from: &str, to: &str) {
        self.tables.insert(from.to_string(), to.to_string());
    }

    /// Record that column `from` of table `table` (new name) is now `to`.
    pub(super) fn column_renamed(&mut self, table: &str, from: &str, to: &str) {
        self.columns
            .entry(table.to_string())
            .or_default()
            .insert(from.to_string(), to.to_string());
    }

    /// The new name of the old table `old` (itself when not renamed).
    pub(super) fn table<'a>(&'a self, old: &'a str) -> &'a str {
        self.tables.get(old).map_or(old, String::as_str)
    }

    /// The new names of the old columns `old` of the table now called `table`.
    pub(super) fn columns(&self, table: &str, old: &[String]) -> Vec<String> {
        let map = self.columns.get(table);
        old.iter()
            .map(|c| map.and_then(|m| m.get(c)).unwrap_or(c).clone())
            .collect()
    }
}

/// A named constraint or index, comparable by definition whatever its name.
pub(super) trait Object: Clone + PartialEq {
    /// Its name.
    fn name(&self) -> &str;
    /// The same object under another name.
    fn named(&self, name: &str) -> Self;
    /// The old object (of the table now called `table`) in the new names of tables and columns.
    fn translated(&self, renames: &Renames, table: &str) -> Self;
    /// Same definition, names aside.
    fn same_definition(&self, other: &Self) -> bool {
        self.named("") == other.named("")
    }
}

impl Object for PrimaryKey {
    fn name(&self) -> &str {
        &self.name
    }
    fn named(&self, name: &str) -> Self {
        PrimaryKey {
            name: name.to_string(),
            ..self.clone()
        }
    }
    fn translated(&self, renames: &Renames, table: &str) -> Self {
        PrimaryKey {
            columns: renames.columns(table, &self.columns),
            ..self.clone()
        }
    }
}

impl Object for UniqueConstraint {
    fn name(&self) -> &str {
        &self.name
    }
    fn named(&self, name: &str) -> Self {
        UniqueConstraint {
            name: name.to_string(),
            ..self.clone()
        }
    }
    fn translated(&self, renames: &Renames, table: &str) -> Self {
        UniqueConstraint {
            columns: renames.columns(table, &self.columns),
            ..self.clone()
        }
    }
}

impl Object for Index {
    fn name(&self) -> &str {
        &self.name
    }
    fn named(&self, name: &str) -> Self {
        Index {
            name: name.to_string(),
            ..self.clone()
        }
    }
    fn translated(&self, renames: &Renames, table: &str) -> Self {
        Index {
            columns: renames.columns(table, &self.columns),
            ..self.clone()
        }
    }
}

/// A check's SQL is text: column names inside it are not translated, so a check over a renamed
/// column is dropped and added again with its new text.
impl Object for Check {
    fn name(&self) -> &str {
        &self.name
    }
    fn named(&self, name: &str) -> Self {
        Check {
            name: name.to_string(),
            ..self.clone()
        }
    }
    fn translated(&self, _: &Renames, _: &str) -> Self {
        self.clone()
    }
}

impl Object for ForeignKey {
    fn name(&self) -> &str {
        &self.name
    }
    fn named(&self, name: &str) -> Self {
        ForeignKey {
            name: name.to_string(),
            ..self.clone()
        }
    }
    fn translated(&self, renames: &Renames, table: &str) -> Self {
        let ref_table = renames.table(&self.ref_table).to_string();
        ForeignKey {
            columns: renames.columns(table, &self.columns),
            ref_columns: renames.columns(&ref_table, &self.ref_columns),
            ref_table,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::fixtures::fk;

    #[test]
    fn translates_tables_and_columns_of_foreign_keys() {
        let mut r = Renames::default();
        r.table_renamed("users", "people");
        r.column_renamed("people", "uid", "id");
        r.column_renamed("posts", "user_id", "person_id");
        let old = fk("posts", &["user_id"], "users", &["uid"]);
        let t = old.translated(&r, "posts");
        assert_eq!(
            (t.columns, t.ref_table.as_str(), t.ref_columns),
            (vec!["person_id".to_string()], "people", vec!["id".to_string()])
        );
        assert_eq!(t.name, old.name, "names are compared apart");
    }

    #[test]
    fn definitions_compare_without_names() {
        let a = fk("posts", &["user_id"], "users", &["id"]);
        assert!(a.same_definition(&a.named("other")));
        let mut b = a.clone();
        b.on_delete = crate::ir::FkAction::Cascade;
        assert!(!a.same_definition(&b));
    }
}
