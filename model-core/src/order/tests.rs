use super::validate::State;
use super::{order, reversed};
use crate::diff::diff;
use crate::ir::{Schema, Table};
use crate::ops::fixtures::{categories, chain, kitchen_sink, mutual, post_tags, posts, tags, users};
use crate::ops::Op;

fn all_tables() -> Vec<Table> {
    let mut t = vec![users(), posts(), tags(), post_tags(), categories(), kitchen_sink()];
    t.extend(mutual());
    t.extend(chain());
    t
}

fn words(ops: &[Op]) -> Vec<String> {
    ops.iter().map(Op::describe).collect()
}

/// `up` applies to `before`, then `down` brings the database back to exactly `before`.
fn assert_round_trip(before: &State, up: &[Op]) {
    let mut state = before.clone();
    state.apply(up, false).unwrap();
    let down = reversed(up);
    state.apply(&down, false).unwrap();
    assert_eq!(&state, before);
}

#[test]
fn creating_everything_is_valid_and_reversible() {
    let up = order(diff(&Schema::default(), &Schema::new(all_tables())).unwrap());
    assert_round_trip(&State::default(), &up);
}

#[test]
fn dropping_everything_is_valid_and_reversible() {
    let schema = Schema::new(all_tables());
    let create = order(diff(&Schema::default(), &schema).unwrap());
    let mut full = State::default();
    full.apply(&create, false).unwrap();
    let up = order(diff(&schema, &Schema::default()).unwrap());
    assert_round_trip(&full, &up);
    let mut emptied = full.clone();
    emptied.apply(&up, false).unwrap();
    assert_eq!(emptied, State::default());
}

