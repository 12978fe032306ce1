//! The build step with what it keeps between runs in `OUT_DIR` (the memo of the last run, the scan
//! cache, the lint cache) writes exactly what a run from nothing writes: random sequences of edits
//! are applied to two copies of a crate, one keeping its `OUT_DIR` (run as `build::run` runs, through
//! the memo), the other starting each run without one; after each step their migrations folders,
//! schema files and warnings are byte for byte the same. Some steps corrupt the kept files or put
//! back a memo or a head index of an earlier step (stale): the run must see it and do the whole
//! work; some commit the migrations in git, so later changes follow a sealed head (whose record the
//! head index lets a run read without deserializing the unchanged tables).

use super::{memo, Builder, How, Mode};
use crate::config::Config;
use chrono::{TimeZone, Utc};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The models: per file, its tables (number, nullable `note`); every table but `t0` references `t0`.
type Models = Vec<Vec<(usize, bool)>>;

/// A table of the random models: `t{k}`, its key `i32` when `narrow` (foreign keys are `i64`: one
/// to it is refused), its `note` nullable or not, and the table it references, if any.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Tab {
    k: usize,
    nullable: bool,
    narrow: bool,
    refs: Option<usize>,
}

/// The random models: per file, its tables.
type Rich = Vec<Vec<Tab>>;

fn source(tables: &[(usize, bool)]) -> String {
    let tabs: Vec<Tab> = tables
        .iter()
        .map(|&(k, nullable)| Tab {
            k,
            nullable,
            narrow: false,
            refs: (k != 0).then_some(0),
        })
        .collect();
    rich_source(&tabs)
}

fn rich_source(tables: &[Tab]) -> String {
    let mut s = String::from("use model::Model;\n");
    for t in tables {
        let k = t.k;
        let note = if t.nullable { "Option<String>" } else { "String" };
        let id = if t.narrow { "i32" } else { "i64" };
        let fk = match t.refs {
            None => String::new(),
            Some(r) => format!("    #[model(references = \"t{r}(id)\")]\n    pub parent_id: i64,\n"),
        };
        s.push_str(&format!(
            "\n#[derive(Model)]\n#[model(table_name = \"t{k}\")]\npub struct T{k} {{\n    #[model(primary_key)]\n    pub id: {id},\n{fk}    pub note: {note},\n}}\n"
        ));
    }
    s
}

struct Copy {
    dir: PathBuf,
}

