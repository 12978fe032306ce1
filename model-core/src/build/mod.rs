//! The build step: `model::build::run()` in a crate's `build.rs`.
//!
//! It reads `[package.metadata.model]`, scans the model sources with the derive's own parser, compares
//! the models with the schema recorded at the last generated migration and, when they differ, writes one
//! new Diesel migration (`migrations/<version>_<name>/{up.sql,down.sql}`) plus the new recorded schema
//! (`migrations/.model/<version>_<name>.json`). It also writes `OUT_DIR/model_schema.rs`
//! (see [`schema_file`]) for `model::include_schema!()`.
//!
//! Guarantees: existing migrations are never touched; a file is written only when its content changes;
//! files it writes get the modification time of the newest model source, so Cargo does not run the
//! build script again because of them and a second `cargo build` recompiles nothing.
//!
//! Besides the models' tables it gathers the objects beyond tables ([`objects`]): views (structs with
//! `view = ".."` / `view_file = ".."`), the functions and triggers of the `objects` folder, and the
//! configured `extensions`; they are diffed and migrated like tables, and their files are watched.
//!
//! Environment: `MODEL_MIGRATIONS=write|check|off` (default `write`, `check` when `CI` is set),
//! `MODEL_ALLOW_DATA_LOSS=1` (let it write drops), `MODEL_ALLOW_REWRITE=1` (PostgreSQL with online
//! forms: let it write a change that rewrites a whole existing table).

mod delta;
pub mod draft;
pub mod enums;
mod error;
pub mod git;
mod head_index;
mod items;
mod lint_cache;
mod lock;
mod memo;
mod mode;
pub mod objects;
mod preview;
pub mod scan;
mod scan_cache;
pub mod schema_file;
mod step;
mod validate;

#[cfg(test)]
mod incremental_tests;
#[cfg(test)]
mod tests;

pub use error::{BuildError, SourceError};
pub use mode::{is_true, Mode};
pub use preview::Preview;

use crate::config::Config;
use crate::emit::{self, History, MigrationsFolder, Snapshot};
use crate::ir::Schema;
use chrono::{DateTime, Utc};
use filetime::FileTime;
use std::path::PathBuf;

/// A configured run of the build step. [`run`] builds one from the environment; tests build their own.
#[derive(Debug, Clone)]
pub struct Builder {
    config: Config,
    mode: Mode,
    allow_data_loss: bool,
    allow_rewrite: bool,
    out_dir: Option<PathBuf>,
    now: Option<DateTime<Utc>>,
    name: Option<String>,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The migration folder written (new, or a draft rewritten), if any.
    pub written: Option<PathBuf>,
    /// The folders written after it for the same change, in order: PostgreSQL's online forms write
    /// one change as several migrations (see [`crate::plan::plan_change`]).
    pub more: Vec<PathBuf>,
    /// The merge migration written first, when the history had branches not merged yet.
    pub merged: Option<PathBuf>,
    /// The draft removed because the models are back where it started (its folder name).
    pub removed: Option<String>,
    /// The schema file path, when `OUT_DIR` was given.
    pub schema_file: Option<PathBuf>,
    /// Paths Cargo should watch.
    pub watched: Vec<PathBuf>,
    /// Things the user should know that do not fail the build.
    pub warnings: Vec<String>,
    /// The models as one schema, once scanned and checked (see [`Builder::models`]).
    pub schema: Option<Schema>,
    /// PostgreSQL and MySQL/MariaDB: the statements of hand-written migrations that block a live
    /// table (see [`crate::lint`]); each is also one of the warnings. `model check` fails on them.
    pub lint: Vec<crate::lint::Finding>,
    /// How the run did its work.
    pub how: How,
}

/// How a run of the build step did its work ([`Report::how`]): what it writes is the same
/// whichever way, only the time differs.
///
/// ```
/// use model_core::build::How;
/// assert_eq!(How::default(), How::Whole);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum How {
    /// All of it: every model and the head's record read.
    #[default]
    Whole,
    /// Over the model files that changed since the last run (see the `delta` module).
    Delta,
    /// None: the memo of the last run said that no input changed.
    Memo,
}