#[test]
fn chain_is_created_dependencies_first_and_dropped_dependants_first() {
    let schema = Schema::new(chain());
    let up = order(diff(&Schema::default(), &schema).unwrap());
    assert_eq!(
        words(&up),
        [r#"create table "c""#, r#"create table "b""#, r#"create table "a""#]
    );
    let drop = order(diff(&schema, &Schema::default()).unwrap());
    assert_eq!(
        words(&drop),
        [
            r#"drop table "a" (its rows are lost)"#,
            r#"drop table "b" (its rows are lost)"#,
            r#"drop table "c" (its rows are lost)"#,
        ]
    );
}

#[test]
fn mutual_references_become_a_separate_foreign_key() {
    let schema = Schema::new(mutual());
    let up = order(diff(&Schema::default(), &schema).unwrap());
    assert_eq!(
        words(&up),
        [
            r#"create table "books""#,
            r#"create table "authors""#,
            r#"add foreign key "fk_books_authors_id_authors" on "books" referencing "authors""#,
        ]
    );
    let drop = order(diff(&schema, &Schema::default()).unwrap());
    assert_eq!(
        words(&drop),
        [
            r#"drop foreign key "fk_books_authors_id_authors" on "books" referencing "authors""#,
            r#"drop table "authors" (its rows are lost)"#,
            r#"drop table "books" (its rows are lost)"#,
        ]
    );
    assert_eq!(reversed(&up), drop);
}

#[test]
fn indexes_come_after_their_table_and_go_before_it() {
    let schema = Schema::new(vec![users(), kitchen_sink()]);
    let up = order(diff(&Schema::default(), &schema).unwrap());
    let first_index = up.iter().position(|op| matches!(op, Op::CreateIndex { .. })).unwrap();
    assert!(up[first_index..].iter().all(|op| matches!(op, Op::CreateIndex { .. })));
    let down = reversed(&up);
    let last_index = down.iter().rposition(|op| matches!(op, Op::DropIndex { .. })).unwrap();
    assert!(down[..=last_index].iter().all(|op| matches!(op, Op::DropIndex { .. })));
}

#[test]
fn order_is_stable_on_its_own_output_and_on_the_reverse() {
    let up = order(diff(&Schema::default(), &Schema::new(all_tables())).unwrap());
    assert_eq!(order(up.clone()), up);
    let down = reversed(&up);
    assert_eq!(order(down.clone()), down);
}

#[test]
fn input_order_does_not_matter() {
    let ops = diff(&Schema::default(), &Schema::new(all_tables())).unwrap();
    // Tables last and backwards; each table's indexes keep their declaration order.
    let (mut shuffled, mut tables): (Vec<Op>, Vec<Op>) = ops
        .iter()
        .cloned()
        .partition(|op| !matches!(op, Op::CreateTable { .. }));
    tables.reverse();
    shuffled.extend(tables);
    assert_eq!(order(shuffled), order(ops));
}

#[test]
fn a_self_reference_is_created_inline() {
    let up = order(diff(&Schema::default(), &Schema::new(vec![categories()])).unwrap());
    assert_eq!(up, [Op::CreateTable { table: categories() }]);
}

#[test]
fn validator_catches_a_bad_order() {
    let mut state = State::default();
    let bad = [Op::CreateTable { table: posts() }];
    assert!(state.apply(&bad, false).is_err());
    assert!(State::default().apply(&bad, true).is_ok());
    let mut both = State::default();
    both.apply(
        &[Op::CreateTable { table: users() }, Op::CreateTable { table: posts() }],
        false,
    )
    .unwrap();
    assert!(both.apply(&[Op::DropTable { table: users() }], false).is_err());
    assert!(state.apply(&[Op::DropTable { table: tags() }], false).is_err());
}

/// `users` and `posts` referencing it, as a replayed database.
fn users_and_posts() -> State {
    State::of(&Schema::new(vec![users(), posts()]))
}

fn refused(state: &State, op: Op) -> String {
    match state.clone().apply(std::slice::from_ref(&op), false) {
        Err(e) => e,
        Ok(()) => panic!("the validator accepted {}", op.describe()),
    }
}

#[test]
fn validator_refuses_retyping_a_column_a_foreign_key_uses() {
    use crate::ir::{Column, ColumnType};
    let state = users_and_posts();
    let alter = |table: &str, column: &str| Op::AlterColumn {
        table: table.into(),
        from: Column {
            identity: column == "id",
            ..Column::new(column, ColumnType::BigInt)
        },
        to: Column {
            identity: column == "id",
            ..Column::new(column, ColumnType::Integer)
        },
    };
    assert!(refused(&state, alter("users", "id")).contains("a foreign key uses the column"));
    assert!(refused(&state, alter("posts", "users_id")).contains("a foreign key uses the column"));
    // An alter whose "before" is not what the table holds is refused too.
    let mut stale = alter("posts", "id");
    if let Op::AlterColumn { from, .. } = &mut stale {
        from.nullable = true;
    }
    assert!(refused(&state, stale).contains("the database holds"));
}

#[test]
fn validator_refuses_dropping_what_something_depends_on() {
    let state = users_and_posts();
    let email = users().columns[1].clone();
    let drop_email = Op::DropColumn {
        table: "users".into(),
        column: email,
    };
    assert!(refused(&state, drop_email).contains("uses it"));
    let drop_pk = Op::DropPrimaryKey {
        table: "users".into(),
        pk: users().primary_key.unwrap(),
    };
    assert!(refused(&state, drop_pk).contains("depends on it"));
    let mut bare = users();
    bare.indexes.clear();
    let drop_users = Op::DropTable { table: bare.clone() };
    // Its index still exists: the op's table is not what the database holds.
    assert!(refused(&state, drop_users.clone()).contains("the database holds"));
    let without_index = State::of(&Schema::new(vec![bare, posts()]));
    assert!(refused(&without_index, drop_users).contains("depends on it"));
}

#[test]
fn validator_follows_renames() {
    let mut state = users_and_posts();
    let renames = [
        Op::RenameTable {
            from: "users".into(),
            to: "people".into(),
        },
        Op::RenameColumn {
            table: "people".into(),
            from: "id".into(),
            to: "person_id".into(),
        },
        Op::RenameConstraint {
            table: "people".into(),
            from: "pk_users".into(),
            to: "pk_people".into(),
        },
    ];
    state.apply(&renames, false).unwrap();
    let fk = &state.tables["posts"].fks["fk_posts_users_id_users"];
    assert_eq!(
        (fk.ref_table.as_str(), fk.ref_columns.as_slice()),
        ("people", ["person_id".to_string()].as_slice())
    );
    let taken = Op::RenameIndex {
        table: "people".into(),
        from: "ix_users_last_name_first_name".into(),
        to: "pk_people".into(),
    };
    assert!(refused(&state, taken).contains("taken"));
    state.apply(&reversed(&renames), false).unwrap();
    assert_eq!(state, users_and_posts());
}

#[test]
fn every_phase_is_sorted_whatever_the_input_order() {
    use crate::ir::{Check, ColumnType};
    use crate::ops::fixtures::{index, nullable};
    let mut new_users = users();
    new_users.columns.push(nullable("nickname", ColumnType::Text));
    new_users.indexes = vec![index("users", &["nickname"], false), index("users", &["email"], true)];
    new_users.checks.push(Check {
        name: "ck_users_email".into(),
        sql: "email <> ''".into(),
    });
    let mut new_posts = posts();
    new_posts.foreign_keys[0].on_delete = crate::ir::FkAction::Cascade;
    let mut new_tags = tags();
    new_tags.comment = Some("Labels.".into());
    let old = Schema::new(vec![users(), posts(), tags()]);
    let new = Schema::new(vec![new_users, new_posts, new_tags]);
    let ops = diff(&old, &new).unwrap();
    let mut backwards = ops.clone();
    backwards.reverse();
    let up = order(ops);
    assert_eq!(order(backwards), up);
    let mut state = State::of(&old);
    state.apply(&up, false).unwrap();
    assert_eq!(state, State::of(&new));
}
