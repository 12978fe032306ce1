//! Test support shared by the integration tests: throw-away databases and migration folders.
//!
//! PostgreSQL tests read the admin URL from `MODEL_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and create their own database, dropped at the end
//! even when the test fails. When the server cannot be reached the test is skipped with a line on
//! stderr, unless `CI` is set (to anything but `""`, `0` or `false`): then it fails.
#![allow(dead_code)] // each test file uses a part of it

pub mod model;
#[cfg(feature = "postgres")]
pub mod pg;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use std::path::Path;

/// `true` when running under CI (skips become failures).
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// Run a script of several statements.
pub fn exec_script(conn: &mut impl diesel::connection::SimpleConnection, script: &str) {
    conn.batch_execute(script)
        .unwrap_or_else(|e| panic!("{e}\nin:\n{script}"));
}

/// Write a migration folder `dir/<name>/{up,down}.sql`.
pub fn write_migration(dir: &Path, name: &str, up: &str, down: &str) {
    let m = dir.join(name);
    std::fs::create_dir_all(&m).expect("create migration folder");
    std::fs::write(m.join("up.sql"), up).expect("write up.sql");
    std::fs::write(m.join("down.sql"), down).expect("write down.sql");
}
