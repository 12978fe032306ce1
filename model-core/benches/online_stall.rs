//! The stall benchmark: how long a writer is blocked while a migration of a big table runs, for this
//! crate's plan (online forms, PostgreSQL) and for the plain statement Alembic or Diesel would run.
//!
//! `accounts` with `MODEL_STALL_ROWS` rows (default 1,000,000) and `payments` with half as many rows
//! referencing it are filled once in a template database; every run starts from a file copy of it.
//! For each kind of change, `MODEL_STALL_REPEAT` times (default 3) each: the plain statement, then
//! ours; another connection writes in a loop (single-row `INSERT` into `accounts`, `UPDATE` of a
//! row) and records the latency of each write; the migration is applied by `model::migrate_with`
//! (ours: default options; plain: one folder, no lock timeout). Printed per kind: the medians of the
//! writer's longest stall and of the migration's duration, side by side, and the ratio of the
//! longest stalls; first, the noise floor: the writer's longest stall with no migration running.
//!
//! ```sh
//! cargo bench -p model-core --features build,postgres --bench online_stall
//! MODEL_STALL_ROWS=5000000 MODEL_STALL_REPEAT=5 cargo bench -p model-core --features build,postgres --bench online_stall
//! MODEL_STALL_ONLY="add unique" MODEL_STALL_TRACE=1 cargo bench -p model-core --features build,postgres --bench online_stall
//! ```
//!
//! `MODEL_STALL_ONLY` takes a comma-separated list of the changes to run; `MODEL_STALL_TRACE=1`
//! prints each run's log lines with their time since the migration started and when the writer's
//! longest stall began, which tells the part of a change that stalls.
//!
//! Uses `MODEL_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) to create
//! databases of its own, dropped at the end.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use model_core::ir::{Check, Column, ColumnType, DefaultValue, Dialect, ForeignKey, Index, Literal, Schema, Table};
use model_core::plan::{plan_change, plan_migration, Migration, PlanOptions};
use model_core::runtime::{migrate_with, Options};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn base() -> Schema {
    let mut accounts = Table::new("accounts");
    accounts.columns.push(Column {
        identity: true,
        ..Column::new("id", ColumnType::BigInt)
    });
    accounts
        .columns
        .push(Column::new("email", ColumnType::Varchar { len: 100 }));
    accounts.columns.push(Column::new("n", ColumnType::Integer));
    accounts.columns.push(Column {
        nullable: true,
        ..Column::new("note", ColumnType::Text)
    });
    accounts.primary_key = Some(model_core::ir::PrimaryKey {
        name: "pk_accounts".into(),
        columns: vec!["id".into()],
    });
    let mut payments = Table::new("payments");
    payments.columns.push(Column {
        identity: true,
        ..Column::new("id", ColumnType::BigInt)
    });
    payments.columns.push(Column::new("account_id", ColumnType::BigInt));
    payments.columns.push(Column::new("amount", ColumnType::Integer));
    payments.primary_key = Some(model_core::ir::PrimaryKey {
        name: "pk_payments".into(),
        columns: vec!["id".into()],
    });
    Schema::new(vec![accounts, payments])
}

/// The column `name` of `t`.
fn column<'a>(t: &'a mut Table, name: &str) -> &'a mut Column {
    t.columns.iter_mut().find(|c| c.name == name).expect("column")
}

