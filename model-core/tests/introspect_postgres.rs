//! Introspection of a live PostgreSQL database, checked against the hand-built model.
#![cfg(feature = "postgres")]

mod support;

use model_core::ir::{compare, ColumnType, DefaultValue, Dialect, FkAction, Literal};
use support::model::{model, POSTGRES_DDL};

#[test]
fn introspected_schema_is_the_model() {
    let Some(db) = model_testkit::postgres("core") else {
        return;
    };
    let mut conn = db.connect();
    support::exec_script(&mut conn, POSTGRES_DDL);
    let mut live = model_core::introspect::postgres(&mut conn).expect("introspect");

    // `pg_only` holds what only PostgreSQL has; look at it, then compare the rest with the model.
    let pg_only = live.table("pg_only").expect("pg_only").clone();
    assert!(pg_only.columns[0].identity, "a bigserial reads as identity");
    assert_eq!(pg_only.columns[0].default, None);
    assert_eq!(
        pg_only.columns[1].ty,
        ColumnType::Array {
            of: Box::new(ColumnType::BigInt)
        }
    );
    assert_eq!(pg_only.columns[2].ty, ColumnType::Custom { sql: "interval".into() });
    live.tables.retain(|t| t.name != "pg_only");

    let diffs = compare(&model(), &live, Dialect::Postgres);
    assert!(
        diffs.is_empty(),
        "{}",
        diffs.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    );

    let users = live.table("users").expect("users");
    assert_eq!(users.comment.as_deref(), Some("A registered person."));
    assert!(users.columns[0].identity);
    assert_eq!(
        users.column("email").and_then(|c| c.comment.as_deref()),
        Some("Where to write.")
    );
    assert!(users.column("nickname").is_some_and(|c| c.nullable));
    let posts = live.table("posts").expect("posts");
    let names: Vec<&str> = posts.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "author_id",
            "editor_id",
            "slug",
            "content",
            "published",
            "status",
            "deleted_at"
        ]
    );
    assert_eq!(
        posts.column("status").and_then(|c| c.default.clone()),
        Some(DefaultValue::Literal(Literal::Str("draft".into())))
    );
    assert_eq!(
        posts.column("published").and_then(|c| c.default.clone()),
        Some(DefaultValue::Literal(Literal::Bool(false)))
    );
    let ux = posts
        .indexes
        .iter()
        .find(|i| i.name == "ux_posts_slug")
        .expect("ux_posts_slug");
    assert!(ux.unique);
    assert_eq!(ux.where_sql.as_deref(), Some("(deleted_at IS NULL)"));
    assert_eq!(posts.uniques.len(), 1, "the unique index is not a unique constraint");
    let fk = &posts.foreign_keys[0];
    assert_eq!((fk.on_delete, fk.on_update), (FkAction::Cascade, FkAction::Restrict));
    let memberships = live.table("memberships").expect("memberships");
    assert_eq!(
        memberships.primary_key.as_ref().map(|k| k.columns.clone()),
        Some(vec!["user_id".to_string(), "group_name".to_string()])
    );
    let all = live.table("all_types").expect("all_types");
    assert_eq!(
        all.column("i4").and_then(|c| c.default.clone()),
        Some(DefaultValue::Literal(Literal::Int(-1)))
    );
    assert_eq!(
        all.column("n").map(|c| c.ty.clone()),
        Some(ColumnType::Numeric {
            precision: Some(12),
            scale: Some(2)
        })
    );
}

#[test]
fn compare_finds_seeded_differences() {
    let Some(db) = model_testkit::postgres("core") else {
        return;
    };
    let mut conn = db.connect();
    support::exec_script(&mut conn, POSTGRES_DDL);
    support::exec_script(
        &mut conn,
        "DROP TABLE pg_only; DROP INDEX ix_posts_author_id; ALTER TABLE users ALTER COLUMN nickname SET NOT NULL; \
         ALTER TABLE posts ALTER COLUMN status SET DEFAULT 'live'",
    );
    let live = model_core::introspect::postgres(&mut conn).expect("introspect");
    let got: Vec<String> = compare(&model(), &live, Dialect::Postgres)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        [
            r#"table "posts": column "status": default "'draft'" in the model, "'live'" in the database"#,
            r#"table "posts": index "ix_posts_author_id" (author_id): missing in the database"#,
            r#"table "users": column "nickname": NULL in the model, NOT NULL in the database"#,
        ]
    );
}

#[test]
fn migrations_table_and_other_schemas_are_skipped() {
    let Some(db) = model_testkit::postgres("core") else {
        return;
    };
    let mut conn = db.connect();
    support::exec_script(
        &mut conn,
        "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY); \
         CREATE SCHEMA other; CREATE TABLE other.hidden (id INTEGER); CREATE TABLE shown (id INTEGER)",
    );
    let live = model_core::introspect::postgres(&mut conn).expect("introspect");
    let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["shown"]);
}
