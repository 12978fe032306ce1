use super::*;
use crate::ir::{Column, ColumnType, Table};
use crate::ops::fixtures::{col, fk, mutual, nullable, posts, users};

fn schema(tables: &[Table]) -> Schema {
    Schema::new(tables.to_vec())
}

fn cycle_ops() -> Vec<Op> {
    let [authors, mut books]: [_; 2] = mutual().try_into().unwrap();
    let closing = books.foreign_keys.remove(0);
    vec![
        Op::CreateTable { table: books },
        Op::CreateTable { table: authors },
        Op::AddForeignKey {
            table: "books".into(),
            fk: closing,
        },
    ]
}

#[test]
fn folds_foreign_keys_into_create_table() {
    let steps = adapt(&cycle_ops(), &Schema::default(), &schema(&mutual())).unwrap();
    let [authors, books]: [_; 2] = mutual().try_into().unwrap();
    assert_eq!(
        steps.ops,
        [Op::CreateTable { table: books }, Op::CreateTable { table: authors }]
    );
    assert!(steps.preamble.is_empty());
    assert_eq!(steps.rebuild, None);
}

#[test]
fn drops_foreign_keys_with_their_table_and_defers_checks() {
    let down: Vec<Op> = cycle_ops().iter().rev().map(Op::reverse).collect();
    let steps = adapt(&down, &schema(&mutual()), &Schema::default()).unwrap();
    assert_eq!(steps.ops.len(), 2);
    assert!(steps.ops.iter().all(|o| matches!(o, Op::DropTable { .. })));
    assert_eq!(steps.preamble[0].1, "PRAGMA defer_foreign_keys = ON");
    assert_eq!(steps.rebuild, None);
}

#[test]
fn foreign_key_changes_on_kept_tables_rebuild_them() {
    let mut new = posts();
    new.columns.push(nullable("editor_id", ColumnType::BigInt));
    let old = new.clone();
    new.foreign_keys.push(fk("posts", &["editor_id"], "users", &["id"]));
    let add = Op::AddForeignKey {
        table: "posts".into(),
        fk: new.foreign_keys[1].clone(),
    };
    let steps = adapt(
        std::slice::from_ref(&add),
        &schema(&[users(), old]),
        &schema(&[users(), new]),
    )
    .unwrap();
    assert!(steps.ops.is_empty());
    let rebuild = steps.rebuild.unwrap();
    assert_eq!(rebuild.ops, [add]);
    assert_eq!(rebuild.at, 0);
    assert_eq!(steps.preamble.len(), 1);
}

#[test]
fn dropping_a_foreign_key_of_a_kept_table_rebuilds_it() {
    // Found by the property test: SQLite refuses `DROP COLUMN` on a column a foreign key still uses,
    // and has no way to drop the foreign key alone.
    let mut old = posts();
    old.columns.push(nullable("editor_id", ColumnType::BigInt));
    old.foreign_keys.push(fk("posts", &["editor_id"], "users", &["id"]));
    let m = crate::plan::plan_migration(
        &schema(&[users(), old]),
        &schema(&[users(), posts()]),
        Dialect::Sqlite,
        true,
    )
    .unwrap()
    .unwrap();
    assert!(!m.up_sql.contains("DROP COLUMN"), "{}", m.up_sql);
    assert!(m.up_sql.contains("rebuild \"posts\""), "{}", m.up_sql);
}

/// Create `old`, then run the migration to `new`, its down and its up again, in the `sqlite3` shell
/// with foreign keys enforced, each file in a transaction as Diesel runs it.
fn up_down_up(old: &[Table], new: &[Table], allow_data_loss: bool) {
    let create = crate::plan::plan_migration(&Schema::default(), &schema(old), Dialect::Sqlite, false)
        .unwrap()
        .unwrap();
    let m = crate::plan::plan_migration(&schema(old), &schema(new), Dialect::Sqlite, allow_data_loss)
        .unwrap()
        .unwrap();
    let script = [&create.up_sql, &m.up_sql, &m.down_sql, &m.up_sql]
        .map(|s| format!("BEGIN;\n{s}COMMIT;\n"))
        .concat();
    crate::test_shell::shell(
        "sqlite3",
        &["-bail", ":memory:"],
        &format!("PRAGMA foreign_keys = ON;\n{script}"),
    )
    .unwrap();
}

#[test]
fn renaming_an_indexed_column_runs_up_and_down() {
    // Found by the property test: the index renamed with its column was created again at the rename
    // step, where in down.sql the column still had its new name.
    let mut old = users();
    old.columns.push(col("c2", ColumnType::Integer));
    old.indexes.push(crate::ops::fixtures::index("users", &["c2"], false));
    let mut new = users();
    new.columns.push(Column {
        renamed_from: Some("c2".into()),
        ..col("c3", ColumnType::Integer)
    });
    new.indexes.push(crate::ops::fixtures::index("users", &["c3"], false));
    up_down_up(&[old], &[new], false);
}

