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

fn enum_samples() -> Vec<Op> {
    use crate::ir::{Column, ColumnType, EnumRename, EnumType};
    let t = |v: &[&str]| EnumType::new("s", v.iter().copied());
    let users = vec![super::EnumUse {
        table: "posts".into(),
        column: Column::new("status", ColumnType::Enum(t(&["a", "b"]))),
    }];
    vec![
        Op::CreateEnum { ty: t(&["a", "b"]) },
        Op::DropEnum { ty: t(&["a"]) },
        Op::RenameEnum {
            from: "r".into(),
            to: "s".into(),
        },
        Op::RenameEnumValues {
            ty: t(&["a", "b"]),
            renames: vec![EnumRename {
                from: "b".into(),
                to: "c".into(),
            }],
            users: users.clone(),
        },
        Op::ChangeEnumValues {
            from: t(&["a", "b"]),
            to: t(&["a", "x", "b"]),
            users,
        },
    ]
}

#[test]
fn enum_ops_reverse_twice_is_identity() {
    for op in enum_samples() {
        assert!(op.is_enum_op());
        assert_eq!(op.reverse().reverse(), op, "{}", op.describe());
        if !matches!(op, Op::RenameEnum { .. }) {
            assert_eq!(op.reverse().table_name(), "s", "{}", op.describe());
        }
    }
    let words: Vec<String> = enum_samples().iter().map(|op| op.reverse().describe()).collect();
    assert_eq!(
        words,
        [
            r#"drop enum type "s""#,
            r#"create enum type "s" ('a')"#,
            r#"rename enum type "s" to "r""#,
            r#"rename value 'c' to 'b' of enum type "s""#,
            r#"remove value 'x' of enum type "s""#,
        ]
    );
    let lossy: Vec<String> = enum_samples()
        .iter()
        .filter_map(|op| op.reverse().data_loss())
        .collect();
    assert_eq!(lossy.len(), 1, "only removing a value: {lossy:?}");
}
