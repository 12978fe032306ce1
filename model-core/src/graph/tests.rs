//! The graph, its headers, the runtime's order rule and merges of branches.

use super::merge::{merge, MergeError};
use super::*;
use crate::ir::{Column, ColumnType, Dialect, EnumType, Index, Schema, Table};
use std::collections::BTreeMap;

fn n(name: &str, parents: &[&str]) -> Node {
    Node::new(name, Kind::Generated, parents.iter().copied())
}

/// base ── a1 ── a2 ─┐
///   └──── b1 ───────┴── m ── c
fn sample() -> Graph {
    Graph::new(vec![
        n("2026-01-01-000000_base", &[]),
        n("2026-01-02-000000_a1", &["2026-01-01-000000_base"]),
        n("2026-01-03-000000_b1", &["2026-01-01-000000_base"]),
        n("2026-01-04-000000_a2", &["2026-01-02-000000_a1"]),
        Node::new(
            "2026-01-05-000000_merge",
            Kind::Merge,
            ["2026-01-04-000000_a2", "2026-01-03-000000_b1"],
        ),
        n("2026-01-06-000000_c", &["2026-01-05-000000_merge"]),
    ])
    .unwrap()
}

#[test]
fn heads_lineage_and_merges() {
    let g = sample();
    let heads: Vec<&str> = g.heads().iter().map(|n| n.name.as_str()).collect();
    assert_eq!(heads, ["2026-01-06-000000_c"]);
    assert_eq!(g.lineage("2026-01-04-000000_a2").len(), 3);
    assert_eq!(
        g.merge_bases(&["2026-01-04-000000_a2", "2026-01-03-000000_b1"]),
        ["2026-01-01-000000_base"]
    );
    let merged: Vec<&str> = g.merged_by("2026-01-05-000000_merge").into_iter().collect();
    assert_eq!(
        merged,
        ["2026-01-02-000000_a1", "2026-01-03-000000_b1", "2026-01-04-000000_a2"]
    );
    assert_eq!(
        g.merged_at("2026-01-02-000000_a1").map(|n| n.name.as_str()),
        Some("2026-01-05-000000_merge")
    );
    assert_eq!(g.merged_at("2026-01-01-000000_base"), None);
    assert_eq!(g.merged_at("2026-01-06-000000_c"), None);
    let branches = g.branches(&["2026-01-04-000000_a2", "2026-01-03-000000_b1"]);
    assert_eq!(branches[0].migrations, ["2026-01-02-000000_a1", "2026-01-04-000000_a2"]);
    assert_eq!(branches[1].migrations, ["2026-01-03-000000_b1"]);
}

#[test]
fn bad_graphs_are_errors_naming_both_migrations() {
    let e = Graph::new(vec![n("2026-01-02-000000_a", &["2026-01-01-000000_gone"])]).unwrap_err();
    assert!(e.to_string().contains("`2026-01-01-000000_gone`"), "{e}");
    let e = Graph::new(vec![
        n("2026-01-02-000000_a", &["2026-01-03-000000_b"]),
        n("2026-01-03-000000_b", &[]),
    ])
    .unwrap_err();
    assert!(matches!(e, GraphError::ParentNotOlder { .. }), "{e}");
}

#[test]
fn headers_round_trip_and_ignore_other_comments() {
    let merge = Header::Merge {
        branches: vec![
            Branch {
                head: "2026-01-04-000000_a2".into(),
                migrations: vec!["2026-01-02-000000_a1".into(), "2026-01-04-000000_a2".into()],
            },
            Branch {
                head: "2026-01-03-000000_b1".into(),
                migrations: vec!["2026-01-03-000000_b1".into()],
            },
        ],
    };
    let text = format!("{}-- merge\n\nSELECT 1;\n-- model: parents x\n", merge.render());
    assert_eq!(Header::parse(&text), Some(merge.clone()));
    assert_eq!(merge.merged_versions().len(), 3);
    assert_eq!(Header::parse("-- add_tags\nCREATE TABLE t (a INT);\n"), None);
    let first = Header::Generated { parents: vec![] };
    assert_eq!(first.render(), "-- model: parents (none)\n");
    assert_eq!(Header::parse(&format!("{}\r\n", first.render().trim())), Some(first));
}

#[test]
fn out_of_order_migrations_run_only_when_a_merge_brings_them() {
    let merge = Header::Merge {
        branches: vec![
            Branch {
                head: "2026-01-02-000000_a".into(),
                migrations: vec!["2026-01-02-000000_a".into()],
            },
            Branch {
                head: "2026-01-03-000000_b".into(),
                migrations: vec!["2026-01-03-000000_b".into()],
            },
        ],
    };
    let scripts = [
        Pending {
            version: "20260101000000",
            name: "2026-01-01-000000_base",
            header: None,
        },
        Pending {
            version: "20260102000000",
            name: "2026-01-02-000000_a",
            header: None,
        },
        Pending {
            version: "20260103000000",
            name: "2026-01-03-000000_b",
            header: None,
        },
        Pending {
            version: "20260104000000",
            name: "2026-01-04-000000_merge",
            header: Some(merge),
        },
    ];
    let applied = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    // a fresh database: nothing is out of order
    assert!(check_order(&scripts, &applied(&[]), 4).unwrap().is_empty());
    // b applied: a runs late, brought by the pending merge
    let late = check_order(&scripts, &applied(&["20260101000000", "20260103000000"]), 4).unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].name, "2026-01-02-000000_a");
    // ... but not when the merge is not about to run (upgrade to b only)
    let e = check_order(&scripts, &applied(&["20260101000000", "20260103000000"]), 3).unwrap_err();
    assert_eq!(
        e.migrations,
        [("20260102000000".to_string(), "2026-01-02-000000_a".to_string())]
    );
    assert_eq!(e.newest_name.as_deref(), Some("2026-01-03-000000_b"));
    // an unrelated older migration (dated in the past) is refused by name
    let mut with_old = scripts.to_vec();
    with_old.insert(
        1,
        Pending {
            version: "20260101120000",
            name: "2026-01-01-120000_backfill",
            header: None,
        },
    );
    let e = check_order(
        &with_old,
        &applied(&["20260101000000", "20260102000000", "20260103000000", "20260104000000"]),
        5,
    )
    .unwrap_err();
    assert_eq!(e.migrations[0].1, "2026-01-01-120000_backfill");
}

