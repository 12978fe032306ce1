//! The migrations part of the build step: merge the branches of the history, then write (or
//! rewrite, when the newest migration is a draft) the migration from the recorded state to the
//! models.

use super::draft::{self, Verdict};
use super::{BuildError, Builder, Mode};
use crate::emit::{self, History, MigrationsFolder, Snapshot};
use crate::graph::merge::{merge, Merged};
use crate::graph::{version_of, Header, Kind};
use crate::ir::Schema;
use crate::plan::{plan_migration, Migration};
use chrono::Utc;
use filetime::FileTime;
use std::path::{Path, PathBuf};

/// A merge of the history's heads, about to be written.
#[derive(Debug, Clone)]
pub(super) struct MergeStep {
    /// Its folder name.
    pub name: String,
    /// Its parents (the heads) and the combined schema.
    pub merged: Merged,
}

/// What happens to the models' change.
#[derive(Debug, Clone)]
pub(super) enum Change {
    /// Nothing: the models are the recorded state.
    Nothing,
    /// A new migration.
    New {
        /// Its folder name.
        name: String,
        /// Its parents.
        parents: Vec<String>,
        /// Its SQL.
        migration: Migration,
    },
    /// The draft `old` rewritten (same version).
    Rewrite {
        /// The draft's folder name.
        old: String,
        /// Its new folder name.
        name: String,
        /// Its parents.
        parents: Vec<String>,
        /// Its SQL.
        migration: Migration,
    },
    /// The draft `old` removed: the models are back where its parent was.
    Remove {
        /// The draft's folder name.
        old: String,
    },
}

/// What the step is about to do.
#[derive(Debug, Clone)]
pub(super) struct Next {
    /// A merge, written first.
    pub merge: Option<MergeStep>,
    /// The models' change.
    pub change: Change,
    /// Said to the user when the newest migration could not be a draft because of git.
    pub sealed_because: Option<(String, String)>,
}

impl Builder {
    /// Decide what to write, reading `history` (of `folder`) and the models.
    pub(super) fn next(
        &self,
        folder: &MigrationsFolder,
        history: &History,
        models: &Schema,
    ) -> Result<Next, BuildError> {
        let cfg = &self.config;
        let now = self.now.unwrap_or_else(Utc::now);
        let heads = history.graph.heads();
        let mut versions = folder.clone();
        let (head, state, merge_step) = if heads.len() > 1 {
            let names: Vec<&str> = history.graph.nodes().iter().map(|n| n.name.as_str()).collect();
            let common = history
                .graph
                .common(&heads.iter().map(|h| h.name.as_str()).collect::<Vec<_>>());
            // the records merging reads: every migration of a branch, its parent, and the heads
            let schemas = history.schemas(names.into_iter().filter(|n| !common.contains(n)))?;
            let schemas = {
                let mut s = schemas;
                for h in &heads {
                    s.insert(h.name.clone(), history.schema(&h.name)?);
                }
                s
            };
            let merged = merge(&history.graph, &schemas, cfg.dialect)?;
            if self.mode == Mode::Check {
                let names: Vec<&str> = heads.iter().map(|h| h.name.as_str()).collect();
                return Err(BuildError::Unmerged {
                    folder: folder.path.clone(),
                    heads: names.iter().map(|s| s.to_string()).collect(),
                    bases: history
                        .graph
                        .merge_bases(&names)
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                });
            }
            let name = format!("{}_merge", emit::next_version(&versions, now)?);
            versions.migrations.push(emit::MigrationDir {
                version: version_of(&name),
                path: folder.path.join(&name),
                name: name.clone(),
            });
            let state = merged.schema.clone();
            (Some(name.clone()), state, Some(MergeStep { name, merged }))
        } else {
            let head = heads.first().map(|h| h.name.clone());
            let state = match head.as_deref() {
                Some(h) => history.schema(h)?,
                None => Schema::default(),
            };
            (head, state, None)
        };
        // whether the models changed (the data-loss guard comes below: a draft is rewritten from its
        // parent, so what it alone added can go without the guard)
        let Some(migration) = plan_migration(&state, models, cfg.dialect, true)? else {
            return Ok(Next {
                merge: merge_step,
                change: Change::Nothing,
                sealed_because: None,
            });
        };
        if self.mode == Mode::Check {
            return Err(BuildError::Pending {
                folder: folder.path.clone(),
                changes: crate::ops::describe_all(&migration.ops),
            });
        }
        let mut sealed_because = None;
        if let (None, Some(head)) = (&merge_step, heads.first()) {
            match draft::verdict(history, folder, head, cfg.dialect)? {
                Verdict::Draft => return self.rewrite(history, head.name.clone(), head.parents.clone(), models),
                Verdict::Sealed(Some(why)) => sealed_because = Some((head.name.clone(), why)),
                Verdict::Sealed(None) => {}
            }
        }
        let migration = plan_migration(&state, models, cfg.dialect, self.allow_data_loss)?.unwrap_or(migration);
        let version = emit::next_version(&versions, now)?;
        let name = format!("{version}_{}", self.name.as_deref().unwrap_or(&migration.name));
        Ok(Next {
            merge: merge_step,
            change: Change::New {
                name,
                parents: head.into_iter().collect(),
                migration,
            },
            sealed_because,
        })
    }

