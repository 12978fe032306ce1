//! One PostgreSQL snapshot of `up.sql` and `down.sql` per change kind.

use super::{column, files, plan, renamed_users_and_posts, users_with};
use crate::ir::{
    check_name, index_name, pk_name, unique_name, Check, ColumnType, DefaultValue, Dialect, FkAction, Index, Literal,
    PrimaryKey, Table, UniqueConstraint,
};
use crate::ops::fixtures::{col, fk, index, nullable, post_tags, posts, table_with_id, users};

fn snapshot(scenario: &str, old: &[Table], new: &[Table]) {
    insta::assert_snapshot!(scenario, files(&plan(old, new, Dialect::Postgres)));
}

#[test]
fn add_column() {
    let new = users_with(|t| t.columns.push(nullable("nickname", ColumnType::Text)));
    snapshot("kind_add_column", &[users()], &[new]);
}

#[test]
fn drop_column() {
    let old = users_with(|t| t.columns.push(nullable("nickname", ColumnType::Text)));
    snapshot("kind_drop_column", &[old], &[users()]);
}

#[test]
fn rename_column() {
    let new = users_with(|t| {
        let c = column(t, "first_name");
        c.name = "given_name".into();
        c.renamed_from = Some("first_name".into());
        t.indexes[0].columns[1] = "given_name".into();
        t.indexes[0].name = index_name("users", &["last_name", "given_name"], false);
    });
    snapshot("kind_rename_column", &[users()], &[new]);
}

#[test]
fn rename_table() {
    snapshot("kind_rename_table", &[users(), posts()], &renamed_users_and_posts());
}

#[test]
fn type_change() {
    let new = users_with(|t| {
        column(t, "email").ty = ColumnType::Text;
        column(t, "last_name").ty = ColumnType::Varchar { len: 100 };
    });
    snapshot("kind_type_change", &[users()], &[new]);
}

#[test]
fn type_change_under_foreign_keys() {
    let mut old_users = users();
    column(&mut old_users, "id").ty = ColumnType::Integer;
    let mut old_posts = posts();
    column(&mut old_posts, "users_id").ty = ColumnType::Integer;
    snapshot("kind_type_change_fk", &[old_users, old_posts], &[users(), posts()]);
}

#[test]
fn nullability_both_ways() {
    let old = users_with(|t| column(t, "last_name").nullable = true);
    let new = users_with(|t| column(t, "first_name").nullable = true);
    snapshot("kind_nullability", &[old], &[new]);
}

#[test]
fn defaults_set_change_drop() {
    let lit = |s: &str| Some(DefaultValue::Literal(Literal::Str(s.into())));
    let old = users_with(|t| {
        column(t, "first_name").default = lit("Ann");
        column(t, "last_name").default = Some(DefaultValue::Sql("upper('x')".into()));
    });
    let new = users_with(|t| {
        column(t, "email").default = lit("it's@example.com");
        column(t, "first_name").default = Some(DefaultValue::Sql("lower('A')".into()));
    });
    snapshot("kind_defaults", &[old], &[new]);
}

#[test]
fn identity_on_and_off() {
    let plain = users_with(|t| column(t, "id").identity = false);
    snapshot("kind_identity_on", std::slice::from_ref(&plain), &[users()]);
    snapshot("kind_identity_off", &[users()], &[plain]);
}

#[test]
fn column_comment() {
    let new = users_with(|t| column(t, "email").comment = Some("Where we write; it's unique.".into()));
    snapshot("kind_column_comment", &[users()], &[new]);
}

#[test]
fn table_comment() {
    let new = users_with(|t| t.comment = Some("A person who signed up.".into()));
    snapshot("kind_table_comment", &[users()], &[new]);
}

#[test]
fn primary_key_change() {
    let mut new = post_tags();
    new.primary_key = Some(PrimaryKey {
        name: pk_name("post_tags"),
        columns: vec!["tag_id".into(), "post_id".into()],
    });
    snapshot("kind_primary_key", &[post_tags()], &[new]);
}

#[test]
fn unique_add_and_drop() {
    let new = users_with(|t| {
        t.uniques.clear();
        t.uniques.push(UniqueConstraint {
            name: unique_name("users", &["last_name", "first_name"]),
            columns: vec!["last_name".into(), "first_name".into()],
        });
    });
    snapshot("kind_unique", &[users()], &[new]);
}

#[test]
fn index_add_drop_change() {
    let old = users_with(|t| t.indexes.push(index("users", &["email"], false)));
    let new = users_with(|t| {
        t.indexes[0].unique = true;
        t.indexes[0].name = index_name("users", &["last_name", "first_name"], true);
        t.indexes.push(Index {
            name: "ix_users_gmail".into(),
            where_sql: Some("email LIKE '%@gmail.com'".into()),
            ..index("users", &["first_name"], false)
        });
    });
    snapshot("kind_index", &[old], &[new]);
}

#[test]
fn foreign_key_add_drop_change() {
    let editors = table_with_id("editors");
    let mut old = posts();
    old.columns.push(col("editors_id", ColumnType::BigInt));
    let mut new = old.clone();
    // Change of actions, and a new foreign key; the old one to editors is dropped.
    new.foreign_keys[0].on_delete = FkAction::Cascade;
    new.foreign_keys[0].on_update = FkAction::SetDefault;
    old.foreign_keys.push(fk("posts", &["editors_id"], "editors", &["id"]));
    new.columns.push(nullable("reviewer_id", ColumnType::BigInt));
    let mut reviewer = fk("posts", &["reviewer_id"], "users", &["id"]);
    reviewer.on_delete = FkAction::SetNull;
    new.foreign_keys.push(reviewer);
    snapshot(
        "kind_foreign_key",
        &[users(), editors.clone(), old],
        &[users(), editors.clone(), new],
    );
    // Change of target.
    let retarget = |to: &str| {
        let mut p = posts();
        p.foreign_keys[0] = fk("posts", &["users_id"], to, &["id"]);
        p
    };
    snapshot(
        "kind_foreign_key_target",
        &[users(), editors.clone(), retarget("users")],
        &[users(), editors, retarget("editors")],
    );
}

#[test]
fn check_add_drop_change() {
    let ck = |name: &str, sql: &str| Check {
        name: check_name("users", name),
        sql: sql.into(),
    };
    let old = users_with(|t| {
        t.checks
            .extend([ck("has_at", "email LIKE '%@%'"), ck("named", "first_name <> ''")])
    });
    let new = users_with(|t| {
        t.checks.extend([
            ck("has_at", "position('@' in email) > 1"),
            ck("short", "length(email) < 200"),
        ])
    });
    snapshot("kind_check", &[old], &[new]);
}
