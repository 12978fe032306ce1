//! The build step over the model files that changed since its last run, for a run of the build
//! script (through the memo, see [`Builder::run_memoized`](super::Builder)): the models of the other
//! files are not deserialized, and neither are their tables in the head's record. What the last
//! run saw of them is in the head index (see the `head_index` module): each unchanged file's
//! tables, which the head's record holds exactly as the models have them, the tables their foreign
//! keys reference, and what the schema file needs of each model. In a build script compiled
//! without optimisation, as Cargo compiles build scripts by default, deserializing a thousand
//! models is most of the work of a run that adds one table.
//!
//! The run reads the decoded models' tables and the head record's tables of the same names (and
//! those their foreign keys reference, on both sides), plans the change between those, writes the
//! new record as the head's with those tables replaced, and renders the schema file from the
//! index's entries and the decoded models. The files whose models reference a table that changed
//! are decoded too, so the rules across models and the schema file's joins see them.
//!
//! It gives way to the whole run ([`Builder::run`], which writes the same bytes) whenever it
//! cannot be sure of that cheaply: no index of the head's record as it is now, errors in the models
//! (the whole run reports them with all the context), enums or objects beyond tables (a PostgreSQL
//! enum type or a view belongs to no one table), several heads, hand-written migrations without a
//! record, or a head that may be a draft (rewritten from its parent's record).

use super::draft::Verdict;
use super::git;
use super::head_index::{self, FileLine, HeadIndex, TableLine, TableRef};
use super::scan;
use super::scan_cache::{self, ScanCache};
use super::step::{self, Base, Found, State};
use super::{draft, lock, objects, quiet_mtime, read_history, rewrites, schema_file, sealed_because, validate};
use super::{BuildError, Builder, Mode, Report};
use crate::emit::{self, RecordTables, Snapshot};
use crate::ir::{Schema, Table};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

impl Builder {
    /// The run over the files that changed (see the module): `None` when the whole run has to do
    /// it, before anything is written but the scan cache.
    pub(super) fn run_delta(&self, out_dir: &Path) -> Result<Option<Report>, BuildError> {
        let cfg = &self.config;
        if self.mode != Mode::Write || !cfg.migrations.is_dir() {
            return Ok(None);
        }
        let key = head_index::key(cfg);
        let Some((index, enums_hash)) = HeadIndex::load_any(out_dir, &key) else {
            return Ok(None);
        };
        let cache_path = out_dir.join(scan_cache::FILE_NAME);
        let mut cache = ScanCache::load(&cache_path, cfg.dialect, cfg.schema.as_deref());
        let mut saved = None;
        let done = self.delta(out_dir, &key, &index, enums_hash, (&mut cache, &cache_path, &mut saved));
        // whatever became of the run (the cache saved already, or now): the whole run then finds
        // the files parsed here
        let saved = saved.unwrap_or_else(|| cache.save(&cache_path));
        let done = done?;
        saved?;
        Ok(done)
    }

