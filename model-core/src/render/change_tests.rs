//! Snapshots of `render_op` for the ops that change an existing table, on every dialect, each
//! followed by its reverse.

use super::render_op;
use crate::ir::UniqueConstraint;
use crate::ir::{pk_name, unique_name, Check, Column, ColumnType, DefaultValue, Dialect, Literal, PrimaryKey};
use crate::ops::fixtures::{col, nullable};
use crate::ops::Op;

/// `op` then its reverse, rendered for each dialect.
fn both_ways(op: Op) -> String {
    let mut out = String::new();
    for (way, op) in [("up", op.clone()), ("down", op.reverse())] {
        for d in Dialect::ALL {
            out.push_str(&format!("-- {way} {d}: {}\n", op.describe()));
            for statement in render_op(&op, d) {
                out.push_str(&statement);
                out.push_str(";\n");
            }
        }
    }
    out
}

fn alter(from: Column, to: Column) -> String {
    both_ways(Op::AlterColumn {
        table: "posts".into(),
        from,
        to,
    })
}

fn lit(value: Literal) -> Option<DefaultValue> {
    Some(DefaultValue::Literal(value))
}

#[test]
fn rename_table() {
    insta::assert_snapshot!(both_ways(Op::RenameTable {
        from: "posts".into(),
        to: "articles".into(),
    }));
}

#[test]
fn table_comment() {
    insta::assert_snapshot!(both_ways(Op::SetTableComment {
        table: "posts".into(),
        from: None,
        to: Some("A post's text.".into()),
    }));
}

#[test]
fn add_column_with_default_and_comment() {
    let column = Column {
        default: lit(Literal::Str("draft".into())),
        comment: Some("Where it is.".into()),
        ..col("status", ColumnType::Varchar { len: 20 })
    };
    insta::assert_snapshot!(both_ways(Op::AddColumn {
        table: "posts".into(),
        column,
    }));
}

#[test]
fn add_column_sqlite_refuses() {
    let column = Column {
        default: Some(DefaultValue::Sql("now()".into())),
        ..col("created_at", ColumnType::Timestamptz)
    };
    insta::assert_snapshot!(both_ways(Op::AddColumn {
        table: "posts".into(),
        column,
    }));
}

#[test]
fn rename_column() {
    insta::assert_snapshot!(both_ways(Op::RenameColumn {
        table: "posts".into(),
        from: "body".into(),
        to: "content".into(),
    }));
}

#[test]
fn alter_type_widening() {
    insta::assert_snapshot!(alter(
        col("views", ColumnType::Integer),
        col("views", ColumnType::BigInt)
    ));
}

#[test]
fn alter_type_with_default() {
    let from = Column {
        default: lit(Literal::Int(0)),
        ..col("score", ColumnType::Integer)
    };
    let to = Column {
        default: lit(Literal::Float("0.5".into())),
        ..col("score", ColumnType::Double)
    };
    insta::assert_snapshot!(alter(from, to));
}

#[test]
fn alter_text_to_json() {
    insta::assert_snapshot!(alter(
        nullable("doc", ColumnType::Text),
        nullable("doc", ColumnType::Json)
    ));
}

#[test]
fn alter_not_null_with_default() {
    let to = Column {
        default: lit(Literal::Bool(false)),
        ..col("published", ColumnType::Bool)
    };
    insta::assert_snapshot!(alter(nullable("published", ColumnType::Bool), to));
}

#[test]
fn alter_default_sql() {
    let to = Column {
        default: Some(DefaultValue::Sql("now()".into())),
        ..col("created_at", ColumnType::Timestamptz)
    };
    insta::assert_snapshot!(alter(col("created_at", ColumnType::Timestamptz), to));
}

#[test]
fn alter_identity() {
    let from = col("id", ColumnType::Integer);
    let to = Column {
        identity: true,
        ..col("id", ColumnType::BigInt)
    };
    insta::assert_snapshot!(alter(from, to));
}

#[test]
fn alter_comment_only() {
    let from = col("title", ColumnType::Text);
    let to = Column {
        comment: Some("Shown in lists.".into()),
        ..from.clone()
    };
    insta::assert_snapshot!(alter(from, to));
}

#[test]
fn primary_key() {
    insta::assert_snapshot!(both_ways(Op::AddPrimaryKey {
        table: "post_tags".into(),
        pk: PrimaryKey {
            name: pk_name("post_tags"),
            columns: vec!["post_id".into(), "tag_id".into()],
        },
    }));
}

#[test]
fn unique() {
    let columns = ["author_id", "slug"];
    insta::assert_snapshot!(both_ways(Op::AddUnique {
        table: "posts".into(),
        unique: UniqueConstraint {
            name: unique_name("posts", &columns),
            columns: columns.map(String::from).to_vec(),
        },
    }));
}

#[test]
fn check() {
    insta::assert_snapshot!(both_ways(Op::AddCheck {
        table: "products".into(),
        check: Check {
            name: "ck_products_positive_price".into(),
            sql: "price > 0".into(),
        },
    }));
}

#[test]
fn rename_constraint() {
    insta::assert_snapshot!(both_ways(Op::RenameConstraint {
        table: "articles".into(),
        from: "pk_posts".into(),
        to: "pk_articles".into(),
    }));
}

#[test]
fn rename_index() {
    insta::assert_snapshot!(both_ways(Op::RenameIndex {
        table: "articles".into(),
        from: "ix_posts_slug".into(),
        to: "ix_articles_slug".into(),
    }));
}

#[test]
fn every_op_renders_on_every_dialect() {
    let ops = [
        Op::DropColumn {
            table: "t".into(),
            column: nullable("c", ColumnType::Text),
        },
        Op::RenameIndex {
            table: "t".into(),
            from: "a".into(),
            to: "b".into(),
        },
    ];
    for op in ops {
        for d in Dialect::ALL {
            let sql = render_op(&op, d).join("\n");
            assert!(!sql.is_empty() && !sql.contains("not rendered yet"), "{d}: {sql}");
        }
    }
}
