//! One SQLite snapshot of `up.sql` and `down.sql` per change kind that needs a table rebuild there
//! (the PostgreSQL ones are in `kinds.rs`), and the kinds SQLite still does natively.

use super::{column, files, plan, renamed_users_and_posts, users_with};
use crate::ir::{
    check_name, index_name, pk_name, unique_name, Check, Column, ColumnType, DefaultValue, Dialect, FkAction, Literal,
    PrimaryKey, Table, UniqueConstraint,
};
use crate::ops::fixtures::{col, fk, nullable, post_tags, posts, table_with_id, tags, users};

fn snapshot(scenario: &str, old: &[Table], new: &[Table]) -> String {
    let text = files(&plan(old, new, Dialect::Sqlite));
    insta::assert_snapshot!(scenario, text);
    text
}

#[test]
fn native_changes_rebuild_nothing() {
    let added = users_with(|t| t.columns.push(nullable("nickname", ColumnType::Text)));
    let text = snapshot("sqlite_add_column", &[users()], std::slice::from_ref(&added));
    assert!(!text.contains("__model_old"), "{text}");
    let text = files(&plan(&[added], &[users()], Dialect::Sqlite));
    assert!(text.contains("DROP COLUMN \"nickname\""), "{text}");
    assert!(!text.contains("__model_old"), "{text}");
}

#[test]
fn several_column_changes_rebuild_once() {
    let old = users_with(|t| {
        column(t, "last_name").nullable = true;
        t.columns.push(nullable("age", ColumnType::Text));
    });
    let new = users_with(|t| {
        column(t, "email").ty = ColumnType::Text;
        column(t, "first_name").nullable = true;
        column(t, "first_name").default = Some(DefaultValue::Sql("upper('x')".into()));
        column(t, "last_name").default = Some(DefaultValue::Literal(Literal::Str("Doe".into())));
        t.columns.push(Column {
            default: Some(DefaultValue::Literal(Literal::Int(0))),
            ..col("age", ColumnType::Integer)
        });
        t.columns.push(col("score", ColumnType::Double));
        column(t, "score").default = Some(DefaultValue::Sql("random()".into()));
    });
    let text = snapshot("sqlite_columns", &[old], &[new]);
    assert_eq!(
        text.matches("CREATE TABLE temp.\"__model_old_users\"").count(),
        2,
        "once up, once down"
    );
}

#[test]
fn rename_column_with_a_type_change() {
    let new = users_with(|t| {
        let c = column(t, "first_name");
        c.name = "given_name".into();
        c.renamed_from = Some("first_name".into());
        c.ty = ColumnType::Varchar { len: 50 };
        t.indexes[0].columns[1] = "given_name".into();
        t.indexes[0].name = index_name("users", &["last_name", "given_name"], false);
        t.checks.push(Check {
            name: check_name("users", "named"),
            sql: "given_name <> ''".into(),
        });
    });
    snapshot("sqlite_rename_column_and_check", &[users()], &[new]);
}

#[test]
fn identity_on() {
    let plain = users_with(|t| column(t, "id").identity = false);
    snapshot("sqlite_identity_on", &[plain], &[users()]);
}

#[test]
fn primary_key_change() {
    let mut new = post_tags();
    new.primary_key = Some(PrimaryKey {
        name: pk_name("post_tags"),
        columns: vec!["tag_id".into(), "post_id".into()],
    });
    let all = |t: Table| vec![users(), posts(), tags(), t];
    snapshot("sqlite_primary_key", &all(post_tags()), &all(new));
}

#[test]
fn unique_change() {
    let new = users_with(|t| {
        t.uniques.clear();
        t.uniques.push(UniqueConstraint {
            name: unique_name("users", &["last_name", "first_name"]),
            columns: vec!["last_name".into(), "first_name".into()],
        });
    });
    snapshot("sqlite_unique", &[users()], &[new]);
}

#[test]
fn foreign_key_changes_rebuild_the_referencing_table_only() {
    let editors = table_with_id("editors");
    let mut old = posts();
    old.columns.push(nullable("editors_id", ColumnType::BigInt));
    let mut new = old.clone();
    new.foreign_keys[0].on_delete = FkAction::Cascade;
    new.foreign_keys.push(fk("posts", &["editors_id"], "editors", &["id"]));
    let text = snapshot(
        "sqlite_foreign_key",
        &[users(), editors.clone(), old],
        &[users(), editors, new],
    );
    assert!(!text.contains("__model_old_users"), "{text}");
}