    /// [`Builder::run_delta`] with the head index `index` (under `key`, of enums hashing to
    /// `enums_hash`) and the scan cache (saved to its path, the result in the last of the three,
    /// when the run gets to write).
    fn delta(
        &self,
        out_dir: &Path,
        key: &str,
        index: &HeadIndex,
        enums_hash: u64,
        (cache, cache_path, saved): (&mut ScanCache, &Path, &mut Option<Result<(), emit::EmitError>>),
    ) -> Result<Option<Report>, BuildError> {
        let cfg = &self.config;
        // the files whose every table the index lists, as of their text now (by the bytes of
        // their paths: comparing paths component by component is slow without optimisation), with
        // their positions in the index
        let lines: Vec<&FileLine> = index.file_paths().iter().filter_map(|f| index.files.get(f)).collect();
        if lines.len() != index.file_paths().len() {
            return Ok(None);
        }
        let files: BTreeMap<&[u8], (usize, &FileLine)> = index
            .file_paths()
            .iter()
            .zip(&lines)
            .enumerate()
            .map(|(no, (f, l))| (bytes(f), (no, *l)))
            .collect();
        let unchanged = |file: &Path, hash: u64| {
            files
                .get(bytes(file))
                .is_some_and(|(_, f)| f.hash == hash && !f.enums && !f.views)
        };
        // (a file whose stamp is the one the index has is not even read)
        let known = |file: &Path, stamp: scan::Stamp| {
            files
                .get(bytes(file))
                .filter(|(_, f)| f.stamp == Some(stamp))
                .map(|(_, f)| f.hash)
        };
        // the changed files parsed on another thread while this one reads the index's tables,
        // and git asked meanwhile whether the head's migration, as the index knows it, is committed
        // (a process of its own, which takes a few milliseconds; its answer is waited for only when
        // the run has a change, and used only for that head, see below)
        let head_record = format!("{}/{}.json", emit::SNAPSHOT_DIR, index.head);
        let ahead = [index.head.as_str(), head_record.as_str()];
        // and, meanwhile too, the schema entries of the index's tables read (the unchanged models'
        // lines of the schema file) and the head's record as the index knows it (used only if it is
        // still that record once the folder is locked, see below)
        let indexed_record = Snapshot::path(&cfg.migrations, &index.head);
        let mut ahead_text = None;
        let asked = git::ask_tracked(&cfg.migrations, &ahead);
        // (the entries of the second half of the tables after the scan, on its thread, those of
        // the first half after the index's lines and the record, on this one: both are short for
        // an edit)
        let entries = |first: bool| -> Vec<Option<schema_file::SchemaEntry<'_>>> {
            let half = index.table_count() / 2;
            let range = if first { 0..half } else { half..usize::MAX };
            index.tables_in(range).map(|t| t.entry()).collect()
        };
        let ((found, second), (read, mut entries_ahead)) = super::beside(
            || (scan::scan_skipping(cfg, cache, known, unchanged), entries(false)),
            || {
                let read = index.read_lines();
                if index.is_of(&index.head, &indexed_record) {
                    ahead_text = std::fs::read_to_string(&indexed_record).ok();
                }
                (read, entries(true))
            },
        );
        entries_ahead.extend(second);
        let found = found?;
        if !read {
            return Ok(None);
        }
        let (mut scan, skipped, hashes, stamps) = (found.scan, found.skipped, found.hashes, found.stamps);
        if skipped.is_empty() || !scan.errors.is_empty() || !scan.failed.is_empty() || !scan.enums.is_empty() {
            return Ok(None);
        }
        // every table of a file not decoded is in the index (else the whole run: a name that did
        // not fit in a line)
        let mut listed = vec![0usize; lines.len()];
        for t in index.tables() {
            if lines[t.file_no].hash == t.hash {
                listed[t.file_no] += 1;
            }
        }
        if head_index::enums_hash(&scan.enums) != enums_hash {
            return Ok(None);
        }
        let gathered = objects::gather(cfg, &scan.models);
        if !gathered.objects.is_empty() || !gathered.problems.is_empty() || !gathered.files.is_empty() {
            return Ok(None);
        }
        // the tables of the files not decoded, by name
        let mut skip = vec![false; lines.len()];
        for f in &skipped {
            match files.get(bytes(f)) {
                Some((no, line)) if listed[*no] == line.tables => skip[*no] = true,
                _ => return Ok(None),
            }
        }
        let mut others: Vec<TableRef<'_>> = index.tables().filter(|t| skip[t.file_no]).collect();
        let other = |others: &[TableRef<'_>], name: &str| others.binary_search_by(|t| t.name.cmp(name)).is_ok();

        let mtime = quiet_mtime(&scan.files, cfg);
        let _lock = lock::FolderLock::exclusive(&cfg.migrations, mtime)?;
        let (folder, history) = read_history(cfg)?;
        let heads = history.graph.heads();
        let [head] = heads.as_slice() else {
            return Ok(None);
        };
        let head = (*head).clone();
        drop(heads);
        let record_path = Snapshot::path(&folder.path, &head.name);
        if !history.unrecorded.is_empty() || !index.is_of(&head.name, &record_path) {
            return Ok(None);
        }
        // (the text read ahead is of this record: the same file, and its length and time are still
        // the ones the index has, as they were before it was read)
        let text = match ahead_text.filter(|_| record_path == indexed_record) {
            Some(text) => text,
            None => std::fs::read_to_string(&record_path).map_err(|source| BuildError::Io {
                path: record_path.clone(),
                source,
            })?,
        };
        let spans_of = |name: &str| index.spans(name).map_or(&[][..], Vec::as_slice);
        let record = RecordTables::at(&text, spans_of(&head.name)).or_else(|| RecordTables::of(&text));
        let Some(record) = record.filter(|r| no_objects(&record_path, &text, r)) else {
            return Ok(None);
        };
        let read = |name: &str| record.table(name, &record_path).map_err(BuildError::Emit);

        // the record's tables that no unchanged file accounts for, and the decoded models': what
        // may have changed
        let mut names: BTreeSet<String> = record
            .names
            .iter()
            .filter(|n| !other(&others, n))
            .map(|n| n.to_string())
            .collect();
        names.extend(scan.models.iter().map(|m| m.table.name.clone()));
        let mut old: BTreeMap<String, Table> = BTreeMap::new();
        for name in &names {
            if let Some(t) = read(name)? {
                old.insert(name.clone(), t);
            }
        }
        let changed: BTreeSet<&str> = {
            let new: BTreeMap<&str, &Table> = scan.models.iter().map(|m| (m.table.name.as_str(), &m.table)).collect();
            names
                .iter()
                .filter(|n| old.get(n.as_str()) != new.get(n.as_str()).copied())
                .map(String::as_str)
                .collect()
        };
        // the models that reference a changed table: decoded too (their joins and rules may change)
        let affected: BTreeMap<usize, &Path> = others
            .iter()
            .filter(|t| t.refs().any(|r| changed.contains(r)))
            .map(|t| (t.file_no, t.file))
            .collect();
        let changed: BTreeSet<String> = changed.into_iter().map(str::to_string).collect();
        for (no, file) in affected {
            let Some((models, _)) = cache.kept(file).as_deref().and_then(scan_cache::decode) else {
                return Ok(None);
            };
            for m in models {
                if let Some(t) = read(&m.table.name)? {
                    old.insert(m.table.name.clone(), t);
                }
                names.insert(m.table.name.clone());
                scan.models.push(m);
            }
            skip[no] = false;
        }
        others.retain(|t| skip[t.file_no]);

        // a table of a decoded model that an unchanged file declares too, or one the configuration
        // leaves out: errors, which the whole run reports
        let mut seen = BTreeSet::new();
        let clash = scan.models.iter().any(|m| {
            !seen.insert(m.table.name.as_str()) || other(&others, &m.table.name) || !cfg.tables.allows(&m.table.name)
        });
        if clash {
            return Ok(None);
        }
        // the unchanged tables the foreign keys of those read reference: read, the same on both sides
        let mut extra: BTreeMap<String, Table> = BTreeMap::new();
        let targets: BTreeSet<&str> = scan
            .models
            .iter()
            .map(|m| &m.table)
            .chain(old.values())
            .flat_map(|t| t.foreign_keys.iter().map(|fk| fk.ref_table.as_str()))
            .filter(|r| !names.contains(*r))
            .collect();
        for target in targets {
            if let Some(t) = read(target)? {
                extra.insert(target.to_string(), t);
            }
        }
        let new_schema = Schema::new(
            scan.models
                .iter()
                .map(|m| m.table.clone())
                .chain(extra.values().cloned())
                .collect(),
        );
        let problems = validate::validate(&scan.models, &[], &[], &new_schema, cfg.dialect);
        if !problems.is_empty() {
            return Ok(None);
        }
        // what the change is planned between: the head's tables read, and the models' same tables
        // (the decoded models', and the unchanged ones read from the head); when the head may be a
        // draft, which is rewritten from its parent, also the tables the draft changed, and the
        // parent's same tables
        let mut head_tables: BTreeMap<String, Table> = old.into_iter().chain(extra).collect();
        let mut found = None;
        // the draft's parent, and where its tables are in its text, when read
        let mut parent_spans: Option<(String, emit::Spans)> = None;
        if !changed.is_empty() {
            let ask = |path: &Path, paths: &[&str]| match path == cfg.migrations && paths == ahead {
                true => asked.answer(),
                false => git::tracked(path, paths),
            };
            found = Some(match draft::untracked_generated_asking(&history, &folder, &head, ask) {
                None => Found::Sealed(None),
                Some(tracked) => {
                    let (parent_name, parent) = match head.parents.as_slice() {
                        [parent] => (parent.clone(), Snapshot::path(&folder.path, parent)),
                        _ => {
                            return Ok(None);
                        }
                    };
                    let ptext = std::fs::read_to_string(&parent).unwrap_or_default();
                    let precord = RecordTables::at(&ptext, spans_of(&parent_name)).or_else(|| RecordTables::of(&ptext));
                    let Some(precord) = precord.filter(|r| no_objects(&parent, &ptext, r)) else {
                        return Ok(None);
                    };
                    parent_spans = Some((parent_name, precord.spans(&ptext)));
                    let pread = |name: &str| precord.table(name, &parent).map_err(BuildError::Emit);
                    // (records are written canonically: a table the draft changed has another text)
                    let drafted = differing(&record, &precord);
                    for name in &drafted {
                        if !head_tables.contains_key(*name) {
                            if let Some(t) = read(name)? {
                                head_tables.insert(name.to_string(), t);
                            }
                        }
                    }
                    let mut parent_tables: BTreeMap<String, Table> = BTreeMap::new();
                    let wanted = head_tables
                        .keys()
                        .map(String::as_str)
                        .chain(names.iter().map(String::as_str));
                    for name in wanted.chain(drafted.iter().copied()) {
                        if !parent_tables.contains_key(name) {
                            if let Some(t) = pread(name)? {
                                parent_tables.insert(name.to_string(), t);
                            }
                        }
                    }
                    // the tables their foreign keys reference, read on both sides
                    let targets: BTreeSet<String> = head_tables
                        .values()
                        .chain(parent_tables.values())
                        .chain(scan.models.iter().map(|m| &m.table))
                        .flat_map(|t| t.foreign_keys.iter().map(|fk| fk.ref_table.clone()))
                        .filter(|r| !head_tables.contains_key(r) && !names.contains(r))
                        .collect();
                    for target in &targets {
                        if let Some(t) = read(target)? {
                            head_tables.insert(target.clone(), t);
                        }
                        if let Some(t) = pread(target)? {
                            parent_tables.insert(target.clone(), t);
                        }
                    }
                    for name in head_tables.keys() {
                        if !parent_tables.contains_key(name) {
                            if let Some(t) = pread(name)? {
                                parent_tables.insert(name.clone(), t);
                            }
                        }
                    }
                    let parent = Schema::new(parent_tables.into_values().collect());
                    let head_schema = Schema::new(head_tables.values().cloned().collect());
                    let given = Some((&parent, &head_schema));
                    match draft::verdict_given(&history, &folder, &head, &self.plan_options(), tracked, given)? {
                        Verdict::Draft => Found::Draft(parent),
                        Verdict::Sealed(why) => Found::Sealed(why),
                    }
                }
            });
        }
        // the models' side: the decoded models', and the unchanged models' (as the head has them)
        let new_schema = Schema::new(
            scan.models
                .iter()
                .map(|m| m.table.clone())
                .chain(
                    head_tables
                        .iter()
                        .filter(|(n, _)| other(&others, n))
                        .map(|(_, t)| t.clone()),
                )
                .collect(),
        );

        let mut report = Report {
            how: super::How::Delta,
            ..Report::default()
        };
        report.watched.push(cfg.manifest_dir.join("Cargo.toml"));
        report.watched.extend(cfg.models.iter().cloned());
        // the schema file: the unchanged models' entries as the index has them, the others made now
        let lookup = |name: &str| new_schema.table(name);
        let Some(mut entries) = others
            .iter()
            .map(|t| entries_ahead.get_mut(t.pos).and_then(Option::take))
            .collect::<Option<Vec<_>>>()
        else {
            return Ok(None);
        };
        entries.extend(scan.models.iter().map(|m| schema_file::SchemaEntry::of(m, lookup)));
        let path = out_dir.join(schema_file::FILE_NAME);
        // from here on nothing gives way to the whole run: the schema file is rendered and the
        // scan cache saved on another thread while this one plans and writes (both are work over
        // every model, which is slow in a build script compiled without optimisation)
        let cache: &ScanCache = cache;
        let aside = || {
            let text = schema_file::render_entries(&entries, &Schema::default(), &cfg.tables);
            (emit::write_if_changed(&path, &text, None), cache.save(cache_path))
        };
        let ((wrote, cache_saved), done) = super::beside(aside, || -> Result<Report, BuildError> {
            let mut report = report;
            report.watched.push(cfg.migrations.clone());
            self.history_warnings(&folder, &history, &mut report);

            // the change, between the tables read
            let old_schema = Schema::new(head_tables.values().cloned().collect());
            let next = match found {
                None => step::Next {
                    merge: None,
                    change: step::Change::Nothing,
                    sealed_because: None,
                },
                Some(found) => self.next(&folder, &history, &new_schema, State::Given(old_schema.clone(), found))?,
            };
            report.warnings.extend(sealed_because(&next));
            report.warnings.extend(rewrites(&next.change));
            let (record_name, after) = match step::after(&next, Some(&head.name), Some(&old_schema), &new_schema) {
                Some((name, after)) => (name, Some(after.clone())),
                None => (head.name.clone(), None),
            };
            let replaced = |name: &str| head_tables.contains_key(name) || new_schema.table(name).is_some();
            let base = Base::Overlay {
                record: &record,
                replaced: &replaced,
                old: &head_tables,
            };
            // the parent of the head after this run: the head (a migration after it), the draft's
            // parent (the draft rewritten), the head's parent (nothing written), or a part written now
            let after_parent = match &next.change {
                step::Change::New { rest, .. } if rest.parts.is_empty() => Some(head.name.clone()),
                step::Change::Rewrite { parents, rest, .. } if rest.parts.is_empty() => parents.first().cloned(),
                step::Change::Nothing => head.parents.first().cloned(),
                _ => None,
            };
            let mut written = step::write(&folder.path, next, &new_schema, cfg.dialect, mtime, base)?;
            // where the tables are in the records of the head after this run and of its parent
            let mut spans: Vec<(String, emit::Spans)> = Vec::new();
            match written.spans.take() {
                Some((name, Some(s))) => spans.push((name, s)),
                Some((_, None)) => {}
                None => spans.push((head.name.clone(), record.spans(&text))),
            }
            match after_parent {
                Some(p) if p == head.name => spans.push((p, record.spans(&text))),
                Some(p) => match parent_spans.filter(|(n, _)| *n == p) {
                    Some(known) => spans.push(known),
                    None => spans.extend(index.spans(&p).map(|s| (p.clone(), s.clone()))),
                },
                None => {}
            }

            // the index of the head after this run: the unchanged files' lines as they were, the
            // decoded models' made now
            let hash_of = |f: &Path| hashes.get(f).copied();
            match after {
                Some(after) => {
                    let tables: BTreeMap<String, TableLine> =
                        head_index::entries(&scan.models, &after, hash_of, lookup);
                    let (kept, decoded): (Vec<&PathBuf>, Vec<&PathBuf>) = scan
                        .files
                        .iter()
                        .partition(|f| files.get(bytes(f)).is_some_and(|(no, _)| skip[*no]));
                    let decoded: Vec<PathBuf> = decoded.into_iter().cloned().collect();
                    let mut files: BTreeMap<PathBuf, FileLine> =
                        head_index::file_lines(&decoded, &scan.models, &scan.enums, hash_of, |f| {
                            stamps.get(f).copied()
                        });
                    files.extend(
                        kept.into_iter()
                            .filter_map(|f| Some((f.clone(), index.files.get(f)?.clone()))),
                    );
                    HeadIndex::record(
                        out_dir,
                        key,
                        enums_hash,
                        (&record_name, &Snapshot::path(&folder.path, &record_name)),
                        &files,
                        (&others, Some(index)),
                        &tables,
                        &spans.iter().map(|(r, s)| (r.as_str(), s)).collect::<Vec<_>>(),
                    );
                }
                None => HeadIndex::remove(out_dir),
            }
            report.merged = written.merge;
            report.written = written.migration;
            report.more = written.more;
            report.removed = written.removed;
            Ok(report)
        });
        *saved = Some(cache_saved);
        wrote?;
        let mut report = done?;
        report.schema_file = Some(path);
        Ok(Some(report))
    }
}

