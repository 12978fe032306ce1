//! Schema objects beyond tables: extensions, views, functions and triggers.
//!
//! They live in the [`Schema`](super::Schema) beside the tables and go through the same pipeline:
//! diff → ops → order → plan → render, introspection and the drift check. Where they come from:
//!
//! - **extensions** (PostgreSQL): `extensions = ["citext"]` in `[package.metadata.model]`;
//! - **views**: `#[derive(Model)]` structs with `#[model(view = "SELECT ..")]` or
//!   `#[model(view_file = "db/views/x.sql")]`;
//! - **functions and triggers**: one SQL file each (`CREATE FUNCTION ..` / `CREATE TRIGGER ..`) in the
//!   folder named by `objects = "db/objects"`, read with [`parse_object`].
//!
//! Their SQL is kept as written and compared by [`normalize_sql`] (comments and blanks aside); which
//! tables, views and functions an object depends on is read from the names its SQL mentions
//! ([`Object::mentions`]).

mod sql;

pub use sql::normalize_sql;
pub(crate) use sql::{first_statement_end, mentioned, selects_all, tokens, Kind, Token};

use super::{Column, Dialect};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// What kind of schema object something is (tables included, for messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectKind {
    /// A table.
    Table,
    /// A view.
    View,
    /// A PostgreSQL materialized view.
    MaterializedView,
    /// A function (PostgreSQL, MySQL).
    Function,
    /// A trigger.
    Trigger,
    /// A PostgreSQL extension.
    Extension,
}

impl ObjectKind {
    /// The kind in words: `table`, `view`, `materialized view`, `function`, `trigger`, `extension`.
    ///
    /// ```
    /// assert_eq!(model_core::ir::ObjectKind::MaterializedView.as_str(), "materialized view");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Table => "table",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Function => "function",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Extension => "extension",
        }
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A PostgreSQL extension the schema needs (`CREATE EXTENSION`). Serialized as its name.
///
/// ```
/// let e = model_core::ir::Extension::new("citext");
/// assert_eq!(serde_json::to_string(&e).unwrap(), "\"citext\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Extension {
    /// The extension's name, as `CREATE EXTENSION` takes it.
    pub name: String,
}

impl Extension {
    /// The extension called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Extension { name: name.into() }
    }
}

/// A view: a stored query, declared by a `#[derive(Model)]` struct with `view = ".."` or
/// `view_file = ".."`, whose fields are the view's columns (Diesel reads it like a table).
///
/// ```
/// use model_core::ir::View;
/// let v = View::new("active_users", "SELECT id, email FROM users WHERE active");
/// assert!(!v.materialized);
/// assert!(v.mentions().contains("users"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// SQL name.
    pub name: String,
    /// The query (`SELECT ..`), as written, without a final `;`.
    pub sql: String,
    /// A PostgreSQL materialized view (`materialized` on the struct).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub materialized: bool,
    /// The columns the model reads from it (its fields), in declaration order: names and types as
    /// the struct says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    /// The view's comment (PostgreSQL), from `comment = ".."` or the struct's doc comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl View {
    /// A plain view of `sql` (comments before the query and a final `;` left out) with no declared
    /// columns.
    ///
    /// ```
    /// let v = model_core::ir::View::new("v", "-- why\nSELECT 1;\n");
    /// assert_eq!(v.sql, "SELECT 1");
    /// ```
    pub fn new(name: impl Into<String>, sql: impl Into<String>) -> Self {
        let sql = sql.into();
        let start = tokens(&sql).first().map_or(sql.len(), |t| t.start);
        View {
            name: name.into(),
            sql: trim_statement(&sql[start..]),
            materialized: false,
            columns: Vec::new(),
            comment: None,
        }
    }

    /// `View` or `MaterializedView`.
    pub fn kind(&self) -> ObjectKind {
        if self.materialized {
            ObjectKind::MaterializedView
        } else {
            ObjectKind::View
        }
    }

    /// Each column's name, nullability and type (enum types without their rename hints): what the
    /// model reads from the view.
    pub fn column_shape(&self) -> Vec<(String, bool, super::ColumnType)> {
        self.columns
            .iter()
            .map(|c| {
                let ty = match &c.ty {
                    super::ColumnType::Enum(e) => {
                        super::ColumnType::Enum(super::EnumType::new(e.name.clone(), e.values.iter().cloned()))
                    }
                    other => other.clone(),
                };
                (c.name.clone(), c.nullable, ty)
            })
            .collect()
    }

    /// The names the query mentions (lower-cased; see [`Object::mentions`]).
    pub fn mentions(&self) -> BTreeSet<String> {
        mentioned(&self.sql)
    }
}

