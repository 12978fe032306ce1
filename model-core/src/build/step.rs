//! The migrations part of the build step: merge the branches of the history, then write (or
//! rewrite, when the newest migration is a draft) the migration from the recorded state to the
//! models.

use super::draft::{self, Verdict};
use super::{BuildError, Builder, Mode};
use crate::emit::{self, History, MigrationsFolder, Snapshot};
use crate::graph::merge::{merge, Merged};
use crate::graph::{version_of, Header, Kind};
use crate::ir::{Schema, Table};
use crate::plan::{plan_change, plan_migration, Migration, Part, PlanOptions};
use chrono::Utc;
use filetime::FileTime;
use std::collections::BTreeMap;
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
        /// The schema after it, and the migrations that carry out the rest of the change (online
        /// forms, see [`plan_change`]).
        rest: Rest,
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
        /// See [`Change::New`].
        rest: Rest,
    },
    /// The draft `old` removed: the models are back where its parent was.
    Remove {
        /// The draft's folder name.
        old: String,
    },
}

/// The schema after a change's first migration, and the migrations after it (folder name, part).
#[derive(Debug, Clone, Default)]
pub(super) struct Rest {
    /// The schema after the first migration (the models' when there is no other).
    pub schema: Option<Schema>,
    /// The folders that follow, each after the one before.
    pub parts: Vec<(String, Part)>,
}

impl Rest {
    /// The first part of `parts` and the rest, the folders after the first named with versions after
    /// `versions` (which gets them) made at `now`.
    fn split(
        mut parts: Vec<Part>,
        versions: &mut MigrationsFolder,
        now: chrono::DateTime<Utc>,
    ) -> Result<(Migration, Rest), BuildError> {
        let mut rest = Rest::default();
        if parts.is_empty() {
            return Err(BuildError::Io {
                path: versions.path.clone(),
                source: std::io::Error::other("a change planned as no migration"),
            });
        }
        let first = parts.remove(0);
        rest.schema = Some(first.schema);
        for part in parts {
            let name = format!("{}_{}", emit::next_version(versions, now)?, part.migration.name);
            versions.migrations.push(emit::MigrationDir {
                version: version_of(&name),
                path: versions.path.join(&name),
                name: name.clone(),
            });
            rest.parts.push((name, part));
        }
        Ok((first.migration, rest))
    }

    /// What [`Rest::split`] takes for the folder name of the first part.
    fn reserve(versions: &mut MigrationsFolder, name: &str) {
        versions.migrations.push(emit::MigrationDir {
            version: version_of(name),
            path: versions.path.join(name),
            name: name.to_string(),
        });
        versions
            .migrations
            .sort_by(|a, b| (&a.version, &a.name).cmp(&(&b.version, &b.name)));
    }
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

/// The schema recorded at the history's single head, as [`Builder::next`] takes it.
// (one value per run, moved once: boxing the large variant would buy nothing)
#[allow(clippy::large_enum_variant)]
pub(super) enum State<'a> {
    /// Read from the head's record, with the tables the models have unchanged taken from them
    /// (see [`History::schema_reusing`]).
    Reusing(&'a BTreeMap<&'a str, &'a Table>),
    /// Given: some of the head's tables, with the models' same tables beside it (the build step's
    /// run over the files that changed, see the `delta` module), and what the caller found of the
    /// head.
    Given(Schema, Found),
}

/// What the caller of [`Builder::next`] found of the head (see [`draft::verdict`]).
pub(super) enum Found {
    /// A draft, whose parent has these tables (the same names as the head's given).
    Draft(Schema),
    /// Sealed; with the reason when only git's answer sealed it.
    Sealed(Option<String>),
}

impl Builder {
    /// Decide what to write, reading `history` (of `folder`) and the models.
    pub(super) fn next(
        &self,
        folder: &MigrationsFolder,
        history: &History,
        models: &Schema,
        given: State<'_>,
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
            let state = match (head.as_deref(), &given) {
                (_, State::Given(schema, _)) => schema.clone(),
                (Some(h), State::Reusing(known)) => {
                    // the tables not known deserialized on several threads (slow without optimisation)
                    let read_all = |texts: &[&str]| super::par_map(texts.len(), |i| serde_json::from_str(texts[i]));
                    history.schema_reusing(h, known, &read_all)?
                }
                (None, State::Reusing(_)) => Schema::default(),
            };
            (head, state, None)
        };
        let found = match given {
            State::Given(_, found) => Some(found),
            State::Reusing(_) => None,
        };
        // whether the models changed (the data-loss guard comes below: a draft is rewritten from its
        // parent, so what it alone added can go without the guard)
        let detect = PlanOptions {
            allow_data_loss: true,
            allow_rewrite: true,
            ..self.plan_options()
        };
        // planned once: the options only add refusals (data loss, rewrites), so a plan they let
        // through is the detected change itself; a refused one is planned again without them
        let planned = plan_change(&state, models, &self.plan_options());
        let refused = planned.is_err();
        let detected = match planned {
            Ok(parts) => parts,
            Err(_) => plan_change(&state, models, &detect)?,
        };
        let Some(detected) = detected else {
            return Ok(Next {
                merge: merge_step,
                change: Change::Nothing,
                sealed_because: None,
            });
        };
        if self.mode == Mode::Check {
            return Err(BuildError::Pending {
                folder: folder.path.clone(),
                changes: crate::ops::describe_all(detected.iter().flat_map(|p| p.migration.ops.iter())),
            });
        }
        let mut sealed_because = None;
        if let (None, Some(head)) = (&merge_step, heads.first()) {
            let (verdict, parent) = match found {
                Some(Found::Draft(parent)) => (Verdict::Draft, Some(parent)),
                Some(Found::Sealed(why)) => (Verdict::Sealed(why), None),
                None => (draft::verdict(history, folder, head, &self.plan_options())?, None),
            };
            match verdict {
                Verdict::Draft => {
                    let given = parent.map(|p| (p, &state));
                    let (old, parents) = (head.name.clone(), head.parents.clone());
                    return self.rewrite(folder, history, old, parents, models, now, given);
                }
                Verdict::Sealed(Some(why)) => sealed_because = Some((head.name.clone(), why)),
                Verdict::Sealed(None) => {}
            }
        }
        let parts = if refused {
            plan_change(&state, models, &self.plan_options())?.unwrap_or(detected)
        } else {
            detected
        };
        let version = emit::next_version(&versions, now)?;
        let name = format!("{version}_{}", self.name.as_deref().unwrap_or(&parts[0].migration.name));
        Rest::reserve(&mut versions, &name);
        let (migration, rest) = Rest::split(parts, &mut versions, now)?;
        Ok(Next {
            merge: merge_step,
            change: Change::New {
                name,
                parents: head.into_iter().collect(),
                migration,
                rest,
            },
            sealed_because,
        })
    }

