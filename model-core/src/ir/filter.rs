//! Which tables of a database belong to a crate: [`TableFilter`].

use super::Schema;
use serde::{Deserialize, Serialize};

/// The tables a crate owns, by glob patterns on their SQL names (`*` any run of characters, `?` one
/// character, `[abc]` one of them): a table is the crate's when it matches an `include` pattern (or
/// `include` is empty) and no `exclude` pattern. Tables that are not the crate's — another service's,
/// PostGIS's `spatial_ref_sys`, an audit table — are left out of `model import`, the drift check
/// (`verify`, `model status`) and the baseline check, so they never show as drift.
///
/// Configured in `[package.metadata.model]`:
///
/// ```toml
/// exclude = ["audit_*", "spatial_ref_sys"]
/// include = ["*"]                # default: every table
/// ```
///
/// ```
/// use model_core::ir::TableFilter;
/// let f = TableFilter::new(Vec::<String>::new(), ["audit_*", "spatial_ref_sys"]).unwrap();
/// assert!(f.allows("users"));
/// assert!(!f.allows("audit_log"));
/// assert!(!f.allows("spatial_ref_sys"));
/// assert!(TableFilter::new(["["], Vec::<String>::new()).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableFilter {
    /// Patterns of the tables kept (empty: every table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Patterns of the tables left out (wins over `include`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

/// A pattern that is not a valid glob.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{pattern}` is not a valid table pattern ({message}): use `*`, `?` and `[...]`, e.g. \"audit_*\"")]
pub struct FilterError {
    /// The pattern.
    pub pattern: String,
    /// What is wrong with it.
    pub message: String,
}

impl TableFilter {
    /// A filter of these patterns, each checked.
    pub fn new<I, E>(include: I, exclude: E) -> Result<TableFilter, FilterError>
    where
        I: IntoIterator,
        I::Item: Into<String>,
        E: IntoIterator,
        E::Item: Into<String>,
    {
        let f = TableFilter {
            include: include.into_iter().map(Into::into).collect(),
            exclude: exclude.into_iter().map(Into::into).collect(),
        };
        f.check()?;
        Ok(f)
    }

    /// Every pattern is a valid glob.
    pub fn check(&self) -> Result<(), FilterError> {
        for p in self.include.iter().chain(&self.exclude) {
            glob::Pattern::new(p).map_err(|e| FilterError {
                pattern: p.clone(),
                message: e.msg.to_string(),
            })?;
        }
        Ok(())
    }

    /// `true` when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }

    /// Whether `table` is one of the crate's (an invalid pattern matches nothing).
    pub fn allows(&self, table: &str) -> bool {
        let matches = |p: &String| glob::Pattern::new(p).is_ok_and(|g| g.matches(table));
        (self.include.is_empty() || self.include.iter().any(matches)) && !self.exclude.iter().any(matches)
    }

    /// The pattern that leaves `table` out, for messages: an `exclude` pattern, or `None` when it is
    /// left out because no `include` pattern matches it (or when it is kept).
    pub fn excluded_by(&self, table: &str) -> Option<&str> {
        self.exclude
            .iter()
            .find(|p| glob::Pattern::new(p).is_ok_and(|g| g.matches(table)))
            .map(String::as_str)
    }

    /// `schema` without the tables (and views, and functions, by name) the filter leaves out, nor
    /// the foreign keys that reference them (a model cannot declare a key to a table the crate does
    /// not own), nor the triggers on them. Extensions are kept.
    ///
    /// ```
    /// use model_core::ir::{Schema, Table, TableFilter};
    /// let s = Schema::new(vec![Table::new("users"), Table::new("audit_log")]);
    /// let f = TableFilter::new(Vec::<String>::new(), ["audit_*"]).unwrap();
    /// assert_eq!(f.apply(&s).tables.len(), 1);
    /// ```
    pub fn apply(&self, schema: &Schema) -> Schema {
        if self.is_empty() {
            return schema.clone();
        }
        let kept = schema.tables.iter().filter(|t| self.allows(&t.name)).map(|t| {
            let mut t = t.clone();
            t.foreign_keys.retain(|fk| self.allows(&fk.ref_table));
            t
        });
        let mut out = Schema::new(kept.collect());
        out.views = schema.views.iter().filter(|v| self.allows(&v.name)).cloned().collect();
        out.triggers = schema
            .triggers
            .iter()
            .filter(|t| self.allows(&t.table))
            .cloned()
            .collect();
        out.functions = schema
            .functions
            .iter()
            .filter(|f| self.allows(&f.name))
            .cloned()
            .collect();
        out.extensions = schema.extensions.clone();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_functions_and_triggers_follow_the_filter() {
        use crate::ir::{Extension, Function, Object, Table, Trigger, View};
        let s = Schema::new(vec![Table::new("users"), Table::new("audit_log")]).with_objects([
            Object::View(View::new("audit_recent", "SELECT 1")),
            Object::View(View::new("active_users", "SELECT 1")),
            Object::Trigger(Trigger {
                name: "log_touch".into(),
                table: "audit_log".into(),
                sql: "CREATE TRIGGER log_touch ...".into(),
            }),
            Object::Function(Function {
                name: "audit_row".into(),
                sql: "CREATE FUNCTION audit_row() ...".into(),
            }),
            Object::Function(Function {
                name: "touch".into(),
                sql: "CREATE FUNCTION touch() ...".into(),
            }),
            Object::Extension(Extension::new("citext")),
        ]);
        let kept = TableFilter::new(Vec::<String>::new(), ["audit_*"]).unwrap().apply(&s);
        let names = |v: Vec<&str>| v.join(",");
        assert_eq!(names(kept.tables.iter().map(|t| t.name.as_str()).collect()), "users");
        assert_eq!(
            names(kept.views.iter().map(|v| v.name.as_str()).collect()),
            "active_users"
        );
        assert_eq!(names(kept.functions.iter().map(|f| f.name.as_str()).collect()), "touch");
        assert!(kept.triggers.is_empty());
        assert_eq!(kept.extensions.len(), 1);
    }

    #[test]
    fn include_then_exclude() {
        let f = TableFilter::new(["app_*", "users"], ["app_tmp_*"]).unwrap();
        assert!(f.allows("users"));
        assert!(f.allows("app_orders"));
        assert!(!f.allows("app_tmp_1"));
        assert!(!f.allows("other"));
        assert_eq!(f.excluded_by("app_tmp_1"), Some("app_tmp_*"));
        assert_eq!(f.excluded_by("other"), None);
        assert!(TableFilter::default().allows("anything"));
    }

    #[test]
    fn question_marks_and_classes() {
        let f = TableFilter::new(Vec::<String>::new(), ["log_202?", "t[12]"]).unwrap();
        assert!(!f.allows("log_2024"));
        assert!(f.allows("log_20245"));
        assert!(!f.allows("t1") && f.allows("t3"));
    }
}
