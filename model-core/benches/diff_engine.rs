//! The diff engine alone, on IRs of 1,000 and 10,000 generated tables × 12 columns
//! (PostgreSQL dialect), no files involved:
//!
//! - `plan_create/N`: `plan_migration(empty, schema)`: diff + order + SQL of every table (up and down).
//! - `plan_one_change/N`: `plan_migration(schema, schema with one column changed)`.
//! - `plan_unchanged/N`: `plan_migration(schema, same schema)` (the build step's no-op case).
//! - `diff_create/N`: `diff(empty, schema)` only, without ordering and rendering.
//!
//! `cargo bench -p model-core --features build --bench diff_engine`

#[path = "support/models.rs"]
mod models;
#[path = "support/schema.rs"]
mod schema;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use model_core::diff::diff;
use model_core::ir::{Dialect, Schema};
use model_core::plan::plan_migration;
use schema::generated_schema;
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 2] = [1_000, 10_000];

fn diff_engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff_engine");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    let empty = Schema::default();
    for n in SIZES {
        let base = generated_schema(n, false);
        let changed = generated_schema(n, true);
        assert_eq!(base.tables.len(), n, "every generated model is scanned");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("plan_create", n), &base, |b, new| {
            b.iter(|| plan_migration(&empty, black_box(new), Dialect::Postgres, false).expect("plan"))
        });
        group.bench_with_input(BenchmarkId::new("plan_one_change", n), &changed, |b, new| {
            b.iter(|| {
                let m = plan_migration(&base, black_box(new), Dialect::Postgres, false).expect("plan");
                assert!(m.is_some(), "one column changed");
            })
        });
        group.bench_with_input(BenchmarkId::new("plan_unchanged", n), &base, |b, new| {
            b.iter(|| {
                let m = plan_migration(new, black_box(new), Dialect::Postgres, false).expect("plan");
                assert!(m.is_none(), "nothing changed");
            })
        });
        group.bench_with_input(BenchmarkId::new("diff_create", n), &base, |b, new| {
            b.iter(|| diff(&empty, black_box(new)).expect("diff"))
        });
    }
    group.finish();
}

criterion_group!(benches, diff_engine);
criterion_main!(benches);