impl Copy {
    fn new(tag: &str) -> Copy {
        let dir = std::env::temp_dir().join(format!("model-speed-incremental-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/models")).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"t\"\n[package.metadata.model]\ndialect = \"postgres\"\nmodels = [\"src/models\"]\n",
        )
        .unwrap();
        Copy { dir }
    }

    fn write(&self, models: &Models) {
        self.write_texts(models.iter().map(|tables| source(tables)));
    }

    /// Write the models; with `past`, each file written gets a modification time in the past (a
    /// second after the one written before it), as files edited a while before the build have.
    fn write_rich(&self, models: &Rich, past: bool) {
        for path in self.write_texts(models.iter().map(|tables| rich_source(tables))) {
            if past {
                static CLOCK: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1_600_000_000);
                let t = CLOCK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                filetime::set_file_mtime(&path, filetime::FileTime::from_unix_time(t, 0)).unwrap();
            }
        }
    }

    /// File `m{i}.rs` of each text, written when its text differs; the files written.
    fn write_texts(&self, texts: impl Iterator<Item = String>) -> Vec<PathBuf> {
        let mut written = Vec::new();
        for (i, text) in texts.enumerate() {
            let path = self.dir.join(format!("src/models/m{i}.rs"));
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                std::fs::write(&path, text).unwrap();
                written.push(path);
            }
        }
        written
    }

    fn builder(&self, step: u32) -> Builder {
        Builder::new(Config::load(&self.dir).unwrap())
            .now(Utc.with_ymd_and_hms(2026, 11, 23, 10, step / 60, step % 60).unwrap())
            .out_dir(Some(self.dir.join("out")))
            .allow_data_loss(true)
            .mode(Mode::Write)
    }

    /// Commit everything in the crate's git repository (made on first use): the newest migration
    /// is then sealed, and the next change is a new migration after it instead of a rewrite.
    fn commit(&self) {
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git")
                .arg("-C")
                .arg(&self.dir)
                .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        if !self.dir.join(".git").exists() {
            git(&["init", "-q"]);
        }
        git(&["add", "-A", "."]);
        git(&["commit", "-q", "--allow-empty", "-m", "step"]);
    }

    /// Every file under the migrations folder and the schema file, by path relative to the crate.
    fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![self.dir.join("migrations")];
        stack.push(self.dir.join("out").join(super::schema_file::FILE_NAME));
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
            } else if p.is_file() && p.file_name().is_some_and(|n| n != ".lock") {
                let rel = p.strip_prefix(&self.dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
        out
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The two trees (see [`Copy::tree`]) hold the same files with the same bytes; else the first
/// difference, as text.
fn same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, context: &str) {
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{context}: the files");
    for (name, bytes) in a {
        assert!(
            b[name] == *bytes,
            "{context}: {name} differs:\n--- kept state\n{}\n--- from nothing\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&b[name])
        );
    }
}

/// A small deterministic generator (the sequences are reproducible from the seed in a failure).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn kept_files(out: &Path) -> [PathBuf; 4] {
    [
        out.join(memo::FILE_NAME),
        out.join(super::head_index::FILE_NAME),
        out.join(super::scan_cache::FILE_NAME),
        out.join(super::lint_cache::FILE_NAME),
    ]
}

