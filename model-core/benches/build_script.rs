//! The build step as users get it: the build-script binary of a crate whose `build.rs` calls
//! `model::build::run()`, compiled by Cargo — with the `dev` profile's default for build scripts
//! (`opt-level = 0`) and, beside it, with `[profile.release.build-override] opt-level = 3` — and run
//! as a whole process the way Cargo runs it (`CARGO_MANIFEST_DIR`, `OUT_DIR`), on generated crates of
//! 300, 1,000 and 3,000 tables (8–12 columns, ~1 foreign key, 1–2 indexes, PostgreSQL dialect, the
//! initial migration committed in a git repository). Three states of the build's cache:
//!
//! - `nothing changed`: `OUT_DIR` holds what the previous run left; no model changed, none written
//!   in the 2 s before that run (a file written just before a build is compared by content, which
//!   costs a few milliseconds more until a later build finds it settled);
//! - `one table added`: `OUT_DIR` as the previous run left it, one model file edited (one struct
//!   more): the run writes a migration (removed, untimed, after each run);
//! - `draft rewritten`: right after that, the same file edited again (a second struct) before any
//!   commit: the run rewrites the new migration, a draft, in place;
//! - `cache missing`: no `OUT_DIR` (the first build after `cargo clean`); no model changed.
//!
//! Beside them, Alembic's in-process `command.revision(autogenerate=True)` on the same schema in
//! PostgreSQL (`benches/alembic/run.sh`, its own venv, created on first use), unless
//! `MODEL_BENCH_ALEMBIC=0`. Each figure is the median of `MODEL_BENCH_RUNS` runs (default 9); the
//! binaries measured together (Cargo's default, `build-override`, saved baselines) take turns run
//! by run, each on a crate of its own.
//!
//! ```text
//! cargo bench -p model-core --features build --bench build_script
//! MODEL_BENCH_TABLES=1000 MODEL_BENCH_RUNS=15 cargo bench -p model-core --features build --bench build_script
//! ```
//!
//! Without `--bench` (`cargo test --benches`) it is a smoke run: 20 tables, opt-level 0 only, two runs
//! per state, no Alembic. The probe crate is under `target/build-script-bench/`, its binaries are
//! built in `target/nested-builds/` (with the tests' fixture crates).
//! `MODEL_BENCH_KEEP=1` keeps each generated crate (first migration written, cache warm) and prints
//! its folder, to profile one run by hand (`valgrind --tool=callgrind` counts the same on a busy
//! machine).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const TABLES_PER_FILE: usize = 10;

/// The columns of generated table `i`: (name, Rust type, `#[model]` attributes, SQL type, nullable).
fn columns(i: usize) -> Vec<(String, &'static str, String, &'static str, bool)> {
    let mut cols = vec![
        ("id".to_string(), "i64", "primary_key".to_string(), "bigint", false),
        (
            "name".to_string(),
            "String",
            "max_length = 100, index".to_string(),
            "varchar(100)",
            false,
        ),
        (
            "code".to_string(),
            "String",
            "max_length = 32".to_string(),
            "varchar(32)",
            false,
        ),
        ("amount".to_string(), "i32", String::new(), "integer", false),
        ("active".to_string(), "bool", String::new(), "boolean", false),
        ("note".to_string(), "Option<String>", String::new(), "text", true),
        ("score".to_string(), "f64", String::new(), "double", false),
    ];
    if i > 0 {
        let parent = if i % 7 == 0 { i / 2 } else { i - 1 };
        cols.insert(
            1,
            (
                "parent_id".to_string(),
                "Option<i64>",
                format!("references = \"t{parent:05}(id)\""),
                "bigint",
                true,
            ),
        );
    } else {
        cols.insert(
            1,
            ("parent_id".to_string(), "Option<i64>", String::new(), "bigint", true),
        );
    }
    let extra: [(&str, &str, &str, bool); 4] = [
        ("Option<i32>", "", "integer", true),
        ("i64", "", "bigint", false),
        ("String", "max_length = 50", "varchar(50)", false),
        ("Option<bool>", "", "boolean", true),
    ];
    for (k, (ty, attrs, sql, null)) in extra.iter().enumerate().take(i % 5) {
        cols.push((format!("extra_{k}"), ty, attrs.to_string(), sql, *null));
    }
    cols
}

