//! The migration history as a graph: every migration folder is a node, and each node names the
//! migrations it follows (its parents).
//!
//! ```text
//!   create_users ── create_alpha ──┐            (branch A)
//!        │                         ├── merge ── add_tags
//!        └─────── create_beta ─────┘            (branch B)
//! ```
//!
//! - A **generated** migration (written by the build step) has one parent: the migration whose
//!   recorded schema it was diffed from (none for the first).
//! - A **merge** has two or more parents: the heads of branches that were developed in parallel
//!   (in git) and then merged. It runs no SQL: its record holds the combined schema.
//! - A **manual** migration (hand-written, e.g. `diesel migration generate backfill`) is placed after
//!   the migration before it; the build step records that place.
//! - A **baseline** is the schema of a database adopted as it was, written by `model import`: the
//!   root of the schema's history (its record holds the whole schema, which the next build diffs the
//!   models against). It follows the migrations already in the folder (a Diesel project's
//!   hand-written ones, which made that schema), so the history stays one line.
//!
//! This module is pure logic, used alike by the build step (fork detection, merges, drafts), the
//! runtime (which pending migration may run out of version order) and the CLI (status, history):
//!
//! - [`Graph`]: nodes, parents, heads, ancestors, merge bases, the branches a merge brings together;
//! - [`Header`]: the comment lines the build step writes at the top of a migration's `up.sql`, so
//!   the runtime — which sees only `up.sql`/`down.sql` (Diesel's `embed_migrations!`), not the
//!   records in `migrations/.model/` — knows which migrations a merge brought together;
//! - [`merge`](merge::merge): the schema of a merge, and the conflicts that prevent one;
//! - [`check_order`]: the runtime's rule for a pending migration older than the newest applied one.

mod header;
pub mod merge;
mod order;
mod touch;

#[cfg(test)]
mod tests;

pub use header::Header;
pub use order::{check_order, OutOfOrder, Pending, Refused};
pub use touch::{touched, Access, Object};

use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// What made a migration (the `kind` of its record in `migrations/.model/`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Written by the build step from a change of the models: one parent, DDL in `up.sql`.
    #[default]
    Generated,
    /// Written by the build step when branches met: two or more parents, no SQL.
    Merge,
    /// Hand-written (`diesel migration generate`): placed in the graph by the build step; its SQL
    /// is taken not to change the schema the models describe (a data migration).
    Manual,
    /// The schema of a database adopted as it was (`model import`): `migrate` records it as applied
    /// without running it on a database that holds that schema (see [`crate::baseline`]). Its record
    /// holds the whole schema, whatever its parent's, and it is never rewritten as a draft.
    Baseline,
}

impl Kind {
    /// `true` for the kinds whose `up.sql` changes the schema (generated).
    pub fn changes_schema(self) -> bool {
        matches!(self, Kind::Generated)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Generated => "generated",
            Kind::Merge => "merge",
            Kind::Manual => "manual",
            Kind::Baseline => "baseline",
        })
    }
}

/// One migration of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The folder name, e.g. `2026-11-23-101500_create_users`.
    pub name: String,
    /// Diesel's version of it (`20261123101500`, see [`version_of`]).
    pub version: String,
    /// What made it.
    pub kind: Kind,
    /// The migrations it follows (folder names), oldest first.
    pub parents: Vec<String>,
}

impl Node {
    /// A node named `name` (its version derived with [`version_of`]).
    ///
    /// ```
    /// use model_core::graph::{Kind, Node};
    /// let n = Node::new("2026-01-02-030405_init", Kind::Generated, Vec::<String>::new());
    /// assert_eq!(n.version, "20260102030405");
    /// ```
    pub fn new(name: impl Into<String>, kind: Kind, parents: impl IntoIterator<Item = impl Into<String>>) -> Node {
        let name = name.into();
        Node {
            version: version_of(&name),
            name,
            kind,
            parents: parents.into_iter().map(Into::into).collect(),
        }
    }
}