/// Each kind of change: its name and the schema after it.
fn kinds() -> Vec<(&'static str, Schema)> {
    let with = |f: &dyn Fn(&mut Vec<Table>)| {
        let mut tables = base().tables;
        f(&mut tables);
        Schema::new(tables)
    };
    vec![
        (
            "add index",
            with(&|t| {
                t[0].indexes.push(Index {
                    name: "ix_accounts_n".into(),
                    columns: vec!["n".into()],
                    unique: false,
                    where_sql: None,
                })
            }),
        ),
        (
            "add unique",
            with(&|t| {
                t[0].uniques.push(model_core::ir::UniqueConstraint {
                    name: "uq_accounts_email".into(),
                    columns: vec!["email".into()],
                })
            }),
        ),
        (
            "add foreign key",
            with(&|t| {
                t[1].foreign_keys.push(ForeignKey {
                    name: "fk_payments_account_id_accounts".into(),
                    columns: vec!["account_id".into()],
                    ref_table: "accounts".into(),
                    ref_columns: vec!["id".into()],
                    on_delete: Default::default(),
                    on_update: Default::default(),
                })
            }),
        ),
        (
            "add check",
            with(&|t| {
                t[0].checks.push(Check {
                    name: "ck_accounts_n".into(),
                    sql: "n >= 0".into(),
                })
            }),
        ),
        ("set not null", with(&|t| column(&mut t[0], "note").nullable = false)),
        (
            "add column with default",
            with(&|t| {
                t[0].columns.push(Column {
                    default: Some(DefaultValue::Literal(Literal::Bool(false))),
                    ..Column::new("flag", ColumnType::Bool)
                })
            }),
        ),
        (
            "widen a varchar",
            with(&|t| column(&mut t[0], "email").ty = ColumnType::Varchar { len: 200 }),
        ),
        (
            "int → bigint",
            with(&|t| column(&mut t[0], "n").ty = ColumnType::BigInt),
        ),
    ]
}

/// Write `migration` as the Diesel folder `name` in `dir`.
fn write(dir: &std::path::Path, name: &str, m: &Migration) {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("up.sql"), &m.up_sql).unwrap();
    std::fs::write(d.join("down.sql"), &m.down_sql).unwrap();
    if !m.run_in_transaction {
        std::fs::write(d.join("metadata.toml"), "run_in_transaction = false\n").unwrap();
    }
}

struct Outcome {
    stall: Duration,
    duration: Duration,
    writes: u64,
}

/// The database every run copies: the base schema migrated by the crate and filled with `rows`
/// accounts and `rows / 2` payments, vacuumed and analysed. Filled once; each run starts from a
/// file copy of it (`CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY`), so every run sees the same
/// tables and big tables cost one fill, not one per run.
fn fill_template(admin: &mut PgConnection, url_of: &dyn Fn(&str) -> String, name: &str, rows: u64) {
    // one statement a call: several in one string run as one transaction, which these refuse
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let dir = base_folder();
    let mut conn = PgConnection::establish(&url_of(name)).unwrap();
    let source = diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
    migrate_with(&mut conn, source, &Options::default()).unwrap();
    let t = Instant::now();
    conn.batch_execute(&format!(
        "INSERT INTO accounts (email, n, note) SELECT 'u' || g || '@example.com', g % 1000, 'x' FROM \
         generate_series(1, {rows}) g;
         INSERT INTO payments (account_id, amount) SELECT 1 + (g % {rows}), g % 100 FROM generate_series(1, {}) g;
",
        rows / 2
    ))
    .unwrap();
    for statement in ["VACUUM ANALYZE accounts", "VACUUM ANALYZE payments", "CHECKPOINT"] {
        conn.batch_execute(statement).unwrap();
    }
    eprintln!("  (template filled in {:.1} s)", t.elapsed().as_secs_f64());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A migrations folder holding the base schema's migration only.
fn base_folder() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("model_stall_{}_{}", std::process::id(), rand_suffix()));
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir,
        "2026-01-01-000000_base",
        &plan_migration(&Schema::default(), &base(), Dialect::Postgres, true)
            .unwrap()
            .unwrap(),
    );
    dir
}

