use super::{changes, ordered};
use crate::ir::{
    check_name, column_check_name, pk_name, unique_name, Check, ColumnType, PrimaryKey, Table, UniqueConstraint,
};
use crate::ops::fixtures::{col, index, post_tags, users};
use crate::ops::Op;

fn uq(table: &str, cols: &[&str]) -> UniqueConstraint {
    UniqueConstraint {
        name: unique_name(table, cols),
        columns: cols.iter().map(|c| c.to_string()).collect(),
    }
}

fn check(sql: &str) -> Check {
    Check {
        name: column_check_name("users", "email"),
        sql: sql.into(),
    }
}

fn users_with(f: impl Fn(&mut Table)) -> Table {
    let mut t = users();
    f(&mut t);
    t
}

#[test]
fn primary_key_change() {
    let mut new = post_tags();
    new.primary_key = Some(PrimaryKey {
        name: pk_name("post_tags"),
        columns: vec!["tag_id".into(), "post_id".into()],
    });
    let ops = ordered(&[post_tags()], &[new.clone()]);
    assert_eq!(
        ops,
        [
            Op::DropPrimaryKey {
                table: "post_tags".into(),
                pk: post_tags().primary_key.unwrap()
            },
            Op::AddPrimaryKey {
                table: "post_tags".into(),
                pk: new.primary_key.unwrap()
            },
        ]
    );
}

#[test]
fn unique_add_and_drop_single_and_composite() {
    let both = users_with(|t| {
        t.uniques
            .extend([uq("users", &["first_name"]), uq("users", &["last_name", "first_name"])])
    });
    assert_eq!(
        changes(&[users()], std::slice::from_ref(&both)),
        [
            r#"add unique constraint "uq_users_first_name" ("first_name") to "users""#,
            r#"add unique constraint "uq_users_last_name_first_name" ("last_name", "first_name") to "users""#,
        ]
    );
    assert_eq!(
        changes(&[both], &[users()]),
        [
            r#"drop unique constraint "uq_users_last_name_first_name" ("last_name", "first_name") from "users""#,
            r#"drop unique constraint "uq_users_first_name" ("first_name") from "users""#,
        ]
    );
}

#[test]
fn unique_change_is_a_drop_and_an_add() {
    let mut changed = uq("users", &["email"]);
    changed.columns.push("last_name".into());
    let new = users_with(|t| t.uniques = vec![changed.clone()]);
    assert_eq!(
        ordered(&[users()], &[new]),
        [
            Op::DropUnique {
                table: "users".into(),
                unique: uq("users", &["email"])
            },
            Op::AddUnique {
                table: "users".into(),
                unique: changed
            },
        ]
    );
}