/// Diesel's version of a migration folder name: the part before the first `_`, dashes removed.
///
/// ```
/// assert_eq!(model_core::graph::version_of("2026-11-23-101500_create_users"), "20261123101500");
/// ```
pub fn version_of(name: &str) -> String {
    name.split('_').next().unwrap_or(name).replace('-', "")
}

/// Why a set of nodes is not a graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// A node names a parent that is not in the migrations folder.
    #[error("migration `{node}` follows `{parent}`, which is not in the migrations folder: restore `{parent}` from version control (a migration others follow must stay)")]
    MissingParent {
        /// The node.
        node: String,
        /// The parent it names.
        parent: String,
    },
    /// A node names a parent that does not sort before it.
    #[error("migration `{node}` follows `{parent}`, whose version does not sort before its own: the record `.model/{node}.json` is wrong; restore it from version control")]
    ParentNotOlder {
        /// The node.
        node: String,
        /// The parent it names.
        parent: String,
    },
    /// Two nodes have one name.
    #[error("migration `{0}` is listed twice")]
    Duplicate(String),
}

/// The migration graph. Nodes are kept in version order; every parent sorts before its children, so
/// version order is a topological order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    nodes: Vec<Node>,
    index: HashMap<String, usize>,
}

/// The migrations one branch brings to a merge: those behind its head that are not behind every
/// other head (see [`Graph::branches`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// The branch's newest migration (a parent of the merge).
    pub head: String,
    /// Its migrations since the branches forked, in version order (the head last).
    pub migrations: Vec<String>,
}

impl Graph {
    /// The graph of `nodes` (in any order).
    ///
    /// ```
    /// use model_core::graph::{Graph, Kind, Node};
    /// let g = Graph::new(vec![
    ///     Node::new("2026-01-01-000000_base", Kind::Generated, Vec::<String>::new()),
    ///     Node::new("2026-01-02-000000_a", Kind::Generated, ["2026-01-01-000000_base"]),
    ///     Node::new("2026-01-03-000000_b", Kind::Generated, ["2026-01-01-000000_base"]),
    /// ]).unwrap();
    /// let heads: Vec<&str> = g.heads().iter().map(|n| n.name.as_str()).collect();
    /// assert_eq!(heads, ["2026-01-02-000000_a", "2026-01-03-000000_b"]);
    /// assert_eq!(g.merge_bases(&["2026-01-02-000000_a", "2026-01-03-000000_b"]), ["2026-01-01-000000_base"]);
    /// ```
    ///
    /// # Errors
    ///
    /// [`GraphError`] when a parent is missing or does not sort before its child, or a name repeats.
    pub fn new(mut nodes: Vec<Node>) -> Result<Graph, GraphError> {
        nodes.sort_by(|a, b| (&a.version, &a.name).cmp(&(&b.version, &b.name)));
        let mut index = HashMap::with_capacity(nodes.len());
        for (i, n) in nodes.iter().enumerate() {
            if index.insert(n.name.clone(), i).is_some() {
                return Err(GraphError::Duplicate(n.name.clone()));
            }
        }
        for n in &nodes {
            for p in &n.parents {
                let Some(&pi) = index.get(p) else {
                    return Err(GraphError::MissingParent {
                        node: n.name.clone(),
                        parent: p.clone(),
                    });
                };
                if nodes[pi].version >= n.version {
                    return Err(GraphError::ParentNotOlder {
                        node: n.name.clone(),
                        parent: p.clone(),
                    });
                }
            }
        }
        Ok(Graph { nodes, index })
    }

    /// Every node, in version order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The node called `name`.
    pub fn node(&self, name: &str) -> Option<&Node> {
        self.index.get(name).map(|&i| &self.nodes[i])
    }

