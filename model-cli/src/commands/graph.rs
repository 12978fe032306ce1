//! The migration graph of the crate's folder, for the commands that show migrations: which
//! migration is the adopted baseline, which a merge, which was on a branch and where it was merged, which branch is not merged.

use crate::error::CliError;
use model_core::config::Config;
use model_core::emit::{History, MigrationsFolder, NewerRecord};
use model_core::graph::{Graph, Kind};
use std::collections::{BTreeMap, BTreeSet};

/// The graph of the crate's migrations folder, and the notes each migration gets.
pub struct Notes {
    graph: Graph,
    unmerged: BTreeSet<String>,
    /// Folder names by version.
    pub names: BTreeMap<String, String>,
}

impl Notes {
    /// Read the crate's migrations folder.
    pub fn load(config: &Config) -> Result<Notes, CliError> {
        let bad = |e: model_core::emit::EmitError| CliError::Migrations {
            path: config.migrations.clone(),
            message: e.to_string(),
        };
        let folder = MigrationsFolder::read(&config.migrations).map_err(bad)?;
        let history = History::load(&folder, config.dialect).map_err(bad)?;
        if let Some(w) = NewerRecord::warning(&history.newer) {
            eprintln!("warning: {w}");
        }
        let graph = history.graph;
        let heads: Vec<&str> = graph.heads().iter().map(|n| n.name.as_str()).collect();
        let unmerged = if heads.len() > 1 {
            graph.branches(&heads).into_iter().flat_map(|b| b.migrations).collect()
        } else {
            BTreeSet::new()
        };
        let names = folder
            .migrations
            .iter()
            .map(|m| (m.version.clone(), m.name.clone()))
            .collect();
        Ok(Notes { graph, unmerged, names })
    }

    /// `true` when the history has branches no merge brings together.
    pub fn forked(&self) -> bool {
        !self.unmerged.is_empty()
    }

    /// The heads of the history.
    pub fn heads(&self) -> Vec<String> {
        self.graph.heads().iter().map(|n| n.name.clone()).collect()
    }

    /// The migration merging `name`'s branch, if any.
    pub fn merged_at(&self, name: &str) -> Option<String> {
        self.graph.merged_at(name).map(|n| n.name.clone())
    }

    /// `(baseline ...)`, `(merge of a, b)`, `(branch, merged at m)`, `(branch, NOT MERGED ...)`, or
    /// nothing.
    pub fn note(&self, name: &str) -> Option<String> {
        let node = self.graph.node(name)?;
        if node.kind == Kind::Baseline {
            return Some(
                "(baseline: the schema the database held when it was adopted; later migrations follow it)".to_string(),
            );
        }
        if node.parents.len() > 1 {
            return Some(format!("(merge of {})", node.parents.join(", ")));
        }
        if let Some(m) = self.graph.merged_at(name) {
            return Some(format!("(branch, merged at {})", m.name));
        }
        if self.unmerged.contains(name) {
            return Some("(branch, NOT MERGED: `cargo build` or `model generate` writes the merge)".to_string());
        }
        None
    }
}