    /// The rewrite of the draft `old` following `parents`, from its parent to the models; `given`,
    /// some tables of the parent and of the draft's record (those of `models`, see the `delta`
    /// module) instead of reading them.
    #[allow(clippy::too_many_arguments)]
    fn rewrite(
        &self,
        folder: &MigrationsFolder,
        history: &History,
        old: String,
        parents: Vec<String>,
        models: &Schema,
        now: chrono::DateTime<Utc>,
        given: Option<(Schema, &Schema)>,
    ) -> Result<Next, BuildError> {
        let cfg = &self.config;
        let (parent, draft) = match given {
            Some((parent, draft)) => (parent, Some(draft)),
            None => match parents.first() {
                Some(p) => (history.schema(p)?, None),
                None => (Schema::default(), None),
            },
        };
        let change = match plan_change(&parent, models, &self.plan_options())? {
            None => Change::Remove { old },
            Some(parts) => {
                let mut versions = folder.clone();
                let (migration, rest) = Rest::split(parts, &mut versions, now)?;
                let (version, label) = old.split_once('_').unwrap_or((&old, ""));
                // a name given with `--name` (it differs from the one the change made) stays
                let draft = match draft {
                    Some(d) => std::borrow::Cow::Borrowed(d),
                    None => std::borrow::Cow::Owned(history.schema(&old)?),
                };
                let made = plan_migration(&parent, &draft, cfg.dialect, true)?.map(|m| m.name);
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
                    rest,
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

/// The record the head is once `next` is written, and the schema it holds: the head's own
/// (`head`, its schema `recorded`) when nothing changes, the last folder the change writes
/// otherwise; `None` after a merge or the removal of a draft (the head index is then not kept).
pub(super) fn after<'a>(
    next: &'a Next,
    head: Option<&str>,
    recorded: Option<&'a Schema>,
    models: &'a Schema,
) -> Option<(String, &'a Schema)> {
    if next.merge.is_some() {
        return None;
    }
    match &next.change {
        Change::Nothing => Some((head?.to_string(), recorded?)),
        Change::New { name, rest, .. } | Change::Rewrite { name, rest, .. } => Some(match rest.parts.last() {
            Some((last, part)) => (last.clone(), &part.schema),
            None => (name.clone(), rest.schema.as_ref().unwrap_or(models)),
        }),
        Change::Remove { .. } => None,
    }
}

/// What [`write`] wrote.
#[derive(Debug, Default)]
pub(super) struct Written {
    /// The merge migration's folder.
    pub merge: Option<PathBuf>,
    /// The new or rewritten migration's folder.
    pub migration: Option<PathBuf>,
    /// The folders written after it for the same change (online forms), in order.
    pub more: Vec<PathBuf>,
    /// The draft removed.
    pub removed: Option<String>,
    /// The last record written (the head after the change) and where its tables are in its text.
    /// (`None` for the places when they are not known.)
    pub spans: Option<(String, Option<emit::Spans>)>,
}

/// The head's record, which the records [`write`] writes copy the text of unchanged tables from.
#[derive(Clone, Copy)]
pub(super) enum Base<'a> {
    /// None: every table is serialized.
    None,
    /// A recorded schema with the text of its record (see [`Snapshot::into_json_reusing`]).
    Whole(&'a Schema, &'a str),
    /// The record of which the schemas written hold only the tables `replaced` names:
    /// the others are copied from it (see [`Snapshot::into_json_overlay`]); `old` are the tables of
    /// the record that were read.
    Overlay {
        /// The record's tables.
        record: &'a crate::emit::RecordTables<'a>,
        /// The tables the schemas written hold in place of the record's.
        replaced: &'a dyn Fn(&str) -> bool,
        /// The record's tables that were read, by name.
        old: &'a BTreeMap<String, Table>,
    },
}

/// Write `next` into `folder`; the records copy what they can from `base`.
pub(super) fn write(
    folder: &Path,
    next: Next,
    models: &Schema,
    dialect: crate::ir::Dialect,
    mtime: FileTime,
    base: Base<'_>,
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
    let (name, parents, migration, rest) = match next.change {
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
            rest,
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
            (name, parents, migration, rest)
        }
        Change::New {
            name,
            parents,
            migration,
            rest,
        } => (name, parents, migration, rest),
    };
    let schema = rest.schema.unwrap_or_else(|| models.clone());
    let (dir, spans) = write_one(folder, &name, parents, &migration, schema, dialect, mtime, base)?;
    written.migration = Some(dir);
    written.spans = Some((name.clone(), spans));
    let mut parent = name;
    for (name, part) in rest.parts {
        let (dir, spans) = write_one(
            folder,
            &name,
            vec![parent],
            &part.migration,
            part.schema,
            dialect,
            mtime,
            base,
        )?;
        written.more.push(dir);
        written.spans = Some((name.clone(), spans));
        parent = name;
    }
    Ok(written)
}

/// Write the generated migration `name` (following `parents`, `schema` after it) and its record;
/// the folder, and where the tables are in the record's text.
#[allow(clippy::too_many_arguments)]
fn write_one(
    folder: &Path,
    name: &str,
    parents: Vec<String>,
    migration: &Migration,
    schema: Schema,
    dialect: crate::ir::Dialect,
    mtime: Option<FileTime>,
    base: Base<'_>,
) -> Result<(PathBuf, Option<emit::Spans>), BuildError> {
    let dir = folder.join(name);
    let header = Header::Generated {
        parents: parents.clone(),
    };
    emit::write_if_changed(
        &dir.join("up.sql"),
        &format!("{}{}", header.render(), migration.up_sql),
        mtime,
    )?;
    emit::write_if_changed(&dir.join("down.sql"), &migration.down_sql, mtime)?;
    if let Some(metadata) = emit::metadata_toml(migration) {
        emit::write_if_changed(&dir.join("metadata.toml"), &metadata, mtime)?;
    }
    let record = Snapshot::new(dialect, name, schema).with_parents(parents);
    let path = Snapshot::path(folder, name);
    // a record serialized whole: written, and its tables found in its text when not given
    let whole = |(json, spans): (String, Option<emit::Spans>)| -> Result<Option<emit::Spans>, BuildError> {
        emit::write_if_changed(&path, &json, mtime)?;
        Ok(spans.or_else(|| emit::RecordTables::of(&json).map(|r| r.spans(&json))))
    };
    let spans = match base {
        Base::None => whole(record.into_json_reusing(None))?,
        Base::Whole(schema, text) => whole(record.into_json_reusing(Some((schema, text))))?,
        Base::Overlay {
            record: base,
            replaced,
            old,
        } => {
            // (in parts, most of them the text of the record it is laid over)
            let (parts, spans) = record
                .into_json_overlay(base, replaced, old)
                .ok_or_else(|| BuildError::Io {
                    path: path.clone(),
                    source: std::io::Error::other(
                        "the newest migration's record changed while the build step read it: build again",
                    ),
                })?;
            emit::write_parts_if_changed(&path, &parts, mtime)?;
            Some(spans)
        }
    };
    Ok((dir, spans))
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