    /// The rewrite of the draft `old` following `parents`, from its parent to the models.
    fn rewrite(
        &self,
        history: &History,
        old: String,
        parents: Vec<String>,
        models: &Schema,
    ) -> Result<Next, BuildError> {
        let cfg = &self.config;
        let parent = match parents.first() {
            Some(p) => history.schema(p)?,
            None => Schema::default(),
        };
        let change = match plan_migration(&parent, models, cfg.dialect, self.allow_data_loss)? {
            None => Change::Remove { old },
            Some(migration) => {
                let (version, label) = old.split_once('_').unwrap_or((&old, ""));
                // a name given with `--name` (it differs from the one the change made) stays
                let made = plan_migration(&parent, &history.schema(&old)?, cfg.dialect, true)?.map(|m| m.name);
                let label = match (&self.name, made) {
                    (Some(n), _) => n.clone(),
                    (None, Some(made)) if made != label => label.to_string(),
                    _ => migration.name.clone(),
                };
                Change::Rewrite {
                    name: format!("{version}_{label}"),
                    old,
                    parents,
                    migration,
                }
            }
        };
        Ok(Next {
            merge: None,
            change,
            sealed_because: None,
        })
    }
}

/// What [`write`] wrote.
#[derive(Debug, Default)]
pub(super) struct Written {
    /// The merge migration's folder.
    pub merge: Option<PathBuf>,
    /// The new or rewritten migration's folder.
    pub migration: Option<PathBuf>,
    /// The draft removed.
    pub removed: Option<String>,
}

/// Write `next` into `folder`.
pub(super) fn write(
    folder: &Path,
    next: Next,
    models: &Schema,
    dialect: crate::ir::Dialect,
    mtime: FileTime,
) -> Result<Written, BuildError> {
    let mut written = Written::default();
    let quiet = mtime;
    let mtime = Some(mtime);
    if let Some(m) = next.merge {
        let dir = folder.join(&m.name);
        let header = Header::Merge {
            branches: m.merged.branches.clone(),
        };
        let up = format!(
            "{}-- merge: the branches above were made in parallel and change different objects, so their\n\
             -- migrations run in either order. This migration runs no SQL: it records that they were merged\n\
             -- (the combined schema is in .model/{}.json).\n",
            header.render(),
            m.name
        );
        emit::write_if_changed(&dir.join("up.sql"), &up, mtime)?;
        emit::write_if_changed(&dir.join("down.sql"), "-- undo merge: nothing to run\n", mtime)?;
        let heads: Vec<String> = m.merged.branches.iter().map(|b| b.head.clone()).collect();
        let record = Snapshot::new(dialect, &m.name, m.merged.schema)
            .with_parents(heads)
            .with_kind(Kind::Merge);
        emit::write_if_changed(&Snapshot::path(folder, &m.name), &record.to_json(), mtime)?;
        written.merge = Some(dir);
    }
    let (name, parents, migration) = match next.change {
        Change::Nothing => return Ok(written),
        Change::Remove { old } => {
            draft::keep(folder, &folder.join(&old), &old)?;
            draft::remove(folder, &old, quiet)?;
            written.removed = Some(old);
            return Ok(written);
        }
        Change::Rewrite {
            old,
            name,
            parents,
            migration,
        } => {
            draft::keep(folder, &folder.join(&old), &old)?;
            if old != name {
                draft::remove(folder, &old, quiet)?;
            } else {
                // files the new text does not have (metadata.toml) go
                let stale = folder.join(&old).join("metadata.toml");
                if stale.is_file() && emit::metadata_toml(&migration).is_none() {
                    std::fs::remove_file(&stale).map_err(|source| BuildError::Io { path: stale, source })?;
                }
            }
            (name, parents, migration)
        }
        Change::New {
            name,
            parents,
            migration,
        } => (name, parents, migration),
    };
    let dir = folder.join(&name);
    let header = Header::Generated {
        parents: parents.clone(),
    };
    emit::write_if_changed(
        &dir.join("up.sql"),
        &format!("{}{}", header.render(), migration.up_sql),
        mtime,
    )?;
    emit::write_if_changed(&dir.join("down.sql"), &migration.down_sql, mtime)?;
    if let Some(metadata) = emit::metadata_toml(&migration) {
        emit::write_if_changed(&dir.join("metadata.toml"), &metadata, mtime)?;
    }
    let record = Snapshot::new(dialect, &name, models.clone()).with_parents(parents);
    emit::write_if_changed(&Snapshot::path(folder, &name), &record.to_json(), mtime)?;
    written.migration = Some(dir);
    Ok(written)
}

/// Write a record for each hand-written migration that has none: its place in the graph (after the
/// migration before it) and its parent's schema.
pub(super) fn record_manual(
    folder: &Path,
    history: &History,
    dialect: crate::ir::Dialect,
    mtime: FileTime,
) -> Result<Vec<String>, BuildError> {
    let mut done = Vec::new();
    for name in &history.unrecorded {
        let Some(node) = history.graph.node(name) else { continue };
        let record = Snapshot::new(dialect, name, history.schema(name)?)
            .with_parents(node.parents.clone())
            .with_kind(Kind::Manual);
        emit::write_if_changed(&Snapshot::path(folder, name), &record.to_json(), Some(mtime))?;
        done.push(name.clone());
    }
    Ok(done)
}