#[test]
fn a_referenced_table_drags_cascading_tables_along() {
    // post_tags says ON DELETE CASCADE to posts: rebuilding posts alone would empty it.
    let all = |p: Table| vec![users(), p, tags(), post_tags()];
    let mut new = posts();
    column(&mut new, "users_id").nullable = true;
    let text = snapshot("sqlite_cascade", &all(posts()), &all(new));
    assert!(text.contains("__model_old_post_tags"), "{text}");
    assert!(!text.contains("__model_old_tags"), "{text}");
}

#[test]
fn rename_table() {
    snapshot("sqlite_rename_table", &[users(), posts()], &renamed_users_and_posts());
}

#[test]
fn index_rename_is_a_drop_and_a_create() {
    let new = users_with(|t| t.indexes[0].name = "ix_people_names".into());
    let text = snapshot("sqlite_rename_index", &[users()], &[new]);
    assert!(!text.contains("__model_old"), "{text}");
}

/// The migration `old → new` on `dialect` without allowing data loss, `None` when there is none.
fn maybe_plan(old: &[Table], new: &[Table], dialect: Dialect) -> Option<crate::plan::Migration> {
    let (old, new) = (
        crate::ir::Schema::new(old.to_vec()),
        crate::ir::Schema::new(new.to_vec()),
    );
    crate::plan::plan_migration(&old, &new, dialect, false).expect("plan")
}

#[test]
fn changes_sqlite_cannot_see_write_nothing() {
    // a VARCHAR length, an integer width (on a column other tables reference), bool → integer,
    // VARCHAR → TEXT, a date → text, comments: all the same thing in a SQLite file
    let new = users_with(|t| {
        column(t, "email").ty = ColumnType::Varchar { len: 100 };
        column(t, "id").ty = ColumnType::Integer;
        column(t, "first_name").ty = ColumnType::Varchar { len: 20 };
        column(t, "first_name").comment = Some("given".into());
        t.comment = Some("someone".into());
    });
    let mut post = posts();
    post.columns.push(col("at", ColumnType::Date));
    let mut post_new = post.clone();
    post_new.columns[1].ty = ColumnType::Integer;
    post_new.columns[2].ty = ColumnType::Text;
    assert!(maybe_plan(
        &[users(), post.clone()],
        &[new.clone(), post_new.clone()],
        Dialect::Sqlite
    )
    .is_none());
    // PostgreSQL sees every one (narrowing: refused without permission)
    let pg = crate::plan::plan_migration(
        &crate::ir::Schema::new(vec![users(), post.clone()]),
        &crate::ir::Schema::new(vec![new.clone(), post_new.clone()]),
        Dialect::Postgres,
        false,
    );
    assert!(pg.is_err(), "{pg:?}");
}

#[test]
fn a_visible_change_beside_invisible_ones_is_all_the_migration_says() {
    let new = users_with(|t| {
        column(t, "email").ty = ColumnType::Varchar { len: 100 };
        column(t, "first_name").comment = Some("given".into());
        t.columns.push(nullable("nickname", ColumnType::Varchar { len: 30 }));
    });
    let m = maybe_plan(&[users()], std::slice::from_ref(&new), Dialect::Sqlite).expect("a migration");
    insta::assert_snapshot!("sqlite_invisible_beside_visible", files(&m));
    assert_eq!(m.ops.len(), 1, "{:?}", m.ops);
    assert!(!m.up_sql.contains("__model_old"), "no rebuild: {}", m.up_sql);
}

#[test]
fn two_spellings_of_one_mysql_type_are_no_change() {
    let token = |ty: ColumnType| {
        let mut t = table_with_id("tokens");
        t.columns.push(col("token", ty));
        t
    };
    let binary16 = ColumnType::Custom {
        sql: "binary(16)".into(),
    };
    for (from, to) in [
        (ColumnType::Uuid, binary16.clone()),
        (binary16, ColumnType::Uuid),
        (ColumnType::Timestamp, ColumnType::Timestamptz),
        (
            ColumnType::Bool,
            ColumnType::Custom {
                sql: "tinyint(1)".into(),
            },
        ),
    ] {
        assert!(
            maybe_plan(&[token(from.clone())], &[token(to.clone())], Dialect::Mysql).is_none(),
            "{from:?} -> {to:?}"
        );
    }
    // a real change between them is one (and UUID → BLOB is data loss on MySQL: a conversion)
    let e = crate::plan::plan_migration(
        &crate::ir::Schema::new(vec![token(ColumnType::Uuid)]),
        &crate::ir::Schema::new(vec![token(ColumnType::Custom {
            sql: "binary(20)".into(),
        })]),
        Dialect::Mysql,
        false,
    );
    assert!(e.is_err(), "{e:?}");
}