impl Builder {
    /// A run for this configuration: mode `write`, no data loss allowed, no `OUT_DIR`.
    pub fn new(config: Config) -> Self {
        Builder {
            config,
            mode: Mode::Write,
            allow_data_loss: false,
            allow_rewrite: false,
            out_dir: None,
            now: None,
            name: None,
        }
    }

    /// The run Cargo asks for: configuration from `CARGO_MANIFEST_DIR`, `OUT_DIR`, and the
    /// `MODEL_MIGRATIONS`, `CI` and `MODEL_ALLOW_DATA_LOSS` variables.
    pub fn from_env() -> Result<Self, BuildError> {
        let var = |k: &str| std::env::var(k).ok();
        let mode = Mode::from_env_values(var("MODEL_MIGRATIONS").as_deref(), var("CI").as_deref())?;
        let allow = is_true(var("MODEL_ALLOW_DATA_LOSS").as_deref());
        let rewrite = is_true(var("MODEL_ALLOW_REWRITE").as_deref());
        Ok(Builder::new(Config::from_env()?)
            .mode(mode)
            .allow_data_loss(allow)
            .allow_rewrite(rewrite)
            .out_dir(std::env::var_os("OUT_DIR").map(PathBuf::from)))
    }

    /// Set the mode.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Allow migrations that lose data (drops).
    pub fn allow_data_loss(mut self, allow: bool) -> Self {
        self.allow_data_loss = allow;
        self
    }

    /// Allow migrations that rewrite a whole existing table (PostgreSQL with online forms, see
    /// [`crate::plan::rewrite`]): `MODEL_ALLOW_REWRITE=1`.
    pub fn allow_rewrite(mut self, allow: bool) -> Self {
        self.allow_rewrite = allow;
        self
    }

    /// How this run plans a change: the dialect, the online forms of the configuration, what is
    /// allowed.
    pub(crate) fn plan_options(&self) -> crate::plan::PlanOptions {
        crate::plan::PlanOptions {
            dialect: self.config.dialect,
            allow_data_loss: self.allow_data_loss,
            online: self.config.online,
            allow_rewrite: self.allow_rewrite,
        }
    }

