use super::{changes, ordered};
use crate::ir::{fk_name, pk_name, ColumnType, FkAction, PrimaryKey, Table, UniqueConstraint};
use crate::ops::fixtures::{categories, col, fk, posts, table_with_id, users};
use crate::ops::Op;

fn posts_with(f: impl Fn(&mut Table)) -> Table {
    let mut t = posts();
    f(&mut t);
    t
}

/// `editors`, a second table posts can reference.
fn editors() -> Table {
    table_with_id("editors")
}

#[test]
fn add_and_drop() {
    let bare = posts_with(|t| t.foreign_keys.clear());
    assert_eq!(
        ordered(&[users(), bare.clone()], &[users(), posts()]),
        [Op::AddForeignKey {
            table: "posts".into(),
            fk: posts().foreign_keys[0].clone()
        }]
    );
    assert_eq!(
        changes(&[users(), posts()], &[users(), bare]),
        [r#"drop foreign key "fk_posts_users_id_users" on "posts" referencing "users""#]
    );
}

#[test]
fn change_of_actions_is_a_drop_and_an_add() {
    let cascade = posts_with(|t| {
        t.foreign_keys[0].on_delete = FkAction::Cascade;
        t.foreign_keys[0].on_update = FkAction::Restrict;
    });
    let ops = ordered(&[users(), posts()], &[users(), cascade.clone()]);
    assert_eq!(
        ops,
        [
            Op::DropForeignKey {
                table: "posts".into(),
                fk: posts().foreign_keys[0].clone()
            },
            Op::AddForeignKey {
                table: "posts".into(),
                fk: cascade.foreign_keys[0].clone()
            },
        ]
    );
}

#[test]
fn change_of_target() {
    let to_editors = posts_with(|t| t.foreign_keys = vec![fk("posts", &["users_id"], "editors", &["id"])]);
    assert_eq!(
        changes(&[users(), editors(), posts()], &[users(), editors(), to_editors]),
        [
            r#"drop foreign key "fk_posts_users_id_users" on "posts" referencing "users""#,
            r#"add foreign key "fk_posts_users_id_editors" on "posts" referencing "editors""#,
        ]
    );
}

#[test]
fn retyping_a_referenced_column_drops_and_re_adds_the_foreign_keys() {
    let int_users = {
        let mut u = users();
        u.columns[0].ty = ColumnType::Integer;
        u
    };
    let int_posts = posts_with(|t| t.columns[1].ty = ColumnType::Integer);
    let mut int_categories = categories();
    int_categories.columns[0].ty = ColumnType::Integer;
    assert_eq!(
        changes(
            &[int_users, int_posts, int_categories],
            &[users(), posts(), categories()]
        ),
        [
            r#"drop foreign key "fk_posts_users_id_users" on "posts" referencing "users""#,
            r#"drop foreign key "fk_categories_parent_id_categories" on "categories" referencing "categories""#,
            r#"alter column "id" of "categories": type INTEGER → BIGINT"#,
            r#"alter column "users_id" of "posts": type INTEGER → BIGINT"#,
            r#"alter column "id" of "users": type INTEGER → BIGINT"#,
            r#"add foreign key "fk_categories_parent_id_categories" on "categories" referencing "categories""#,
            r#"add foreign key "fk_posts_users_id_users" on "posts" referencing "users""#,
        ]
    );
}

#[test]
fn retyping_a_referencing_column_alone_rebuilds_its_foreign_key() {
    let text_ref = posts_with(|t| t.columns[1].nullable = true);
    // Nullability is not a type change: the foreign key stays.
    assert_eq!(
        changes(&[users(), posts()], &[users(), text_ref]),
        [r#"alter column "users_id" of "posts": allow NULL"#]
    );
}

#[test]
fn a_primary_key_change_drops_and_re_adds_the_foreign_keys_to_it() {
    let mut new_users = users();
    new_users.primary_key = Some(PrimaryKey {
        name: "pk_users_by_id".into(),
        columns: vec!["id".into()],
    });
    // Only the name changed: a rename, the foreign key stays.
    assert_eq!(
        changes(&[users(), posts()], &[new_users.clone(), posts()]),
        [r#"rename constraint "pk_users" to "pk_users_by_id" on "users""#]
    );
    // Moved to another column (kept unique by a constraint the foreign key then uses).
    let mut moved = users();
    moved.primary_key = Some(PrimaryKey {
        name: pk_name("users"),
        columns: vec!["email".into()],
    });
    moved.uniques = vec![UniqueConstraint {
        name: "uq_users_id".into(),
        columns: vec!["id".into()],
    }];
    assert_eq!(
        changes(&[users(), posts()], &[moved, posts()]),
        [
            r#"drop foreign key "fk_posts_users_id_users" on "posts" referencing "users""#,
            r#"drop unique constraint "uq_users_email" ("email") from "users""#,
            r#"drop primary key "pk_users" ("id") from "users""#,
            r#"add primary key "pk_users" ("email") to "users""#,
            r#"add unique constraint "uq_users_id" ("id") to "users""#,
            r#"add foreign key "fk_posts_users_id_users" on "posts" referencing "users""#,
        ]
    );
}

#[test]
fn a_new_table_referencing_a_new_key_adds_its_foreign_key_after_the_key() {
    let mut keyed = users();
    keyed.uniques.push(UniqueConstraint {
        name: "uq_users_first_name".into(),
        columns: vec!["first_name".into()],
    });
    let mut notes = table_with_id("notes");
    notes.columns.push(col("author", ColumnType::Text));
    let mut by_name = fk("notes", &["author"], "users", &["first_name"]);
    by_name.name = fk_name("notes", &["author"], "users");
    notes.foreign_keys.push(by_name);
    assert_eq!(
        changes(&[users()], &[keyed.clone(), notes.clone()]),
        [
            r#"create table "notes""#,
            r#"add unique constraint "uq_users_first_name" ("first_name") to "users""#,
            r#"add foreign key "fk_notes_author_users" on "notes" referencing "users""#,
        ]
    );
    // And the reverse: the dropped table lets go of the key before it is dropped.
    assert_eq!(
        changes(&[keyed, notes], &[users()]),
        [
            r#"drop foreign key "fk_notes_author_users" on "notes" referencing "users""#,
            r#"drop unique constraint "uq_users_first_name" ("first_name") from "users""#,
            r#"drop table "notes" (its rows are lost)"#,
        ]
    );
}
