//! Enum types: `up.sql` and `down.sql` per dialect for each change (insta snapshots), and each run
//! through the database shells with rows: create, up, down, up, rows kept.

use super::{files, plan, postgres_run, sqlite_run};
use crate::ir::{Column, ColumnType, DefaultValue, Dialect, EnumRename, EnumType, Literal, Table};
use crate::ops::fixtures::{col, table_with_id};

/// `posts (id, status)`, `status` of type `name` with `values`, default `'draft'`.
fn posts(name: &str, values: &[&str]) -> Table {
    posts_with(name, values, |_| {})
}

fn posts_with(name: &str, values: &[&str], f: impl FnOnce(&mut EnumType)) -> Table {
    let mut t = table_with_id("posts");
    let mut ty = EnumType::new(name, values.iter().copied());
    f(&mut ty);
    t.columns.push(Column {
        default: Some(DefaultValue::Literal(Literal::Str("draft".into()))),
        ..col("status", ColumnType::Enum(ty))
    });
    t
}

const BASE: &[&str] = &["draft", "published"];

/// `posts` whose `status` is `TEXT` (default `'draft'`).
fn text_status() -> Table {
    let mut t = posts("post_status", BASE);
    t.columns[1].ty = ColumnType::Text;
    t
}

/// `(scenario, before, after)`.
fn scenarios() -> Vec<(&'static str, Vec<Table>, Vec<Table>)> {
    let renamed_value = posts_with("post_status", &["draft", "live"], |t| {
        t.renames.push(EnumRename {
            from: "published".into(),
            to: "live".into(),
        })
    });
    let renamed_type = posts_with("publication_status", BASE, |t| {
        t.renamed_from = Some("post_status".into())
    });
    vec![
        ("enum_create", vec![], vec![posts("post_status", BASE)]),
        (
            "enum_add_first",
            vec![posts("post_status", BASE)],
            vec![posts("post_status", &["idea", "draft", "published"])],
        ),
        (
            "enum_add_middle",
            vec![posts("post_status", BASE)],
            vec![posts("post_status", &["draft", "review", "published"])],
        ),
        (
            "enum_add_last",
            vec![posts("post_status", BASE)],
            vec![posts("post_status", &["draft", "published", "archived"])],
        ),
        (
            "enum_rename_value",
            vec![posts("post_status", BASE)],
            vec![renamed_value],
        ),
        (
            "enum_remove_value",
            vec![posts("post_status", &["draft", "published", "archived"])],
            vec![posts("post_status", BASE)],
        ),
        ("enum_rename_type", vec![posts("post_status", BASE)], vec![renamed_type]),
        ("enum_from_text", vec![text_status()], vec![posts("post_status", BASE)]),
        ("enum_to_text", vec![posts("post_status", BASE)], vec![text_status()]),
        (
            "enum_drop_last_user",
            vec![posts("post_status", BASE)],
            vec![table_with_id("posts")],
        ),
    ]
}

#[test]
fn snapshots_per_dialect() {
    for (scenario, before, after) in scenarios() {
        for dialect in Dialect::ALL {
            insta::assert_snapshot!(format!("{scenario}_{dialect}"), files(&plan(&before, &after, dialect)));
        }
    }
}

/// PostgreSQL: the new value is the new default: committed first, outside Diesel's transaction.
#[test]
fn a_new_value_used_as_default_is_committed_first_on_postgres() {
    let mut after = posts("post_status", &["draft", "review", "published"]);
    after.columns[1].default = Some(DefaultValue::Literal(Literal::Str("review".into())));
    let m = plan(&[posts("post_status", BASE)], &[after.clone()], Dialect::Postgres);
    assert!(!m.run_in_transaction);
    #[cfg(feature = "build")]
    assert!(crate::emit::metadata_toml(&m).is_some_and(|t| t.contains("\nrun_in_transaction = false\n")));
    insta::assert_snapshot!("enum_add_used_as_default_postgres", files(&m));
    for d in [Dialect::Sqlite, Dialect::Mysql] {
        assert!(
            plan(&[posts("post_status", BASE)], &[after.clone()], d).run_in_transaction,
            "{d}"
        );
    }
}