/// The Rust source of table `i`.
fn model_source(i: usize) -> String {
    let composite = if i % 2 == 0 { ", index(code, amount)" } else { "" };
    let mut s = format!(
        "\n/// Generated table number {i}.\n#[derive(Model)]\n#[model(table_name = \"t{i:05}\"{composite})]\npub struct T{i:05} {{\n"
    );
    for (name, ty, attrs, _, _) in columns(i) {
        if !attrs.is_empty() {
            s.push_str(&format!("    #[model({attrs})]\n"));
        }
        s.push_str(&format!("    pub {name}: {ty},\n"));
    }
    s.push_str("}\n");
    s
}

/// The model files of a crate of `tables` tables (10 a file): (file name, text).
fn model_files(tables: usize) -> Vec<(String, String)> {
    (0..tables.div_ceil(TABLES_PER_FILE))
        .map(|f| {
            let mut text = String::from("use model::Model;\n");
            for i in f * TABLES_PER_FILE..((f + 1) * TABLES_PER_FILE).min(tables) {
                text.push_str(&model_source(i));
            }
            (format!("m{f:04}.rs"), text)
        })
        .collect()
}

/// The schema of tables `0..tables` as JSON for the Alembic script (the same tables, columns,
/// foreign keys and indexes the build step sees).
fn schema_json(tables: usize) -> String {
    let mut out = Vec::new();
    for i in 0..tables {
        let cols: Vec<String> = columns(i)
            .iter()
            .map(|(name, _, _, sql, null)| {
                format!(
                    r#"{{"name":"{name}","type":"{sql}","nullable":{null},"pk":{}}}"#,
                    name == "id"
                )
            })
            .collect();
        let fks: Vec<String> = columns(i)
            .iter()
            .filter_map(|(name, _, attrs, _, _)| {
                let t = attrs.strip_prefix("references = \"")?.split('(').next()?;
                Some(format!(r#"{{"column":"{name}","table":"{t}","ref":"id"}}"#))
            })
            .collect();
        let mut idx = vec![format!(r#"{{"name":"ix_t{i:05}_name","columns":["name"]}}"#)];
        if i % 2 == 0 {
            idx.push(format!(
                r#"{{"name":"ix_t{i:05}_code_amount","columns":["code","amount"]}}"#
            ));
        }
        out.push(format!(
            r#"{{"name":"t{i:05}","columns":[{}],"fks":[{}],"indexes":[{}]}}"#,
            cols.join(","),
            fks.join(","),
            idx.join(",")
        ));
    }
    format!("[{}]\n", out.join(",\n"))
}

/// Where the bench builds its binaries (the workspace's `target/`).
fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/build-script-bench")
}

/// Build the probe crate (`build.rs` = `model::build::run()`) and return its build-script binary:
/// `release` false → `dev` profile, Cargo's default for build scripts (opt-level 0); true → `release`
/// with `build-override.opt-level = 3`.
fn build_script_binary(release: bool) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().expect("the workspace root");
    let probe = bench_dir().join("probe");
    std::fs::create_dir_all(probe.join("src")).expect("create the probe crate");
    let manifest = format!(
        "[package]\nname = \"model-build-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[build-dependencies]\nmodel = {{ package = \"diesel-model\", path = {:?}, features = [\"build\"] }}\n\n\
         [profile.release.build-override]\nopt-level = 3\n",
        root.display().to_string()
    );
    write_if_new(&probe.join("Cargo.toml"), &manifest);
    write_if_new(&probe.join("build.rs"), "fn main() {\n    model::build::run();\n}\n");
    write_if_new(&probe.join("src/lib.rs"), "");
    if !probe.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), probe.join("Cargo.lock")).expect("copy Cargo.lock");
    }
    // the folder the workspace's tests build their fixture crates in: the dependencies are
    // compiled once for both
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/nested-builds");
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(probe.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .env_remove("CI")
        .env("MODEL_MIGRATIONS", "off");
    if release {
        cmd.arg("--release");
    }
    let status = cmd.status().expect("run cargo build on the probe crate");
    assert!(status.success(), "the probe crate builds");
    let profile = if release { "release" } else { "debug" };
    let builds = target.join(profile).join("build");
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&builds)
        .expect("the probe's build folder")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("model-build-probe-"))
        .map(|e| e.path().join("build-script-build"))
        .filter(|p| p.is_file())
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    found.sort();
    found.pop().expect("the probe's build-script binary").1
}