#[test]
fn renaming_a_table_with_an_index_runs_up_and_down() {
    // Found by the property test: down.sql created the index again on the table's new name after it
    // had its old name back.
    let mut old = users();
    old.indexes.push(crate::ops::fixtures::index("users", &["id"], false));
    let mut new = users();
    new.name = "people".into();
    new.renamed_from = Some("users".into());
    new.primary_key.as_mut().unwrap().name = crate::ir::pk_name("people");
    new.indexes.push(crate::ops::fixtures::index("people", &["id"], false));
    up_down_up(&[old], &[new], false);
}

#[test]
fn dropping_a_referenced_table_with_its_foreign_key_runs_up_and_down() {
    // Found by the property test: down.sql rebuilt "posts" with its foreign key to "users" before
    // creating "users" again, and SQLite refuses to copy rows into a table whose key names a missing
    // table.
    let mut kept = posts();
    kept.foreign_keys.clear();
    kept.columns.retain(|c| c.name != "users_id");
    up_down_up(&[users(), posts()], &[kept], true);
}

#[test]
fn renaming_a_referenced_table_and_dropping_its_column_runs_up_and_down() {
    // Found by the property test (2,000 cases): down.sql rebuilt the referencing table, whose key
    // names the table's old name again, before that table was renamed back.
    use crate::ops::fixtures::{referencing, table_with_id};
    let mut parent = table_with_id("t1");
    // a column SQLite can add back natively (it has a default), so down.sql renames "t6" back natively
    parent.columns.push(Column {
        default: Some(crate::ir::DefaultValue::Literal(crate::ir::Literal::Int(7))),
        ..col("c2", ColumnType::Integer)
    });
    let old = [parent, referencing(table_with_id("t3"), "t1", true)];
    let mut renamed = table_with_id("t6");
    renamed.renamed_from = Some("t1".into());
    let new = [renamed, referencing(table_with_id("t3"), "t6", true)];
    let mut new_child = new[1].clone();
    // keep the column name of the old model: only the key's target and name change
    new_child.columns[1].name = "t1_id".into();
    new_child.foreign_keys[0].columns = vec!["t1_id".into()];
    new_child.foreign_keys[0].name = crate::ir::fk_name("t3", &["t1_id"], "t6");
    up_down_up(&old, &[new[0].clone(), new_child], true);
}

#[test]
fn a_change_of_a_table_outside_the_schemas_is_refused() {
    let alter = Op::AlterColumn {
        table: "t".into(),
        from: nullable("a", ColumnType::Text),
        to: col("a", ColumnType::Text),
    };
    let err = adapt(std::slice::from_ref(&alter), &Schema::default(), &Schema::default()).unwrap_err();
    assert!(err.to_string().contains("its table is not in the schemas"), "{err}");
}

#[test]
fn native_ops_stay() {
    let native = vec![
        Op::RenameTable {
            from: "a".into(),
            to: "b".into(),
        },
        Op::SetTableComment {
            table: "b".into(),
            from: None,
            to: Some("x".into()),
        },
    ];
    let steps = adapt(&native, &schema(&[Table::new("a")]), &schema(&[Table::new("b")])).unwrap();
    assert_eq!(steps.ops, native);
    assert_eq!(steps.rebuild, None);
}

#[test]
fn the_rowid_key_is_unnamed_so_its_rename_is_nothing() {
    let mut people = users();
    people.name = "people".into();
    people.primary_key.as_mut().unwrap().name = "pk_people".into();
    let rename = Op::RenameConstraint {
        table: "people".into(),
        from: "pk_users".into(),
        to: "pk_people".into(),
    };
    let steps = adapt(std::slice::from_ref(&rename), &schema(&[users()]), &schema(&[people])).unwrap();
    assert!(steps.ops.is_empty());
    assert_eq!(steps.rebuild, None);
}

#[test]
fn the_block_runs_after_renames_and_created_tables_and_before_dropped_tables() {
    let mut new = users();
    new.columns[1].nullable = true;
    let ops = vec![
        Op::RenameTable {
            from: "a".into(),
            to: "b".into(),
        },
        Op::DropTable { table: Table::new("d") },
        Op::AlterColumn {
            table: "users".into(),
            from: users().columns[1].clone(),
            to: new.columns[1].clone(),
        },
        Op::CreateTable { table: Table::new("c") },
    ];
    let from = schema(&[users(), Table::new("a"), Table::new("d")]);
    let to = schema(&[new, Table::new("b"), Table::new("c")]);
    let steps = adapt(&ops, &from, &to).unwrap();
    let kinds: Vec<String> = steps.ops.iter().map(Op::describe).collect();
    assert_eq!(
        kinds,
        [
            r#"rename table "a" to "b""#,
            r#"create table "c""#,
            r#"drop table "d" (its rows are lost)"#
        ]
    );
    assert_eq!(steps.rebuild.unwrap().at, 2);
}
