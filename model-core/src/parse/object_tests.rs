//! Views and generated columns through the parser: what they give, and every rule they break.

use super::parse_model;
use crate::ir::{Dialect, Generated};
use syn::parse_quote;

fn errors(input: syn::DeriveInput, dialect: Dialect) -> Vec<String> {
    match parse_model(&input, dialect) {
        Ok(m) => panic!("expected errors, got {:?}", m.table),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn a_view_struct_declares_a_view_with_a_diesel_key() {
    let input: syn::DeriveInput = parse_quote! {
        /// Users who logged in this year.
        #[model(view = "SELECT id, email, true AS recent FROM users WHERE seen_at > now() - interval '1 year'")]
        pub struct ActiveUser {
            #[model(primary_key)]
            pub id: i64,
            #[model(max_length = 255)]
            pub email: String,
            pub recent: Option<bool>,
        }
    };
    let m = parse_model(&input, Dialect::Postgres).unwrap();
    assert_eq!(m.module, "active_users");
    assert!(m.fields[0].primary_key, "Diesel's key");
    assert!(m.table.primary_key.is_none(), "no constraint");
    assert!(!m.table.columns[0].identity, "no identity");
    let v = m.view_ir(None).unwrap();
    assert_eq!(v.comment.as_deref(), Some("Users who logged in this year."));
    assert!(v.sql.starts_with("SELECT id, email"));
    assert_eq!(v.columns.len(), 3);
    let t = &m.table;
    assert!(t.uniques.is_empty() && t.indexes.is_empty() && t.checks.is_empty() && t.foreign_keys.is_empty());
}

#[test]
fn a_view_file_is_left_to_the_caller_and_materialized_is_postgres_only() {
    let input: syn::DeriveInput = parse_quote! {
        #[model(view_file = "db/views/totals.sql", materialized, table_name = "totals")]
        pub struct Total {
            #[model(primary_key)]
            pub day: chrono::NaiveDate,
            pub n: i64,
        }
    };
    let m = parse_model(&input, Dialect::Postgres).unwrap();
    let def = m.view.as_ref().unwrap();
    assert_eq!(def.file.as_ref().map(|(f, _)| f.as_str()), Some("db/views/totals.sql"));
    assert!(def.materialized && def.sql.is_none());
    assert_eq!(m.view_ir(Some("SELECT 1;\n")).unwrap().sql, "SELECT 1");
    let e = errors(input, Dialect::Sqlite);
    assert_eq!(e.len(), 1);
    assert!(e[0].contains("materialized views are PostgreSQL's"), "{e:?}");
}

#[test]
fn everything_a_view_cannot_have_is_refused_at_once() {
    let e = errors(
        parse_quote! {
            #[model(view = "SELECT 1 AS id", view_file = "x.sql", index(id), unique(id), renamed_from = "old")]
            #[model(check(name = "c", sql = "id > 0"))]
            pub struct V {
                #[model(primary_key, default = 1, identity = false)]
                pub id: i64,
                #[model(references = "users(id)", on_delete = "cascade", unique, index, check = "n > 0")]
                pub n: i64,
                #[model(generated = "n + 1", renamed_from = "m")]
                pub m2: i64,
            }
        },
        Dialect::Postgres,
    );
    let joined = e.join("\n");
    for key in [
        "`view` and `view_file` conflict",
        "`index` on a view",
        "`unique` on a view",
        "`check` on a view",
        "`renamed_from` on a view",
        "`default` on a view",
        "`identity` on a view",
        "`references` on a view",
        "`on_delete` on a view",
        "`generated` on a view",
        "`renamed_from` on a field of a view",
    ] {
        assert!(joined.contains(key), "{key}:\n{joined}");
    }
}

#[test]
fn a_view_needs_a_key_for_diesel_and_materialized_needs_a_view() {
    let e = errors(
        parse_quote! {
            #[model(view = "SELECT 1 AS n")]
            pub struct V { pub n: i64 }
        },
        Dialect::Postgres,
    );
    assert!(e[0].contains("is a view, which has no key of its own"), "{e:?}");
    let e = errors(
        parse_quote! {
            #[model(materialized)]
            pub struct T { #[model(primary_key)] pub id: i64 }
        },
        Dialect::Postgres,
    );
    assert!(e[0].contains("`materialized` applies to views"), "{e:?}");
}

#[test]
fn generated_columns_stored_and_virtual() {
    let input: syn::DeriveInput = parse_quote! {
        pub struct User {
            #[model(primary_key)]
            pub id: i64,
            pub email: String,
            #[model(generated = "lower(email)", unique)]
            pub email_key: String,
            #[model(generated(sql = "length(email)", virtual))]
            pub email_length: Option<i32>,
        }
    };
    let m = parse_model(&input, Dialect::Sqlite).unwrap();
    assert_eq!(m.table.columns[2].generated, Some(Generated::stored("lower(email)")));
    assert_eq!(
        m.table.columns[3].generated,
        Some(Generated {
            sql: "length(email)".into(),
            is_virtual: true
        })
    );
    let e = errors(input, Dialect::Postgres);
    assert_eq!(e.len(), 1);
    assert!(e[0].contains("PostgreSQL has no virtual generated columns"), "{e:?}");
}

/// MySQL/MariaDB refuse a stored generated column over a foreign key column whose action changes it
/// (found by the property test on MariaDB); a virtual one, or a `restrict` key, they take.
#[test]
fn mysql_stored_generated_over_a_set_null_key() {
    let input: syn::DeriveInput = parse_quote! {
        pub struct Post {
            #[model(primary_key)]
            pub id: i64,
            #[model(references = "users(id)", on_delete = "set null")]
            pub author_id: Option<i64>,
            #[model(generated = "author_id + 1")]
            pub next: Option<i64>,
        }
    };
    let e = errors(input.clone(), Dialect::Mysql);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("reads `author_id`") && e[0].contains("virtual") && e[0].contains("on_delete = \"restrict\""),
        "{e:?}"
    );
    assert!(parse_model(&input, Dialect::Postgres).is_ok(), "PostgreSQL takes it");
    let virtual_one: syn::DeriveInput = parse_quote! {
        pub struct Post {
            #[model(primary_key)]
            pub id: i64,
            #[model(references = "users(id)", on_delete = "set null")]
            pub author_id: Option<i64>,
            #[model(generated(sql = "author_id + 1", virtual))]
            pub next: Option<i64>,
        }
    };
    assert!(parse_model(&virtual_one, Dialect::Mysql).is_ok());
    let restrict: syn::DeriveInput = parse_quote! {
        pub struct Post {
            #[model(primary_key)]
            pub id: i64,
            #[model(references = "users(id)", on_delete = "restrict")]
            pub author_id: Option<i64>,
            #[model(generated = "author_id + 1")]
            pub next: Option<i64>,
        }
    };
    assert!(parse_model(&restrict, Dialect::Mysql).is_ok());
}

#[test]
fn generated_conflicts_and_forms() {
    let e = errors(
        parse_quote! {
            pub struct User {
                #[model(primary_key, generated = "1")]
                pub id: i64,
                #[model(generated = "2", default = 3)]
                pub a: i64,
                #[model(generated(virtual))]
                pub b: i64,
                #[model(generated(sql = "1", stored))]
                pub c: i64,
            }
        },
        Dialect::Mysql,
    );
    let joined = e.join("\n");
    assert!(joined.contains("`primary_key` conflicts with `generated`"), "{joined}");
    assert!(joined.contains("`default` conflicts with `generated`"), "{joined}");
    assert!(joined.contains("`generated(...)` needs `sql`"), "{joined}");
    assert!(joined.contains("unexpected `stored` in `generated(...)`"), "{joined}");
}
