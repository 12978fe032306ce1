//! `[package.metadata.model]`: the one configuration read by both the derive and the build step.
//!
//! ```toml
//! [package.metadata.model]
//! dialect = "postgres"            # "postgres" | "sqlite" | "mysql"
//! migrations = "migrations"       # default
//! models = ["src/models.rs"]      # files or folders the build step scans; default ["src"]
//! online = true                   # lock-safe forms for existing tables (PostgreSQL, MySQL; default true)
//! extensions = ["citext"]         # PostgreSQL extensions the schema needs; default none
//! objects = "db/objects"          # folder of functions and triggers, one SQL file each; default none
//! exclude = ["audit_*"]           # tables the crate does not own (globs); default none
//! include = ["*"]                 # tables the crate owns (globs); default every table
//! lock = "auto"                   # "auto" | "advisory" | "table": how `model upgrade` & co. lock
//! schema = "app"                  # PostgreSQL schema of the tables that name none; default: search_path
//! ```
//!
//! A crate without the section gets the defaults (dialect `postgres`).

use crate::ir::{Dialect, TableFilter};
use crate::lock::LockStrategy;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The configuration of one crate that holds models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The crate's root (the folder of its `Cargo.toml`).
    pub manifest_dir: PathBuf,
    /// SQL dialect of the crate's database.
    pub dialect: Dialect,
    /// The migrations folder, absolute.
    pub migrations: PathBuf,
    /// Files or folders scanned for models, absolute.
    pub models: Vec<PathBuf>,
    /// `true` when `[package.metadata.model]` was present.
    pub explicit: bool,
    /// PostgreSQL: write the lock-safe (online) forms for changes of existing tables — indexes
    /// `CONCURRENTLY`, constraints `NOT VALID` then validated, rewrites refused unless allowed (see
    /// [`crate::plan::plan_change`]). `online = false` in the section writes one plain transaction
    /// per change. On MySQL/MariaDB it adds `ALGORITHM=INPLACE, LOCK=NONE` / `ALGORITHM=INSTANT` where a
    /// statement can run online. Default `true`; ignored on SQLite.
    pub online: bool,
    /// PostgreSQL extensions the schema needs (`extensions = ["citext"]`), created before anything
    /// that uses them.
    pub extensions: Vec<String>,
    /// The folder of functions and triggers (`objects = "db/objects"`), absolute: every `*.sql` file
    /// in it holds one `CREATE FUNCTION` or `CREATE TRIGGER`. `None` when not configured.
    pub objects: Option<PathBuf>,
    /// The tables the crate owns (`include` / `exclude`): the others are left out of `model import`,
    /// the drift check and the baseline check.
    pub tables: TableFilter,
    /// `lock`: how the `model` CLI takes the migration lock (default [`LockStrategy::Auto`]). A
    /// service passes the same choice in the runtime's `Options::lock`: every process migrating one
    /// database should use one strategy.
    pub lock: LockStrategy,
    /// `schema = "app"` (PostgreSQL only): the schema of every table whose model names none
    /// (`#[model(schema = "..")]` or `table_name = "schema.table"`). `None` (the default): such tables
    /// are written unqualified and land in the connection's `search_path` (usually `public`).
    pub schema: Option<String>,
}

/// Why the configuration cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `Cargo.toml` cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The manifest path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `Cargo.toml` is not valid TOML, or the section has a wrong key or value.
    #[error("{path}: invalid [package.metadata.model]: {message}")]
    Invalid {
        /// The manifest path.
        path: PathBuf,
        /// What is wrong and what to write instead.
        message: String,
    },
}

#[derive(Deserialize)]
struct Manifest {
    package: Option<Package>,
}

#[derive(Deserialize)]
struct Package {
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    model: Option<Section>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    dialect: Option<String>,
    migrations: Option<String>,
    models: Option<Vec<String>>,
    online: Option<bool>,
    extensions: Option<Vec<String>>,
    objects: Option<String>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    lock: Option<String>,
    schema: Option<String>,
}