    /// The nodes no other node follows, in version order: one when the history is linear (or every
    /// fork is merged), none when there is no migration.
    pub fn heads(&self) -> Vec<&Node> {
        let followed: BTreeSet<&str> = self
            .nodes
            .iter()
            .flat_map(|n| n.parents.iter().map(String::as_str))
            .collect();
        self.nodes
            .iter()
            .filter(|n| !followed.contains(n.name.as_str()))
            .collect()
    }

    /// The nodes that follow `name`, in version order.
    pub fn children(&self, name: &str) -> Vec<&Node> {
        self.nodes
            .iter()
            .filter(|n| n.parents.iter().any(|p| p == name))
            .collect()
    }

    /// `name` and every migration it follows, directly or not (empty for an unknown name).
    pub fn lineage(&self, name: &str) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        let mut stack: Vec<&str> = self.node(name).map(|n| n.name.as_str()).into_iter().collect();
        while let Some(n) = stack.pop() {
            if out.insert(n) {
                if let Some(node) = self.node(n) {
                    stack.extend(node.parents.iter().map(String::as_str));
                }
            }
        }
        out
    }

    /// Every migration `name` follows, directly or not (not `name` itself).
    pub fn ancestors(&self, name: &str) -> BTreeSet<&str> {
        let mut set = self.lineage(name);
        set.remove(name);
        set
    }

    /// The migrations behind every one of `names`.
    pub fn common(&self, names: &[&str]) -> BTreeSet<&str> {
        let mut sets = names.iter().map(|n| self.lineage(n));
        let first = sets.next().unwrap_or_default();
        sets.fold(first, |acc, s| acc.intersection(&s).copied().collect())
    }

    /// The newest common ancestors of `names` (their merge bases): the migrations behind all of
    /// them that no other such migration follows. One for branches forked from one point; none
    /// for histories with no common start.
    pub fn merge_bases(&self, names: &[&str]) -> Vec<&str> {
        let common = self.common(names);
        let covered: BTreeSet<&str> = common.iter().flat_map(|n| self.ancestors(n)).collect();
        let mut bases: Vec<&str> = common.into_iter().filter(|n| !covered.contains(n)).collect();
        bases.sort_by_key(|n| self.position(n));
        bases
    }

    /// For each of `heads`: the migrations behind it that are not behind all of `heads`, in version
    /// order — what each branch brings to a merge of `heads`.
    pub fn branches(&self, heads: &[&str]) -> Vec<Branch> {
        let common = self.common(heads);
        heads
            .iter()
            .map(|h| {
                let mut migrations: Vec<&str> = self.lineage(h).into_iter().filter(|n| !common.contains(n)).collect();
                migrations.sort_by_key(|n| self.position(n));
                Branch {
                    head: (*h).to_string(),
                    migrations: migrations.into_iter().map(str::to_string).collect(),
                }
            })
            .collect()
    }

    /// The migrations the merge `name` brought together (see [`Graph::branches`]); empty when it
    /// is not a node with two or more parents.
    pub fn merged_by(&self, name: &str) -> BTreeSet<&str> {
        let Some(node) = self.node(name).filter(|n| n.parents.len() > 1) else {
            return BTreeSet::new();
        };
        let parents: Vec<&str> = node.parents.iter().map(String::as_str).collect();
        let common = self.common(&parents);
        parents
            .iter()
            .flat_map(|p| self.lineage(p))
            .filter(|n| !common.contains(n))
            .collect()
    }

    /// The first merge (in version order) that brought `name` together with another branch: the
    /// place where the branch of `name` was merged. `None` for a migration that was never on a
    /// branch of its own.
    pub fn merged_at(&self, name: &str) -> Option<&Node> {
        self.nodes
            .iter()
            .filter(|n| n.parents.len() > 1)
            .find(|m| self.merged_by(&m.name).contains(name))
    }

    fn position(&self, name: &str) -> usize {
        self.index.get(name).copied().unwrap_or(usize::MAX)
    }
}
