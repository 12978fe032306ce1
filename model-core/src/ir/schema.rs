use super::Table;
use serde::{Deserialize, Serialize};

/// A whole schema: every table of a crate's models, sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Tables, sorted by SQL name (see [`Schema::new`]).
    pub tables: Vec<Table>,
}

impl Schema {
    /// A schema of these tables, sorted by name so equal models give equal schemas.
    ///
    /// ```
    /// use model_core::ir::{Schema, Table};
    /// let s = Schema::new(vec![Table::new("b"), Table::new("a")]);
    /// assert_eq!(s.tables[0].name, "a");
    /// ```
    pub fn new(mut tables: Vec<Table>) -> Self {
        tables.sort_by(|a, b| a.name.cmp(&b.name));
        Schema { tables }
    }

    /// The table called `name`, if any.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The schema without the rename hints (`renamed_from`), which are instructions for the diff and
    /// not part of what a database holds. Use it to compare a model with an introspected database.
    pub fn without_rename_hints(&self) -> Schema {
        let mut s = self.clone();
        for t in &mut s.tables {
            t.renamed_from = None;
            for c in &mut t.columns {
                c.renamed_from = None;
            }
        }
        s
    }
}
