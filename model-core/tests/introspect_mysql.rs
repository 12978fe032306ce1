//! Introspection of a live MariaDB/MySQL database migrated from a model with every feature: the
//! database holds the model after up, after down then up again; seeded differences are found.
#![cfg(feature = "mysql")]

mod mysql_support;

use diesel::RunQueryDsl;
use diesel_migrations::MigrationHarness;
use model_core::ir::{ColumnType, DefaultValue, FkAction, Literal, Schema};
use mysql_support::{assert_holds, differences, model, Folder};

#[test]
fn a_migrated_model_reads_back_as_the_model_up_down_up() {
    let Some(db) = model_testkit::mysql("introspect") else {
        return;
    };
    let mut conn = db.connect();
    let mut folder = Folder::new("introspect");
    let version = folder.plan(&Schema::default(), &model());
    let applied = model_core::runtime::migrate(&mut conn, folder.source()).expect("migrate");
    assert_eq!(applied, std::slice::from_ref(&version));
    assert_holds(&mut conn, &model(), "after up");

    conn.revert_last_migration(folder.source()).expect("down");
    let live = model_core::introspect::mysql(&mut conn).expect("introspect");
    assert!(live.tables.is_empty(), "down leaves nothing: {live:?}");

    assert_eq!(
        model_core::runtime::migrate(&mut conn, folder.source()).expect("up again"),
        [version]
    );
    assert_holds(&mut conn, &model(), "after down and up");
    assert!(model_core::runtime::migrate(&mut conn, folder.source())
        .expect("again")
        .is_empty());
}

#[test]
fn what_mysql_reports_is_read_into_the_ir() {
    let Some(db) = model_testkit::mysql("introspect_ir") else {
        return;
    };
    let mut conn = db.connect();
    let mut folder = Folder::new("introspect_ir");
    folder.plan(&Schema::default(), &model());
    model_core::runtime::migrate(&mut conn, folder.source()).expect("migrate");
    let live = model_core::introspect::mysql(&mut conn).expect("introspect");

    let users = live.table("users").expect("users");
    assert_eq!(users.comment.as_deref(), Some("A registered person."));
    assert!(users.columns[0].identity);
    assert_eq!(users.primary_key.as_ref().map(|k| k.name.as_str()), Some("pk_users"));
    assert_eq!(users.checks[0].sql, "email <> ''", "backquotes are dropped");
    let all = live.table("all_types").expect("all_types");
    let ty = |name: &str| all.column(name).map(|c| c.ty.clone());
    assert_eq!(ty("b"), Some(ColumnType::Bool));
    assert_eq!(ty("j"), Some(ColumnType::Json), "LONGTEXT with json_valid is JSON");
    assert_eq!(ty("u"), Some(ColumnType::Uuid));
    assert_eq!(ty("ts"), Some(ColumnType::Timestamp));
    assert_eq!(
        all.checks.len(),
        1,
        "the json_valid check is not reported: {:?}",
        all.checks
    );
    let default = |name: &str| all.column(name).and_then(|c| c.default.clone());
    assert_eq!(default("b"), Some(DefaultValue::Literal(Literal::Bool(true))));
    assert_eq!(default("n"), Some(DefaultValue::Literal(Literal::Float("1.50".into()))));
    let posts = live.table("posts").expect("posts");
    assert_eq!(
        posts.column("content").and_then(|c| c.default.clone()),
        Some(DefaultValue::Literal(Literal::Str("it's a \\ test".into())))
    );
    assert_eq!(posts.uniques.len(), 2, "the unique index reads as a unique constraint");
    assert_eq!(
        posts.indexes.len(),
        1,
        "no index for the foreign keys: {:?}",
        posts.indexes
    );
    let fk = posts
        .foreign_keys
        .iter()
        .find(|f| f.name == "fk_posts_editor_id_users")
        .expect("fk");
    // ON UPDATE left out (NO ACTION): InnoDB reports RESTRICT, which compare takes as NO ACTION.
    assert_eq!((fk.on_delete, fk.on_update), (FkAction::SetNull, FkAction::Restrict));
    let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["all_types", "memberships", "posts", "users"],
        "bookkeeping tables skipped"
    );
}

#[test]
fn compare_finds_seeded_differences() {
    let Some(db) = model_testkit::mysql("introspect_diff") else {
        return;
    };
    let mut conn = db.connect();
    let mut folder = Folder::new("introspect_diff");
    folder.plan(&Schema::default(), &model());
    model_core::runtime::migrate(&mut conn, folder.source()).expect("migrate");
    for sql in [
        "DROP INDEX ix_users_last_name_first_name ON users",
        "ALTER TABLE users MODIFY COLUMN nickname TEXT NOT NULL",
        "ALTER TABLE posts ALTER COLUMN status SET DEFAULT 'live'",
    ] {
        diesel::sql_query(sql).execute(&mut conn).expect(sql);
    }
    assert_eq!(
        differences(&mut conn, &model()),
        [
            r#"table "posts": column "status": default "'draft'" in the model, "'live'" in the database"#,
            r#"table "users": column "nickname": NULL in the model, NOT NULL in the database"#,
            r#"table "users": index "ix_users_last_name_first_name" (last_name, first_name): missing in the database"#,
        ]
    );
}