/// A function (PostgreSQL, MySQL): one `CREATE FUNCTION` statement, from a file of the objects
/// folder.
///
/// ```
/// use model_core::ir::{Dialect, Function};
/// let sql = "CREATE FUNCTION Slugify(t text, sep text DEFAULT '-') RETURNS text \
///            AS $$ SELECT lower(replace(t, ' ', sep)) $$ LANGUAGE sql IMMUTABLE";
/// let f = Function::parse(sql, Dialect::Postgres).unwrap();
/// assert_eq!(f.name, "slugify"); // PostgreSQL folds unquoted names to lower case
/// assert_eq!(f.drop_arguments(), "t text, sep text");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// The name, as the database stores it.
    pub name: String,
    /// The whole `CREATE FUNCTION` statement, as written, without a final `;`.
    pub sql: String,
}

/// A trigger: one `CREATE TRIGGER` statement, from a file of the objects folder.
///
/// ```
/// use model_core::ir::{Dialect, Trigger};
/// let sql = "CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch()";
/// let t = Trigger::parse(sql, Dialect::Postgres).unwrap();
/// assert_eq!((t.name.as_str(), t.table.as_str()), ("posts_touch", "posts"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    /// The name, as the database stores it.
    pub name: String,
    /// The table (or view) it is on.
    pub table: String,
    /// The whole `CREATE TRIGGER` statement, as written, without a final `;`.
    pub sql: String,
}

/// One object of any kind but tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Object {
    /// An extension.
    Extension(Extension),
    /// A view (plain or materialized).
    View(View),
    /// A function.
    Function(Function),
    /// A trigger.
    Trigger(Trigger),
}

impl Object {
    /// Its kind.
    pub fn kind(&self) -> ObjectKind {
        match self {
            Object::Extension(_) => ObjectKind::Extension,
            Object::View(v) => v.kind(),
            Object::Function(_) => ObjectKind::Function,
            Object::Trigger(_) => ObjectKind::Trigger,
        }
    }

    /// Its name.
    pub fn name(&self) -> &str {
        match self {
            Object::Extension(e) => &e.name,
            Object::View(v) => &v.name,
            Object::Function(f) => &f.name,
            Object::Trigger(t) => &t.name,
        }
    }

    /// Its SQL text (an extension has none).
    pub fn sql(&self) -> &str {
        match self {
            Object::Extension(_) => "",
            Object::View(v) => &v.sql,
            Object::Function(f) => &f.sql,
            Object::Trigger(t) => &t.sql,
        }
    }

    /// Every name its SQL mentions, lower-cased (quoted names also as written): the tables, views,
    /// columns and functions it may depend on, among keywords and other words. Callers match them
    /// against the names they know, so a dependency is never missed, and a word that only looks
    /// like a name at worst orders or re-creates something that did not need it.
    pub fn mentions(&self) -> BTreeSet<String> {
        mentioned(self.sql())
    }

    /// `true` when `self` and `other` are the same definition: same kind and name, SQL equal after
    /// [`normalize_sql`], and for views the same columns, comment and materialization.
    pub fn same_definition(&self, other: &Object) -> bool {
        match (self, other) {
            (Object::Extension(a), Object::Extension(b)) => a == b,
            (Object::View(a), Object::View(b)) => {
                a.name == b.name
                    && a.materialized == b.materialized
                    && a.column_shape() == b.column_shape()
                    && a.comment == b.comment
                    && normalize_sql(&a.sql) == normalize_sql(&b.sql)
            }
            (Object::Function(a), Object::Function(b)) => {
                a.name == b.name && normalize_sql(&a.sql) == normalize_sql(&b.sql)
            }
            (Object::Trigger(a), Object::Trigger(b)) => {
                a.name == b.name && a.table == b.table && normalize_sql(&a.sql) == normalize_sql(&b.sql)
            }
            _ => false,
        }
    }
}