    /// Where to write `model_schema.rs` (`None`: do not write it).
    pub fn out_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.out_dir = dir;
        self
    }

    /// The clock used for the new migration's version (default: now).
    pub fn now(mut self, now: DateTime<Utc>) -> Self {
        self.now = Some(now);
        self
    }

    /// The name part of the new migration's folder (`<version>_<name>`) instead of the descriptive one
    /// the step derives from the changes (e.g. `create_users_posts`). The caller keeps it to
    /// letters, digits, `_` and `-` (the `model generate --name` CLI checks it).
    ///
    /// ```
    /// # let config = model_core::config::Config::from_manifest(std::path::Path::new("/x"), "").unwrap();
    /// let builder = model_core::build::Builder::new(config).name("add_tags");
    /// # let _ = builder;
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Run the step.
    pub fn run(&self) -> Result<Report, BuildError> {
        let mut report = Report::default();
        let cfg = &self.config;
        report.watched.push(cfg.manifest_dir.join("Cargo.toml"));
        report.watched.extend(cfg.models.iter().cloned());
        // the hash and the stamp of each model file (for the head index)
        let mut file_hashes = std::collections::BTreeMap::new();
        let mut stamps = std::collections::BTreeMap::new();
        let mut saving = None;
        let scan = match &self.out_dir {
            Some(dir) => {
                let path = dir.join(scan_cache::FILE_NAME);
                let mut cache = scan_cache::ScanCache::load(&path, cfg.dialect, cfg.schema.as_deref());
                let found = scan::scan_skipping(cfg, &mut cache, |_, _| None, |_, _| false)?;
                (file_hashes, stamps) = (found.hashes, found.stamps);
                saving = Some((cache, path));
                found.scan
            }
            None => scan::scan(cfg)?,
        };
        // the scan cache saved on another thread while this one goes on (serializing the models of
        // the files parsed is slow in a build script compiled without optimisation); whatever the
        // run finds, the next one finds the files parsed here
        let save = || saving.as_ref().map(|(cache, path)| cache.save(path));
        let (saved, done) = beside(save, || self.run_scanned(report, scan, file_hashes, stamps));
        let report = done?;
        saved.transpose()?;
        Ok(report)
    }

    /// [`Builder::run`] once the models are scanned (`file_hashes` and `stamps`: the hashes and
    /// stamps of their files, when kept in `OUT_DIR`).
    fn run_scanned(
        &self,
        mut report: Report,
        mut scan: scan::Scan,
        file_hashes: std::collections::BTreeMap<PathBuf, u64>,
        stamps: std::collections::BTreeMap<PathBuf, scan::Stamp>,
    ) -> Result<Report, BuildError> {
        let cfg = &self.config;
        // the errors of single structs and those across models, in one report
        let mut problems = std::mem::take(&mut scan.errors);
        problems.extend(enums::resolve(&mut scan.models, &scan.enums, &scan.files));
        problems.extend(enums::mysql_values(&scan.enums, cfg.dialect));
        let mut gathered = objects::gather(cfg, &scan.models);
        report.watched.extend(gathered.files.iter().cloned());
        problems.append(&mut gathered.problems);
        let tables = scan.models.iter().filter(|m| m.view.is_none()).map(|m| m.table.clone());
        let schema = Schema::new(tables.collect()).with_objects(std::mem::take(&mut gathered.objects));
        problems.extend(validate::validate(
            &scan.models,
            &scan.failed,
            &scan.enums,
            &schema,
            cfg.dialect,
        ));
        problems.extend(objects::validate(&schema, &gathered));
        for m in &scan.models {
            if !cfg.tables.allows(&m.table.name) {
                problems.push(SourceError::at(
                    &m.file,
                    m.table_name_at.unwrap_or(m.at),
                    format!(
                        "struct `{}` declares table \"{}\", which [package.metadata.model] leaves out ({}): \
                         remove the struct, or change `include` / `exclude`",
                        m.ident,
                        m.table.name,
                        match cfg.tables.excluded_by(&m.table.name) {
                            Some(p) => format!("exclude = \"{p}\""),
                            None => "no `include` pattern matches it".to_string(),
                        }
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
            return Err(BuildError::Models(problems));
        }
        if let Some(dir) = &self.out_dir {
            let path = dir.join(schema_file::FILE_NAME);
            emit::write_if_changed(&path, &schema_file::render(&scan.models, &schema, &cfg.tables), None)?;
            report.schema_file = Some(path);
        }
        if self.mode == Mode::Off {
            report.schema = Some(schema);
            return Ok(report);
        }
        if cfg.migrations.is_dir() {
            report.watched.push(cfg.migrations.clone());
        }
        let mtime = quiet_mtime(&scan.files, cfg);
        // one build step at a time per folder (an editor's `cargo check` and a `cargo build`)
        let _lock = match self.mode {
            // (a crate with no model and no migrations folder gets none)
            Mode::Write if cfg.migrations.is_dir() || !schema.tables.is_empty() => {
                Some(lock::FolderLock::exclusive(&cfg.migrations, mtime)?)
            }
            Mode::Write => None,
            _ => lock::FolderLock::shared(&cfg.migrations)?,
        };
        let (folder, history) = read_history(cfg)?;
        self.history_warnings(&folder, &history, &mut report);
        if self.mode == Mode::Write && !history.unrecorded.is_empty() {
            step::record_manual(&folder.path, &history, cfg.dialect, mtime)?;
        }
        // the head's tables the last run left as the models have them: not deserialized again
        let index = self
            .out_dir
            .as_deref()
            .map(|dir| (dir, head_index::key(cfg), head_index::enums_hash(&scan.enums)));
        let hash_of = |f: &std::path::Path| file_hashes.get(f).copied();
        let single_head = match history.graph.heads().as_slice() {
            [head] => Some(head.name.clone()),
            _ => None,
        };
        let known = match (&index, &single_head) {
            (Some((dir, key, enums)), Some(head)) => head_index::HeadIndex::load(dir, key, *enums)
                .map(|i| i.known(head, &Snapshot::path(&folder.path, head), &scan.models, hash_of))
                .unwrap_or_default(),
            _ => std::collections::BTreeMap::new(),
        };
        let next = self.next(&folder, &history, &schema, step::State::Reusing(&known))?;
        report.warnings.extend(sealed_because(&next));
        if self.mode == Mode::Write {
            report.warnings.extend(rewrites(&next.change));
        }
        // the head's record, read to plan the change: the new records copy its unchanged tables
        let heads = history.graph.heads();
        let base = match heads.as_slice() {
            [head] => history.read_record(&head.name),
            _ => None,
        };
        let base_ref = match &base {
            Some((s, t)) => step::Base::Whole(s, t.as_str()),
            None => step::Base::None,
        };
        // the record the head will be after this run, and the models' tables it holds as they are
        let indexed = index.as_ref().and_then(|_| {
            let recorded = base.as_ref().map(|(s, _)| &**s);
            let (record, after) = step::after(&next, single_head.as_deref(), recorded, &schema)?;
            let tables: std::collections::BTreeMap<&str, &crate::ir::Table> =
                schema.tables.iter().map(|t| (t.name.as_str(), t)).collect();
            let lookup = |n: &str| tables.get(n).copied();
            Some((record, head_index::entries(&scan.models, after, hash_of, lookup)))
        });
        let mut written = step::write(&folder.path, next, &schema, cfg.dialect, mtime, base_ref)?;
        // where the tables are in the head's record after this run, for the index: the record
        // written, or the head's own (the next run then need not search it)
        let written_spans = written.spans.take().or_else(|| {
            let ((_, text), head) = (base.as_ref().filter(|_| index.is_some())?, single_head.as_ref()?);
            let spans = emit::RecordTables::of(text).map(|r| r.spans(text));
            Some((head.clone(), spans))
        });
        drop(base);
        if let Some((dir, key, enums)) = &index {
            match indexed {
                Some((record, tables)) => head_index::HeadIndex::record(
                    dir,
                    key,
                    *enums,
                    (&record, &Snapshot::path(&folder.path, &record)),
                    &head_index::file_lines(&scan.files, &scan.models, &scan.enums, hash_of, |f| {
                        stamps.get(f).copied()
                    }),
                    (&[], None),
                    &tables,
                    &written_spans
                        .iter()
                        .filter(|(r, _)| *r == record)
                        .filter_map(|(r, s)| Some((r.as_str(), s.as_ref()?)))
                        .collect::<Vec<_>>(),
                ),
                None => head_index::HeadIndex::remove(dir),
            }
        }
        let wrote = written.merge.is_some() || written.migration.is_some() || written.removed.is_some();
        if wrote && !report.watched.contains(&cfg.migrations) {
            report.watched.push(cfg.migrations.clone());
        }
        report.merged = written.merge;
        report.written = written.migration;
        report.more = written.more;
        report.removed = written.removed;
        // moved, not copied: a schema of many tables is costly to copy in an unoptimised build script
        report.schema = Some(schema);
        Ok(report)
    }
}

impl Builder {
    /// What the history says to the user: records without a migration, the lint of hand-written
    /// migrations, records written by a newer version.
    fn history_warnings(&self, folder: &MigrationsFolder, history: &History, report: &mut Report) {
        let cfg = &self.config;
        for orphan in &history.orphans {
            report.warnings.push(format!(
                "{} belongs to a migration that is no longer in the folder; it is ignored (delete it)",
                orphan.display()
            ));
        }
        if cfg.dialect != crate::ir::Dialect::Sqlite {
            let manual = history
                .graph
                .nodes()
                .iter()
                .filter(|n| n.kind == crate::graph::Kind::Manual)
                .filter_map(|n| folder.get(&n.name))
                .map(|m| m.path.as_path());
            report.lint = lint_cache::lint(self.out_dir.as_deref(), cfg.dialect, manual);
            report.warnings.extend(report.lint.iter().map(|f| f.to_string()));
        }
        report.warnings.extend(emit::NewerRecord::warning(&history.newer));
    }

    /// [`Builder::run`], unless the memo in `OUT_DIR` of the last run that wrote nothing says that no
    /// input changed since (see the `memo` module): then what that run reported, at the cost of
    /// looking at the inputs' sizes and times. Records the memo after a run that wrote nothing.
    fn run_memoized(&self) -> Result<Report, BuildError> {
        let Some(out_dir) = &self.out_dir else {
            return self.run();
        };
        // the crate too: crates built into one target folder may share an `OUT_DIR` (same package
        // name and dependencies), and one's memo says nothing of another's inputs
        let key = format!(
            "{}/{:?}/{}/{}/{}",
            scan_cache::key(self.config.dialect),
            self.mode,
            self.allow_data_loss,
            self.allow_rewrite,
            self.config.manifest_dir.display()
        );
        if let Some(memo) = memo::Memo::valid(out_dir, &key) {
            return Ok(memo.report());
        }
        let report = match self.run_delta(out_dir)? {
            Some(report) => report,
            None => self.run()?,
        };
        memo::Memo::record(out_dir, &key, &report, std::slice::from_ref(&self.config.migrations));
        Ok(report)
    }
}

/// Why the newest migration is followed by a new one instead of being rewritten, when only git's
/// answer sealed it and there is a change: said in the build output.
fn sealed_because(next: &step::Next) -> Option<String> {
    let (name, why) = next.sealed_because.as_ref()?;
    (!matches!(next.change, step::Change::Nothing)).then(|| {
        format!(
            "{name} is kept as it is because {why}, so this change is a new migration (in a git repository, the newest migration is rewritten in place while it is not committed)"
        )
    })
}

/// What the change rewrites (it was allowed): said in the build output.
fn rewrites(change: &step::Change) -> Vec<String> {
    let (step::Change::New { migration, rest, .. } | step::Change::Rewrite { migration, rest, .. }) = change else {
        return Vec::new();
    };
    std::iter::once(migration)
        .chain(rest.parts.iter().map(|(_, p)| &p.migration))
        .flat_map(|m| m.up_sql.lines())
        .filter_map(|l| l.strip_prefix("-- REWRITE: "))
        .map(|what| format!("the new migration rewrites a table: {what}"))
        .collect()
}

/// The migrations folder and its history, after checking that no two migrations share a version.
fn read_history(cfg: &Config) -> Result<(MigrationsFolder, History), BuildError> {
    let folder = MigrationsFolder::read(&cfg.migrations)?;
    if let Some((a, b)) = folder.duplicate_versions().first() {
        return Err(BuildError::DuplicateVersion {
            folder: folder.path.clone(),
            first: a.name.clone(),
            second: b.name.clone(),
        });
    }
    let history = History::load(&folder, cfg.dialect)?;
    Ok((folder, history))
}

/// Keep `value` as JSON in `path`, a cache of `OUT_DIR` (the memo, the lint cache) that the build
/// step can do without: nothing fails when it cannot be serialized or written, and the file is then
/// removed, so that no earlier content is read in its place.
fn write_cache(path: &std::path::Path, value: &impl serde::Serialize) {
    let written = serde_json::to_string(value)
        .ok()
        .and_then(|text| emit::write_if_changed(path, &text, None).ok());
    if written.is_none() {
        let _ = std::fs::remove_file(path);
    }
}

/// `f(0)`, …, `f(n - 1)` in that order, computed on up to as many threads as Cargo gives the build
/// script (`NUM_JOBS`) and the machine has cores (at most 8); on the calling thread alone when that
/// is one or `n` is below 2. Each thread takes the next index when it is done with one, so files of
/// different sizes share the work evenly.
pub(crate) fn par_map<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads().min(8).min(n);
    if threads < 2 {
        return (0..n).map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= n {
                return done;
            }
            done.push((i, f(i)));
        }
    };
    let mut all: Vec<(usize, T)> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            // a panic on a helper thread goes on on this one, as it would have without threads
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, t)| t).collect()
}

