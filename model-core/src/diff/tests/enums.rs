//! Enum types: created before and dropped after their columns, renamed, values renamed, added,
//! removed; each change replayed up and down on the model of the database (types included).

use super::{changes, ordered};
use crate::diff::{diff, DiffError};
use crate::ir::{Column, ColumnType, DefaultValue, EnumRename, EnumType, Literal, Schema, Table};
use crate::ops::fixtures::{col, table_with_id};
use crate::ops::Op;

fn ty(name: &str, values: &[&str]) -> EnumType {
    EnumType::new(name, values.iter().copied())
}

/// `table` (id, `status` of type `t` with default `'draft'`).
fn with_status(table: &str, t: EnumType) -> Table {
    let mut tab = table_with_id(table);
    tab.columns.push(Column {
        default: Some(DefaultValue::Literal(Literal::Str("draft".into()))),
        ..col("status", ColumnType::Enum(t))
    });
    tab
}

fn posts(values: &[&str]) -> Table {
    with_status("posts", ty("post_status", values))
}

#[test]
fn a_type_is_created_before_its_first_table_and_dropped_after_its_last() {
    let t = ty("post_status", &["draft", "published"]);
    assert_eq!(
        ordered(&[], &[posts(&["draft", "published"])])[0],
        Op::CreateEnum { ty: t.clone() }
    );
    assert_eq!(
        changes(&[posts(&["draft", "published"])], &[]),
        [
            r#"drop table "posts" (its rows are lost)"#,
            r#"drop enum type "post_status""#
        ]
    );
    let both = [posts(&["draft", "published"]), with_status("pages", t)];
    assert_eq!(
        changes(&both, &[posts(&["draft", "published"])]),
        [r#"drop table "pages" (its rows are lost)"#],
        "the type stays while a column uses it"
    );
}

#[test]
fn dropping_the_last_column_drops_the_type() {
    let words = changes(&[posts(&["draft"])], &[table_with_id("posts")]);
    assert_eq!(
        words,
        [
            r#"drop column "status" from "posts" (its values are lost)"#,
            r#"drop enum type "post_status""#
        ]
    );
}

#[test]
fn added_values() {
    let ops = ordered(
        &[posts(&["draft", "published"])],
        &[posts(&["draft", "review", "published", "archived"])],
    );
    let words: Vec<String> = ops.iter().map(Op::describe).collect();
    assert_eq!(
        words,
        [
            r#"add value 'review', 'archived' of enum type "post_status""#,
            r#"alter column "status" of "posts": values of enum type "post_status" ('draft', 'published') → ('draft', 'review', 'published', 'archived')"#,
        ]
    );
    assert!(ops.iter().all(|op| op.data_loss().is_none()));
    let Op::ChangeEnumValues { users, .. } = &ops[0] else {
        panic!("{ops:?}")
    };
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].table, "posts");
}

#[test]
fn removed_values_lose_rows_that_hold_them() {
    let ops = ordered(&[posts(&["draft", "archived"])], &[posts(&["draft"])]);
    let loss = ops[0].data_loss().unwrap_or_default();
    assert_eq!(
        loss,
        r#"removes value 'archived' from enum type "post_status": the migration fails if rows still hold it (update or delete those rows first)"#
    );
    assert!(ops[0].reverse().data_loss().is_none());
}

#[test]
fn renamed_values_follow_the_hint_once() {
    let mut new = ty("post_status", &["draft", "in_review"]);
    new.renames.push(EnumRename {
        from: "review".into(),
        to: "in_review".into(),
    });
    let old = posts(&["draft", "review"]);
    let renamed = with_status("posts", new);
    let ops = ordered(&[old], std::slice::from_ref(&renamed));
    assert!(
        matches!(&ops[0], Op::RenameEnumValues { renames, .. } if renames.len() == 1),
        "{ops:?}"
    );
    assert_eq!(ops.len(), 2, "the rename and the column following it: {ops:?}");
    // once applied, the hint is a no-op
    assert!(diff(&Schema::new(vec![renamed.clone()]), &Schema::new(vec![renamed]))
        .unwrap()
        .is_empty());
}

#[test]
fn renamed_type() {
    let mut new = ty("publication_status", &["draft"]);
    new.renamed_from = Some("post_status".into());
    let ops = ordered(&[posts(&["draft"])], &[with_status("posts", new)]);
    assert_eq!(
        ops,
        [Op::RenameEnum {
            from: "post_status".into(),
            to: "publication_status".into()
        }]
    );
}

