//! Peak memory of the build step on a generated crate of 1,000 tables × 12 columns:
//! the first run (creates every table) and a run with one column changed, each in its own process
//! so each peak is its own. Prints the peak resident set size (`VmHWM` of `/proc/self/status`).
//!
//! `cargo bench -p model-core --features build --bench build_rss`, or for one run under GNU time:
//! `/usr/bin/time -v target/release/deps/build_rss-<hash> --bench first` (field "Maximum resident set size").

#[path = "support/krate.rs"]
mod krate;
#[path = "support/models.rs"]
mod models;

use krate::TempCrate;

const TABLES: usize = 1_000;

/// Peak resident set size of this process in KiB, on Linux.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn report(what: &str, before: Option<u64>) {
    match (before, peak_rss_kib()) {
        (Some(before), Some(after)) => println!(
            "build_rss {what} ({TABLES} tables): peak RSS {:.1} MiB (before the run: {:.1} MiB)",
            after as f64 / 1024.0,
            before as f64 / 1024.0
        ),
        _ => println!("build_rss {what}: peak RSS unknown (no /proc/self/status on this system)"),
    }
}

/// One measured run in this process: `first` or `change`.
fn measure(what: &str) {
    match what {
        "first" => {
            let before = peak_rss_kib();
            let krate = TempCrate::new("rss-first", "postgres", TABLES);
            report("first run, creates every table", before);
            drop(krate);
        }
        _ => {
            // the first run happens in the setup and raises the peak; start again from a fresh
            // process image so the figure is the changed run's own: re-run ourselves
            let krate = TempCrate::new("rss-change", "postgres", TABLES);
            krate.set_changed(true);
            let exe = std::env::current_exe().expect("own path");
            let out = std::process::Command::new(exe)
                .args(["--bench", "run-in", &krate.dir.to_string_lossy()])
                .output()
                .expect("run the measured child");
            print!("{}", String::from_utf8_lossy(&out.stdout));
            eprint!("{}", String::from_utf8_lossy(&out.stderr));
        }
    }
}

/// The child of `change`: one build step run on an existing crate.
fn run_in(dir: &str) {
    use model_core::build::Builder;
    use model_core::config::Config;
    let before = peak_rss_kib();
    let config = Config::load(std::path::Path::new(dir)).expect("the bench crate's config");
    let now = chrono::Utc::now();
    let report_ = Builder::new(config).now(now).run().expect("build step");
    assert!(report_.written.is_some(), "one column changed gives a migration");
    report("one column changed", before);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --benches` runs bench targets without `--bench`: nothing to measure then
        return;
    }
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match words.as_slice() {
        ["run-in", dir] => run_in(dir),
        [] => {
            run_self("first");
            run_self("change");
        }
        [what, ..] => measure(what),
    }
}

/// Each measurement in a fresh process, so peaks do not add up.
fn run_self(what: &str) {
    let exe = std::env::current_exe().expect("own path");
    let out = std::process::Command::new(exe)
        .args(["--bench", what])
        .output()
        .expect("run the measurement");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
}
