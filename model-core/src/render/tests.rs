use super::render_op;
use crate::ir::{Dialect, Index};
use crate::ops::fixtures::{fk, index, kitchen_sink, post_tags};
use crate::ops::Op;

fn all(op: &Op) -> String {
    Dialect::ALL
        .iter()
        .map(|d| format!("-- {d}\n{}\n", render_op(op, *d).join(";\n")))
        .collect()
}

#[test]
fn create_table_every_feature() {
    insta::assert_snapshot!(all(&Op::CreateTable { table: kitchen_sink() }));
}

#[test]
fn composite_primary_key() {
    insta::assert_snapshot!(all(&Op::CreateTable { table: post_tags() }));
}

#[test]
fn indexes() {
    let partial = Index {
        where_sql: Some("deleted_at IS NULL".into()),
        ..index("t", &["a", "b"], true)
    };
    let create = Op::CreateIndex {
        table: "t".into(),
        index: partial,
    };
    insta::assert_snapshot!(all(&create) + &all(&create.reverse()));
}

#[test]
fn foreign_keys() {
    let add = Op::AddForeignKey {
        table: "books".into(),
        fk: fk("books", &["author_id"], "authors", &["id"]),
    };
    insta::assert_snapshot!(all(&add) + &all(&add.reverse()));
}

#[test]
fn quotes_inside_identifiers_are_doubled() {
    let mut t = post_tags();
    t.name = "we\"ird`".into();
    let sql = all(&Op::DropTable { table: t });
    assert!(sql.contains(r#"DROP TABLE "we""ird`""#), "{sql}");
    assert!(sql.contains("DROP TABLE `we\"ird```"), "{sql}");
}
