//! The findings of the lint of hand-written migrations ([`crate::lint`]), kept in `OUT_DIR` by
//! migration: a run lints again only the migrations whose `up.sql` or `metadata.toml` changed (by a
//! hash of their text), so a long history of hand-written migrations is not parsed on every run. A
//! cache that cannot be read is ignored; one written by another version of the crate is not used.

use crate::ir::Dialect;
use crate::lint::{lint_folders_for, Finding};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

/// File name inside `OUT_DIR`.
pub(crate) const FILE_NAME: &str = "model_lint_cache.json";

#[derive(Debug, Default, Serialize, Deserialize)]
struct LintCache {
    version: String,
    /// By migration folder name: the hash of its files' text and its findings.
    entries: BTreeMap<String, (u64, Vec<Finding>)>,
}

/// The hash of what the lint reads of the migration folder `dir` (`None` without `up.sql`), and of
/// the dialect it lints for.
fn fingerprint(dir: &Path, dialect: Dialect) -> Option<u64> {
    let up = std::fs::read(dir.join("up.sql")).ok()?;
    let metadata = std::fs::read(dir.join("metadata.toml")).ok();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    dialect.to_string().hash(&mut h);
    up.hash(&mut h);
    metadata.hash(&mut h);
    Some(h.finish())
}

/// [`lint_folders_for`] `dialect` of `dirs`, through the cache in `out_dir` (none: no cache).
pub(crate) fn lint<'a>(
    out_dir: Option<&Path>,
    dialect: Dialect,
    dirs: impl IntoIterator<Item = &'a Path>,
) -> Vec<Finding> {
    let Some(out_dir) = out_dir else {
        return lint_folders_for(dialect, dirs);
    };
    let path = out_dir.join(FILE_NAME);
    let version = env!("CARGO_PKG_VERSION");
    let old: LintCache = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str::<LintCache>(&t).ok())
        .filter(|c| c.version == version)
        .unwrap_or_default();
    let mut new = LintCache {
        version: version.to_string(),
        entries: BTreeMap::new(),
    };
    let mut out = Vec::new();
    for dir in dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(hash) = fingerprint(dir, dialect) else {
            continue;
        };
        let findings = match old.entries.get(&name) {
            Some((h, findings)) if *h == hash => findings.clone(),
            _ => lint_folders_for(dialect, [dir]),
        };
        out.extend(findings.iter().cloned());
        new.entries.insert(name, (hash, findings));
    }
    super::write_cache(&path, &new);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_findings_are_those_of_a_fresh_lint() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let a = dir.path().join("2026-01-01-000000_backfill");
        let b = dir.path().join("2026-01-02-000000_index");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("up.sql"), "UPDATE t SET a = 1;\n").unwrap();
        std::fs::write(b.join("up.sql"), "CREATE INDEX ix ON t (a);\n").unwrap();
        std::fs::write(b.join("metadata.toml"), "run_in_transaction = false\n").unwrap();
        let dirs = [a.as_path(), b.as_path()];
        let fresh = lint_folders_for(Dialect::Postgres, dirs);
        assert!(!fresh.is_empty(), "the index is flagged");
        assert_eq!(lint(Some(&out), Dialect::Postgres, dirs), fresh, "first run");
        assert!(out.join(FILE_NAME).is_file());
        assert_eq!(lint(Some(&out), Dialect::Postgres, dirs), fresh, "from the cache");
        // an edit is linted again
        std::fs::write(b.join("up.sql"), "CREATE INDEX CONCURRENTLY ix ON t (a);\n").unwrap();
        assert_eq!(
            lint(Some(&out), Dialect::Postgres, dirs),
            lint_folders_for(Dialect::Postgres, dirs)
        );
        assert!(lint(Some(&out), Dialect::Postgres, dirs).is_empty());
        std::fs::remove_file(b.join("metadata.toml")).unwrap();
        assert_eq!(
            lint(Some(&out), Dialect::Postgres, dirs),
            lint_folders_for(Dialect::Postgres, dirs)
        );
        // a cache that cannot be read is ignored
        std::fs::write(out.join(FILE_NAME), "{").unwrap();
        assert_eq!(
            lint(Some(&out), Dialect::Postgres, dirs),
            lint_folders_for(Dialect::Postgres, dirs)
        );
    }
}
