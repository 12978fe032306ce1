//! Throw-away SQLite databases.

use diesel::{Connection, RunQueryDsl, SqliteConnection};

/// A SQLite database in a fresh temporary folder (kept alive by the returned guard), with foreign
/// keys enforced.
pub fn sqlite_db() -> (tempfile::TempDir, SqliteConnection) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("test.db");
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).expect("open sqlite file");
    diesel::sql_query("PRAGMA foreign_keys = ON")
        .execute(&mut conn)
        .expect("enable foreign keys");
    (dir, conn)
}
