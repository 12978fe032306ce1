use super::fixtures::{fk, index, kitchen_sink, users};
use super::Op;

fn samples() -> Vec<Op> {
    vec![
        Op::CreateTable { table: kitchen_sink() },
        Op::DropTable { table: users() },
        Op::CreateIndex {
            table: "users".into(),
            index: index("users", &["email"], true),
        },
        Op::DropIndex {
            table: "users".into(),
            index: index("users", &["email"], false),
        },
        Op::AddForeignKey {
            table: "posts".into(),
            fk: fk("posts", &["user_id"], "users", &["id"]),
        },
        Op::DropForeignKey {
            table: "posts".into(),
            fk: fk("posts", &["user_id"], "users", &["id"]),
        },
    ]
}

#[test]
fn reverse_twice_is_identity() {
    for op in samples() {
        assert_eq!(op.reverse().reverse(), op, "{}", op.describe());
    }
}

#[test]
fn reverse_changes_the_kind_and_keeps_the_table() {
    for op in samples() {
        let rev = op.reverse();
        assert_ne!(std::mem::discriminant(&rev), std::mem::discriminant(&op));
        assert_eq!(rev.table_name(), op.table_name());
    }
}

#[test]
fn descriptions() {
    let words: Vec<String> = samples().iter().map(Op::describe).collect();
    assert_eq!(
        words,
        [
            r#"create table "kitchen_sink""#,
            r#"drop table "users" (its rows are lost)"#,
            r#"create unique index "ux_users_email" on "users""#,
            r#"drop index "ix_users_email" on "users""#,
            r#"add foreign key "fk_posts_user_id_users" on "posts" referencing "users""#,
            r#"drop foreign key "fk_posts_user_id_users" on "posts" referencing "users""#,
        ]
    );
}

#[test]
fn only_dropping_a_table_loses_data() {
    let lossy: Vec<String> = samples().iter().filter_map(Op::data_loss).collect();
    assert_eq!(lossy, [r#"drops table "users" and all its rows"#]);
}
