use super::{changes, ordered};
use crate::diff::{diff, DiffError};
use crate::ir::{Column, ColumnType, DefaultValue, Literal, Schema, Table};
use crate::ops::fixtures::{col, nullable, users};
use crate::ops::Op;

fn with(column: Column) -> Table {
    let mut t = users();
    t.columns.push(column);
    t
}

fn nickname() -> Column {
    nullable("nickname", ColumnType::Text)
}

/// `users` with its column `name` changed by `f`.
fn changed(name: &str, f: impl Fn(&mut Column)) -> Table {
    let mut t = users();
    t.columns.iter_mut().filter(|c| c.name == name).for_each(f);
    t
}

#[test]
fn add_column() {
    assert_eq!(
        ordered(&[users()], &[with(nickname())]),
        [Op::AddColumn {
            table: "users".into(),
            column: nickname()
        }]
    );
}

#[test]
fn added_columns_keep_their_declaration_order() {
    let mut t = with(nullable("zeta", ColumnType::Text));
    t.columns.push(nullable("alpha", ColumnType::Text));
    assert_eq!(
        changes(&[users()], &[t]),
        [r#"add column "zeta" to "users""#, r#"add column "alpha" to "users""#]
    );
}

#[test]
fn drop_column() {
    assert_eq!(
        ordered(&[with(nickname())], &[users()]),
        [Op::DropColumn {
            table: "users".into(),
            column: nickname()
        }]
    );
}

#[test]
fn rename_column() {
    let mut renamed = changed("first_name", |c| {
        c.name = "given_name".into();
        c.renamed_from = Some("first_name".into());
    });
    renamed.indexes[0].columns[1] = "given_name".into();
    let rename = Op::RenameColumn {
        table: "users".into(),
        from: "first_name".into(),
        to: "given_name".into(),
    };
    // The index over the column keeps its definition; the naming rule gives it a new name.
    renamed.indexes[0].name = crate::ir::index_name("users", &["last_name", "given_name"], false);
    assert_eq!(
        ordered(&[users()], &[renamed.clone()]),
        [
            rename.clone(),
            Op::RenameIndex {
                table: "users".into(),
                from: "ix_users_last_name_first_name".into(),
                to: "ix_users_last_name_given_name".into(),
            }
        ]
    );
    let mut kept_name = renamed;
    kept_name.indexes[0].name = users().indexes[0].name.clone();
    assert_eq!(
        ordered(&[users()], std::slice::from_ref(&kept_name)),
        std::slice::from_ref(&rename)
    );
    // Renamed and retyped at once: the alter uses the new name.
    kept_name.columns[2].ty = ColumnType::Varchar { len: 50 };
    let alter = Op::AlterColumn {
        table: "users".into(),
        from: Column::new("given_name", ColumnType::Text),
        to: Column::new("given_name", ColumnType::Varchar { len: 50 }),
    };
    assert_eq!(ordered(&[users()], &[kept_name]), [rename, alter]);
}

#[test]
fn a_column_rename_hint_left_in_place_is_a_no_op() {
    let hinted = changed("email", |c| c.renamed_from = Some("mail".into()));
    assert_eq!(changes(&[users()], &[hinted]), Vec::<String>::new());
}

#[test]
fn renamed_from_pointing_at_nothing_adds_the_column() {
    let mut c = nickname();
    c.renamed_from = Some("nick".into());
    assert_eq!(changes(&[users()], &[with(c)]), [r#"add column "nickname" to "users""#]);
}

#[test]
fn two_columns_renamed_from_one_is_an_error() {
    let mut a = nickname();
    a.renamed_from = Some("first_name".into());
    let mut b = nullable("handle", ColumnType::Text);
    b.renamed_from = Some("first_name".into());
    let mut t = users();
    t.columns.retain(|c| c.name != "first_name");
    t.indexes.clear();
    t.columns.extend([a, b]);
    let err = diff(&Schema::new(vec![users()]), &Schema::new(vec![t])).unwrap_err();
    assert!(matches!(err, DiffError::ColumnRenamedTwice { .. }));
    insta::assert_snapshot!(err.to_string(), @r#"columns "nickname" and "handle" of table "users" both say `renamed_from = "first_name"`: a column can only be renamed once; remove `renamed_from` from one of them"#);
}

#[test]
fn every_change_of_one_column_is_one_alter() {
    let to = |c: &mut Column| {
        c.ty = ColumnType::Text;
        c.nullable = true;
        c.default = Some(DefaultValue::Literal(Literal::Str("none".into())));
        c.comment = Some("Where we write.".into());
    };
    let ops = ordered(&[users()], &[changed("email", to)]);
    assert_eq!(ops.len(), 1);
    let Op::AlterColumn { table, from, to: after } = &ops[0] else {
        panic!("{ops:?}")
    };
    assert_eq!(
        (table.as_str(), from, after.name.as_str()),
        ("users", &users().columns[1], "email")
    );
    insta::assert_snapshot!(ops[0].describe(), @r#"alter column "email" of "users": type VARCHAR(255) → TEXT, allow NULL, set default, set comment"#);
}

#[test]
fn each_column_aspect_alone() {
    type Edit = fn(&mut Column);
    let cases: [(&str, Edit); 6] = [
        ("type", |c| c.ty = ColumnType::Varchar { len: 100 }),
        ("nullable", |c| c.nullable = true),
        ("default", |c| c.default = Some(DefaultValue::Sql("lower('x')".into()))),
        ("identity", |c| c.identity = false),
        ("comment", |c| c.comment = Some("c".into())),
        ("hint only", |c| c.renamed_from = Some("old".into())),
    ];
    for (what, f) in cases {
        let column = if what == "identity" { "id" } else { "email" };
        let ops = ordered(&[users()], &[changed(column, f)]);
        let expected = usize::from(what != "hint only");
        assert_eq!(ops.len(), expected, "{what}: {ops:?}");
        assert!(ops.iter().all(|op| matches!(op, Op::AlterColumn { .. })), "{what}");
    }
}

#[test]
fn a_retyped_column_keeps_its_unique_constraint_in_place() {
    let wider = changed("email", |c| c.ty = ColumnType::Text);
    assert_eq!(changes(&[users()], &[wider]).len(), 1);
}

#[test]
fn constraints_over_a_dropped_column_go_before_it() {
    let mut t = users();
    t.columns.retain(|c| c.name != "email");
    t.uniques.clear();
    assert_eq!(
        changes(&[users()], &[t]),
        [
            r#"drop unique constraint "uq_users_email" ("email") from "users""#,
            r#"drop column "email" from "users" (its values are lost)"#,
        ]
    );
}

#[test]
fn constraints_over_an_added_column_come_after_it() {
    let mut t = with(col("handle", ColumnType::Text));
    t.columns.last_mut().unwrap().default = Some(DefaultValue::Literal(Literal::Str(String::new())));
    t.indexes.push(crate::ops::fixtures::index("users", &["handle"], true));
    assert_eq!(
        changes(&[users()], &[t]),
        [
            r#"add column "handle" to "users""#,
            r#"create unique index "ux_users_handle" on "users""#,
        ]
    );
}
