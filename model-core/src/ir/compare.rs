//! Is a live database the model? See [`compare`].

mod columns;
mod constraints;
mod mysql;
pub(crate) mod normalize;
mod objects;
#[cfg(test)]
mod tests;

use super::{ColumnType, Dialect, ObjectKind, Schema, Table};
use std::borrow::Cow;
use std::fmt;

/// One way a live schema differs from the model (see [`compare`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What kind of object differs: a table, or a view, function, trigger or extension.
    pub kind: ObjectKind,
    /// The SQL name of the table (or other object) concerned.
    pub table: String,
    /// What differs, e.g. `column "slug": type VARCHAR(200) in the model, TEXT in the database`.
    pub what: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} \"{}\": {}", self.kind, self.table, self.what)
    }
}

/// Every difference between the `model` and the `live` schema (read from a database) that matters for
/// `dialect`; empty when the database holds the model. Differences come sorted by table, then the
/// other objects by kind and name.
///
/// What is compared, per table:
///
/// - columns (order ignored): the type as the dialect stores it ([`ColumnType::stored_as`], so on
///   SQLite `bool`/`i16`/`i32`/`i64` are all `INTEGER`, and on MySQL `BINARY(16)` is a UUID; an enum by name and values on PostgreSQL, by
///   values only on SQLite and MySQL, where introspection cannot know its name), nullability, identity (not on SQLite, where a
///   single `INTEGER PRIMARY KEY` is the identity column and follows from the type and the key),
///   the default after normalization (see below), the comment (PostgreSQL and MySQL only);
/// - the primary key, unique constraints, indexes, foreign keys and checks, each by name AND content,
///   whatever the order of the lists;
/// - the table comment (PostgreSQL and MySQL only);
/// - a generated column's expression (normalized like a check) and kind (stored or virtual).
///
/// Then the objects beyond tables: a view, function or trigger missing in the database, there but
/// not in the model, or whose SQL differs (after [`normalize_sql`](super::normalize_sql): the
/// model's SQL is expected in the database's own form, see
/// [`introspect::canonical`](crate::introspect::canonical), which [`verify`](crate::runtime::verify)
/// applies); a view's kind (materialized or not), a column the model reads that it does not return,
/// its comment (PostgreSQL); a trigger's table; an extension the model declares that the database
/// lacks (others the database has are not reported: they may serve other applications).
///
/// On MySQL, what MySQL cannot tell apart compares equal: a unique index and a unique constraint,
/// `RESTRICT` and `NO ACTION`, `1.5` and `1.50`, `now()` and `current_timestamp()`.
///
/// Rename hints (`renamed_from`) are ignored: they are instructions for the diff, not database state.
///
/// **Normalization and its limits.** Defaults: literal defaults are rendered with
/// [`Literal::to_sql`](super::Literal::to_sql); `::type` casts after quoted literals are dropped
/// (`'draft'::text` is `'draft'`, `'1.5'::numeric` is `1.5`); text outside quotes is compared in lower
/// case with single spaces, and parentheses around the whole expression are dropped. Checks and
/// partial-index predicates: whitespace, parentheses and `::type` casts are dropped and the text is
/// lowered outside quotes, `!=` is `<>`, and PostgreSQL's `a = ANY (ARRAY[1, 2])` is `a IN (1, 2)`.
/// Dropping parentheses means `(a OR b) AND c` and `a OR (b AND c)` compare equal. Expressions a
/// database rewrites in other ways (PostgreSQL turns `BETWEEN` into two comparisons) are reported as
/// different: write them the way the database prints them, or accept the difference.
///
/// ```
/// use model_core::ir::{compare, Column, ColumnType, Dialect, Schema, Table};
/// let mut posts = Table::new("posts");
/// posts.columns.push(Column::new("slug", ColumnType::Varchar { len: 200 }));
/// let model = Schema::new(vec![posts.clone()]);
/// assert!(compare(&model, &model, Dialect::Postgres).is_empty());
///
/// posts.columns[0].ty = ColumnType::Text;
/// let live = Schema::new(vec![posts]);
/// // SQLite stores VARCHAR(200) as TEXT: no difference there.
/// assert!(compare(&model, &live, Dialect::Sqlite).is_empty());
/// let diffs = compare(&model, &live, Dialect::Postgres);
/// assert_eq!(diffs[0].to_string(),
///     "table \"posts\": column \"slug\": type VARCHAR(200) in the model, TEXT in the database");
/// ```
pub fn compare(model: &Schema, live: &Schema, dialect: Dialect) -> Vec<Difference> {
    let model = model.without_rename_hints();
    let mut out = Vec::new();
    let mut names: Vec<&str> = model
        .tables
        .iter()
        .chain(&live.tables)
        .map(|t| t.name.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        match (model.table(name), live.table(name)) {
            (Some(m), Some(l)) => compare_table(m, l, dialect, &mut out),
            (Some(m), None) => out.push(diff(name, format!("missing in the database{}", in_schema(m)))),
            (None, Some(l)) => out.push(diff(
                name,
                format!("in the database{} but not in the model", in_schema(l)),
            )),
            (None, None) => {}
        }
    }
    objects::compare_objects(&model, live, dialect, &mut out);
    out
}

