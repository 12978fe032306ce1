use super::{Extension, Function, Object, Table, Trigger, View};
use serde::{Deserialize, Serialize};

/// A whole schema: every table of a crate's models, sorted by name, and the objects beyond tables
/// (extensions, views, functions, triggers; see [`Object`]).
///
/// The object lists are optional in the recorded JSON (a snapshot written before they existed reads
/// with none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Tables, sorted by SQL name (see [`Schema::new`]).
    pub tables: Vec<Table>,
    /// PostgreSQL extensions, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
    /// Views (plain and materialized), sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    /// Functions, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// Triggers, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
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
        Schema {
            tables,
            ..Schema::default()
        }
    }

    /// This schema with `objects` added (each list then sorted by name, like the tables).
    ///
    /// ```
    /// use model_core::ir::{Extension, Object, Schema, View};
    /// let s = Schema::default().with_objects([
    ///     Object::View(View::new("b", "SELECT 1")),
    ///     Object::Extension(Extension::new("citext")),
    ///     Object::View(View::new("a", "SELECT 2")),
    /// ]);
    /// assert_eq!((s.views[0].name.as_str(), s.extensions.len()), ("a", 1));
    /// ```
    pub fn with_objects(mut self, objects: impl IntoIterator<Item = Object>) -> Self {
        for o in objects {
            match o {
                Object::Extension(e) => self.extensions.push(e),
                Object::View(v) => self.views.push(v),
                Object::Function(f) => self.functions.push(f),
                Object::Trigger(t) => self.triggers.push(t),
            }
        }
        self.sort();
        self
    }

    /// Sort every list by name.
    pub fn sort(&mut self) {
        self.tables.sort_by(|a, b| a.name.cmp(&b.name));
        self.extensions.sort();
        self.views.sort_by(|a, b| a.name.cmp(&b.name));
        self.functions.sort_by(|a, b| a.name.cmp(&b.name));
        self.triggers.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// The table called `name`, if any.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The PostgreSQL schemas the tables name (`#[model(schema = "..")]`), once each, sorted.
    ///
    /// ```
    /// use model_core::ir::{Schema, Table};
    /// let mut t = Table::new("invoices");
    /// t.schema = Some("billing".into());
    /// assert_eq!(Schema::new(vec![t, Table::new("users")]).table_schemas(), ["billing"]);
    /// ```
    pub fn table_schemas(&self) -> Vec<&str> {
        let set: std::collections::BTreeSet<&str> = self.tables.iter().filter_map(|t| t.schema.as_deref()).collect();
        set.into_iter().collect()
    }

    /// The view called `name`, if any.
    pub fn view(&self, name: &str) -> Option<&View> {
        self.views.iter().find(|v| v.name == name)
    }

    /// Every object but the tables, in the order extensions, functions, views, triggers (each by
    /// name).
    pub fn objects(&self) -> Vec<Object> {
        let extensions = self.extensions.iter().cloned().map(Object::Extension);
        let functions = self.functions.iter().cloned().map(Object::Function);
        let views = self.views.iter().cloned().map(Object::View);
        let triggers = self.triggers.iter().cloned().map(Object::Trigger);
        extensions.chain(functions).chain(views).chain(triggers).collect()
    }

    /// `self` (a live database) as the crate behind `model` owns it: without its views, functions and
    /// triggers when `model` declares none of them. A crate that manages none leaves the database's
    /// alone (an adopted database's, another service's), so they are not drift; once it declares
    /// one, it owns them all, like its tables (leave one out with the table filter's `exclude`: a
    /// view or function by its name, a trigger by its table's).
    ///
    /// ```
    /// use model_core::ir::{Object, Schema, View};
    /// let live = Schema::default().with_objects([Object::View(View::new("stray", "SELECT 1"))]);
    /// assert!(live.owned_by(&Schema::default()).views.is_empty());
    /// let managing = Schema::default().with_objects([Object::View(View::new("mine", "SELECT 2"))]);
    /// assert_eq!(live.owned_by(&managing).views.len(), 1);
    /// ```
    pub fn owned_by(&self, model: &Schema) -> Schema {
        let mut s = self.clone();
        if model.views.is_empty() && model.functions.is_empty() && model.triggers.is_empty() {
            s.views.clear();
            s.functions.clear();
            s.triggers.clear();
        }
        s
    }

    /// `true` when the schema has no object beyond its tables.
    pub fn has_no_objects(&self) -> bool {
        self.extensions.is_empty() && self.views.is_empty() && self.functions.is_empty() && self.triggers.is_empty()
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
        for v in &mut s.views {
            for c in &mut v.columns {
                c.renamed_from = None;
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_without_objects_still_read() {
        let s: Schema = serde_json::from_str(r#"{"tables":[]}"#).unwrap();
        assert!(s.has_no_objects());
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"tables":[]}"#);
    }
}