/// One run on a fresh copy of the template: the change's migrations (`parts`) under the writer's
/// load. No parts: the writer alone for `idle`, which gives the noise floor of the same run.
fn run(run: &Run<'_>, parts: &[Migration], options: &Options, idle: Duration) -> Outcome {
    let name = format!("{}_run", run.template);
    {
        let mut admin = run.admin.borrow_mut();
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
        admin
            .batch_execute(&format!(
                "CREATE DATABASE {name} TEMPLATE {} STRATEGY FILE_COPY",
                run.template
            ))
            .unwrap();
    }
    let url = (run.url_of)(&name);
    let dir = base_folder();
    for (i, m) in parts.iter().enumerate() {
        write(&dir, &format!("2026-01-01-{:06}_{}", i + 1, m.name), m);
    }
    let mut conn = PgConnection::establish(&url).unwrap();
    let source = || diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
    // the writer
    let stop = Arc::new(AtomicBool::new(false));
    let (flag, rows_now, writer_url) = (stop.clone(), run.rows, url.clone());
    let writer = std::thread::spawn(move || {
        let mut c = PgConnection::establish(&writer_url).unwrap();
        // `MODEL_STALL_SYNC_COMMIT=off`: the writer's commits do not wait for the WAL to reach the
        // disk, so what is left of a stall is waiting for locks (and CPU), not for the disk that
        // the migration's own writes keep busy
        if let Ok(mode) = std::env::var("MODEL_STALL_SYNC_COMMIT") {
            c.batch_execute(&format!("SET synchronous_commit = {mode}")).unwrap();
        }
        let (mut max, mut writes, mut i, mut at) = (Duration::ZERO, 0u64, 0u64, None);
        while !flag.load(Ordering::Relaxed) {
            i += 1;
            let sql = if i % 2 == 0 {
                format!("INSERT INTO accounts (email, n, note) VALUES ('w{i}@example.com', 1, 'x')")
            } else {
                format!("UPDATE accounts SET n = n + 1 WHERE id = {}", 1 + (i * 7919) % rows_now)
            };
            let t = Instant::now();
            c.batch_execute(&sql).unwrap();
            if t.elapsed() > max {
                max = t.elapsed();
                at = Some(t);
            }
            writes += 1;
        }
        (max, writes, at)
    });
    std::thread::sleep(Duration::from_millis(300));
    let _ = trace::take();
    let start = Instant::now();
    if parts.is_empty() {
        std::thread::sleep(idle);
    } else {
        migrate_with(&mut conn, source(), options).unwrap();
    }
    let duration = start.elapsed();
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);
    let (stall, writes, at) = writer.join().unwrap();
    if trace::on() {
        let since = |t: Instant| t.saturating_duration_since(start).as_secs_f64() * 1000.0;
        for (t, line) in trace::take() {
            eprintln!("    {:>8.1} ms  {line}", since(t));
        }
        if let Some(at) = at {
            eprintln!(
                "    {:>8.1} ms  the writer's longest stall starts ({:.1} ms); the migration took {:.1} ms",
                since(at),
                stall.as_secs_f64() * 1000.0,
                duration.as_secs_f64() * 1000.0
            );
        }
    }
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
    run.admin
        .borrow_mut()
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    Outcome {
        stall,
        duration,
        writes,
    }
}

/// What every run needs: the admin connection, the template's name, how to reach a database.
struct Run<'a> {
    admin: std::cell::RefCell<PgConnection>,
    template: String,
    url_of: &'a dyn Fn(&str) -> String,
    rows: u64,
}

/// The median longest stall and the median duration of a change's runs.
fn median(mut outcomes: Vec<Outcome>) -> Outcome {
    outcomes.sort_by_key(|o| o.stall);
    let duration = {
        let mut d: Vec<Duration> = outcomes.iter().map(|o| o.duration).collect();
        d.sort();
        d[d.len() / 2]
    };
    let mid = outcomes.swap_remove(outcomes.len() / 2);
    Outcome { duration, ..mid }
}

/// `MODEL_STALL_TRACE=1`: the runtime's log lines of each run, with the time since the migration
/// started, and when the writer's longest stall began (which part of a change stalls).
mod trace {
    use std::sync::Mutex;
    use std::time::Instant;

    static LINES: Mutex<Vec<(Instant, String)>> = Mutex::new(Vec::new());

    struct Timeline;

    impl log::Log for Timeline {
        fn enabled(&self, _: &log::Metadata<'_>) -> bool {
            true
        }
        fn log(&self, record: &log::Record<'_>) {
            if let Ok(mut lines) = LINES.lock() {
                lines.push((Instant::now(), record.args().to_string()));
            }
        }
        fn flush(&self) {}
    }

    pub fn on() -> bool {
        std::env::var("MODEL_STALL_TRACE").as_deref() == Ok("1")
    }