fn write_if_new(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).expect("write a probe file");
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"])
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A generated user crate in the temp folder, its first migration written and committed.
struct UserCrate {
    dir: PathBuf,
    tables: usize,
}

impl UserCrate {
    fn new(tables: usize, binary: &Path, tag: usize) -> UserCrate {
        let dir = std::env::temp_dir().join(format!("model-bench-script-{tables}-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/models")).expect("create the user crate");
        let manifest = "[package]\nname = \"bench\"\nversion = \"0.0.0\"\n\n[package.metadata.model]\n\
                        dialect = \"postgres\"\nmodels = [\"src/models\"]\n";
        std::fs::write(dir.join("Cargo.toml"), manifest).expect("write Cargo.toml");
        let krate = UserCrate { dir, tables };
        for (name, text) in model_files(tables) {
            std::fs::write(krate.dir.join("src/models").join(name), text).expect("write a model file");
        }
        let out = krate.run(binary);
        assert!(
            krate.migrations().len() == 1,
            "the first run writes the first migration: {out}"
        );
        git(&krate.dir, &["init", "-q"]);
        git(&krate.dir, &["add", "-A"]);
        git(&krate.dir, &["commit", "-q", "-m", "first migration"]);
        krate
    }

    fn out_dir(&self) -> PathBuf {
        self.dir.join("target-out")
    }

    fn migrations(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(self.dir.join("migrations"))
            .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
            .unwrap_or_default();
        dirs.retain(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')));
        dirs.sort();
        dirs
    }

    /// Run the build script as Cargo does; its stdout.
    fn run(&self, binary: &Path) -> String {
        std::fs::create_dir_all(self.out_dir()).expect("create OUT_DIR");
        let out = Command::new(binary)
            .current_dir(&self.dir)
            .env("CARGO_MANIFEST_DIR", &self.dir)
            .env("OUT_DIR", self.out_dir())
            .env("MODEL_MIGRATIONS", "write")
            .env_remove("CI")
            .env_remove("MODEL_ALLOW_DATA_LOSS")
            .env_remove("MODEL_ALLOW_REWRITE")
            .output()
            .expect("run the build script");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "the build script fails:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    fn timed(&self, binary: &Path) -> Duration {
        let start = Instant::now();
        self.run(binary);
        start.elapsed()
    }

    /// The last model file, with `added` tables more.
    fn edit(&self, added: usize) {
        let files = model_files(self.tables);
        let (name, mut text) = files.last().cloned().expect("a model file");
        for i in 0..added {
            text.push_str(&model_source(self.tables + i));
        }
        std::fs::write(self.dir.join("src/models").join(name), text).expect("edit a model file");
    }

    /// Remove the migrations after the first one (untimed clean-up of a run that wrote one).
    fn undo(&self) {
        for dir in self.migrations().into_iter().skip(1) {
            let name = dir.file_name().expect("a name").to_string_lossy().into_owned();
            std::fs::remove_dir_all(&dir).expect("remove the written migration");
            let _ = std::fs::remove_file(self.dir.join("migrations/.model").join(format!("{name}.json")));
        }
    }

    /// `OUT_DIR`'s files (and those of its folders) with their modification times.
    fn save_out(&self) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>, std::time::SystemTime)>) {
            for e in std::fs::read_dir(dir).expect("read OUT_DIR").flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.is_file() {
                    let modified = e.metadata().and_then(|m| m.modified()).expect("a modification time");
                    out.push((p.clone(), std::fs::read(&p).expect("read OUT_DIR"), modified));
                }
            }
        }
        let mut saved = Vec::new();
        walk(&self.out_dir(), &mut saved);
        saved
    }

    /// `OUT_DIR` as the build left it (files and times). Files already as saved are left alone and
    /// others removed, so the timed run does not share the machine with the writing back of files
    /// the restore rewrote for nothing (the scan cache is a file per model file).
    fn restore_out(&self, saved: &[(PathBuf, Vec<u8>, std::time::SystemTime)]) {
        let mut now = Vec::new();
        if self.out_dir().is_dir() {
            now = self.save_out();
        }
        for (p, ..) in &now {
            if !saved.iter().any(|(s, ..)| s == p) {
                std::fs::remove_file(p).expect("remove a file the build added");
            }
        }
        for (p, bytes, modified) in saved {
            if now.iter().any(|(n, b, m)| n == p && b == bytes && m == modified) {
                continue;
            }
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("create a folder of OUT_DIR");
            }
            std::fs::write(p, bytes).expect("restore OUT_DIR");
            let f = std::fs::File::options()
                .write(true)
                .open(p)
                .expect("open a restored file");
            f.set_modified(*modified).expect("restore a modification time");
        }
    }
}