#[test]
fn kept_state_writes_what_a_run_from_nothing_writes() {
    let cases: u64 = std::env::var("MODEL_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
        .clamp(1, 1000);
    let mut how: BTreeMap<String, usize> = BTreeMap::new();
    for seed in 0..cases {
        let mut rng = Lcg(seed + 1);
        let (inc, full) = (Copy::new(&format!("inc{seed}")), Copy::new(&format!("full{seed}")));
        let tab = |k: usize, refs: Option<usize>| Tab {
            k,
            nullable: false,
            narrow: false,
            refs,
        };
        let mut models: Rich = vec![
            vec![tab(0, None), tab(1, Some(0))],
            vec![tab(2, Some(1)), tab(3, None)],
            vec![tab(4, Some(3))],
            vec![tab(5, Some(0)), tab(6, Some(2))],
            vec![],
        ];
        let mut next_table = 7;
        let mut stale: Option<Vec<u8>> = None;
        let mut stale_index: Option<Vec<u8>> = None;
        for step in 0..14u32 {
            let what = rng.below(15);
            let all: Vec<usize> = models.iter().flatten().map(|t| t.k).collect();
            let f = rng.below(models.len());
            match what {
                // a table added to a file, referencing another (or none)
                0 | 8 => {
                    let refs = (rng.below(3) > 0).then(|| all[rng.below(all.len())]);
                    models[f].push(tab(next_table, refs));
                    next_table += 1;
                }
                // a column changed (the file's last table: often one that others reference)
                1 => {
                    if let Some(t) = models[f].iter_mut().last() {
                        t.nullable = !t.nullable;
                    }
                }
                // a table removed (one others reference too: the run is refused)
                2 if models[f].len() > 1 || (models[f].len() == 1 && rng.below(4) == 0) => {
                    models[f].pop();
                }
                // a file saved again unchanged (a new modification time)
                3 => {
                    let path = inc.dir.join(format!("src/models/m{f}.rs"));
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        std::fs::write(&path, text).unwrap();
                    }
                }
                // the kept files corrupted
                4 => {
                    for p in kept_files(&inc.dir.join("out")) {
                        if p.is_file() {
                            std::fs::write(&p, b"{\"key\": 1, not json").unwrap();
                        }
                    }
                }
                // a memo of an earlier run put back
                5 => {
                    if let Some(bytes) = &stale {
                        std::fs::write(inc.dir.join("out").join(memo::FILE_NAME), bytes).unwrap();
                    }
                }
                // a head index of an earlier run put back
                6 => {
                    if let Some(bytes) = &stale_index {
                        std::fs::write(inc.dir.join("out").join(super::head_index::FILE_NAME), bytes).unwrap();
                    }
                }
                // the migrations committed: the next change follows them (the head index is used)
                7 | 12 | 13 => {
                    inc.commit();
                    full.commit();
                }
                // a key's type changed (the foreign keys to it no longer match: refused)
                9 => {
                    if let Some(t) = models[f].first_mut() {
                        t.narrow = !t.narrow;
                    }
                }
                // a table moved to another file
                10 => {
                    if let Some(t) = models[f].pop() {
                        let to = rng.below(models.len());
                        models[to].push(t);
                    }
                }
                // the newest migration edited by hand (it is then kept: the next change follows it)
                14 => {
                    for c in [&inc, &full] {
                        let newest = std::fs::read_dir(c.dir.join("migrations"))
                            .into_iter()
                            .flatten()
                            .flatten()
                            .map(|e| e.path())
                            .filter(|p| {
                                p.is_dir() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
                            })
                            .max();
                        if let Some(dir) = newest {
                            let up = dir.join("up.sql");
                            let text = std::fs::read_to_string(&up).unwrap_or_default();
                            std::fs::write(&up, format!("{text}-- edited by hand\n")).unwrap();
                        }
                    }
                }
                // a foreign key added, changed or removed
                11 => {
                    let target = (rng.below(3) > 0).then(|| all[rng.below(all.len())]);
                    if let Some(t) = models[f].first_mut() {
                        t.refs = target;
                    }
                }
                _ => {}
            }
            // (files written a while before the build are known by their stamps, not read)
            let past = rng.below(2) == 0;
            inc.write_rich(&models, past);
            full.write_rich(&models, past);
            let _ = std::fs::remove_dir_all(full.dir.join("out"));
            let context = format!("seed {seed}, step {step} (edit {what}), models {models:?}");
            let (a, b) = match (inc.builder(step).run_memoized(), full.builder(step).run()) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(a), Err(b)) => {
                    assert_eq!(
                        a.to_string().replace(&*inc.dir.to_string_lossy(), ""),
                        b.to_string().replace(&*full.dir.to_string_lossy(), ""),
                        "{context}"
                    );
                    // (the schema file of the last run that passed stays: the other copy has none)
                    let migrations = |c: &Copy| {
                        let mut t = c.tree();
                        t.retain(|k, _| k.starts_with("migrations"));
                        t
                    };
                    same_tree(&migrations(&inc), &migrations(&full), &context);
                    *how.entry("refused".into()).or_default() += 1;
                    continue;
                }
                (a, b) => panic!("{context}: {a:?} / {b:?}"),
            };
            *how.entry(format!("{:?}", a.how)).or_default() += 1;
            assert_eq!(a.warnings, b.warnings, "{context}");
            same_tree(&inc.tree(), &full.tree(), &context);
            assert_eq!(a.written.is_some(), b.written.is_some(), "{context}");
            if stale.is_none() || rng.below(3) == 0 {
                stale = std::fs::read(inc.dir.join("out").join(memo::FILE_NAME)).ok();
            }
            if stale_index.is_none() || rng.below(3) == 0 {
                stale_index = std::fs::read(inc.dir.join("out").join(super::head_index::FILE_NAME)).ok();
            }
            // a second run changes nothing and writes nothing (from the memo when it has one)
            let again = inc.builder(step + 100).run_memoized().unwrap();
            assert!(again.written.is_none(), "{context}");
            same_tree(&inc.tree(), &full.tree(), &context);
        }
    }
    // the run over the changed files did its part: it is what is tested here
    eprintln!("how the kept-state runs went: {how:?}");
    let delta = how.get("Delta").copied().unwrap_or(0);
    assert!(delta as u64 >= cases, "runs over the changed files only: {how:?}");
}

