//! The stall benchmark: how long a writer is blocked while a migration of a big table runs, for this
//! crate's plan (online forms, PostgreSQL) and for the plain statement Alembic or Diesel would run.
//!
//! For each kind of change, twice (plain, then ours), on fresh tables: `accounts` with
//! `MODEL_STALL_ROWS` rows (default 1,000,000) and `payments` with half as many rows referencing it;
//! another connection writes in a loop (single-row `INSERT` into `accounts`, `UPDATE` of a random
//! row) and records the latency of each write; the migration is applied by `model::migrate` (ours:
//! default options; plain: one folder, no lock timeout). Printed per kind: the writer's longest
//! stall and the migration's duration, side by side, and the ratio of the longest stalls.
//!
//! ```sh
//! cargo bench -p model-core --features build,postgres --bench online_stall
//! MODEL_STALL_ROWS=100000 cargo bench -p model-core --features build,postgres --bench online_stall
//! ```
//!
//! Uses `MODEL_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) to create a
//! database of its own, dropped at the end.

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

/// One run on fresh tables: the change's migrations (`parts`) under the writer's load.
fn run(db_url: &str, parts: &[Migration], options: &Options, rows: u64) -> Outcome {
    let dir = std::env::temp_dir().join(format!("model_stall_{}_{}", std::process::id(), rand_suffix()));
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir,
        "2026-01-01-000000_base",
        &plan_migration(&Schema::default(), &base(), Dialect::Postgres, true)
            .unwrap()
            .unwrap(),
    );
    let mut conn = PgConnection::establish(db_url).unwrap();
    conn.batch_execute("DROP TABLE IF EXISTS payments, accounts, __diesel_schema_migrations, __model_migrations")
        .unwrap();
    let source = || diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
    migrate_with(&mut conn, source(), &Options::default()).unwrap();
    conn.batch_execute(&format!(
        "INSERT INTO accounts (email, n, note) SELECT 'u' || g || '@example.com', g % 1000, 'x' FROM \
         generate_series(1, {rows}) g;
         INSERT INTO payments (account_id, amount) SELECT 1 + (g % {rows}), g % 100 FROM generate_series(1, {}) g;",
        rows / 2
    ))
    .unwrap();
    for table in ["accounts", "payments"] {
        conn.batch_execute(&format!("VACUUM ANALYZE {table}")).unwrap();
    }
    for (i, m) in parts.iter().enumerate() {
        write(&dir, &format!("2026-01-01-{:06}_{}", i + 1, m.name), m);
    }
    // the writer
    let stop = Arc::new(AtomicBool::new(false));
    let url = db_url.to_string();
    let (flag, rows_now) = (stop.clone(), rows);
    let writer = std::thread::spawn(move || {
        let mut c = PgConnection::establish(&url).unwrap();
        let (mut max, mut writes, mut i) = (Duration::ZERO, 0u64, 0u64);
        while !flag.load(Ordering::Relaxed) {
            i += 1;
            let sql = if i % 2 == 0 {
                format!("INSERT INTO accounts (email, n, note) VALUES ('w{i}@example.com', 1, 'x')")
            } else {
                format!("UPDATE accounts SET n = n + 1 WHERE id = {}", 1 + (i * 7919) % rows_now)
            };
            let t = Instant::now();
            c.batch_execute(&sql).unwrap();
            max = max.max(t.elapsed());
            writes += 1;
        }
        (max, writes)
    });
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    migrate_with(&mut conn, source(), options).unwrap();
    let duration = start.elapsed();
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);
    let (stall, writes) = writer.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    Outcome {
        stall,
        duration,
        writes,
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
    let rows: u64 = std::env::var("MODEL_STALL_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let Ok(mut a) = PgConnection::establish(&admin) else {
        eprintln!("online_stall: PostgreSQL not reachable at {admin}: skipped");
        return;
    };
    let db = format!("online_stall_{}", std::process::id());
    a.batch_execute(&format!("DROP DATABASE IF EXISTS {db}")).unwrap();
    a.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    let db_url = match admin.rfind('/') {
        Some(i) => format!("{}/{db}", &admin[..i]),
        None => admin.clone(),
    };
    let plain_options = Options {
        ddl_lock_timeout: None,
        retries: 0,
        ..Options::default()
    };
    println!(
        "online_stall: {rows} rows in accounts, {} in payments; writer: single-row INSERT/UPDATE in a loop",
        rows / 2
    );
    println!(
        "| change | plain: longest stall | plain: duration | ours: longest stall | ours: duration | ours: migrations | stall ratio |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (kind, new) in kinds() {
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
        let p = run(&db_url, std::slice::from_ref(&plain), &plain_options, rows);
        let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
        match ours {
            Some(parts) => {
                let o = run(&db_url, &parts, &Options::default(), rows);
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
    drop(a);
    if let Ok(mut a) = PgConnection::establish(&admin) {
        let _ = a.batch_execute(&format!("DROP DATABASE IF EXISTS {db}"));
    }
}