/// Why an object file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectError {
    /// The file holds no SQL.
    #[error("the file holds no statement: write one `CREATE FUNCTION ..` or `CREATE TRIGGER ..`")]
    Empty,
    /// The statement is not one the objects folder takes.
    #[error(
        "`{found}` is not a function or trigger: a file of the objects folder holds one `CREATE FUNCTION ..` or \
         `CREATE TRIGGER ..` (declare views with `#[model(view = \"..\")]`, and write other SQL in a hand-written \
         migration)"
    )]
    NotAnObject {
        /// The start of the statement.
        found: String,
    },
    /// More than one statement.
    #[error(
        "the file holds more than one statement (the second starts with `{second}`): put each function or trigger \
         in a file of its own"
    )]
    MoreThanOne {
        /// The start of the second statement.
        second: String,
    },
    /// The statement names no object.
    #[error("cannot find the {kind}'s name after `{kind_word}`: write e.g. `{example}`")]
    NoName {
        /// The kind.
        kind: ObjectKind,
        /// The keyword.
        kind_word: &'static str,
        /// A statement of that kind.
        example: &'static str,
    },
    /// A trigger without `ON <table>`.
    #[error("trigger \"{name}\" names no table: write `CREATE TRIGGER {name} .. ON <table> ..`")]
    NoTable {
        /// The trigger.
        name: String,
    },
    /// A function without its argument list.
    #[error("function \"{name}\" has no argument list: write `CREATE FUNCTION {name}(..) ..` (`()` for none)")]
    NoArguments {
        /// The function.
        name: String,
    },
}

/// `sql` without blanks around it and without a final `;`.
pub(crate) fn trim_statement(sql: &str) -> String {
    let t = sql.trim();
    let t = t.strip_suffix(';').unwrap_or(t).trim_end();
    t.to_string()
}

/// Read the one function or trigger of an objects-folder file.
///
/// ```
/// use model_core::ir::{parse_object, Dialect, Object, ObjectKind};
/// let o = parse_object("-- keeps updated_at fresh\nCREATE TRIGGER t AFTER UPDATE ON posts BEGIN SELECT 1; END;", Dialect::Sqlite).unwrap();
/// assert_eq!(o.kind(), ObjectKind::Trigger);
/// assert!(parse_object("CREATE TABLE x (a INT)", Dialect::Sqlite).is_err());
/// assert!(parse_object("CREATE TRIGGER a AFTER UPDATE ON p BEGIN SELECT 1; END; DROP TABLE p;", Dialect::Sqlite).is_err());
/// ```
///
/// # Errors
///
/// [`ObjectError`]: no statement, a statement that is not `CREATE FUNCTION` / `CREATE TRIGGER`, more
/// than one statement, no name, a trigger without `ON <table>`.
pub fn parse_object(sql: &str, dialect: Dialect) -> Result<Object, ObjectError> {
    let end = first_statement_end(sql);
    if let Some(second) = tokens(&sql[end..]).first() {
        return Err(ObjectError::MoreThanOne {
            second: start_of(&sql[end + second.start..]),
        });
    }
    let header = Header::read(sql)?;
    match header.keyword.as_str() {
        "FUNCTION" => Function::parse(sql, dialect).map(Object::Function),
        "TRIGGER" => Trigger::parse(sql, dialect).map(Object::Trigger),
        _ => Err(ObjectError::NotAnObject {
            found: start_of(sql.trim_start()),
        }),
    }
}

/// The first words of `sql`, for messages.
fn start_of(sql: &str) -> String {
    let mut words: Vec<&str> = sql.split_whitespace().take(4).collect();
    if sql.split_whitespace().count() > 4 {
        words.push("..");
    }
    words.join(" ")
}

/// The head of a `CREATE ..` statement: the kind keyword and the tokens.
struct Header {
    tokens: Vec<Token>,
    /// Position of the kind keyword (`FUNCTION`, `TRIGGER`, ...).
    at: usize,
    keyword: String,
}

/// Keywords that say what a `CREATE` statement creates.
const KINDS: &[&str] = &[
    "FUNCTION",
    "TRIGGER",
    "PROCEDURE",
    "VIEW",
    "TABLE",
    "INDEX",
    "EXTENSION",
    "TYPE",
    "SEQUENCE",
    "SCHEMA",
    "EVENT",
];

