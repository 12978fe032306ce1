//! What a migration changes under foreign keys: columns and keys they rely on.

use std::collections::BTreeSet;

/// Columns added, dropped or retyped, and keys (primary key, unique constraint, unique index)
/// dropped or added, all by new table name. A foreign key over any of them cannot stay in place
/// while they change: PostgreSQL refuses to retype a column a foreign key uses, to drop a key or
/// column one relies on, and a foreign key needs its key to exist. Such a foreign key is dropped
/// before the change and added after it.
///
/// Generated columns the migration drops and adds again (their definition changes, or a column
/// their expression reads changes type) are `recreated`: the keys, indexes and checks over them go
/// and come back with them.
#[derive(Debug, Default)]
pub(super) struct Touched {
    columns: BTreeSet<(String, String)>,
    keys: BTreeSet<(String, Vec<String>)>,
    recreated: BTreeSet<(String, String)>,
}

impl Touched {
    /// Column `column` of `table` is added, dropped or changes type.
    pub(super) fn column(&mut self, table: &str, column: &str) {
        self.columns.insert((table.to_string(), column.to_string()));
    }

    /// Generated column `column` of `table` is dropped and added again.
    pub(super) fn recreated(&mut self, table: &str, column: &str) {
        self.column(table, column);
        self.recreated.insert((table.to_string(), column.to_string()));
    }

    /// Any of `columns` of `table` is dropped and added again.
    pub(super) fn any_recreated(&self, table: &str, columns: &[String]) -> bool {
        columns
            .iter()
            .any(|c| self.recreated.contains(&(table.to_string(), c.clone())))
    }

    /// The SQL `sql` (a check of `table`) mentions a column dropped and added again.
    pub(super) fn mentions_recreated(&self, table: &str, sql: &str) -> bool {
        let mentioned = crate::ir::mentioned(sql);
        self.recreated
            .iter()
            .any(|(t, c)| t == table && mentioned.contains(&c.to_lowercase()))
    }

    /// A key over `columns` of `table` is dropped or added.
    pub(super) fn key(&mut self, table: &str, columns: &[String]) {
        self.keys.insert((table.to_string(), sorted(columns)));
    }

    /// Any of `columns` of `table` is touched.
    pub(super) fn any_column(&self, table: &str, columns: &[String]) -> bool {
        columns
            .iter()
            .any(|c| self.columns.contains(&(table.to_string(), c.clone())))
    }

    /// A foreign key referencing `columns` of `table` must not stay in place.
    pub(super) fn reference(&self, table: &str, columns: &[String]) -> bool {
        self.any_column(table, columns) || self.keys.contains(&(table.to_string(), sorted(columns)))
    }
}

fn sorted(columns: &[String]) -> Vec<String> {
    let mut v = columns.to_vec();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::Touched;

    #[test]
    fn keys_match_in_any_column_order() {
        let mut t = Touched::default();
        t.key("users", &["b".into(), "a".into()]);
        assert!(t.reference("users", &["a".into(), "b".into()]));
        assert!(!t.reference("users", &["a".into()]));
        t.column("users", "a");
        assert!(t.reference("users", &["a".into()]));
        assert!(!t.any_column("posts", &["a".into()]));
    }
}