impl Drop for UserCrate {
    fn drop(&mut self) {
        // `MODEL_BENCH_KEEP=1` keeps the generated crate (its first migration, the cache warm) to
        // profile a run by hand
        if std::env::var("MODEL_BENCH_KEEP").as_deref() == Ok("1") {
            println!("kept {}", self.dir.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// For each of `binaries`, the medians of the four states on `tables` tables: (nothing changed, one
/// table added, a second table added before the first is committed, cache missing). Each binary has
/// a crate of its own, and the binaries take turns run by run, so a drift of the machine's speed
/// (this one's is large) weighs on every row alike.
fn measure(binaries: &[&Path], tables: usize, runs: usize) -> Vec<[Duration; 4]> {
    let crates: Vec<UserCrate> = binaries
        .iter()
        .enumerate()
        .map(|(i, b)| UserCrate::new(tables, b, i))
        .collect();
    let each = || crates.iter().zip(binaries.iter().copied());
    // the cache as the build after the first migration leaves it, once the files written are no
    // longer racy (2 s old: the memo then compares them by size and time, not content)
    for (krate, binary) in each() {
        krate.run(binary);
    }
    std::thread::sleep(Duration::from_millis(2100));
    let warm: Vec<_> = each()
        .map(|(krate, binary)| {
            krate.run(binary);
            krate.save_out()
        })
        .collect();
    let mut times = vec![[const { Vec::new() }; 4]; crates.len()];
    for _ in 0..runs {
        for (i, (krate, binary)) in each().enumerate() {
            krate.restore_out(&warm[i]);
            times[i][0].push(krate.timed(binary));
        }
    }
    for _ in 0..runs {
        for (i, (krate, binary)) in each().enumerate() {
            krate.restore_out(&warm[i]);
            krate.edit(1);
            times[i][1].push(krate.timed(binary));
            assert_eq!(krate.migrations().len(), 2, "one table added writes one migration");
            // the next edit before a commit: the new migration is a draft, rewritten in place
            krate.edit(2);
            times[i][2].push(krate.timed(binary));
            assert_eq!(krate.migrations().len(), 2, "a second table added rewrites the draft");
            krate.undo();
            krate.edit(0);
        }
    }
    for _ in 0..runs {
        for (i, (krate, binary)) in each().enumerate() {
            let _ = std::fs::remove_dir_all(krate.out_dir());
            times[i][3].push(krate.timed(binary));
            assert_eq!(krate.migrations().len(), 1, "nothing changed, nothing written");
        }
    }
    times.into_iter().map(|t| t.map(median)).collect()
}

/// Alembic's autogenerate on the same schema (N tables in the database, N + 1 in the metadata):
/// the median in ms, `None` when the script cannot run (said on stderr).
fn alembic(tables: usize, runs: usize) -> Option<f64> {
    let dir = bench_dir().join(format!("alembic-{tables}"));
    std::fs::create_dir_all(&dir).ok()?;
    let schema = dir.join("schema.json");
    std::fs::write(&schema, schema_json(tables + 1)).ok()?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/alembic/run.sh");
    let url = std::env::var("MODEL_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
    let out = Command::new("bash")
        .arg(script)
        .arg(&schema)
        .arg(runs.to_string())
        .arg(&url)
        .output()
        .ok()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        eprintln!("alembic: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let line = stdout.lines().rev().find_map(|l| l.strip_prefix("median_ms="))?;
    line.trim().parse().ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn env_list(name: &str) -> Option<Vec<usize>> {
    let v = std::env::var(name).ok()?;
    Some(v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let sizes = if bench {
        env_list("MODEL_BENCH_TABLES").unwrap_or_else(|| vec![300, 1000, 3000])
    } else {
        vec![20]
    };
    let runs = if bench {
        env_list("MODEL_BENCH_RUNS")
            .and_then(|v| v.first().copied())
            .unwrap_or(9)
            .max(1)
    } else {
        2
    };
    let with_alembic = bench && std::env::var("MODEL_BENCH_ALEMBIC").as_deref() != Ok("0");
    // `MODEL_BENCH_OPT=0` measures only Cargo's default; `MODEL_BENCH_BASELINE=<dir>[,<dir>...]` also
    // measures the binaries `<dir>/opt0` and `<dir>/opt3` (saved copies of earlier builds:
    // before/after in one run)
    let opts = env_list("MODEL_BENCH_OPT").unwrap_or_else(|| if bench { vec![0, 3] } else { vec![0] });
    let mut binaries: Vec<(String, PathBuf)> = Vec::new();
    if let Ok(dirs) = std::env::var("MODEL_BENCH_BASELINE") {
        // several folders, comma-separated: each a row, named after its folder
        for dir in dirs.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            let name = Path::new(dir).file_name().map_or(dir.into(), |n| n.to_string_lossy());
            for o in &opts {
                let binary = Path::new(dir).join(format!("opt{o}"));
                if binary.is_file() {
                    binaries.push((format!("{name}, opt {o}"), binary));
                } else {
                    eprintln!("no saved binary {}: left out", binary.display());
                }
            }
        }
    }
    for o in &opts {
        binaries.push((format!("opt {o}"), build_script_binary(*o != 0)));
    }
    for (label, bin) in &binaries {
        println!("build script, {label}: {}", bin.display());
    }
    let mut rows = Vec::new();
    for &n in &sizes {
        let alembic = if with_alembic { alembic(n, runs) } else { None };
        if let Some(x) = alembic {
            println!("{n} tables: alembic autogenerate = {x:.0} ms");
        }
        let paths: Vec<&Path> = binaries.iter().map(|(_, b)| b.as_path()).collect();
        for ((label, _), m) in binaries.iter().zip(measure(&paths, n, runs)) {
            println!(
                "{n} tables, {label}: nothing changed / one table added / draft rewritten / cache missing = {:.1} / {:.1} / {:.1} / {:.1} ms",
                ms(m[0]),
                ms(m[1]),
                ms(m[2]),
                ms(m[3])
            );
            rows.push((n, label.clone(), m, alembic));
        }
    }
    println!(
        "\n| tables | build script | nothing changed | one table added | Alembic autogenerate | ratio | draft rewritten | cache missing |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|");
    for (n, label, m, al) in rows {
        println!(
            "| {n} | {label} | {:.1} ms | {:.1} ms | {} | {} | {:.1} ms | {:.1} ms |",
            ms(m[0]),
            ms(m[1]),
            al.map_or("–".to_string(), |x| format!("{x:.0} ms")),
            al.map_or("–".to_string(), |x| format!("{:.0}×", x / ms(m[1]))),
            ms(m[2]),
            ms(m[3]),
        );
    }
}
