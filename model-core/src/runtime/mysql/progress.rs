//! The progress table: how many statements of a migration MySQL has already committed.

use diesel::mysql::MysqlConnection;
use diesel::sql_types::{Integer, Text};
use diesel::{sql_query, OptionalExtension, QueryResult, QueryableByName, RunQueryDsl};

/// The table where the progress of MySQL migrations is kept (its name starts with `__`, so
/// introspection skips it): one row per migration partly applied, with how many of its statements
/// are done.
pub const TABLE: &str = "__model_migration_progress";

/// The statements of a migration already applied.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub(super) struct Progress {
    /// How many, from the first.
    #[diesel(sql_type = Integer)]
    pub done: i32,
    /// [`checksum`] of those statements.
    #[diesel(sql_type = Text)]
    pub checksum: String,
}

/// Create the table when missing.
pub(super) fn ensure(conn: &mut MysqlConnection) -> QueryResult<()> {
    sql_query(format!(
        "CREATE TABLE IF NOT EXISTS `{TABLE}` (version VARCHAR(50) NOT NULL PRIMARY KEY, done INT NOT NULL, \
         checksum VARCHAR(16) NOT NULL) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4"
    ))
    .execute(conn)
    .map(|_| ())
}

/// The recorded progress of `version`, if any.
pub(super) fn read(conn: &mut MysqlConnection, version: &str) -> QueryResult<Option<Progress>> {
    sql_query(format!("SELECT done, checksum FROM `{TABLE}` WHERE version = ?"))
        .bind::<Text, _>(version)
        .get_result(conn)
        .optional()
}

/// A row of the progress table, with its version.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub(crate) struct Row {
    /// The migration's version.
    #[diesel(sql_type = Text)]
    pub version: String,
    /// How many of its statements are applied, from the first.
    #[diesel(sql_type = Integer)]
    pub done: i32,
    /// [`checksum`] of those statements.
    #[diesel(sql_type = Text)]
    pub checksum: String,
}

/// Every row of the progress table, by version; none when the table does not exist (it is not
/// created).
pub(crate) fn all(conn: &mut MysqlConnection) -> QueryResult<Vec<Row>> {
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let exists = sql_query(format!(
        "SELECT CAST(count(*) AS SIGNED) AS n FROM information_schema.tables WHERE table_schema = DATABASE() \
         AND table_name = '{TABLE}'"
    ))
    .get_result::<Exists>(conn)?;
    if exists.n == 0 {
        return Ok(Vec::new());
    }
    sql_query(format!(
        "SELECT version, done, checksum FROM `{TABLE}` ORDER BY version"
    ))
    .load(conn)
}

/// Record that the first `done` statements of `version` are applied.
pub(super) fn write(conn: &mut MysqlConnection, version: &str, done: usize, checksum: &str) -> QueryResult<()> {
    let done = i32::try_from(done).unwrap_or(i32::MAX);
    sql_query(format!(
        "INSERT INTO `{TABLE}` (version, done, checksum) VALUES (?, ?, ?) \
         ON DUPLICATE KEY UPDATE done = VALUES(done), checksum = VALUES(checksum)"
    ))
    .bind::<Text, _>(version)
    .bind::<Integer, _>(done)
    .bind::<Text, _>(checksum)
    .execute(conn)
    .map(|_| ())
}

/// A stable checksum (FNV-1a, 16 hex digits) of `statements`, to notice an `up.sql` edited after a
/// partial run.
pub(crate) fn checksum(statements: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for s in statements {
        for b in s.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::checksum;

    #[test]
    fn checksums_see_every_statement_and_their_bounds() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(checksum(&s(&["a", "b"])), checksum(&s(&["a", "b"])));
        assert_ne!(checksum(&s(&["a", "b"])), checksum(&s(&["ab"])));
        assert_ne!(checksum(&s(&["a"])), checksum(&s(&["a", "b"])));
        assert_eq!(checksum(&[]).len(), 16);
    }
}
