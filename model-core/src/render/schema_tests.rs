//! PostgreSQL schemas in the DDL: tables, indexes, foreign keys, moves and renames qualified.

use crate::ir::{Column, ColumnType, Dialect, Index, Schema, Table};
use crate::ops::fixtures::{posts, users};
use crate::plan::{plan_change, plan_migration, PlanOptions};

fn in_schema(mut t: Table, schema: &str) -> Table {
    t.schema = Some(schema.into());
    t
}

/// `users` in schema `crm`, `posts` (referencing users) in schema `blog`.
fn two_schemas() -> Schema {
    Schema::new(vec![in_schema(users(), "crm"), in_schema(posts(), "blog")])
}

fn up_and_down(old: &Schema, new: &Schema) -> String {
    let m = plan_migration(old, new, Dialect::Postgres, true).unwrap().unwrap();
    format!("{}\n{}", m.up_sql, m.down_sql)
}

#[test]
fn create_tables_in_two_schemas_with_a_foreign_key_across() {
    insta::assert_snapshot!(up_and_down(&Schema::default(), &two_schemas()));
}

#[test]
fn move_and_rename_a_table() {
    let old = two_schemas();
    let mut new = old.clone();
    let p = new.tables.iter_mut().find(|t| t.name == "posts").unwrap();
    p.name = "articles".into();
    p.renamed_from = Some("posts".into());
    p.schema = Some("archive".into());
    insta::assert_snapshot!(up_and_down(&old, &Schema::new(new.tables)));
}

#[test]
fn move_back_to_the_default_schema_and_change_columns() {
    let old = two_schemas();
    let mut new = old.clone();
    let u = new.tables.iter_mut().find(|t| t.name == "users").unwrap();
    u.schema = None;
    u.columns.push(Column {
        nullable: true,
        ..Column::new("nickname", ColumnType::Text)
    });
    u.indexes.clear();
    insta::assert_snapshot!(up_and_down(&old, &Schema::new(new.tables)));
}

#[test]
fn online_index_on_a_table_in_a_schema() {
    let old = two_schemas();
    let mut new = old.clone();
    let p = new.tables.iter_mut().find(|t| t.name == "posts").unwrap();
    p.indexes.push(Index {
        name: "ix_posts_users_id".into(),
        columns: vec!["users_id".into()],
        unique: false,
        where_sql: None,
    });
    let parts = plan_change(&old, &Schema::new(new.tables), &PlanOptions::new(Dialect::Postgres))
        .unwrap()
        .unwrap();
    let text: Vec<String> = parts
        .iter()
        .map(|p| format!("{}\n{}", p.migration.up_sql, p.migration.down_sql))
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}

#[test]
fn tables_without_a_schema_are_written_as_before() {
    let plain = Schema::new(vec![users(), posts()]);
    let m = plan_migration(&Schema::default(), &plain, Dialect::Postgres, false)
        .unwrap()
        .unwrap();
    assert!(
        !m.up_sql.contains("SCHEMA") && m.up_sql.contains(r#"CREATE TABLE "users""#),
        "{}",
        m.up_sql
    );
    let json = serde_json::to_string(&plain.tables[0]).unwrap();
    assert!(!json.contains("schema"), "{json}");
}
