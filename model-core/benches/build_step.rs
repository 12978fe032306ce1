//! The build step: scan + parse + diff + render + write on generated crates of 10,
//! 100, 300 and 1,000 tables × 12 columns (foreign keys, indexes, uniques), PostgreSQL dialect.
//!
//! - `one_column_changed/N`: the last table has one column changed since the recorded migration; the
//!   run writes a new migration (removed again, untimed, after each run).
//! - `no_op/N`: nothing changed; the run writes nothing.
//!
//! `cargo bench -p model-core --features build --bench build_step`

#[path = "support/krate.rs"]
mod krate;
#[path = "support/models.rs"]
mod models;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use krate::TempCrate;
use model_core::build::Report;
use model_core::emit::Snapshot;
use std::time::{Duration, Instant};

const SIZES: [usize; 4] = [10, 100, 300, 1000];

/// Delete what a run wrote (its migration folder and recorded schema), so the next run starts from
/// the same state.
fn undo(krate: &TempCrate, report: &Report) {
    let Some(dir) = &report.written else { return };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::remove_dir_all(dir).expect("remove the written migration");
    std::fs::remove_file(Snapshot::path(&krate.dir.join("migrations"), &name)).expect("remove the written snapshot");
}

fn one_column_changed(c: &mut Criterion) {
    let mut group = c.benchmark_group("build_step/one_column_changed");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    for n in SIZES {
        let krate = TempCrate::new("change", "postgres", n);
        krate.set_changed(true);
        let check = krate.builder(1).run().expect("build step");
        assert!(check.written.is_some(), "the changed column gives a migration");
        undo(&krate, &check);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let report = krate.builder(1).run().expect("build step");
                    total += start.elapsed();
                    undo(&krate, &report);
                }
                total
            })
        });
    }
    group.finish();
}

fn no_op(c: &mut Criterion) {
    let mut group = c.benchmark_group("build_step/no_op");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    for n in SIZES {
        let krate = TempCrate::new("noop", "postgres", n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                let report = krate.builder(1).run().expect("build step");
                assert!(report.written.is_none(), "no model change, no migration");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, one_column_changed, no_op);
criterion_main!(benches);
