//! Extensions, views, functions and triggers: `CREATE` / `CREATE OR REPLACE` / `DROP`.
//!
//! Functions and triggers run as written in their files; views are `CREATE VIEW "name" AS <query>`.
//! A PostgreSQL extension is created only when it is missing, and marked (its comment) so that it is
//! dropped only when this crate's migrations created it.

use super::ident::quote_table;
use super::ident::{quote_ident, string_literal};
use crate::ir::{Dialect, Function, Object, Trigger, View};

/// The comment a PostgreSQL extension gets when a migration creates it: the mark that lets
/// `down.sql` (or a later migration) drop it, and only it.
pub const EXTENSION_MARK: &str = "created by a diesel-model migration";

/// The statements that create `object`.
pub(super) fn create(object: &Object, dialect: Dialect) -> Vec<String> {
    match object {
        Object::Extension(e) => vec![create_extension(&e.name)],
        Object::View(v) => create_view(v, dialect, false),
        Object::Function(f) => vec![f.sql.clone()],
        Object::Trigger(t) => vec![t.sql.clone()],
    }
}

/// The statements that drop `object`.
pub(super) fn drop(object: &Object, dialect: Dialect) -> Vec<String> {
    match object {
        Object::Extension(e) => vec![drop_extension(&e.name)],
        Object::View(v) => vec![drop_view(v, dialect)],
        Object::Function(f) => vec![drop_function(f, dialect)],
        Object::Trigger(t) => vec![drop_trigger(t, dialect)],
    }
}

/// The statements that turn `from` into `to` (same name): `CREATE OR REPLACE` where it can, else a
/// drop and a create.
pub(super) fn replace(from: &Object, to: &Object, dialect: Dialect) -> Vec<String> {
    match (from, to) {
        (Object::View(a), Object::View(b)) if dialect != Dialect::Sqlite && !a.materialized && !b.materialized => {
            create_view(b, dialect, true)
                .into_iter()
                .chain(
                    (dialect == Dialect::Postgres && a.comment.is_some() && b.comment.is_none())
                        .then(|| view_comment(b)),
                )
                .collect()
        }
        (Object::Function(a), Object::Function(b))
            if dialect == Dialect::Postgres
                && a.drop_arguments() == b.drop_arguments()
                && a.returns() == b.returns() =>
        {
            vec![b.or_replace_sql()]
        }
        _ => drop(from, dialect).into_iter().chain(create(to, dialect)).collect(),
    }
}

fn create_extension(name: &str) -> String {
    let d = Dialect::Postgres;
    format!(
        "-- created only when missing, and then marked as this crate's (down.sql drops only what it created)\n\
         DO $$\nBEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = {lit}) THEN\n        \
         CREATE EXTENSION {ident};\n        COMMENT ON EXTENSION {ident} IS {mark};\n    END IF;\nEND\n$$",
        lit = string_literal(name, d),
        ident = quote_ident(name, d),
        mark = string_literal(EXTENSION_MARK, d),
    )
}

fn drop_extension(name: &str) -> String {
    let d = Dialect::Postgres;
    format!(
        "-- dropped only when a migration of this crate created it\n\
         DO $$\nBEGIN\n    IF EXISTS (SELECT 1 FROM pg_extension e WHERE e.extname = {lit} \
         AND obj_description(e.oid, 'pg_extension') = {mark}) THEN\n        DROP EXTENSION {ident};\n    END IF;\nEND\n$$",
        lit = string_literal(name, d),
        ident = quote_ident(name, d),
        mark = string_literal(EXTENSION_MARK, d),
    )
}

/// `CREATE [OR REPLACE] [MATERIALIZED] VIEW "v" AS <query>`, and PostgreSQL's comment.
fn create_view(v: &View, dialect: Dialect, or_replace: bool) -> Vec<String> {
    let kind = if v.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
    let replace = if or_replace { "OR REPLACE " } else { "" };
    let mut out = vec![format!(
        "CREATE {replace}{kind} {} AS\n{}",
        quote_ident(&v.name, dialect),
        v.sql
    )];
    if dialect == Dialect::Postgres && v.comment.is_some() {
        out.push(view_comment(v));
    }
    out
}

/// `COMMENT ON [MATERIALIZED] VIEW "v" IS ..` (`IS NULL` without a comment). PostgreSQL only.
fn view_comment(v: &View) -> String {
    let kind = if v.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
    let text = v
        .comment
        .as_deref()
        .map_or_else(|| "NULL".to_string(), |c| string_literal(c, Dialect::Postgres));
    format!(
        "COMMENT ON {kind} {} IS {text}",
        quote_ident(&v.name, Dialect::Postgres)
    )
}

fn drop_view(v: &View, dialect: Dialect) -> String {
    let kind = if v.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
    format!("DROP {kind} {}", quote_ident(&v.name, dialect))
}

/// `DROP FUNCTION "f"(arguments)` on PostgreSQL (the arguments pick the one function of the name
/// the migration means), `DROP FUNCTION `f`` on MySQL.
fn drop_function(f: &Function, dialect: Dialect) -> String {
    match dialect {
        Dialect::Postgres => format!(
            "DROP FUNCTION {}({})",
            quote_ident(&f.name, dialect),
            f.drop_arguments()
        ),
        _ => format!("DROP FUNCTION {}", quote_ident(&f.name, dialect)),
    }
}

/// `DROP TRIGGER "t" ON "table"` on PostgreSQL, where a trigger's name is its table's; `DROP TRIGGER
/// "t"` elsewhere.
fn drop_trigger(t: &Trigger, dialect: Dialect) -> String {
    match dialect {
        Dialect::Postgres => format!(
            "DROP TRIGGER {} ON {}",
            quote_ident(&t.name, dialect),
            quote_table(&t.table, dialect)
        ),
        _ => format!("DROP TRIGGER {}", quote_ident(&t.name, dialect)),
    }
}

/// Why `dialect` cannot hold `object`, or `None` when it can.
pub(super) fn unsupported(object: &Object, dialect: Dialect) -> Option<String> {
    match (object, dialect) {
        (_, Dialect::Postgres) => None,
        (Object::Extension(_), _) => Some(format!("{dialect} has no extensions (they are PostgreSQL's)")),
        (Object::View(v), _) if v.materialized => {
            Some(format!("{dialect} has no materialized views (they are PostgreSQL's)"))
        }
        (Object::Function(_), Dialect::Sqlite) => {
            Some("SQLite has no SQL functions: an application registers its own through the SQLite library".to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_signature_drops_the_old_function_first() {
        let f = |sql: &str| Object::Function(Function::parse(sql, Dialect::Postgres).unwrap());
        let a = f("CREATE FUNCTION f(a int) RETURNS int AS 'select a' LANGUAGE sql");
        let body = f("CREATE FUNCTION f(a int) RETURNS int AS 'select a + 1' LANGUAGE sql");
        let args = f("CREATE FUNCTION f(a bigint) RETURNS int AS 'select 1' LANGUAGE sql");
        assert_eq!(replace(&a, &body, Dialect::Postgres).len(), 1);
        let both = replace(&a, &args, Dialect::Postgres);
        assert_eq!(both[0], r#"DROP FUNCTION "f"(a int)"#);
        assert_eq!(replace(&a, &body, Dialect::Mysql)[0], "DROP FUNCTION `f`");
    }
}
