//! Startup (issue 6, item 3): `model_core::runtime::migrate` against Diesel's bare
//! `MigrationHarness::run_pending_migrations`, with 300 migrations, on SQLite and PostgreSQL:
//! (a) all pending on a fresh database, (b) all applied, nothing pending.
//!
//! After the criterion figures it prints the ratios model / Diesel, from runs of the two that take
//! turns (so load from other processes hits both alike). PostgreSQL parts are skipped with a message
//! when the server (`MODEL_TEST_POSTGRES_URL`) is unreachable.
//!
//! `cargo bench -p model-core --features build,postgres,sqlite --bench startup`

#[path = "support/memory.rs"]
mod memory;

use criterion::{criterion_group, BenchmarkId, Criterion};
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::MigrationHarness;
use memory::MemoryMigrations;
use std::time::{Duration, Instant};

/// Migrations in every run.
const COUNT: usize = 300;
/// Rounds of the model/Diesel turns behind each printed ratio.
const ROUNDS: usize = 7;

/// Which runner applies the migrations.
#[derive(Clone, Copy, Debug)]
enum Runner {
    Model,
    Diesel,
}

impl Runner {
    fn label(self) -> &'static str {
        match self {
            Runner::Model => "model::migrate",
            Runner::Diesel => "diesel run_pending_migrations",
        }
    }
}

/// Apply what is pending with `runner`; returns how many migrations it applied.
fn apply<C, DB>(runner: Runner, conn: &mut C, source: MemoryMigrations) -> usize
where
    DB: diesel::backend::Backend + 'static,
    C: MigrationHarness<DB>
        + diesel::Connection<Backend = DB>
        + model_core::runtime::MigrateConnection<Db = DB>
        + 'static,
    MemoryMigrations: diesel::migration::MigrationSource<DB>,
{
    match runner {
        Runner::Model => model_core::runtime::migrate(conn, source).expect("model migrate").len(),
        Runner::Diesel => conn.run_pending_migrations(source).expect("diesel migrate").len(),
    }
}

/// One backend: how to get a fresh database and a connection to it.
trait Backend {
    type Db;
    type Conn: MigrationHarness<<Self::Conn as diesel::Connection>::Backend>
        + diesel::Connection
        + model_core::runtime::MigrateConnection<Db = <Self::Conn as diesel::Connection>::Backend>
        + 'static;
    const NAME: &'static str;
    fn fresh() -> (Self::Db, Self::Conn);
}

struct Sqlite;

impl Backend for Sqlite {
    type Db = model_testkit::SqliteFile;
    type Conn = SqliteConnection;
    const NAME: &'static str = "sqlite";
    fn fresh() -> (Self::Db, Self::Conn) {
        let db = model_testkit::sqlite("bench_startup");
        let conn = db.connect();
        (db, conn)
    }
}

struct Postgres;

impl Backend for Postgres {
    type Db = model_testkit::PgDatabase;
    type Conn = PgConnection;
    const NAME: &'static str = "postgres";
    fn fresh() -> (Self::Db, Self::Conn) {
        let db = model_testkit::postgres("bench_startup").expect("PostgreSQL was reachable a moment ago");
        let conn = db.connect();
        (db, conn)
    }
}

/// Time applying all `COUNT` migrations to a fresh database (creation and connection not timed).
fn time_fresh<B: Backend>(runner: Runner, source: MemoryMigrations) -> Duration
where
    MemoryMigrations: diesel::migration::MigrationSource<<B::Conn as diesel::Connection>::Backend>,
    <B::Conn as diesel::Connection>::Backend: 'static,
{
    let (_db, mut conn) = B::fresh();
    let start = Instant::now();
    let applied = apply(runner, &mut conn, source);
    let elapsed = start.elapsed();
    assert_eq!(
        applied,
        COUNT,
        "{}: every migration is pending on a fresh database",
        runner.label()
    );
    elapsed
}

