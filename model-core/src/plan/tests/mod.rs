use super::{plan_migration, Migration};
use crate::ir::{fk_name, index_name, pk_name, unique_name, Column, Dialect, Schema, Table};
use crate::ops::fixtures::{categories, chain, kitchen_sink, mutual, post_tags, posts, tags, users};

mod enums;
mod kinds;
mod kinds_sqlite;
mod mysql_run;
mod objects;
mod online;
mod postgres_run;
mod sqlite_run;

/// `users` with `f` applied.
fn users_with(f: impl Fn(&mut Table)) -> Table {
    let mut t = users();
    f(&mut t);
    t
}

/// The column `name` of `t`.
fn column<'a>(t: &'a mut Table, name: &str) -> &'a mut Column {
    match t.columns.iter_mut().find(|c| c.name == name) {
        Some(c) => c,
        None => panic!("no column {name}"),
    }
}

/// `users` renamed to `people` (its key, unique and index names follow the naming rule) and `posts`
/// whose foreign key now references `people`.
fn renamed_users_and_posts() -> [Table; 2] {
    let people = users_with(|t| {
        t.name = "people".into();
        t.renamed_from = Some("users".into());
        t.primary_key.as_mut().unwrap().name = pk_name("people");
        t.uniques[0].name = unique_name("people", &["email"]);
        t.indexes[0].name = index_name("people", &["last_name", "first_name"], false);
    });
    let mut p = posts();
    p.foreign_keys[0].ref_table = "people".into();
    p.foreign_keys[0].name = fk_name("posts", &["users_id"], "people");
    [people, p]
}

/// The migration `old → new`; on MySQL of the tables as MySQL can hold them (see
/// [`mysql_run::mysql_ready`]).
fn plan(old: &[Table], new: &[Table], dialect: Dialect) -> Migration {
    let (old, new) = match dialect {
        Dialect::Mysql => (mysql_run::mysql_ready(old), mysql_run::mysql_ready(new)),
        _ => (old.to_vec(), new.to_vec()),
    };
    let (old, new) = (Schema::new(old), Schema::new(new));
    match plan_migration(&old, &new, dialect, true) {
        Ok(Some(m)) => m,
        other => panic!("expected a migration, got {other:?}"),
    }
}

fn files(m: &Migration) -> String {
    format!(
        "name: {}\n===== up.sql\n{}===== down.sql\n{}",
        m.name, m.up_sql, m.down_sql
    )
}

/// Snapshot the migration `old → new` for every dialect.
fn snapshot_all(scenario: &str, old: &[Table], new: &[Table]) {
    for dialect in Dialect::ALL {
        insta::assert_snapshot!(format!("{scenario}_{dialect}"), files(&plan(old, new, dialect)));
    }
}

#[test]
fn every_column_feature() {
    snapshot_all("every_feature", &[users()], &[users(), kitchen_sink()]);
}

#[test]
fn composite_primary_key_join_table() {
    snapshot_all("join_table", &[users()], &[users(), posts(), tags(), post_tags()]);
}

#[test]
fn tables_referencing_each_other() {
    snapshot_all("mutual", &[], &mutual());
}

#[test]
fn self_reference() {
    snapshot_all("self_reference", &[], &[categories()]);
}

#[test]
fn chain_in_shuffled_order() {
    snapshot_all("chain", &[], &chain());
    let mut other = chain();
    other.rotate_left(1);
    for d in Dialect::ALL {
        assert_eq!(plan(&[], &chain(), d), plan(&[], &other, d));
    }
}

#[test]
fn dropping_tables_with_data_loss_allowed() {
    let mut before = mutual();
    before.extend([users(), tags()]);
    snapshot_all("drop", &before, &[users()]);
}

#[test]
fn dropping_tables_without_permission_is_refused() {
    let mut before = mutual();
    before.push(tags());
    let err = plan_migration(&Schema::new(before), &Schema::default(), Dialect::Postgres, false).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @r#"
    this migration would lose data:
      - drops table "tags" and all its rows
      - drops table "authors" and all its rows
      - drops table "books" and all its rows
    set MODEL_ALLOW_DATA_LOSS=1 to write it anyway (up.sql then says above each such statement what is lost)
    "#);
}

#[test]
fn nothing_changed_gives_no_migration() {
    let s = Schema::new(vec![users(), kitchen_sink()]);
    assert_eq!(plan_migration(&s, &s, Dialect::Postgres, false), Ok(None));
}

#[test]
fn ops_are_the_ordered_up_ops() {
    let m = plan(&[], &mutual(), Dialect::Sqlite);
    let words: Vec<String> = m.ops.iter().map(crate::ops::Op::describe).collect();
    assert_eq!(words.len(), 3, "the folded foreign key is still an op: {words:?}");
}

#[test]
fn file_format() {
    let m = plan(&[], &[tags()], Dialect::Postgres);
    assert!(
        m.up_sql
            .starts_with("-- create_tags\n--   - create table \"tags\"\n\nCREATE TABLE"),
        "{}",
        m.up_sql
    );
    assert!(m.up_sql.ends_with(");\n"));
    assert!(!m.up_sql.contains("\n\n\n"));
}