    pub fn install() {
        if on() && log::set_logger(&Timeline).is_ok() {
            log::set_max_level(log::LevelFilter::Debug);
        }
    }

    pub fn take() -> Vec<(Instant, String)> {
        LINES.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default()
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let admin = std::env::var("MODEL_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let env_count = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(default)
    };
    trace::install();
    // `MODEL_STALL_ONLY="add unique,add index"`: only these changes
    let only: Option<Vec<String>> = std::env::var("MODEL_STALL_ONLY")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let rows = env_count("MODEL_STALL_ROWS", 1_000_000);
    let repeat = env_count("MODEL_STALL_REPEAT", 3) as usize;
    let Ok(a) = PgConnection::establish(&admin) else {
        eprintln!("online_stall: PostgreSQL not reachable at {admin}: skipped");
        return;
    };
    let base_url = admin
        .rfind('/')
        .map(|i| admin[..i].to_string())
        .unwrap_or(admin.clone());
    let url_of = |db: &str| format!("{base_url}/{db}");
    let run_ctx = Run {
        admin: std::cell::RefCell::new(a),
        template: format!("online_stall_{}", std::process::id()),
        url_of: &url_of,
        rows,
    };
    fill_template(&mut run_ctx.admin.borrow_mut(), &url_of, &run_ctx.template, rows);
    let plain_options = Options {
        ddl_lock_timeout: None,
        retries: 0,
        ..Options::default()
    };
    println!(
        "online_stall: {rows} rows in accounts, {} in payments; writer: single-row INSERT/UPDATE in a loop; \
         median of {repeat} runs",
        rows / 2
    );
    let floor = median(
        (0..repeat)
            .map(|_| run(&run_ctx, &[], &plain_options, Duration::from_secs(2)))
            .collect(),
    );
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    println!(
        "noise floor (the writer alone for 2 s, no migration): longest stall {} ({} writes)",
        ms(floor.stall),
        floor.writes
    );
    println!(
        "| change | plain: longest stall | plain: duration | ours: longest stall | ours: duration | ours: migrations | stall ratio |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (kind, new) in kinds() {
        if only.as_ref().is_some_and(|o| !o.iter().any(|k| k == kind)) {
            continue;
        }
        let plain = plan_migration(&base(), &new, Dialect::Postgres, true).unwrap().unwrap();
        let options = PlanOptions {
            allow_data_loss: true,
            ..PlanOptions::new(Dialect::Postgres)
        };
        let ours = match plan_change(&base(), &new, &options) {
            Ok(parts) => Some(parts.unwrap().into_iter().map(|p| p.migration).collect::<Vec<_>>()),
            Err(model_core::diff::DiffError::Rewrite { .. }) => None,
            Err(e) => panic!("{kind}: {e}"),
        };
        let idle = Duration::ZERO;
        let p = median(
            (0..repeat)
                .map(|_| run(&run_ctx, std::slice::from_ref(&plain), &plain_options, idle))
                .collect(),
        );
        match ours {
            Some(parts) => {
                let o = median(
                    (0..repeat)
                        .map(|_| run(&run_ctx, &parts, &Options::default(), idle))
                        .collect(),
                );
                println!(
                    "| {kind} | {} | {} | {} | {} | {} | {:.0}× |",
                    ms(p.stall),
                    ms(p.duration),
                    ms(o.stall),
                    ms(o.duration),
                    parts.len(),
                    p.stall.as_secs_f64() / o.stall.as_secs_f64().max(1e-6)
                );
                eprintln!("  ({kind}: writes during the runs: plain {}, ours {})", p.writes, o.writes);
            }
            None => println!(
                "| {kind} | {} | {} | refused: rewrites the table (MODEL_ALLOW_REWRITE=1 runs the plain statement) | | | |",
                ms(p.stall),
                ms(p.duration)
            ),
        }
    }
    let template = run_ctx.template.clone();
    let _ = run_ctx
        .admin
        .borrow_mut()
        .batch_execute(&format!("DROP DATABASE IF EXISTS {template}"));
}
