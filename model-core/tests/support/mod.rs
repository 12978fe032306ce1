//! Test support shared by the integration tests: throw-away databases and migration folders.
//!
//! PostgreSQL tests read the admin URL from `MODEL_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and create their own database, dropped at the end
//! even when the test fails. When the server cannot be reached the test is skipped with a line on
//! stderr, unless `CI` is set (to anything but `""`, `0` or `false`): then it fails.
#![allow(dead_code)] // each test file uses a part of it

pub mod model;

use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// `true` when running under CI (skips become failures).
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// A PostgreSQL database created for one test and dropped when this value is dropped.
pub struct PgDb {
    admin_url: String,
    /// Database name (`model_t_<pid>_<n>`).
    pub name: String,
    /// URL of the database.
    pub url: String,
}

impl PgDb {
    /// A new connection to the test database.
    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).unwrap_or_else(|e| panic!("cannot connect to {}: {e}", self.url))
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
            if let Err(e) = diesel::sql_query(sql).execute(&mut admin) {
                eprintln!("could not drop test database {}: {e}", self.name);
            }
        }
    }
}

/// A fresh PostgreSQL database, or `None` (after a skip line on stderr) when the server cannot be
/// reached outside CI. Panics under CI when the server cannot be reached.
pub fn pg_db() -> Option<PgDb> {
    let admin_url = std::env::var("MODEL_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string());
    let mut admin = match PgConnection::establish(&admin_url) {
        Ok(c) => c,
        Err(e) if ci() => panic!(
            "PostgreSQL is not reachable at {admin_url} ({e}); CI is set, so the PostgreSQL tests fail \
             instead of being skipped: start the server or set MODEL_TEST_POSTGRES_URL"
        ),
        Err(e) => {
            eprintln!("skipping PostgreSQL test: server not reachable at {admin_url} ({e})");
            return None;
        }
    };
    let name = format!("model_t_{}_{}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::SeqCst));
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
    let url = database_url(&admin_url, &name);
    Some(PgDb { admin_url, name, url })
}

/// `admin_url` with its database part replaced by `name` (query parameters kept).
fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').unwrap_or((admin_url, ""));
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let base = base[host_start..].find('/').map_or(base, |i| &base[..host_start + i]);
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}

/// A SQLite database in a fresh temporary folder (kept alive by the returned guard), with foreign
/// keys enforced.
pub fn sqlite_db() -> (tempfile::TempDir, SqliteConnection) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.db");
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).expect("open sqlite file");
    diesel::sql_query("PRAGMA foreign_keys = ON").execute(&mut conn).expect("enable foreign keys");
    (dir, conn)
}

/// Run a script of several statements.
pub fn exec_script(conn: &mut impl diesel::connection::SimpleConnection, script: &str) {
    conn.batch_execute(script).unwrap_or_else(|e| panic!("{e}\nin:\n{script}"));
}

/// Write a migration folder `dir/<name>/{up,down}.sql`.
pub fn write_migration(dir: &Path, name: &str, up: &str, down: &str) {
    let m = dir.join(name);
    std::fs::create_dir_all(&m).expect("create migration folder");
    std::fs::write(m.join("up.sql"), up).expect("write up.sql");
    std::fs::write(m.join("down.sql"), down).expect("write down.sql");
}