/// Time one run with nothing pending on an up-to-date connection.
fn time_noop<C, DB>(runner: Runner, conn: &mut C, source: MemoryMigrations) -> Duration
where
    DB: diesel::backend::Backend + 'static,
    C: MigrationHarness<DB>
        + diesel::Connection<Backend = DB>
        + model_core::runtime::MigrateConnection<Db = DB>
        + 'static,
    MemoryMigrations: diesel::migration::MigrationSource<DB>,
{
    let start = Instant::now();
    let applied = apply(runner, conn, source);
    let elapsed = start.elapsed();
    assert_eq!(applied, 0, "{}: nothing is pending", runner.label());
    elapsed
}

fn bench_backend<B: Backend>(c: &mut Criterion, source: MemoryMigrations)
where
    MemoryMigrations: diesel::migration::MigrationSource<<B::Conn as diesel::Connection>::Backend>,
    <B::Conn as diesel::Connection>::Backend: 'static,
{
    let mut group = c.benchmark_group(format!("startup_{}_{COUNT}", B::NAME));
    group.sample_size(10).warm_up_time(Duration::from_millis(500));
    for runner in [Runner::Model, Runner::Diesel] {
        group.bench_function(BenchmarkId::new("all_pending", runner.label()), |b| {
            b.iter_custom(|iters| (0..iters).map(|_| time_fresh::<B>(runner, source)).sum())
        });
    }
    let (_db, mut conn) = B::fresh();
    apply(Runner::Diesel, &mut conn, source);
    for runner in [Runner::Model, Runner::Diesel] {
        group.bench_function(BenchmarkId::new("nothing_pending", runner.label()), |b| {
            b.iter_custom(|iters| (0..iters).map(|_| time_noop(runner, &mut conn, source)).sum())
        });
    }
    group.finish();
}

/// Median of `ROUNDS` runs of each runner, taking turns; prints model / Diesel.
fn print_ratio(label: &str, mut run: impl FnMut(Runner) -> Duration) {
    let mut model = Vec::with_capacity(ROUNDS);
    let mut diesel = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        // alternate who goes first, so neither always gets the warmer cache
        if round % 2 == 0 {
            model.push(run(Runner::Model));
            diesel.push(run(Runner::Diesel));
        } else {
            diesel.push(run(Runner::Diesel));
            model.push(run(Runner::Model));
        }
    }
    let (m, d) = (median(&mut model), median(&mut diesel));
    println!(
        "ratio {label}: model {:.3} ms / diesel {:.3} ms = {:.3}",
        m.as_secs_f64() * 1e3,
        d.as_secs_f64() * 1e3,
        m.as_secs_f64() / d.as_secs_f64()
    );
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ratios<B: Backend>(source: MemoryMigrations)
where
    MemoryMigrations: diesel::migration::MigrationSource<<B::Conn as diesel::Connection>::Backend>,
    <B::Conn as diesel::Connection>::Backend: 'static,
{
    print_ratio(&format!("{} all pending ({COUNT})", B::NAME), |r| {
        time_fresh::<B>(r, source)
    });
    let (_db, mut conn) = B::fresh();
    apply(Runner::Diesel, &mut conn, source);
    // each sample: 20 runs, so the ratio is not one of microsecond-long single runs
    print_ratio(&format!("{} nothing pending ({COUNT}), 20 runs", B::NAME), |r| {
        (0..20).map(|_| time_noop(r, &mut conn, source)).sum()
    });
}

fn postgres_reachable() -> bool {
    use diesel::Connection;
    let url = model_testkit::postgres_admin_url();
    match PgConnection::establish(&url) {
        Ok(_) => true,
        Err(e) => {
            eprintln!("skipped: the PostgreSQL startup benchmarks (server at {url} unreachable: {e})");
            false
        }
    }
}

fn startup(c: &mut Criterion) {
    let source = MemoryMigrations::generate(COUNT);
    bench_backend::<Sqlite>(c, source);
    if postgres_reachable() {
        bench_backend::<Postgres>(c, source);
    }
}

criterion_group!(benches, startup);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") || args.iter().any(|a| a == "--test") {
        // `cargo test --benches` (no `--bench`) and `-- --test` run each benchmark once: no ratios then
        return;
    }
    let source = MemoryMigrations::generate(COUNT);
    ratios::<Sqlite>(source);
    if postgres_reachable() {
        ratios::<Postgres>(source);
    }
}
