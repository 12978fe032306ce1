//! Merging branches: the combined schema, or the conflicts that prevent it.
//!
//! Two branches forked from one migration each carry migrations made without the other's. Their
//! migrations are about to run in either order: on a fresh database in version order, on a database
//! that had one branch with the other's migrations afterwards (out of version order). That is safe
//! exactly when no migration of one branch writes an object a migration of the other reads or
//! writes ([`Access::clashes`]: the same column changed on both, a table dropped on one and
//! altered on the other, two enum types of one name, a table rebuilt by SQLite on one and changed on
//! the other, ...). Then the merged schema is the head of one branch with the migrations of the
//! others replayed on it ([`crate::ops::apply`]), each migration's ops being the diff between its
//! parent's recorded schema and its own — exactly what its SQL does.

use super::{touched, Access, Branch, Graph, Kind, Object};
use crate::diff::{diff, DiffError};
use crate::ir::{Dialect, Schema};
use crate::ops::{apply, Op};
use crate::order::order;
use crate::plan::rebuilt_tables;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A merge of every head of a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// What each branch brings, one per head, in version order of the heads.
    pub branches: Vec<Branch>,
    /// The schema once every branch's migrations ran.
    pub schema: Schema,
}

/// Two migrations of two branches that cannot both run: they touch one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The object.
    pub object: Object,
    /// The migration of the first branch (folder name).
    pub first: String,
    /// What it does to the object, in words.
    pub first_change: String,
    /// The migration of the other branch.
    pub second: String,
    /// What it does to the object.
    pub second_change: String,
    /// `true` when both make the same change (e.g. a commit picked onto both branches).
    pub same: bool,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: migration `{}` does \"{}\" and migration `{}` does \"{}\"",
            self.object, self.first, self.first_change, self.second, self.second_change
        )?;
        if self.same {
            write!(f, " (the same change twice: both would run it)")?;
        }
        Ok(())
    }
}

/// Why branches cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Migrations of two branches touch the same objects.
    #[error("{}", conflicts_message(.0))]
    Conflicts(Vec<Conflict>),
    /// A migration's change cannot be computed from the recorded schemas.
    #[error("migration `{migration}`: its change cannot be read from the recorded schemas: {source}")]
    Diff {
        /// The migration.
        migration: String,
        /// The diff's error.
        source: Box<DiffError>,
    },
    /// A migration of one branch cannot be replayed on the other branch's schema.
    #[error("migration `{migration}` cannot be replayed on the schema of the other branches: {why}; merge the branches by hand: delete it (and its record in .model/) on the merged branch and build again, so the change is written anew on top of the others")]
    Replay {
        /// The migration.
        migration: String,
        /// What went wrong.
        why: String,
    },
    /// A migration the graph names has no recorded schema.
    #[error("migration `{0}` has no recorded schema in .model/: restore its record from version control")]
    NoSchema(String),
}

fn conflicts_message(conflicts: &[Conflict]) -> String {
    let mut pairs: Vec<(&str, &str)> = conflicts
        .iter()
        .map(|c| (c.first.as_str(), c.second.as_str()))
        .collect();
    pairs.dedup();
    let list: Vec<String> = conflicts.iter().map(|c| format!("  - {c}")).collect();
    let names: Vec<String> = pairs.iter().map(|(a, b)| format!("`{a}` and `{b}`")).collect();
    format!(
        "branches of the migration history conflict: migrations {} were made in parallel (on different git branches) and change the same objects, so they cannot both run:\n{}\nto resolve: keep one branch's migration and drop the other's — on the merged branch, delete the folder of the migration that is applied nowhere that matters (and its record migrations/.model/<name>.json), make the models say what the merged result should be, and build again: the build step then writes that change on top of the other branch. A database that applied the deleted migration needs it reverted first (`model downgrade`).",
        names.join(", "),
        list.join("\n")
    )
}