#[test]
fn check_add_drop_and_change() {
    let with = |sql: &str| users_with(|t| t.checks.push(check(sql)));
    let ok = "email LIKE '%@%'";
    assert_eq!(
        ordered(&[users()], &[with(ok)]),
        [Op::AddCheck {
            table: "users".into(),
            check: check(ok)
        }]
    );
    assert_eq!(
        ordered(&[with(ok)], &[users()]),
        [Op::DropCheck {
            table: "users".into(),
            check: check(ok)
        }]
    );
    assert_eq!(
        changes(&[with(ok)], &[with("length(email) > 3")]),
        [
            r#"drop check "ck_users_email" from "users""#,
            r#"add check "ck_users_email" to "users""#,
        ]
    );
    // A check renamed (struct-level name changed), same SQL.
    let mut renamed = with(ok);
    renamed.checks[0].name = check_name("users", "has_at");
    assert_eq!(
        changes(&[with(ok)], &[renamed]),
        [r#"rename constraint "ck_users_email" to "ck_users_has_at" on "users""#]
    );
}

#[test]
fn index_add_and_drop_composite_unique_partial() {
    let partial = crate::ir::Index {
        name: "ix_users_live".into(),
        where_sql: Some("email IS NOT NULL".into()),
        ..index("users", &["email"], false)
    };
    let new = users_with(|t| {
        t.indexes.push(index("users", &["email", "last_name"], true));
        t.indexes.push(partial.clone());
    });
    assert_eq!(
        changes(&[users()], std::slice::from_ref(&new)),
        [
            r#"create index "ix_users_live" on "users""#,
            r#"create unique index "ux_users_email_last_name" on "users""#,
        ]
    );
    assert_eq!(
        changes(&[new], &[users()]),
        [
            r#"drop unique index "ux_users_email_last_name" on "users""#,
            r#"drop index "ix_users_live" on "users""#,
        ]
    );
}

#[test]
fn index_change_is_a_drop_and_a_create() {
    let cases: [fn(&mut crate::ir::Index); 3] = [
        |i| i.columns.reverse(),
        |i| i.unique = true,
        |i| i.where_sql = Some("last_name <> ''".into()),
    ];
    for f in cases {
        let new = users_with(|t| f(&mut t.indexes[0]));
        let ops = ordered(&[users()], std::slice::from_ref(&new));
        assert_eq!(
            ops,
            [
                Op::DropIndex {
                    table: "users".into(),
                    index: users().indexes[0].clone()
                },
                Op::CreateIndex {
                    table: "users".into(),
                    index: new.indexes[0].clone()
                },
            ]
        );
    }
}

#[test]
fn an_index_and_a_column_added_together() {
    let new = users_with(|t| {
        t.columns.push(col("age", ColumnType::Integer));
        t.columns.last_mut().unwrap().nullable = true;
        t.indexes.push(index("users", &["age"], false));
    });
    assert_eq!(
        changes(&[users()], &[new]),
        [
            r#"add column "age" to "users""#,
            r#"create index "ix_users_age" on "users""#
        ]
    );
}

/// An adopted database names its constraints its own way: when only the name changes, each is
/// renamed in place (never dropped and added again), and the migration runs on every dialect.
#[test]
fn a_name_change_alone_is_a_rename_of_every_kind() {
    let old = users_with(|t| {
        t.indexes.clear(); // over TEXT columns, which MySQL refuses
        t.checks.push(check("email <> ''"));
        t.foreign_keys
            .push(crate::ops::fixtures::fk("users", &["id"], "people", &["id"]));
        t.indexes.push(index("users", &["email"], false));
    });
    let new = users_with(|t| {
        t.indexes.clear();
        t.uniques[0].name = "users_email_key".into();
        let mut c = check("email <> ''");
        c.name = "users_email_check".into();
        t.checks.push(c);
        let mut f = crate::ops::fixtures::fk("users", &["id"], "people", &["id"]);
        f.name = "users_id_fkey".into();
        t.foreign_keys.push(f);
        let mut i = index("users", &["email"], false);
        i.name = "users_email_idx".into();
        t.indexes.push(i);
        t.primary_key.as_mut().unwrap().name = "users_pkey".into();
    });
    let ops = ordered(std::slice::from_ref(&old), std::slice::from_ref(&new));
    let renamed = |from: &str, to: &str| Op::RenameConstraint {
        table: "users".into(),
        from: from.into(),
        to: to.into(),
    };
    let mut got = ops.clone();
    got.sort_by_key(|o| o.describe());
    let mut want = vec![
        renamed(&pk_name("users"), "users_pkey"),
        renamed(&unique_name("users", &["email"]), "users_email_key"),
        renamed(&column_check_name("users", "email"), "users_email_check"),
        renamed(&crate::ir::fk_name("users", &["id"], "people"), "users_id_fkey"),
        Op::RenameIndex {
            table: "users".into(),
            from: crate::ir::index_name("users", &["email"], false),
            to: "users_email_idx".into(),
        },
    ];
    want.sort_by_key(|o| o.describe());
    assert_eq!(got, want);
    for dialect in [
        crate::ir::Dialect::Postgres,
        crate::ir::Dialect::Sqlite,
        crate::ir::Dialect::Mysql,
    ] {
        let old_s = crate::ir::Schema::new(vec![crate::ops::fixtures::table_with_id("people"), old.clone()]);
        let new_s = crate::ir::Schema::new(vec![crate::ops::fixtures::table_with_id("people"), new.clone()]);
        let m = crate::plan::plan_migration(&old_s, &new_s, dialect, false);
        assert!(matches!(m, Ok(Some(_))), "{dialect}: {m:?}");
    }
}