/// Rows for the scenarios: one per value of `BASE`, which every scenario's "after" but the last keeps.
const ROWS: &str = "INSERT INTO posts (id) VALUES (1);\nINSERT INTO posts (id, status) VALUES (2, 'published');\n";

#[test]
fn each_change_runs_up_down_up_with_rows_on_postgres() {
    for (scenario, before, after) in scenarios().into_iter().skip(1) {
        let create = plan(&[], &before, Dialect::Postgres);
        let change = plan(&before, &after, Dialect::Postgres);
        let script = [
            create.up_sql.as_str(),
            ROWS,
            &change.up_sql,
            &change.down_sql,
            &change.up_sql,
        ]
        .concat();
        postgres_run::run(&script).unwrap_or_else(|e| panic!("{scenario}: {e}"));
    }
}

#[test]
fn each_change_runs_up_down_up_with_rows_on_sqlite() {
    use sqlite_run::tx;
    for (scenario, before, after) in scenarios().into_iter().skip(1) {
        let create = plan(&[], &before, Dialect::Sqlite);
        let change = plan(&before, &after, Dialect::Sqlite);
        let script = [
            tx(&create.up_sql),
            tx(ROWS),
            tx(&change.up_sql),
            tx(&change.down_sql),
            tx(&change.up_sql),
            "SELECT group_concat(id, ',') FROM posts;\n".into(),
        ];
        if let Some(out) = sqlite_run::run(&script.concat()).unwrap_or_else(|e| panic!("{scenario}: {e}")) {
            assert_eq!(out.trim(), "1,2", "{scenario}: rows kept");
        }
    }
}

#[test]
fn each_change_runs_up_down_up_with_rows_on_mysql() {
    for (scenario, before, after) in scenarios().into_iter().skip(1) {
        let create = plan(&[], &before, Dialect::Mysql);
        let change = plan(&before, &after, Dialect::Mysql);
        let script = [
            create.up_sql.as_str(),
            ROWS,
            &change.up_sql,
            &change.down_sql,
            &change.up_sql,
        ]
        .concat();
        super::mysql_run::run(scenario, &script).unwrap_or_else(|e| panic!("{scenario}: {e}"));
    }
}

#[test]
fn a_renamed_value_is_mapped_in_the_rows_on_sqlite() {
    let (name, before, after) = scenarios().remove(4);
    assert_eq!(name, "enum_rename_value");
    let create = plan(&[], &before, Dialect::Sqlite);
    let change = plan(&before, &after, Dialect::Sqlite);
    assert!(
        change
            .up_sql
            .contains("CASE \"status\" WHEN 'published' THEN 'live' ELSE \"status\" END"),
        "{}",
        change.up_sql
    );
    let script = [
        sqlite_run::tx(&create.up_sql),
        sqlite_run::tx(ROWS),
        sqlite_run::tx(&change.up_sql),
        "SELECT group_concat(status, ',') FROM posts;\n".into(),
    ];
    if let Some(out) = sqlite_run::run(&script.concat()).unwrap() {
        assert_eq!(out.trim(), "draft,live");
    }
}

#[test]
fn a_type_rename_alone_is_named_after_the_types() {
    use crate::ops::Op;
    let rename = |from: &str, to: &str| Op::RenameEnum {
        from: from.into(),
        to: to.into(),
    };
    assert_eq!(
        super::super::migration_name(&[rename("mood", "feeling")]),
        "rename_mood_to_feeling"
    );
    assert_eq!(
        super::super::migration_name(&[rename("post_status", "publication_status")]),
        "alter_publication_status",
        "too long: alter_<new name>"
    );
}