/// `path` as a JSON string, as `serde_json` writes it (the caches of `OUT_DIR` name files so): a
/// path of plain characters is quoted as it is, without the serializer (slow without optimisation).
pub(crate) fn path_json(path: &std::path::Path) -> String {
    match path.to_str() {
        Some(s) if plain(s) => {
            let mut json = String::with_capacity(s.len() + 2);
            json.push('"');
            json.push_str(s);
            json.push('"');
            json
        }
        _ => serde_json::to_string(path).unwrap_or_default(),
    }
}

/// The path of a JSON string written by [`path_json`].
pub(crate) fn path_of_json(json: &str) -> Option<PathBuf> {
    match json.strip_prefix('"').and_then(|j| j.strip_suffix('"')) {
        Some(inner) if plain(inner) => Some(PathBuf::from(inner)),
        _ => serde_json::from_str(json).ok(),
    }
}

/// Whether JSON writes `s` as it is between quotes (no control character, quote or backslash).
fn plain(s: &str) -> bool {
    // (an index loop: an iterator's calls cost more than the test without optimisation)
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] < 0x20 || b[i] == b'"' || b[i] == b'\\' {
            return false;
        }
        i += 1;
    }
    true
}

/// `n` in decimal at the end of `text` (through `core::fmt`, which is optimised in every build,
/// without `to_string`'s string of its own).
pub(crate) fn push_decimal(text: &mut String, n: usize) {
    use std::fmt::Write;
    let _ = write!(text, "{n}");
}

