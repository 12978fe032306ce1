//! Throw-away PostgreSQL databases (see the parent module).

use diesel::{Connection, PgConnection, RunQueryDsl};
use std::sync::atomic::{AtomicUsize, Ordering};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

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
        Err(e) if super::ci() => panic!(
            "PostgreSQL is not reachable at {admin_url} ({e}); CI is set, so the PostgreSQL tests fail \
             instead of being skipped: start the server or set MODEL_TEST_POSTGRES_URL"
        ),
        Err(e) => {
            eprintln!("skipping PostgreSQL test: server not reachable at {admin_url} ({e})");
            return None;
        }
    };
    let name = format!(
        "model_t_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
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
