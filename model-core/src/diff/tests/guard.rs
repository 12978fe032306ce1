use crate::diff::{diff, guard, DiffError};
use crate::ir::{ColumnType, DefaultValue, Literal, Schema, Table};
use crate::ops::fixtures::{col, nullable, tags, users};
use crate::order::order;

fn check(old: &[Table], new: &[Table], allow: bool) -> Result<(), DiffError> {
    let ops = order(diff(&Schema::new(old.to_vec()), &Schema::new(new.to_vec()))?);
    guard(&ops, allow)
}

/// `users` with `first_name` renamed to `given_name` without a hint.
fn unhinted_rename() -> Table {
    let mut t = users();
    t.columns[2].name = "given_name".into();
    t.indexes.clear();
    t
}

#[test]
fn not_null_without_default_is_refused_even_when_data_loss_is_allowed() {
    let mut t = users();
    t.columns.push(col("age", ColumnType::Integer));
    let err = check(&[users()], &[t], true).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @r#"
    a NOT NULL column without a default cannot be added to an existing table:
      - table "users" may have rows: give "age" a default (`default = ...` / `default_sql = ...`), or make it `Option<T>` now and NOT NULL in a later change after filling it
    "#);
}

#[test]
fn not_null_with_a_default_or_nullable_or_identity_is_fine() {
    let with = |c| {
        let mut t = users();
        t.columns.push(c);
        t
    };
    let defaulted = crate::ir::Column {
        default: Some(DefaultValue::Literal(Literal::Int(0))),
        ..col("age", ColumnType::Integer)
    };
    let identity = crate::ir::Column {
        identity: true,
        ..col("seq", ColumnType::BigInt)
    };
    for c in [defaulted, nullable("age", ColumnType::Integer), identity] {
        assert_eq!(check(&[users()], &[with(c)], false), Ok(()));
    }
    // A new table may have NOT NULL columns without defaults: it has no rows.
    assert_eq!(check(&[], &[users()], false), Ok(()));
}

#[test]
fn an_unhinted_rename_of_a_not_null_column_suggests_renamed_from() {
    let err = check(&[users()], &[unhinted_rename()], true).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @r#"
    a NOT NULL column without a default cannot be added to an existing table:
      - table "users" may have rows: give "given_name" a default (`default = ...` / `default_sql = ...`), or make it `Option<T>` now and NOT NULL in a later change after filling it
    if this is a rename:
      - add #[model(renamed_from = "first_name")] to field `given_name` of table "users" to rename it and keep its data
    "#);
}

#[test]
fn data_loss_lists_each_change_and_suggests_renames() {
    let mut t = unhinted_rename();
    t.columns[2].nullable = true;
    let err = check(&[users()], &[t.clone()], false).unwrap_err();
    let DiffError::DataLoss { changes, suggestions } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(changes, &[r#"drops column "first_name" of "users" and all its values"#]);
    assert_eq!(suggestions.len(), 1);
    insta::assert_snapshot!(err.to_string(), @r#"
    this migration would lose data:
      - drops column "first_name" of "users" and all its values
    set MODEL_ALLOW_DATA_LOSS=1 to write it anyway (up.sql then says above each such statement what is lost)
    if this is a rename:
      - add #[model(renamed_from = "first_name")] to field `given_name` of table "users" to rename it and keep its data
    "#);
    assert_eq!(check(&[users()], &[t], true), Ok(()));
}

#[test]
fn an_unhinted_table_rename_suggests_renamed_from() {
    let mut labels = tags();
    labels.name = "labels".into();
    labels.primary_key.as_mut().unwrap().name = "pk_labels".into();
    let err = check(&[tags()], &[labels], false).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @r#"
    this migration would lose data:
      - drops table "tags" and all its rows
    set MODEL_ALLOW_DATA_LOSS=1 to write it anyway (up.sql then says above each such statement what is lost)
    if this is a rename:
      - add #[model(renamed_from = "tags")] to the model of table "labels" to rename it and keep its rows
    "#);
}

#[test]
fn narrowing_a_type_is_data_loss_widening_is_not() {
    let mut narrow = users();
    narrow.columns[1].ty = ColumnType::Varchar { len: 100 };
    assert!(
        matches!(check(&[users()], &[narrow], false), Err(DiffError::DataLoss { suggestions, .. }) if suggestions.is_empty())
    );
    let mut wide = users();
    wide.columns[1].ty = ColumnType::Text;
    assert_eq!(check(&[users()], &[wide], false), Ok(()));
}