/// How many threads the build script may keep busy: as many as Cargo gives it (`NUM_JOBS`) and
/// the machine has cores.
fn threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let jobs = std::env::var("NUM_JOBS")
        .ok()
        .and_then(|j| j.parse::<usize>().ok())
        .filter(|&j| j > 0)
        .unwrap_or(cores);
    jobs.min(cores)
}

/// `(aside(), here())`: `aside` on a second thread while `here` runs on this one when two threads
/// are allowed (see [`threads`]), else `aside` first, then `here`. A panic on the second thread goes
/// on on this one, as it would have without it.
pub(crate) fn beside<A: Send, B>(aside: impl FnOnce() -> A + Send, here: impl FnOnce() -> B) -> (A, B) {
    if threads() < 2 {
        let a = aside();
        return (a, here());
    }
    std::thread::scope(|s| {
        let handle = s.spawn(aside);
        let b = here();
        (
            handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            b,
        )
    })
}

/// The modification time for files the step writes: that of the newest input (model sources and
/// `Cargo.toml`), which is older than the moment Cargo started this build script, and never in the
/// future. Cargo then sees nothing newer than its last run in the watched folders.
fn quiet_mtime(files: &[PathBuf], cfg: &Config) -> FileTime {
    let now = FileTime::now();
    let newest = files
        .iter()
        .chain(std::iter::once(&cfg.manifest_dir.join("Cargo.toml")))
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| FileTime::from_last_modification_time(&m))
        .max()
        .unwrap_or(now);
    let one_second_ago = FileTime::from_unix_time(now.unix_seconds() - 1, 0);
    newest.min(one_second_ago)
}

