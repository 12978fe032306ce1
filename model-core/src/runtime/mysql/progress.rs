//! The progress table: how many statements of a migration MySQL has already committed.

use crate::runtime::driver::{literal, Exec};
use diesel::QueryResult;

/// The table where the progress of MySQL migrations is kept (its name starts with `__`, so
/// introspection skips it): one row per migration partly applied, with how many of its statements
/// are done.
pub const TABLE: &str = "__model_migration_progress";

/// The statements of a migration already applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Progress {
    /// How many, from the first.
    pub done: i64,
    /// [`checksum`] of those statements.
    pub checksum: String,
}

/// Create the table when missing.
pub(super) fn ensure(conn: &mut impl Exec) -> QueryResult<()> {
    conn.execute(&format!(
        "CREATE TABLE IF NOT EXISTS `{TABLE}` (version VARCHAR(50) NOT NULL PRIMARY KEY, done INT NOT NULL, \
         checksum VARCHAR(16) NOT NULL) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4"
    ))
    .map(|_| ())
}

/// The recorded progress of `version`, if any.
pub(super) fn read(conn: &mut impl Exec, version: &str) -> QueryResult<Option<Progress>> {
    let rows = conn.texts(&format!(
        "SELECT CAST(done AS CHAR) AS a, checksum AS b, CAST(NULL AS CHAR) AS c, CAST(NULL AS CHAR) AS d \
         FROM `{TABLE}` WHERE version = {}",
        literal(version)
    ))?;
    Ok(rows.into_iter().next().map(|r| Progress {
        // a count the table holds as INT: a row that does not read as one counts as nothing done
        done: r.a.and_then(|d| d.parse().ok()).unwrap_or(0),
        checksum: r.b.unwrap_or_default(),
    }))
}

/// A row of the progress table, with its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    /// The migration's version.
    pub version: String,
    /// How many of its statements are applied, from the first.
    pub done: i32,
    /// [`checksum`] of those statements.
    pub checksum: String,
}

/// Every row of the progress table, by version; none when the table does not exist (it is not
/// created).
pub(crate) fn all(conn: &mut impl Exec) -> QueryResult<Vec<Row>> {
    let exists = conn.texts(&format!(
        "SELECT CAST(count(*) AS CHAR) AS a, CAST(NULL AS CHAR) AS b, CAST(NULL AS CHAR) AS c, \
         CAST(NULL AS CHAR) AS d FROM information_schema.tables WHERE table_schema = DATABASE() \
         AND table_name = '{TABLE}'"
    ))?;
    if exists.first().and_then(|r| r.a.as_deref()).is_none_or(|n| n == "0") {
        return Ok(Vec::new());
    }
    let rows = conn.texts(&format!(
        "SELECT version AS a, CAST(done AS CHAR) AS b, checksum AS c, CAST(NULL AS CHAR) AS d FROM `{TABLE}` \
         ORDER BY version"
    ))?;
    Ok(rows
        .into_iter()
        .map(|r| Row {
            version: r.a.unwrap_or_default(),
            // a count the table holds as INT: a row that does not read as one counts as nothing done
            done: r.b.and_then(|d| d.parse().ok()).unwrap_or(0),
            checksum: r.c.unwrap_or_default(),
        })
        .collect())
}

/// Record that the first `done` statements of `version` are applied.
pub(super) fn write(conn: &mut impl Exec, version: &str, done: usize, checksum: &str) -> QueryResult<()> {
    let done = i32::try_from(done).unwrap_or(i32::MAX);
    conn.execute(&format!(
        "INSERT INTO `{TABLE}` (version, done, checksum) VALUES ({}, {done}, {}) \
         ON DUPLICATE KEY UPDATE done = VALUES(done), checksum = VALUES(checksum)",
        literal(version),
        literal(checksum)
    ))
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