/// The bytes of a path, to compare paths fast.
fn bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// The names of the tables whose texts differ between two records (or that one of them has): one
/// walk over both sorted lists.
fn differing<'a>(a: &RecordTables<'a>, b: &RecordTables<'a>) -> BTreeSet<&'a str> {
    let mut out = BTreeSet::new();
    let (mut i, mut j) = (0, 0);
    while i < a.names.len() || j < b.names.len() {
        match (a.names.get(i), b.names.get(j)) {
            (Some(x), Some(y)) if x == y => {
                if a.segments[i] != b.segments[j] {
                    out.insert(*x);
                }
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                out.insert(*x);
                i += 1;
            }
            (Some(x), None) => {
                out.insert(*x);
                i += 1;
            }
            (_, Some(y)) => {
                out.insert(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// Whether the record `path` (its `text`, whose tables are `tables`) holds nothing beyond tables.
fn no_objects(path: &Path, text: &str, tables: &RecordTables<'_>) -> bool {
    Snapshot::parse(path, &tables.shell(text)).is_ok_and(|s| s.schema.has_no_objects())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differing_tables_of_two_records() {
        let record = |tables: &[(&'static str, &'static str)]| RecordTables {
            names: tables.iter().map(|t| t.0).collect(),
            segments: tables.iter().map(|t| t.1).collect(),
        };
        let a = record(&[("a", "1"), ("b", "2"), ("d", "4"), ("e", "5")]);
        let b = record(&[("b", "2"), ("c", "3"), ("d", "x"), ("f", "6")]);
        let names = |set: BTreeSet<&'static str>| set.into_iter().collect::<Vec<_>>();
        assert_eq!(names(differing(&a, &b)), ["a", "c", "d", "e", "f"]);
        assert_eq!(names(differing(&b, &a)), ["a", "c", "d", "e", "f"]);
        assert!(differing(&a, &a).is_empty());
        assert_eq!(names(differing(&a, &record(&[]))), ["a", "b", "d", "e"]);
    }
}