#[test]
fn renamed_type_and_values_and_added_values_at_once() {
    let mut new = ty("publication_status", &["new", "draft", "in_review", "published"]);
    new.renamed_from = Some("post_status".into());
    new.renames.push(EnumRename {
        from: "review".into(),
        to: "in_review".into(),
    });
    let words = changes(
        &[posts(&["draft", "review", "published"])],
        &[with_status("posts", new)],
    );
    assert_eq!(words.len(), 4, "{words:?}");
    assert_eq!(words[0], r#"rename enum type "post_status" to "publication_status""#);
    assert_eq!(
        words[1],
        r#"rename value 'review' to 'in_review' of enum type "publication_status""#
    );
    assert_eq!(words[2], r#"add value 'new' of enum type "publication_status""#);
}

#[test]
fn a_default_naming_a_changed_value_is_dropped_before_and_set_after() {
    let mut new = posts(&["in_review", "published"]);
    new.columns[1].default = Some(DefaultValue::Literal(Literal::Str("in_review".into())));
    let ops = ordered(&[posts(&["draft", "published"])], &[new]);
    let words: Vec<String> = ops.iter().map(Op::describe).collect();
    assert_eq!(
        words[0], r#"alter column "status" of "posts": drop default"#,
        "{words:?}"
    );
    assert!(
        words[1].starts_with("add value 'in_review' and remove value 'draft'"),
        "{words:?}"
    );
    assert!(words[2].contains("set default"), "{words:?}");
    let Op::ChangeEnumValues { users, .. } = &ops[1] else {
        panic!("{ops:?}")
    };
    assert_eq!(
        users[0].column.default, None,
        "the type's op sees the column without default"
    );
}

#[test]
fn renamed_columns_and_tables_are_carried_under_their_new_names() {
    let mut new = posts(&["draft", "published"]);
    new.name = "articles".into();
    new.renamed_from = Some("posts".into());
    new.primary_key.as_mut().unwrap().name = crate::ir::pk_name("articles");
    new.columns[1].name = "state".into();
    new.columns[1].renamed_from = Some("status".into());
    let ops = ordered(&[posts(&["draft"])], &[new]);
    let users = ops.iter().find_map(|op| match op {
        Op::ChangeEnumValues { users, .. } => Some(users.clone()),
        _ => None,
    });
    let users = users.unwrap_or_default();
    assert_eq!(
        (users[0].table.as_str(), users[0].column.name.as_str()),
        ("articles", "state")
    );
}

#[test]
fn a_text_column_becomes_an_enum() {
    let mut old = table_with_id("posts");
    old.columns.push(col("status", ColumnType::Text));
    let new = Table {
        columns: vec![old.columns[0].clone(), col("status", ColumnType::Enum(ty("s", &["a"])))],
        ..old.clone()
    };
    let ops = ordered(std::slice::from_ref(&old), std::slice::from_ref(&new));
    assert!(matches!(ops[0], Op::CreateEnum { .. }), "{ops:?}");
    assert!(ops[1].data_loss().is_some(), "text may hold other values");
    let back = ordered(&[new], &[old]);
    assert!(back[0].data_loss().is_none(), "every value fits in text");
    assert!(matches!(back[1], Op::DropEnum { .. }), "{back:?}");
}

#[test]
fn one_type_with_two_lists_of_values_is_an_error() {
    let s = Schema::new(vec![
        posts(&["a"]),
        with_status("pages", ty("post_status", &["a", "b"])),
    ]);
    let err = diff(&Schema::default(), &s).unwrap_err();
    assert!(matches!(err, DiffError::EnumConflict { .. }));
    assert_eq!(
        err.to_string(),
        "enum type \"post_status\" has values (a, b) at pages.status but (a) at posts.status: one SQL type has one \
         list of values; give one of the Rust enums another `type_name`"
    );
}

#[test]
fn an_unresolved_enum_is_an_error() {
    let s = Schema::new(vec![with_status("posts", ty("", &[]))]);
    let err = diff(&Schema::default(), &s).unwrap_err();
    assert_eq!(
        err,
        DiffError::UnresolvedEnum {
            table: "posts".into(),
            column: "status".into()
        }
    );
}