/// Merge every head of `graph`: check that the migrations of each branch can run in either order
/// with those of the others, and compute the schema once all ran. `schemas` holds the recorded
/// schema of every migration of the graph (that of a hand-written one is its parent's).
///
/// ```
/// use model_core::graph::{merge::merge, Graph, Kind, Node};
/// use model_core::ir::{Column, ColumnType, Dialect, Schema, Table};
/// let table = |n: &str| { let mut t = Table::new(n); t.columns.push(Column::new("id", ColumnType::BigInt)); t };
/// let g = Graph::new(vec![
///     Node::new("2026-01-01-000000_base", Kind::Generated, Vec::<String>::new()),
///     Node::new("2026-01-02-000000_create_alpha", Kind::Generated, ["2026-01-01-000000_base"]),
///     Node::new("2026-01-03-000000_create_beta", Kind::Generated, ["2026-01-01-000000_base"]),
/// ]).unwrap();
/// let schemas = [
///     ("2026-01-01-000000_base", Schema::default()),
///     ("2026-01-02-000000_create_alpha", Schema::new(vec![table("alpha")])),
///     ("2026-01-03-000000_create_beta", Schema::new(vec![table("beta")])),
/// ].into_iter().map(|(n, s)| (n.to_string(), s)).collect();
/// let merged = merge(&g, &schemas, Dialect::Postgres).unwrap();
/// assert_eq!(merged.schema, Schema::new(vec![table("alpha"), table("beta")]));
/// ```
///
/// # Errors
///
/// [`MergeError::Conflicts`] naming each pair of migrations that touch one object, and the object;
/// the other [`MergeError`]s when the records do not allow the computation.
pub fn merge(graph: &Graph, schemas: &BTreeMap<String, Schema>, dialect: Dialect) -> Result<Merged, MergeError> {
    let heads: Vec<&str> = graph.heads().iter().map(|n| n.name.as_str()).collect();
    let branches = graph.branches(&heads);
    let schema_of = |name: &str| schemas.get(name).ok_or_else(|| MergeError::NoSchema(name.to_string()));
    let Some((first, rest)) = heads.split_first() else {
        return Ok(Merged {
            branches,
            schema: Schema::default(),
        });
    };
    let mut cache: BTreeMap<&str, (Vec<Op>, Vec<Access>)> = BTreeMap::new();
    let mut change = |name: &str| -> Result<(Vec<Op>, Vec<Access>), MergeError> {
        if let Some(c) = cache.get(name) {
            return Ok(c.clone());
        }
        let node = graph.node(name).ok_or_else(|| MergeError::NoSchema(name.to_string()))?;
        let parent = match node.parents.first() {
            Some(p) => schema_of(p)?.clone(),
            None => Schema::default(),
        };
        let own = schema_of(name)?;
        let err = |source| MergeError::Diff {
            migration: name.to_string(),
            source: Box::new(source),
        };
        let ops = order(diff(&parent, own).map_err(err)?);
        let rebuilt = rebuilt_tables(&parent, own, dialect).map_err(err)?;
        let accesses = touched(&ops, &rebuilt);
        let key = graph.node(name).map(|n| n.name.as_str()).unwrap_or_default();
        cache.insert(key, (ops.clone(), accesses.clone()));
        Ok((ops, accesses))
    };
    let changes_schema = |name: &&str| {
        graph
            .node(name)
            .is_some_and(|n| matches!(n.kind, Kind::Generated | Kind::Baseline))
    };
    let mut merged_lineage: BTreeSet<&str> = graph.lineage(first);
    let mut schema = schema_of(first)?.clone();
    let mut conflicts = Vec::new();
    for head in rest {
        let lineage = graph.lineage(head);
        let ours: Vec<&str> = merged_lineage
            .difference(&lineage)
            .copied()
            .filter(changes_schema)
            .collect();
        let theirs: Vec<&str> = lineage
            .difference(&merged_lineage)
            .copied()
            .filter(changes_schema)
            .collect();
        let theirs = sorted(graph, theirs);
        for a in sorted(graph, ours) {
            let (_, acc_a) = change(a)?;
            for b in &theirs {
                let (_, acc_b) = change(b)?;
                conflicts.extend(clashes(a, &acc_a, b, &acc_b));
            }
        }
        if conflicts.is_empty() {
            for b in &theirs {
                let (ops, _) = change(b)?;
                schema = apply(&schema, &ops).map_err(|e| MergeError::Replay {
                    migration: (*b).to_string(),
                    why: e.to_string(),
                })?;
            }
        }
        merged_lineage.extend(lineage);
    }
    if !conflicts.is_empty() {
        return Err(MergeError::Conflicts(conflicts));
    }
    Ok(Merged { branches, schema })
}

fn sorted<'a>(graph: &Graph, mut names: Vec<&'a str>) -> Vec<&'a str> {
    names.sort_by_key(|n| graph.node(n).map(|n| n.version.clone()));
    names
}

/// The conflicts between two migrations of two branches, one per object.
fn clashes(a: &str, acc_a: &[Access], b: &str, acc_b: &[Access]) -> Vec<Conflict> {
    let mut out: Vec<Conflict> = Vec::new();
    for x in acc_a {
        for y in acc_b {
            if !x.clashes(y) {
                continue;
            }
            let object = if matches!(x.object, Object::Rebuild(_) | Object::Mentioned(_)) {
                y.object.clone()
            } else {
                x.object.clone()
            };
            if out.iter().any(|c| c.object == object) {
                continue;
            }
            out.push(Conflict {
                same: x.change == y.change,
                object,
                first: a.to_string(),
                first_change: x.change.clone(),
                second: b.to_string(),
                second_change: y.change.clone(),
            });
        }
    }
    out
}
