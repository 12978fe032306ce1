//! Introspection of a live SQLite database, checked against the hand-built model.
#![cfg(feature = "sqlite")]

mod support;

use model_core::ir::{compare, ColumnType, DefaultValue, Dialect, FkAction, Literal};
use support::model::{model, SQLITE_DDL};

#[test]
fn introspected_schema_is_the_model() {
    let db = model_testkit::sqlite("core");
    let mut conn = db.connect();
    support::exec_script(&mut conn, SQLITE_DDL);
    let live = model_core::introspect::sqlite(&mut conn).expect("introspect");

    let diffs = compare(&model(), &live, Dialect::Sqlite);
    assert!(
        diffs.is_empty(),
        "{}",
        diffs.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    );

    let users = live.table("users").expect("users");
    assert!(
        users.columns[0].identity && !users.columns[0].nullable,
        "INTEGER PRIMARY KEY is the rowid"
    );
    assert_eq!(
        users.primary_key.as_ref().map(|k| k.name.as_str()),
        Some("pk_users"),
        "unnamed key: naming rule"
    );
    assert_eq!(
        users.column("email").map(|c| c.ty.clone()),
        Some(ColumnType::Varchar { len: 255 })
    );
    assert_eq!(users.checks[0].sql, "email <> ''");
    let posts = live.table("posts").expect("posts");
    assert!(
        posts.columns[0].identity,
        "a single INTEGER key declared as a table constraint is the rowid too"
    );
    assert_eq!(
        posts.column("status").and_then(|c| c.default.clone()),
        Some(DefaultValue::Literal(Literal::Str("draft".into())))
    );
    let ux = posts
        .indexes
        .iter()
        .find(|i| i.name == "ux_posts_slug")
        .expect("ux_posts_slug");
    assert!(ux.unique);
    assert_eq!(ux.where_sql.as_deref(), Some("deleted_at IS NULL"));
    assert_eq!(posts.uniques.len(), 1, "the unique index is not a unique constraint");
    let editor = posts
        .foreign_keys
        .iter()
        .find(|f| f.name == "fk_posts_editor_id_users")
        .expect("editor fk");
    assert_eq!(
        editor.ref_columns,
        ["id"],
        "an implicit reference reads the referenced primary key"
    );
    assert_eq!(editor.on_delete, FkAction::SetNull);
    let memberships = live.table("memberships").expect("memberships");
    assert!(
        memberships.columns.iter().all(|c| !c.identity),
        "a composite key has no identity column"
    );
    assert_eq!(
        memberships.foreign_keys[0].name, "fk_memberships_user_id_users",
        "unnamed key: naming rule"
    );
    let all = live.table("all_types").expect("all_types");
    assert_eq!(
        all.column("i4").and_then(|c| c.default.clone()),
        Some(DefaultValue::Literal(Literal::Int(-1)))
    );
    assert_eq!(
        all.column("tstz").and_then(|c| c.default.clone()),
        Some(DefaultValue::Sql("CURRENT_TIMESTAMP".into()))
    );
}

#[test]
fn compare_finds_seeded_differences() {
    let db = model_testkit::sqlite("core");
    let mut conn = db.connect();
    support::exec_script(&mut conn, SQLITE_DDL);
    support::exec_script(
        &mut conn,
        "DROP INDEX ix_posts_author_id; CREATE TABLE extra (id INTEGER PRIMARY KEY)",
    );
    let live = model_core::introspect::sqlite(&mut conn).expect("introspect");
    let mut model = model();
    if let Some(users) = model.tables.iter_mut().find(|t| t.name == "users") {
        users
            .columns
            .iter_mut()
            .filter(|c| c.name == "nickname")
            .for_each(|c| c.nullable = false);
    }
    let got: Vec<String> = compare(&model, &live, Dialect::Sqlite)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        [
            r#"table "extra": in the database but not in the model"#,
            r#"table "posts": index "ix_posts_author_id" (author_id): missing in the database"#,
            r#"table "users": column "nickname": NOT NULL in the model, NULL in the database"#,
        ]
    );
}

#[test]
fn internal_tables_are_skipped_and_unnamed_checks_are_numbered() {
    let db = model_testkit::sqlite("core");
    let mut conn = db.connect();
    support::exec_script(
        &mut conn,
        "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL); \
         CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a INTEGER CHECK (a > 0), b INT, CHECK (b < 9), CHECK (b <> 3)); \
         INSERT INTO t (a) VALUES (1)",
    );
    let live = model_core::introspect::sqlite(&mut conn).expect("introspect");
    let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["t"], "sqlite_sequence and the migrations table are skipped");
    let checks: Vec<(&str, &str)> = live.tables[0]
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.sql.as_str()))
        .collect();
    assert_eq!(checks, [("ck_t_a", "a > 0"), ("ck_t_1", "b < 9"), ("ck_t_2", "b <> 3")]);
}

/// A declared type the IR cannot read (a negative length) is `IntrospectError::Type`, naming the
/// table, the column and the type as SQLite reports it.
#[test]
fn an_unreadable_declared_type_is_an_error_naming_the_column() {
    let db = model_testkit::sqlite("bad_type");
    let mut conn = db.connect();
    support::exec_script(
        &mut conn,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(-5));",
    );
    let err = model_core::introspect::sqlite(&mut conn).expect_err("VARCHAR(-5)");
    assert!(
        matches!(&err, model_core::introspect::IntrospectError::Type { table, column, ty, .. }
            if table == "notes" && column == "body" && ty == "VARCHAR(-5)"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("table \"notes\": column \"body\": cannot read its type `VARCHAR(-5)`: "),
        "{err}"
    );
}
