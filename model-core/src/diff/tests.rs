use super::{diff, DiffError};
use crate::ir::{ColumnType, Schema, Table};
use crate::ops::fixtures::{col, kitchen_sink, tags, users};
use crate::ops::Op;

fn names(ops: &[Op]) -> Vec<String> {
    ops.iter().map(Op::describe).collect()
}

#[test]
fn creates_new_tables_with_their_indexes() {
    let ops = diff(&Schema::default(), &Schema::new(vec![users(), tags()])).unwrap();
    assert_eq!(
        names(&ops),
        [
            r#"create table "tags""#,
            r#"create table "users""#,
            r#"create index "ix_users_last_name_first_name" on "users""#,
        ]
    );
    match &ops[1] {
        Op::CreateTable { table } => assert!(table.indexes.is_empty(), "indexes are separate ops"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn drops_are_the_reversed_reverse_of_creating() {
    let schema = Schema::new(vec![kitchen_sink(), tags()]);
    let mut undo: Vec<Op> = diff(&Schema::default(), &schema)
        .unwrap()
        .iter()
        .map(Op::reverse)
        .collect();
    undo.reverse();
    let drops = diff(&schema, &Schema::default()).unwrap();
    assert_eq!(drops.len(), undo.len());
    // Same ops; tables in name order, each table's indexes last-first before its drop.
    for op in &undo {
        assert!(drops.contains(op), "{}", op.describe());
    }
    assert_eq!(
        names(&drops),
        [
            r#"drop index "ix_kitchen_sink_live" on "kitchen_sink""#,
            r#"drop unique index "ux_kitchen_sink_body" on "kitchen_sink""#,
            r#"drop index "ix_kitchen_sink_big_medium" on "kitchen_sink""#,
            r#"drop table "kitchen_sink" (its rows are lost)"#,
            r#"drop table "tags" (its rows are lost)"#,
        ]
    );
}

#[test]
fn equal_schemas_give_nothing() {
    let s = Schema::new(vec![users(), kitchen_sink()]);
    assert_eq!(diff(&s, &s).unwrap(), []);
}

#[test]
fn changing_an_existing_table_is_unsupported_and_names_the_change() {
    let mut changed = users();
    changed.columns.push(col("age", ColumnType::Integer));
    let err = diff(&Schema::new(vec![users()]), &Schema::new(vec![changed])).unwrap_err();
    assert_eq!(
        err,
        DiffError::Unsupported {
            table: "users".into(),
            change: "column \"age\" added".into()
        }
    );
    insta::assert_snapshot!(err.to_string(), @r#"changing table "users" (column "age" added) is not supported yet: this version only creates and drops whole tables; undo that change in the model, or write the migration by hand"#);
}

#[test]
fn renaming_a_table_is_unsupported() {
    let mut renamed = users();
    renamed.name = "people".into();
    renamed.renamed_from = Some("users".into());
    let err = diff(&Schema::new(vec![users()]), &Schema::new(vec![renamed])).unwrap_err();
    assert_eq!(
        err,
        DiffError::Unsupported {
            table: "people".into(),
            change: "renamed from \"users\"".into()
        }
    );
}

#[test]
fn a_rename_hint_left_in_place_is_a_no_op() {
    let mut kept = users();
    kept.renamed_from = Some("people".into());
    let old = Schema::new(vec![users()]);
    assert_eq!(diff(&old, &Schema::new(vec![kept.clone()])).unwrap(), []);
    // A first migration with a hint creates the table.
    let ops = diff(&Schema::default(), &Schema::new(vec![kept])).unwrap();
    assert!(matches!(&ops[0], Op::CreateTable { table } if table.name == "users"));
}

#[test]
fn duplicate_tables_are_an_error() {
    let s = Schema {
        tables: vec![Table::new("t"), Table::new("t")],
    };
    let err = diff(&Schema::default(), &s).unwrap_err();
    assert_eq!(
        err.to_string(),
        "table \"t\" is declared twice: give one of the models another `table_name`"
    );
}

#[test]
fn output_is_deterministic_whatever_the_input_order() {
    let a = Schema {
        tables: vec![users(), tags(), kitchen_sink()],
    };
    let b = Schema {
        tables: vec![kitchen_sink(), users(), tags()],
    };
    assert_eq!(
        diff(&Schema::default(), &a).unwrap(),
        diff(&Schema::default(), &b).unwrap()
    );
}