/// Run the build step from `build.rs`: prints `cargo:rerun-if-changed` / `rerun-if-env-changed`
/// lines and warnings, and on error prints the message and fails the build (exit code 1).
///
/// ```no_run
/// // in build.rs's `fn main`:
/// model_core::build::run();
/// ```
pub fn run() {
    for var in ["MODEL_MIGRATIONS", "MODEL_ALLOW_DATA_LOSS", "MODEL_ALLOW_REWRITE", "CI"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    // A failed build script is run again by the next build whatever it watched.
    match Builder::from_env().and_then(|b| b.run_memoized()) {
        Ok(report) => {
            for path in &report.watched {
                println!("cargo:rerun-if-changed={}", path.display());
            }
            for w in &report.warnings {
                println!("cargo:warning={w}");
            }
            if let Some(dir) = &report.merged {
                println!(
                    "cargo:warning=model: merged the branches of the migration history: {}",
                    dir.display()
                );
            }
            if let Some(dir) = &report.written {
                println!("cargo:warning=model: wrote migration {}", dir.display());
            }
            for dir in &report.more {
                println!(
                    "cargo:warning=model: wrote migration {} (the same change, in lock-safe steps)",
                    dir.display()
                );
            }
            if let Some(name) = &report.removed {
                println!(
                    "cargo:warning=model: removed the draft migration {name} (the models are back where it started)"
                );
            }
        }
        Err(e) => {
            eprintln!("error: model build step failed:\n{e}");
            std::process::exit(1);
        }
    }
}
