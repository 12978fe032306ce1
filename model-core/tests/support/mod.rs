//! Test support shared by the integration tests: the hand-made model and migration folders.
//! Throwaway databases come from `model-testkit` (tests/testkit).
#![allow(dead_code)] // each test file uses a part of it

pub mod model;
#[cfg(all(feature = "build", feature = "postgres", feature = "sqlite"))]
pub mod project;
pub mod random_model;

use std::path::Path;

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