fn compare_table(model: &Table, live: &Table, dialect: Dialect, out: &mut Vec<Difference>) {
    let (model, live) = match dialect {
        Dialect::Mysql => (Cow::Owned(mysql::canonical(model)), Cow::Owned(mysql::canonical(live))),
        _ => (Cow::Borrowed(model), Cow::Borrowed(live)),
    };
    let (model, live) = (model.as_ref(), live.as_ref());
    let mut whats = Vec::new();
    if model.schema != live.schema {
        let show = |s: &Option<String>| {
            s.as_deref()
                .map_or_else(|| "the default schema".to_string(), |s| format!("schema \"{s}\""))
        };
        whats.push(format!(
            "in {} in the model, in {} in the database",
            show(&model.schema),
            show(&live.schema)
        ));
    }
    if has_comments(dialect) && model.comment != live.comment {
        whats.push(format!(
            "comment {} in the model, {} in the database",
            show_opt(&model.comment),
            show_opt(&live.comment)
        ));
    }
    columns::compare_columns(model, live, dialect, &mut whats);
    constraints::compare_constraints(model, live, &mut whats);
    out.extend(whats.into_iter().map(|what| diff(&model.name, what)));
}

/// ` (schema "billing")` for a table in a schema, nothing for one in the default schema.
fn in_schema(t: &Table) -> String {
    t.schema
        .as_deref()
        .map_or_else(String::new, |s| format!(" (schema \"{s}\")"))
}

fn diff(table: &str, what: String) -> Difference {
    Difference {
        kind: ObjectKind::Table,
        table: table.to_string(),
        what,
    }
}

/// Whether the dialect stores comments on tables and columns.
fn has_comments(dialect: Dialect) -> bool {
    dialect != Dialect::Sqlite
}

/// `"text"` or `none`, for messages.
fn show_opt(s: &Option<String>) -> String {
    match s {
        Some(s) => format!("{s:?}"),
        None => "none".to_string(),
    }
}

/// The type as the dialect stores it ([`ColumnType::stored_as`], so two spellings of one type compare
/// equal). An enum is its name and values on PostgreSQL, and its values only on SQLite and MySQL,
/// where it has no name (`TEXT` with a `CHECK`, an inline `ENUM(...)`).
fn rendered(ty: &ColumnType, dialect: Dialect) -> String {
    let ty = &ty.stored_as(dialect);
    match (ty, dialect) {
        (ColumnType::Enum(e), Dialect::Postgres) => format!("{} ({})", ty.to_sql(dialect), quoted_values(&e.values)),
        (ColumnType::Enum(e), Dialect::Sqlite) => format!("TEXT CHECK IN ({})", quoted_values(&e.values)),
        _ => ty.to_sql(dialect),
    }
}

/// `'a', 'b'`.
fn quoted_values(values: &[String]) -> String {
    values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")
}