impl Header {
    fn read(sql: &str) -> Result<Header, ObjectError> {
        let tokens = tokens(sql);
        let Some(first) = tokens.first() else {
            return Err(ObjectError::Empty);
        };
        let not_object = || ObjectError::NotAnObject {
            found: start_of(sql.trim_start()),
        };
        if !first.is("CREATE") {
            return Err(not_object());
        }
        let at = tokens
            .iter()
            .take(16)
            .position(|t| t.kind == Kind::Word && KINDS.iter().any(|k| t.is(k)))
            .ok_or_else(not_object)?;
        let keyword = tokens[at].text.to_ascii_uppercase();
        Ok(Header { tokens, at, keyword })
    }

    /// The object's name (the last part of a qualified name) and the position after it.
    fn name(&self, fold: bool) -> Option<(String, usize)> {
        let mut i = self.at + 1;
        if self.tokens.get(i).is_some_and(|t| t.is("IF")) {
            i += 3; // IF NOT EXISTS
        }
        qualified_name(&self.tokens, i, fold)
    }
}

/// The name starting at `tokens[i]` (`a`, `"a"`, `s.a`: the last part) and the position after it.
fn qualified_name(tokens: &[Token], mut i: usize, fold: bool) -> Option<(String, usize)> {
    let mut name = tokens.get(i)?.name(fold)?;
    i += 1;
    while tokens.get(i).is_some_and(|t| t.kind == Kind::Punct && t.text == ".") {
        name = tokens.get(i + 1)?.name(fold)?;
        i += 2;
    }
    Some((name, i))
}