/// The memo is used when nothing changed: the models are not read (a model file made unreadable by
/// turning it into a folder would fail a full run; the memo's check sees a changed input instead and
/// runs it, which then fails: so the check runs before anything is read).
#[test]
fn the_memo_answers_only_for_unchanged_inputs() {
    let c = Copy::new("memo");
    c.write(&vec![vec![(0, false)]]);
    let first = c.builder(0).run_memoized().unwrap();
    assert!(first.written.is_some());
    assert!(
        !c.dir.join("out").join(memo::FILE_NAME).exists(),
        "a run that wrote keeps no memo"
    );
    let second = c.builder(1).run_memoized().unwrap();
    assert!(second.written.is_none());
    assert!(
        c.dir.join("out").join(memo::FILE_NAME).is_file(),
        "a run that wrote nothing keeps one"
    );
    let third = c.builder(2).run_memoized().unwrap();
    assert_eq!((third.watched, third.warnings), (second.watched, second.warnings));
    assert_eq!(third.how, How::Memo, "answered by the memo");
    // the schema file removed: the whole run writes it again
    std::fs::remove_file(c.dir.join("out").join(super::schema_file::FILE_NAME)).unwrap();
    let fourth = c.builder(3).run_memoized().unwrap();
    assert_ne!(fourth.how, How::Memo, "run again");
    assert!(c.dir.join("out").join(super::schema_file::FILE_NAME).is_file());
    // another mode is another key
    let check = c.builder(4).mode(Mode::Check).run_memoized().unwrap();
    assert_eq!(check.how, How::Whole, "a whole run in check mode");
}

/// A drop after a run answered by the memo is refused without `MODEL_ALLOW_DATA_LOSS`, as always.
#[test]
fn a_drop_after_a_memoized_run_is_still_refused() {
    for dialect in ["sqlite", "postgres"] {
        let c = Copy::new(&format!("refuse-{dialect}"));
        std::fs::write(
            c.dir.join("Cargo.toml"),
            format!("[package]\nname = \"t\"\n[package.metadata.model]\ndialect = \"{dialect}\"\nmodels = [\"src/models\"]\n"),
        )
        .unwrap();
        let run = |models: &Models, step: u32| {
            c.write(models);
            c.builder(step).allow_data_loss(false).run_memoized()
        };
        run(&vec![vec![(0, false)]], 0).unwrap();
        run(&vec![vec![(0, false), (1, false)]], 1).unwrap();
        assert!(run(&vec![vec![(0, false), (1, false)]], 2).unwrap().written.is_none());
        assert!(
            run(&vec![vec![(0, false), (1, false)]], 3).unwrap().how == How::Memo,
            "memo"
        );
        let refused = run(&vec![vec![(0, false)]], 4);
        assert!(refused.is_err(), "{dialect}: {refused:?}");
    }
}

/// Two crates built into one `OUT_DIR` (one target folder, one package name): the memo of one does
/// not answer for the other.
#[test]
fn a_memo_answers_only_for_its_own_crate() {
    let (a, b) = (Copy::new("shared-a"), Copy::new("shared-b"));
    let out = a.dir.join("out");
    let shared = |c: &Copy, step: u32| c.builder(step).out_dir(Some(out.clone()));
    a.write(&vec![vec![(0, false)]]);
    b.write(&vec![vec![(0, false)]]);
    shared(&a, 0).run_memoized().unwrap();
    shared(&a, 1).run_memoized().unwrap();
    assert!(out.join(memo::FILE_NAME).is_file(), "a's memo");
    let first_b = shared(&b, 2).run_memoized().unwrap();
    assert!(first_b.written.is_some(), "b's first migration, not a's memo");
}