impl Config {
    /// Read `<manifest_dir>/Cargo.toml`.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("model-config-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// std::fs::write(dir.join("Cargo.toml"),
    ///     "[package]\nname = \"x\"\n[package.metadata.model]\ndialect = \"sqlite\"\n").unwrap();
    /// let cfg = model_core::config::Config::load(&dir).unwrap();
    /// assert_eq!(cfg.dialect, model_core::ir::Dialect::Sqlite);
    /// assert_eq!(cfg.migrations, dir.join("migrations"));
    /// ```
    pub fn load(manifest_dir: &Path) -> Result<Config, ConfigError> {
        let path = manifest_dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
            path: path.clone(),
            source,
        })?;
        Config::from_manifest(manifest_dir, &text).map_err(|message| ConfigError::Invalid { path, message })
    }

    /// Read the configuration from a manifest's text; `manifest_dir` anchors relative paths.
    pub fn from_manifest(manifest_dir: &Path, text: &str) -> Result<Config, String> {
        let manifest: Manifest = toml::from_str(text).map_err(|e| e.to_string())?;
        let section = manifest.package.and_then(|p| p.metadata).and_then(|m| m.model);
        let explicit = section.is_some();
        let section = section.unwrap_or(Section {
            dialect: None,
            migrations: None,
            models: None,
            online: None,
            extensions: None,
            objects: None,
            include: None,
            exclude: None,
            lock: None,
            schema: None,
        });
        let dialect = match section.dialect {
            Some(d) => d.parse::<Dialect>().map_err(|e| e.to_string())?,
            None => Dialect::Postgres,
        };
        let migrations = manifest_dir.join(section.migrations.unwrap_or_else(|| "migrations".into()));
        let models = section.models.unwrap_or_else(|| vec!["src".into()]);
        if models.is_empty() {
            return Err("`models` is empty: list the files or folders that hold your models, e.g. [\"src\"]".into());
        }
        let extensions = section.extensions.unwrap_or_default();
        if !extensions.is_empty() && dialect != Dialect::Postgres {
            return Err(format!(
                "`extensions` are PostgreSQL's, and `dialect` is \"{dialect}\": remove `extensions`"
            ));
        }
        for e in &extensions {
            if e.trim().is_empty() || e.trim() != e {
                return Err(format!(
                    "`extensions` lists {e:?}: write each extension's name as `CREATE EXTENSION` takes it, e.g. \"citext\""
                ));
            }
        }
        let tables = TableFilter::new(section.include.unwrap_or_default(), section.exclude.unwrap_or_default())
            .map_err(|e| format!("`include` / `exclude`: {e}"))?;
        let lock = match section.lock {
            Some(l) => l.parse::<LockStrategy>().map_err(|e| format!("`lock`: {e}"))?,
            None => LockStrategy::Auto,
        };
        if let Some(s) = &section.schema {
            if dialect != Dialect::Postgres {
                return Err(format!(
                    "`schema` is PostgreSQL's, and `dialect` is \"{dialect}\" (one database per crate there): remove `schema`"
                ));
            }
            if s.trim().is_empty() || s.trim() != s || s.contains('.') {
                return Err(format!(
                    "`schema = {s:?}`: write one schema name, e.g. `schema = \"app\"`"
                ));
            }
        }
        Ok(Config {
            manifest_dir: manifest_dir.to_path_buf(),
            dialect,
            migrations,
            models: models.iter().map(|m| manifest_dir.join(m)).collect(),
            explicit,
            online: section.online.unwrap_or(true),
            extensions,
            objects: section.objects.map(|o| manifest_dir.join(o)),
            tables,
            lock,
            schema: section.schema,
        })
    }

    /// The configuration of the crate being compiled (`CARGO_MANIFEST_DIR`).
    pub fn from_env() -> Result<Config, ConfigError> {
        let dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        Config::load(&dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_section() {
        let c = Config::from_manifest(Path::new("/x"), "[package]\nname = \"a\"\n").unwrap();
        assert_eq!(c.dialect, Dialect::Postgres);
        assert!(!c.explicit);
        assert_eq!(c.models, vec![PathBuf::from("/x/src")]);
    }

    #[test]
    fn online_is_on_unless_turned_off() {
        let on = Config::from_manifest(Path::new("/x"), "[package]\nname = \"a\"\n").unwrap();
        assert!(on.online);
        let off = Config::from_manifest(Path::new("/x"), "[package.metadata.model]\nonline = false\n").unwrap();
        assert!(!off.online);
        let bad = Config::from_manifest(Path::new("/x"), "[package.metadata.model]\nonline = \"no\"\n").unwrap_err();
        assert!(bad.contains("online"), "{bad}");
    }

    #[test]
    fn unknown_key_is_an_error() {
        let e = Config::from_manifest(Path::new("/x"), "[package.metadata.model]\ndialekt = \"sqlite\"\n").unwrap_err();
        assert!(e.contains("dialekt"), "{e}");
    }

    #[test]
    fn extensions_and_objects() {
        let c = Config::from_manifest(
            Path::new("/x"),
            "[package.metadata.model]\nextensions = [\"citext\"]\nobjects = \"db/objects\"\n",
        )
        .unwrap();
        assert_eq!(c.extensions, ["citext"]);
        assert_eq!(c.objects, Some(PathBuf::from("/x/db/objects")));
        let e = Config::from_manifest(
            Path::new("/x"),
            "[package.metadata.model]\ndialect = \"sqlite\"\nextensions = [\"citext\"]\n",
        )
        .unwrap_err();
        assert!(e.contains("PostgreSQL"), "{e}");
    }

    #[test]
    fn table_filters() {
        let c = Config::from_manifest(
            Path::new("/x"),
            "[package.metadata.model]\nexclude = [\"audit_*\", \"spatial_ref_sys\"]\n",
        )
        .unwrap();
        assert!(!c.tables.allows("audit_log") && c.tables.allows("users"));
        let e = Config::from_manifest(Path::new("/x"), "[package.metadata.model]\nexclude = [\"[\"]\n").unwrap_err();
        assert!(e.contains("not a valid table pattern"), "{e}");
    }

    #[test]
    fn lock_strategy_key() {
        let c = Config::from_manifest(Path::new("/x"), "[package.metadata.model]\nlock = \"table\"\n").unwrap();
        assert_eq!(c.lock, LockStrategy::Table);
        let c = Config::from_manifest(Path::new("/x"), "[package]\nname = \"a\"\n").unwrap();
        assert_eq!(c.lock, LockStrategy::Auto);
        let e = Config::from_manifest(Path::new("/x"), "[package.metadata.model]\nlock = \"row\"\n").unwrap_err();
        assert!(e.contains("`lock`") && e.contains("\"table\""), "{e}");
    }

    #[test]
    fn default_schema_is_postgres_only() {
        let c = Config::from_manifest(Path::new("/x"), "[package.metadata.model]\nschema = \"app\"\n").unwrap();
        assert_eq!(c.schema.as_deref(), Some("app"));
        let e = Config::from_manifest(
            Path::new("/x"),
            "[package.metadata.model]\ndialect = \"mysql\"\nschema = \"app\"\n",
        )
        .unwrap_err();
        assert!(e.contains("PostgreSQL's"), "{e}");
        let e = Config::from_manifest(Path::new("/x"), "[package.metadata.model]\nschema = \"a.b\"\n").unwrap_err();
        assert!(e.contains("one schema name"), "{e}");
    }

    #[test]
    fn unknown_dialect_is_an_error() {
        let e = Config::from_manifest(Path::new("/x"), "[package.metadata.model]\ndialect = \"oracle\"\n").unwrap_err();
        assert!(e.contains("oracle") && e.contains("sqlite"), "{e}");
    }
}