/// The position of the `)` closing the `(` at `open`.
fn closing(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        if t.kind == Kind::Punct {
            match t.text.as_str() {
                "(" => depth += 1,
                ")" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
    }
    None
}

impl Function {
    /// Read a `CREATE [OR REPLACE] FUNCTION name(..) ..` statement. Unquoted names are folded to
    /// lower case on PostgreSQL, as it stores them.
    ///
    /// # Errors
    ///
    /// [`ObjectError`] when the statement is not a function, or has no name or argument list.
    pub fn parse(sql: &str, dialect: Dialect) -> Result<Function, ObjectError> {
        let header = Header::read(sql)?;
        if header.keyword != "FUNCTION" {
            return Err(ObjectError::NotAnObject {
                found: start_of(sql.trim_start()),
            });
        }
        let (name, after) = header.name(dialect == Dialect::Postgres).ok_or(ObjectError::NoName {
            kind: ObjectKind::Function,
            kind_word: "FUNCTION",
            example: "CREATE FUNCTION slugify(t text) RETURNS text AS $$ .. $$ LANGUAGE sql",
        })?;
        let opens = header.tokens.get(after).is_some_and(|t| t.text == "(");
        if !opens || closing(&header.tokens, after).is_none() {
            return Err(ObjectError::NoArguments { name });
        }
        Ok(Function {
            name,
            sql: trim_statement(sql),
        })
    }

    /// The statement as `CREATE OR REPLACE FUNCTION ..` (as written when it says so already).
    ///
    /// ```
    /// use model_core::ir::{Dialect, Function};
    /// let f = Function::parse("CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql", Dialect::Postgres).unwrap();
    /// assert!(f.or_replace_sql().starts_with("CREATE OR REPLACE FUNCTION f()"));
    /// ```
    pub fn or_replace_sql(&self) -> String {
        let toks = tokens(&self.sql);
        match toks.as_slice() {
            [create, next, ..] if create.is("CREATE") && !next.is("OR") => {
                format!("{} OR REPLACE{}", &self.sql[..create.end], &self.sql[create.end..])
            }
            _ => self.sql.clone(),
        }
    }

    /// The argument list as written, without the parentheses.
    pub fn arguments(&self) -> String {
        self.parts().map(|(args, _)| args).unwrap_or_default()
    }

    /// The argument list as `DROP FUNCTION` takes it: each argument without its default
    /// (`DEFAULT ..` / `= ..`).
    pub fn drop_arguments(&self) -> String {
        let args = self.arguments();
        let toks = tokens(&args);
        let mut out: Vec<String> = Vec::new();
        let (mut depth, mut start, mut cut) = (0usize, 0usize, None::<usize>);
        let mut push = |from: usize, to: usize| {
            let piece = args[from..to].trim();
            if !piece.is_empty() {
                out.push(piece.to_string());
            }
        };
        for t in &toks {
            match (t.kind, t.text.as_str()) {
                (Kind::Punct, "(") => depth += 1,
                (Kind::Punct, ")") => depth = depth.saturating_sub(1),
                (Kind::Punct, ",") if depth == 0 => {
                    push(start, cut.unwrap_or(t.start));
                    start = t.end;
                    cut = None;
                }
                (Kind::Punct, "=") if depth == 0 => {
                    cut.get_or_insert(t.start);
                }
                (Kind::Word, _) if depth == 0 && t.is("DEFAULT") => {
                    cut.get_or_insert(t.start);
                }
                _ => {}
            }
        }
        push(start, cut.unwrap_or(args.len()));
        out.join(", ")
    }

    /// What the function returns (the words after `RETURNS`, up to its attributes or body),
    /// normalized; empty when the statement says nothing.
    pub fn returns(&self) -> String {
        self.parts().map(|(_, r)| r).unwrap_or_default()
    }

    /// `(arguments, returns)`.
    fn parts(&self) -> Option<(String, String)> {
        let header = Header::read(&self.sql).ok()?;
        let (_, after) = header.name(false)?;
        let close = closing(&header.tokens, after)?;
        let (open_end, close_start) = (header.tokens[after].end, header.tokens[close].start);
        let args = self.sql[open_end..close_start].trim().to_string();
        let rest = &header.tokens[close + 1..];
        let mut returns = String::new();
        if rest.first().is_some_and(|t| t.is("RETURNS")) {
            const STOP: &[&str] = &[
                "LANGUAGE",
                "AS",
                "IMMUTABLE",
                "STABLE",
                "VOLATILE",
                "STRICT",
                "CALLED",
                "SECURITY",
                "PARALLEL",
                "COST",
                "ROWS",
                "SET",
                "WINDOW",
                "LEAKPROOF",
                "NOT",
                "SUPPORT",
                "TRANSFORM",
                "BEGIN",
                "RETURN",
                "DETERMINISTIC",
                "NO",
                "READS",
                "MODIFIES",
                "CONTAINS",
                "COMMENT",
                "SQL",
            ];
            let mut depth = 0usize;
            let end = rest[1..]
                .iter()
                .position(|t| {
                    match t.text.as_str() {
                        "(" => depth += 1,
                        ")" => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    depth == 0
                        && (matches!(t.kind, Kind::Dollar | Kind::Str | Kind::Semicolon)
                            || (t.kind == Kind::Word && STOP.iter().any(|k| t.is(k))))
                })
                .map_or(rest.len(), |p| p + 1);
            if end > 1 {
                returns = normalize_sql(&self.sql[rest[1].start..rest[end - 1].end]);
            }
        }
        Some((args, returns))
    }
}

impl Trigger {
    /// Read a `CREATE [OR REPLACE] TRIGGER name .. ON table ..` statement. Unquoted names are folded
    /// to lower case on PostgreSQL, as it stores them.
    ///
    /// # Errors
    ///
    /// [`ObjectError`] when the statement is not a trigger, or has no name or no `ON <table>`.
    pub fn parse(sql: &str, dialect: Dialect) -> Result<Trigger, ObjectError> {
        let header = Header::read(sql)?;
        if header.keyword != "TRIGGER" {
            return Err(ObjectError::NotAnObject {
                found: start_of(sql.trim_start()),
            });
        }
        let fold = dialect == Dialect::Postgres;
        let (name, after) = header.name(fold).ok_or(ObjectError::NoName {
            kind: ObjectKind::Trigger,
            kind_word: "TRIGGER",
            example: "CREATE TRIGGER posts_touch BEFORE UPDATE ON posts ..",
        })?;
        let on = header.tokens[after..]
            .iter()
            .position(|t| t.is("ON") && !t.in_body)
            .map(|p| after + p + 1);
        let table = on
            .and_then(|i| qualified_name(&header.tokens, i, fold))
            .map(|(t, _)| t)
            .ok_or_else(|| ObjectError::NoTable { name: name.clone() })?;
        Ok(Trigger {
            name,
            table,
            sql: trim_statement(sql),
        })
    }
}

#[cfg(test)]
mod tests;
