//! Many changes at once: the ordered ops and their reverse are valid, and give the new schema.

use super::ordered;
use crate::ir::{fk_name, index_name, pk_name, unique_name, Check, ColumnType, DefaultValue, FkAction, Table};
use crate::ops::fixtures::{categories, chain, col, kitchen_sink, mutual, nullable, post_tags, posts, tags, users};
use crate::ops::Op;

fn before() -> Vec<Table> {
    let mut t = vec![users(), posts(), tags(), post_tags(), categories(), kitchen_sink()];
    t.extend(mutual());
    t.extend(chain());
    t
}

/// `users` renamed `people` with a renamed column, a column added, another made nullable, a check;
/// foreign keys following it; a dropped column with its constraints; retyped self-referencing
/// keys; two dropped tables.
fn after() -> Vec<Table> {
    let mut people = users();
    people.name = "people".into();
    people.renamed_from = Some("users".into());
    people.comment = None;
    people.columns[2].name = "given_name".into();
    people.columns[2].renamed_from = Some("first_name".into());
    people.columns[3].nullable = true;
    people.columns.push(nullable("nickname", ColumnType::Text));
    people.primary_key.as_mut().unwrap().name = pk_name("people");
    people.uniques[0].name = unique_name("people", &["email"]);
    people.indexes[0].columns = vec!["last_name".into(), "given_name".into()];
    people.indexes[0].name = index_name("people", &["last_name", "given_name"], false);
    people.checks.push(Check {
        name: "ck_people_email".into(),
        sql: "email <> ''".into(),
    });

    let mut posts = posts();
    let fk = &mut posts.foreign_keys[0];
    fk.ref_table = "people".into();
    fk.name = fk_name("posts", &["users_id"], "people");
    fk.on_delete = FkAction::Cascade;
    posts.columns.push(crate::ir::Column {
        default: Some(DefaultValue::Sql("CURRENT_TIMESTAMP".into())),
        ..col("created_at", ColumnType::Timestamptz)
    });

    let mut sink = kitchen_sink();
    sink.columns.retain(|c| c.name != "code");
    sink.uniques.retain(|u| u.columns != ["code"]);
    sink.indexes.retain(|i| i.columns != ["code"]);
    sink.columns
        .iter_mut()
        .filter(|c| c.name == "owner_id")
        .for_each(|c| c.name = "person_id".into());
    let owner = sink.columns.iter_mut().find(|c| c.name == "person_id").unwrap();
    owner.renamed_from = Some("owner_id".into());
    let fk = &mut sink.foreign_keys[0];
    fk.columns = vec!["person_id".into()];
    fk.ref_table = "people".into();
    fk.name = fk_name("kitchen_sink", &["person_id"], "people");
    sink.checks[0].sql = "medium >= 1".into();

    let mut cats = categories();
    cats.columns[0].ty = ColumnType::Integer;
    cats.columns[1].ty = ColumnType::Integer;

    let mut t = vec![people, posts, tags(), sink, cats];
    t.extend(mutual());
    t
}

#[test]
fn a_big_combined_change_is_valid_both_ways() {
    let up = ordered(&before(), &after());
    insta::assert_snapshot!(up.iter().map(Op::describe).collect::<Vec<_>>().join("\n"));
}

#[test]
fn and_back() {
    ordered(&after(), &before());
}
