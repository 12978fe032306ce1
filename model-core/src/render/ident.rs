//! Quoting of identifiers, string literals and comment lines.

use crate::ir::{Dialect, Literal};

/// `name` as a quoted identifier: `"name"` (PostgreSQL, SQLite) or `` `name` `` (MySQL), with any
/// quote character inside doubled.
///
/// ```
/// use model_core::ir::Dialect;
/// use model_core::render::quote_ident;
/// assert_eq!(quote_ident("user", Dialect::Postgres), r#""user""#);
/// assert_eq!(quote_ident(r#"a"b"#, Dialect::Sqlite), r#""a""b""#);
/// assert_eq!(quote_ident("a`b", Dialect::Mysql), "`a``b`");
/// ```
pub fn quote_ident(name: &str, dialect: Dialect) -> String {
    let q = if dialect == Dialect::Mysql { '`' } else { '"' };
    let doubled = name.replace(q, &format!("{q}{q}"));
    format!("{q}{doubled}{q}")
}

/// The PostgreSQL schema of each table a migration names (tables without one are left out), for
/// [`render_op_in`](super::render_op_in): ops name tables by their SQL name alone (table names are
/// unique across the schemas of one crate), the statements qualify them.
///
/// ```
/// use model_core::ir::{Schema, Table};
/// use model_core::render::TableSchemas;
/// let mut invoices = Table::new("invoices");
/// invoices.schema = Some("billing".into());
/// let schemas = TableSchemas::of(&Schema::default(), &Schema { tables: vec![invoices], ..Schema::default() });
/// assert_eq!(schemas.get("invoices"), Some("billing"));
/// assert_eq!(schemas.get("users"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableSchemas(std::collections::BTreeMap<String, String>);

impl TableSchemas {
    /// The schemas of a migration from `old` to `new`: each table of `new` in its new schema (a
    /// table moved to another schema is moved first, see [`crate::ops::Op::MoveTable`]; a renamed
    /// one is found under its old name too), each table only in `old` in its old schema.
    pub fn of(old: &crate::ir::Schema, new: &crate::ir::Schema) -> TableSchemas {
        let mut map = std::collections::BTreeMap::new();
        for t in &old.tables {
            if let Some(s) = &t.schema {
                map.insert(t.name.clone(), s.clone());
            }
        }
        // old names first: a table's own name wins over another's `renamed_from`
        let renamed = new.tables.iter().filter_map(|t| Some((t.renamed_from.as_ref()?, t)));
        for (name, t) in renamed.chain(new.tables.iter().map(|t| (&t.name, t))) {
            match &t.schema {
                Some(s) => map.insert(name.clone(), s.clone()),
                None => map.remove(name),
            };
        }
        TableSchemas(map)
    }

    /// The schema of table `name`; `None` for the default schema.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// `true` when no table has a schema.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every schema named, once, sorted.
    pub fn schemas(&self) -> std::collections::BTreeSet<&str> {
        self.0.values().map(String::as_str).collect()
    }

    pub(crate) fn insert(&mut self, table: &str, schema: &str) {
        self.0.insert(table.to_string(), schema.to_string());
    }
}

thread_local! {
    static SCHEMAS: std::cell::RefCell<TableSchemas> = std::cell::RefCell::default();
}

/// Run `f` with `schemas` (on top of those already in effect) qualifying the tables it renders.
pub(crate) fn with_schemas<R>(schemas: &TableSchemas, f: impl FnOnce() -> R) -> R {
    if schemas.is_empty() {
        return f();
    }
    let before = SCHEMAS.with(|s| {
        let mut s = s.borrow_mut();
        let before = s.clone();
        s.0.extend(schemas.0.iter().map(|(k, v)| (k.clone(), v.clone())));
        before
    });
    struct Restore(Option<TableSchemas>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(before) = self.0.take() {
                SCHEMAS.with(|s| *s.borrow_mut() = before);
            }
        }
    }
    let _restore = Restore(Some(before));
    f()
}

/// The schema of table `table` in the rendering in progress.
pub(crate) fn schema_of(table: &str) -> Option<String> {
    SCHEMAS.with(|s| s.borrow().get(table).map(str::to_string))
}

/// Table `table` quoted, qualified with its schema when it has one (`"billing"."invoices"`).
pub(crate) fn quote_table(table: &str, dialect: Dialect) -> String {
    crate::ir::qualified_name(schema_of(table).as_deref(), table, dialect)
}

/// An object of table `table`'s schema that is named on its own (a PostgreSQL index or sequence),
/// quoted and qualified like the table.
pub(crate) fn quote_in_schema_of(table: &str, name: &str, dialect: Dialect) -> String {
    crate::ir::qualified_name(schema_of(table).as_deref(), name, dialect)
}

/// Quoted identifiers separated by `, `.
pub(crate) fn quote_list(names: &[String], dialect: Dialect) -> String {
    names
        .iter()
        .map(|n| quote_ident(n, dialect))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` as a safely quoted SQL string literal.
pub(crate) fn string_literal(text: &str, dialect: Dialect) -> String {
    Literal::Str(text.to_string()).to_sql(dialect)
}

/// A one-line SQL comment (`-- text`); line breaks in `text` become spaces so nothing can escape
/// the comment.
///
/// ```
/// assert_eq!(model_core::render::comment_line("a\nDROP TABLE x"), "-- a DROP TABLE x");
/// ```
pub fn comment_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    format!("-- {flat}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_quoted_per_dialect() {
        assert_eq!(string_literal("it's", Dialect::Postgres), "'it''s'");
        assert_eq!(string_literal("a\\b", Dialect::Mysql), "'a\\\\b'");
        assert_eq!(string_literal("a\\b", Dialect::Sqlite), "'a\\b'");
    }

    #[test]
    fn lists_are_quoted_and_joined() {
        let names = vec!["a".to_string(), "b".to_string()];
        assert_eq!(quote_list(&names, Dialect::Postgres), r#""a", "b""#);
        assert_eq!(quote_list(&names, Dialect::Mysql), "`a`, `b`");
    }

    #[test]
    fn comment_lines_cannot_be_escaped() {
        assert_eq!(comment_line("x\r\ny"), "-- x  y");
    }
}