/// A model file whose length and modification time are those of the last run, made a while before
/// it, is taken as unchanged without being read (as Cargo does); another time and it is read again.
#[test]
fn a_settled_file_with_its_stamp_is_not_read_again() {
    let c = Copy::new("stamp");
    let old = filetime::FileTime::from_unix_time(1_600_000_000, 0);
    let set = |i: usize, text: &str| {
        let path = c.dir.join(format!("src/models/m{i}.rs"));
        std::fs::write(&path, text).unwrap();
        filetime::set_file_mtime(&path, old).unwrap();
    };
    set(0, &source(&[(0, false)]));
    set(1, &source(&[(1, false)]));
    assert!(c.builder(0).run_memoized().unwrap().written.is_some());
    // (committed: a change is a new migration, which the run over the changed files writes)
    c.commit();
    // the same length, another table: unseen while the stamp is the same
    let other = source(&[(2, false)]);
    assert_eq!(other.len(), source(&[(1, false)]).len());
    set(1, &other);
    let _ = std::fs::remove_file(c.dir.join("out").join(memo::FILE_NAME));
    let unseen = c.builder(1).run_memoized().unwrap();
    assert_eq!((unseen.how, unseen.written.is_none()), (How::Delta, true));
    // a new time: read, and the change is written
    let path = c.dir.join("src/models/m1.rs");
    filetime::set_file_mtime(&path, filetime::FileTime::from_unix_time(1_600_000_100, 0)).unwrap();
    let seen = c.builder(2).run_memoized().unwrap();
    assert_eq!(seen.how, How::Delta);
    let written = seen.written.expect("the change is written");
    assert!(written.to_string_lossy().contains("t2"), "{}", written.display());
}

#[test]
fn a_file_read_just_after_it_was_written_gets_its_stamp_once_settled() {
    // the files written right before the builds: read and hashed (no stamp) until a build finds
    // them unchanged and settled; from then on the run over changed files does not read them
    let c = Copy::new("settle");
    let write = |i: usize, text: &str| std::fs::write(c.dir.join(format!("src/models/m{i}.rs")), text).unwrap();
    write(0, &source(&[(0, false)]));
    write(1, &source(&[(1, false)]));
    assert!(c.builder(0).run_memoized().unwrap().written.is_some());
    c.commit();
    let again = c.builder(1).run_memoized().unwrap();
    assert!(again.written.is_none() && again.how != How::Memo, "{:?}", again.how);
    let out = c.dir.join("out");
    let stamps = || {
        let index = std::fs::read_to_string(out.join(super::head_index::FILE_NAME)).unwrap();
        index
            .lines()
            .filter(|l| l.starts_with("F\t"))
            .map(|l| l.split('\t').nth(4).unwrap() != "-")
            .collect::<Vec<bool>>()
    };
    assert_eq!(stamps(), [false, false], "read just after they were written");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    // nothing changed: the memo answers, and the files' stamps go into the index
    assert_eq!(c.builder(2).run_memoized().unwrap().how, How::Memo);
    assert_eq!(stamps(), [true, true]);
    // m1 changed to another table of the same length, its time put back: with its stamp, it is
    // not read again, so the run over the changed files does not see it
    let m1 = c.dir.join("src/models/m1.rs");
    let time = filetime::FileTime::from_last_modification_time(&std::fs::metadata(&m1).unwrap());
    let other = source(&[(2, false)]);
    assert_eq!(other.len(), source(&[(1, false)]).len());
    write(1, &other);
    filetime::set_file_mtime(&m1, time).unwrap();
    let _ = std::fs::remove_file(out.join(memo::FILE_NAME));
    let unseen = c.builder(3).run_memoized().unwrap();
    assert_eq!((unseen.how, unseen.written.is_none()), (How::Delta, true));
}
