//! Throwaway databases for tests, so tests can run in parallel: each PostgreSQL test gets its own
//! database (created from `MODEL_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`,
//! dropped when the guard goes), each MySQL/MariaDB test too (from `MODEL_TEST_MYSQL_URL`, default
//! `mysql://root@127.0.0.1:3306/test`), each SQLite test its own file.
//!
//! When a server cannot be reached, a test is skipped with a line on stderr — except under CI
//! ([`under_ci`]), where it fails: CI must not pass by skipping. Counts of property-test cases and
//! trials come from the environment through [`count`], which refuses zero under CI.

#![deny(missing_docs)]

mod env;
mod mysql;

pub use env::{count, truthy, under_ci};
pub use mysql::{mysql, mysql_admin_url, MysqlDatabase};

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::result::DatabaseErrorKind;
use diesel::sqlite::SqliteConnection;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Assert that a statement was refused by the database with an error of this `kind` whose message
/// (or constraint name) names `what` — a constraint, a table.
///
/// # Panics
/// When the statement succeeded or failed otherwise.
///
/// ```
/// use diesel::prelude::*;
/// use diesel::result::DatabaseErrorKind;
///
/// let db = model_testkit::sqlite("doc_refused");
/// let mut conn = db.connect();
/// diesel::sql_query("CREATE TABLE t (id INTEGER PRIMARY KEY)").execute(&mut conn).unwrap();
/// diesel::sql_query("INSERT INTO t VALUES (1)").execute(&mut conn).unwrap();
/// let again = diesel::sql_query("INSERT INTO t VALUES (1)").execute(&mut conn);
/// model_testkit::assert_refused(again, DatabaseErrorKind::UniqueViolation, "t.id");
/// ```
#[track_caller]
pub fn assert_refused(result: QueryResult<usize>, kind: DatabaseErrorKind, what: &str) {
    match result {
        Err(diesel::result::Error::DatabaseError(k, info)) => {
            assert_eq!(
                std::mem::discriminant(&k),
                std::mem::discriminant(&kind),
                "{kind:?} expected, got {k:?}: {}",
                info.message()
            );
            let said = format!("{} {}", info.message(), info.constraint_name().unwrap_or_default());
            assert!(said.contains(what), "{kind:?} naming {what:?}, got: {said}");
        }
        other => panic!("{kind:?} expected, got {other:?}"),
    }
}

/// The admin URL tests create their databases from.
pub fn postgres_admin_url() -> String {
    std::env::var("MODEL_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub(crate) fn unique(tag: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tag: String = tag
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("model_t_{tag}_{}_{n}_{nanos}", std::process::id())
}

/// A PostgreSQL database that exists for one test.
pub struct PgDatabase {
    /// Its name.
    pub name: String,
    /// A URL connecting to it.
    pub url: String,
    admin_url: String,
}

impl PgDatabase {
    /// A connection to the database.
    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).unwrap_or_else(|e| panic!("connect to {}: {e}", self.url))
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name))
                .execute(&mut admin);
        }
    }
}

/// A new empty PostgreSQL database, or `None` (test skipped) when the server is unreachable outside CI.
///
/// # Panics
/// Under CI when the server is unreachable, and when the database cannot be created.
pub fn postgres(tag: &str) -> Option<PgDatabase> {
    let admin_url = postgres_admin_url();
    let mut admin = match PgConnection::establish(&admin_url) {
        Ok(c) => c,
        Err(e) if under_ci() => panic!("PostgreSQL at {admin_url} is unreachable under CI: {e}"),
        Err(e) => {
            eprintln!("skipped: PostgreSQL at {admin_url} is unreachable ({e}); set MODEL_TEST_POSTGRES_URL");
            return None;
        }
    };
    let name = unique(tag);
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
    let url = database_url(&admin_url, &name);
    Some(PgDatabase { name, url, admin_url })
}

/// `admin_url` with its database part replaced by `name` (query parameters kept).
pub(crate) fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').unwrap_or((admin_url, ""));
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let base = base[host_start..].find('/').map_or(base, |i| &base[..host_start + i]);
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}

/// A SQLite database file that exists for one test (deleted when the guard goes).
pub struct SqliteFile {
    /// The file.
    pub path: PathBuf,
}

impl SqliteFile {
    /// A connection with foreign keys enforced.
    pub fn connect(&self) -> SqliteConnection {
        let url = self.path.to_string_lossy().into_owned();
        let mut conn = SqliteConnection::establish(&url).unwrap_or_else(|e| panic!("open {url}: {e}"));
        diesel::sql_query("PRAGMA foreign_keys = ON")
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        conn
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

/// A new SQLite file path in the temp folder.
pub fn sqlite(tag: &str) -> SqliteFile {
    SqliteFile {
        path: std::env::temp_dir().join(format!("{}.db", unique(tag))),
    }
}

/// Run git in `dir` with a throwaway identity (and no commit signing): its standard output, or what
/// it printed when it fails. Tests make real repositories in temp folders with it.
///
/// # Panics
/// When git cannot be run (tests need it installed).
pub fn git(dir: &std::path::Path, args: &[&str]) -> Result<String, String> {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git is installed");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if out.status.success() {
        Ok(text(&out.stdout))
    } else {
        Err(format!("{}{}", text(&out.stdout), text(&out.stderr)))
    }
}

/// Copy the folder `from` to `to`, leaving out `target` folders and the build step's `.lock` files.
///
/// # Panics
/// When a file cannot be read or written.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let name = entry.file_name();
        if name == "target" || name == ".lock" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy file");
        }
    }
}
