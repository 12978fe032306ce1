//! The comment lines at the top of a migration's `up.sql` that say where it sits in the graph.
//!
//! ```sql
//! -- model: parents 2026-11-23-101500_create_users
//! -- add_tags
//! --   - create table "tags"
//! CREATE TABLE "tags" (...);
//! ```
//!
//! ```sql
//! -- model: merge of 2026-11-24-090000_create_alpha, 2026-11-24-091500_create_beta
//! -- model: branch 2026-11-24-090000_create_alpha: 2026-11-24-090000_create_alpha
//! -- model: branch 2026-11-24-091500_create_beta: 2026-11-24-091500_create_beta
//! ```
//!
//! The runtime reads them (Diesel embeds `up.sql`, not `migrations/.model/`); checksums ignore
//! comments, so the lines never make a migration count as edited. Hand-written migrations have none.

use super::{version_of, Branch};
use std::collections::BTreeSet;

const PREFIX: &str = "-- model: ";

/// Where a migration written by the build step sits in the graph, as its `up.sql` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header {
    /// A generated migration and the migration it was diffed from (none for the first).
    Generated {
        /// Its parents (zero or one).
        parents: Vec<String>,
    },
    /// A merge, and what each merged branch brought.
    Merge {
        /// One per parent, in the order of the parents.
        branches: Vec<Branch>,
    },
}

impl Header {
    /// The comment lines, each ending with a newline.
    ///
    /// ```
    /// use model_core::graph::Header;
    /// let h = Header::Generated { parents: vec!["2026-01-01-000000_init".into()] };
    /// assert_eq!(h.render(), "-- model: parents 2026-01-01-000000_init\n");
    /// assert_eq!(Header::parse(&h.render()), Some(h));
    /// ```
    pub fn render(&self) -> String {
        match self {
            Header::Generated { parents } if parents.is_empty() => format!("{PREFIX}parents (none)\n"),
            Header::Generated { parents } => format!("{PREFIX}parents {}\n", parents.join(", ")),
            Header::Merge { branches } => {
                let heads: Vec<&str> = branches.iter().map(|b| b.head.as_str()).collect();
                let mut out = format!("{PREFIX}merge of {}\n", heads.join(", "));
                for b in branches {
                    out.push_str(&format!("{PREFIX}branch {}: {}\n", b.head, b.migrations.join(", ")));
                }
                out
            }
        }
    }

    /// The header of `up_sql`, read from its leading comment lines; `None` when it has none (a
    /// hand-written migration, or one written before the graph existed).
    pub fn parse(up_sql: &str) -> Option<Header> {
        let mut parents: Option<Vec<String>> = None;
        let mut merge: Option<Vec<String>> = None;
        let mut branches = Vec::new();
        for line in up_sql.lines().map(str::trim) {
            if line.is_empty() {
                continue;
            }
            if !line.starts_with("--") {
                break;
            }
            let Some(rest) = line.strip_prefix(PREFIX) else {
                continue;
            };
            if let Some(list) = rest.strip_prefix("parents ") {
                parents = Some(if list.trim() == "(none)" {
                    Vec::new()
                } else {
                    names(list)
                });
            } else if let Some(list) = rest.strip_prefix("merge of ") {
                merge = Some(names(list));
            } else if let Some(b) = rest.strip_prefix("branch ") {
                if let Some((head, list)) = b.split_once(':') {
                    branches.push(Branch {
                        head: head.trim().to_string(),
                        migrations: names(list),
                    });
                }
            }
        }
        match (merge, parents) {
            (Some(heads), _) => {
                let branches = heads
                    .into_iter()
                    .map(|head| {
                        let migrations = branches
                            .iter()
                            .find(|b| b.head == head)
                            .map(|b| b.migrations.clone())
                            .unwrap_or_else(|| vec![head.clone()]);
                        Branch { head, migrations }
                    })
                    .collect();
                Some(Header::Merge { branches })
            }
            (None, Some(parents)) => Some(Header::Generated { parents }),
            (None, None) => None,
        }
    }

    /// The parents it names.
    pub fn parents(&self) -> Vec<String> {
        match self {
            Header::Generated { parents } => parents.clone(),
            Header::Merge { branches } => branches.iter().map(|b| b.head.clone()).collect(),
        }
    }

    /// The versions of the migrations a merge brought together (empty for a generated migration).
    pub fn merged_versions(&self) -> BTreeSet<String> {
        match self {
            Header::Generated { .. } => BTreeSet::new(),
            Header::Merge { branches } => branches
                .iter()
                .flat_map(|b| b.migrations.iter().map(|m| version_of(m)))
                .collect(),
        }
    }
}

fn names(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
