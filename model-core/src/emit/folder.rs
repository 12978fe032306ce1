use super::{io_err, EmitError};
use std::path::{Path, PathBuf};

/// One migration folder (`<version>_<name>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationDir {
    /// Folder name, e.g. `2026-11-23-101500_create_users`.
    pub name: String,
    /// Diesel's version of it: the part before the first `_`, dashes removed (`20261123101500`).
    pub version: String,
    /// Full path.
    pub path: PathBuf,
}

/// The migrations folder as Diesel sees it: every non-hidden sub-folder is a migration.
#[derive(Debug, Clone)]
pub struct MigrationsFolder {
    /// The folder.
    pub path: PathBuf,
    /// Its migrations, ordered by version as Diesel runs them.
    pub migrations: Vec<MigrationDir>,
}

impl MigrationsFolder {
    /// Read the folder; a missing folder has no migrations.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("model-folder-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(dir.join("2024-01-02-030405_init")).unwrap();
    /// std::fs::create_dir_all(dir.join(".model")).unwrap();
    /// let f = model_core::emit::MigrationsFolder::read(&dir).unwrap();
    /// assert_eq!(f.migrations.len(), 1);
    /// assert_eq!(f.migrations[0].version, "20240102030405");
    /// ```
    pub fn read(path: &Path) -> Result<MigrationsFolder, EmitError> {
        let mut migrations = Vec::new();
        if path.is_dir() {
            for entry in std::fs::read_dir(path).map_err(io_err(path))? {
                let entry = entry.map_err(io_err(path))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || !entry.path().is_dir() {
                    continue;
                }
                migrations.push(MigrationDir {
                    version: diesel_version(&name),
                    path: entry.path(),
                    name,
                });
            }
        }
        migrations.sort_by(|a, b| (&a.version, &a.name).cmp(&(&b.version, &b.name)));
        Ok(MigrationsFolder {
            path: path.to_path_buf(),
            migrations,
        })
    }

    /// The migration called `name`, if present.
    pub fn get(&self, name: &str) -> Option<&MigrationDir> {
        self.migrations.iter().find(|m| m.name == name)
    }

    /// Versions that more than one folder share (Diesel would silently merge them).
    pub fn duplicate_versions(&self) -> Vec<(&MigrationDir, &MigrationDir)> {
        self.migrations
            .windows(2)
            .filter(|w| w[0].version == w[1].version)
            .map(|w| (&w[0], &w[1]))
            .collect()
    }
}

/// Diesel's rule (`migrations_internals::version_from_string`).
pub(crate) fn diesel_version(dir_name: &str) -> String {
    dir_name.split('_').next().unwrap_or(dir_name).replace('-', "")
}
