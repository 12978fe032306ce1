//! Checksums of migrations: SHA-256 of the normalized `up.sql`, so that comments, blanks and line
//! breaks can change without the migration counting as edited.

use super::split::normalize_into;
use crate::ir::Dialect;
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The checksum of `up` (64 hex digits), for a migration folder of `dialect`.
pub(super) fn checksum(up: &str, dialect: Dialect) -> String {
    let mut hasher = Sha256::new();
    normalize_into(up, dialect, |piece| hasher.update(piece.as_bytes()));
    let digest = hasher.finalize();
    let mut out = String::with_capacity(64);
    for byte in digest {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::checksum;
    use crate::ir::Dialect;

    #[test]
    fn comment_and_blank_edits_keep_the_checksum() {
        let a = checksum("CREATE TABLE t (a INT);\nCREATE INDEX ix ON t (a);", Dialect::Postgres);
        let b = checksum(
            "-- reformatted\nCREATE TABLE t (\n  a INT -- the a\n);\n\n/* and an index */\nCREATE INDEX ix ON t (a);\n",
            Dialect::Postgres,
        );
        assert_eq!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(
            a,
            checksum(
                "CREATE TABLE t (a BIGINT);\nCREATE INDEX ix ON t (a);",
                Dialect::Postgres
            )
        );
    }
}