fn id_table(name: &str) -> Table {
    let mut t = Table::new(name);
    t.columns.push(Column::new("id", ColumnType::BigInt));
    t
}

fn with_column(mut t: Table, name: &str) -> Table {
    let mut c = Column::new(name, ColumnType::Text);
    c.nullable = true;
    t.columns.push(c);
    t
}

/// base ── a, base ── b: the merged schema (or the conflict) on `dialect`.
fn fork(base: Vec<Table>, a: Vec<Table>, b: Vec<Table>, dialect: Dialect) -> Result<Schema, MergeError> {
    let g = Graph::new(vec![
        n("2026-01-01-000000_base", &[]),
        n("2026-01-02-000000_a", &["2026-01-01-000000_base"]),
        n("2026-01-03-000000_b", &["2026-01-01-000000_base"]),
    ])
    .unwrap();
    let schemas: BTreeMap<String, Schema> = [
        ("2026-01-01-000000_base", base),
        ("2026-01-02-000000_a", a),
        ("2026-01-03-000000_b", b),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Schema::new(v)))
    .collect();
    merge(&g, &schemas, dialect).map(|m| m.schema)
}

fn conflict(e: MergeError) -> String {
    assert!(matches!(e, MergeError::Conflicts(_)), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("`2026-01-02-000000_a`") && msg.contains("`2026-01-03-000000_b`"),
        "{msg}"
    );
    msg
}

#[test]
fn columns_added_to_one_table_on_two_branches_merge() {
    let base = vec![id_table("t")];
    for dialect in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
        let merged = fork(
            base.clone(),
            vec![with_column(id_table("t"), "a")],
            vec![with_column(id_table("t"), "b")],
            dialect,
        )
        .unwrap();
        let names: Vec<&str> = merged.tables[0].columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "a", "b"], "{dialect}");
    }
}

#[test]
fn renaming_one_column_two_ways_conflicts() {
    let base = vec![with_column(id_table("t"), "c")];
    let renamed = |to: &str| {
        let mut t = with_column(id_table("t"), to);
        t.columns[1].renamed_from = Some("c".into());
        vec![t]
    };
    let msg = conflict(fork(base, renamed("x"), renamed("y"), Dialect::Postgres).unwrap_err());
    assert!(msg.contains("column \"t\".\"c\""), "{msg}");
}

#[test]
fn dropping_a_table_the_other_branch_alters_conflicts() {
    let base = vec![id_table("t"), id_table("u")];
    let msg = conflict(
        fork(
            base,
            vec![id_table("u")],
            vec![with_column(id_table("t"), "c"), id_table("u")],
            Dialect::Postgres,
        )
        .unwrap_err(),
    );
    assert!(msg.contains("table \"t\""), "{msg}");
}

#[test]
fn one_enum_with_different_values_conflicts() {
    let with_enum = |values: &[&str]| {
        let mut t = id_table("t");
        t.columns.push(Column::new(
            "s",
            ColumnType::Enum(EnumType::new("status", values.iter().copied())),
        ));
        t
    };
    let base = vec![with_enum(&["a"])];
    let msg = conflict(
        fork(
            base,
            vec![with_enum(&["a", "b"])],
            vec![with_enum(&["a", "c"])],
            Dialect::Postgres,
        )
        .unwrap_err(),
    );
    assert!(msg.contains("enum type \"status\""), "{msg}");
}

#[test]
fn the_same_table_created_on_both_branches_conflicts() {
    let msg = conflict(fork(vec![], vec![id_table("t")], vec![id_table("t")], Dialect::Postgres).unwrap_err());
    assert!(msg.contains("the same change twice"), "{msg}");
}

#[test]
fn a_sqlite_rebuild_conflicts_with_an_index_of_the_other_branch() {
    let base = vec![with_column(id_table("t"), "c")];
    let mut indexed = base[0].clone();
    indexed.indexes.push(Index {
        name: "ix_t_c".into(),
        columns: vec!["c".into()],
        unique: false,
        where_sql: None,
    });
    let mut retyped = base[0].clone();
    retyped.columns[0].nullable = true; // SQLite rebuilds the table for this
    let a = vec![indexed];
    let b = vec![retyped];
    fork(base.clone(), a.clone(), b.clone(), Dialect::Postgres).expect("in place elsewhere");
    let msg = conflict(fork(base, a, b, Dialect::Sqlite).unwrap_err());
    assert!(msg.contains("index \"ix_t_c\" of table \"t\""), "{msg}");
}
