use super::{changes, ordered, words};
use crate::diff::{diff, DiffError};
use crate::ir::{fk_name, pk_name, unique_name, Schema, Table};
use crate::ops::fixtures::{kitchen_sink, posts, tags, users};
use crate::ops::Op;

/// `users` renamed to `people`, every generated name following the naming rule.
fn people() -> Table {
    let mut t = users();
    t.name = "people".into();
    t.renamed_from = Some("users".into());
    t.primary_key.as_mut().unwrap().name = pk_name("people");
    t.uniques[0].name = unique_name("people", &["email"]);
    t.indexes[0].name = "ix_people_last_name_first_name".into();
    t
}

/// `posts` referencing `people` (the renamed `users`).
fn posts_of_people() -> Table {
    let mut p = posts();
    let fk = &mut p.foreign_keys[0];
    fk.ref_table = "people".into();
    fk.name = fk_name("posts", &["users_id"], "people");
    p
}

#[test]
fn creates_new_tables_with_their_indexes() {
    let ops = ordered(&[], &[users(), tags()]);
    assert_eq!(
        words(&ops),
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
fn drops_are_the_reverse_of_creating() {
    let tables = [kitchen_sink(), tags(), users()];
    let create = ordered(&[], &tables);
    assert_eq!(ordered(&tables, &[]), crate::order::reversed(&create));
}

#[test]
fn equal_schemas_give_nothing() {
    let s = Schema::new(vec![users(), kitchen_sink(), posts()]);
    assert_eq!(diff(&s, &s).unwrap(), []);
}

#[test]
fn rename_table_renames_its_constraints_and_the_foreign_keys_to_it() {
    assert_eq!(
        changes(&[users(), posts()], &[people(), posts_of_people()]),
        [
            r#"rename table "users" to "people""#,
            r#"rename index "ix_users_last_name_first_name" to "ix_people_last_name_first_name" on "people""#,
            r#"rename constraint "pk_users" to "pk_people" on "people""#,
            r#"rename constraint "uq_users_email" to "uq_people_email" on "people""#,
            r#"rename constraint "fk_posts_users_id_users" to "fk_posts_users_id_people" on "posts""#,
        ]
    );
}

#[test]
fn rename_table_keeping_a_custom_index_name_renames_nothing_else() {
    let mut renamed = users();
    renamed.name = "people".into();
    renamed.renamed_from = Some("users".into());
    assert_eq!(changes(&[users()], &[renamed]), [r#"rename table "users" to "people""#]);
}

#[test]
fn a_rename_hint_left_in_place_is_a_no_op() {
    let mut kept = people();
    kept.renamed_from = Some("users".into());
    assert_eq!(changes(&[people()], &[kept.clone()]), Vec::<String>::new());
    // A first migration with a hint creates the table, without the hint.
    let ops = ordered(&[], &[kept]);
    assert!(matches!(&ops[0], Op::CreateTable { table } if table.name == "people" && table.renamed_from.is_none()));
}

#[test]
fn a_hint_to_a_table_still_modelled_is_a_no_op() {
    let mut copy = people();
    copy.renamed_from = Some("users".into());
    assert_eq!(
        changes(&[users()], &[users(), copy]),
        [
            r#"create table "people""#,
            r#"create index "ix_people_last_name_first_name" on "people""#
        ]
    );
}

#[test]
fn renamed_from_pointing_at_nothing_creates_the_table() {
    let mut t = tags();
    t.renamed_from = Some("labels".into());
    assert_eq!(changes(&[users()], &[users(), t]), [r#"create table "tags""#]);
}

#[test]
fn two_tables_renamed_from_one_is_an_error() {
    let mut other = tags();
    other.renamed_from = Some("users".into());
    let err = diff(&Schema::new(vec![users()]), &Schema::new(vec![people(), other])).unwrap_err();
    assert_eq!(
        err,
        DiffError::TableRenamedTwice {
            from: "users".into(),
            first: "people".into(),
            second: "tags".into()
        }
    );
    insta::assert_snapshot!(err.to_string(), @r#"tables "people" and "tags" both say `renamed_from = "users"`: a table can only be renamed once; remove `renamed_from` from one of them"#);
}

#[test]
fn duplicate_tables_are_an_error() {
    let s = Schema {
        tables: vec![Table::new("t"), Table::new("t")],
        ..Schema::default()
    };
    let err = diff(&Schema::default(), &s).unwrap_err();
    assert_eq!(
        err.to_string(),
        "table \"t\" is declared twice: give one of the models another `table_name`"
    );
}

#[test]
fn dropping_a_table_that_references_a_renamed_one_recreates_it_under_the_new_name_on_down() {
    // up: rename users → people, drop posts; down re-creates posts before renaming back, so the
    // dropped table references "people".
    let ops = ordered(&[users(), posts()], &[people()]);
    let dropped = ops.iter().find_map(|op| match op {
        Op::DropTable { table } => Some(table),
        _ => None,
    });
    assert_eq!(dropped.unwrap().foreign_keys[0].ref_table, "people");
}

#[test]
fn table_comment() {
    let mut new = users();
    new.comment = Some("Someone.".into());
    assert_eq!(
        changes(&[users()], &[new.clone()]),
        [r#"set the comment of table "users""#]
    );
    new.comment = None;
    assert_eq!(changes(&[users()], &[new]), [r#"remove the comment of table "users""#]);
}

#[test]
fn output_is_deterministic_whatever_the_input_order() {
    let a = Schema {
        tables: vec![users(), tags(), kitchen_sink()],
        ..Schema::default()
    };
    let b = Schema {
        tables: vec![kitchen_sink(), users(), tags()],
        ..Schema::default()
    };
    assert_eq!(
        diff(&Schema::default(), &a).unwrap(),
        diff(&Schema::default(), &b).unwrap()
    );
}

#[test]
fn renaming_a_self_referencing_table_renames_its_foreign_key() {
    let old = crate::ops::fixtures::categories();
    let mut new = old.clone();
    new.name = "topics".into();
    new.renamed_from = Some("categories".into());
    new.primary_key.as_mut().unwrap().name = pk_name("topics");
    new.foreign_keys[0].ref_table = "topics".into();
    new.foreign_keys[0].name = fk_name("topics", &["parent_id"], "topics");
    assert_eq!(
        changes(&[old], &[new]),
        [
            r#"rename table "categories" to "topics""#,
            r#"rename constraint "fk_categories_parent_id_categories" to "fk_topics_parent_id_topics" on "topics""#,
            r#"rename constraint "pk_categories" to "pk_topics" on "topics""#,
        ]
    );
}
