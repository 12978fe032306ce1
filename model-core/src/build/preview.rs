//! The build step without writing anything: the migration it would write now (the CLI's `model sql`,
//! Alembic's offline mode).

use super::step::Change;
use super::{BuildError, Builder, Mode};
use crate::graph::Header;
use crate::ir::Schema;
use crate::plan::Migration;

/// The migration [`Builder::run`] would write now, computed by [`Builder::preview`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The folder name it would get in the migrations folder (`<version>_<name>`).
    pub folder_name: String,
    /// Its ops and the text of its `up.sql` and `down.sql`.
    pub migration: Migration,
    /// The migrations written after it for the same change (PostgreSQL's online forms, see
    /// [`crate::plan::plan_change`]): folder name and migration, in order.
    pub more: Vec<(String, Migration)>,
}

impl Builder {
    /// The crate's models as the build step sees them — every model file scanned (no cache), the rules
    /// across models checked, one [`Schema`] — read by [`Builder::run`] itself in mode `off` without
    /// `OUT_DIR`, so nothing is written. The CLI draws its diagrams from it.
    ///
    /// ```
    /// use model_core::{build::Builder, config::Config};
    /// let dir = std::env::temp_dir().join(format!("model-models-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(dir.join("src")).unwrap();
    /// std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    /// std::fs::write(dir.join("src/lib.rs"),
    ///     "#[derive(Model)] pub struct Tag { #[model(primary_key)] pub id: i64 }").unwrap();
    /// let schema = Builder::new(Config::load(&dir).unwrap()).models().unwrap();
    /// assert_eq!(schema.tables[0].name, "tags");
    /// assert!(!dir.join("migrations").exists());
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn models(&self) -> Result<Schema, BuildError> {
        let report = self.clone().mode(Mode::Off).out_dir(None).run()?;
        Ok(report.schema.unwrap_or_default())
    }

    /// What [`Builder::run`] in mode `write` would write now, without writing, reading or updating any
    /// cache: `None` when the models equal the schema recorded at the last migration. The data-loss
    /// guard applies as in `run` ([`Builder::allow_data_loss`]), and so does [`Builder::name`].
    ///
    /// ```
    /// use model_core::{build::Builder, config::Config};
    /// let dir = std::env::temp_dir().join(format!("model-preview-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(dir.join("src")).unwrap();
    /// std::fs::write(dir.join("Cargo.toml"),
    ///     "[package]\nname = \"x\"\n[package.metadata.model]\ndialect = \"sqlite\"\n").unwrap();
    /// std::fs::write(dir.join("src/lib.rs"),
    ///     "#[derive(Model)] pub struct Tag { #[model(primary_key)] pub id: i64 }").unwrap();
    /// let preview = Builder::new(Config::load(&dir).unwrap()).preview().unwrap().unwrap();
    /// assert!(preview.folder_name.ends_with("_create_tags"));
    /// assert!(preview.migration.up_sql.contains("CREATE TABLE \"tags\""));
    /// assert!(!dir.join("migrations").exists()); // nothing written
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn preview(&self) -> Result<Option<Preview>, BuildError> {
        let schema = self.models()?;
        let (folder, history) = super::read_history(&self.config)?;
        let next = self.clone().mode(Mode::Write).next(
            &folder,
            &history,
            &schema,
            super::step::State::Reusing(&Default::default()),
        )?;
        let (folder_name, parents, mut migration, rest) = match next.change {
            Change::New {
                name,
                parents,
                migration,
                rest,
            }
            | Change::Rewrite {
                name,
                parents,
                migration,
                rest,
                ..
            } => (name, parents, migration, rest),
            Change::Nothing | Change::Remove { .. } => return Ok(None),
        };
        if let Some(name) = &self.name {
            migration.name = name.clone();
        }
        migration.up_sql = format!("{}{}", Header::Generated { parents }.render(), migration.up_sql);
        let mut parent = folder_name.clone();
        let mut more = Vec::new();
        for (name, part) in rest.parts {
            let mut m = part.migration;
            m.up_sql = format!("{}{}", Header::Generated { parents: vec![parent] }.render(), m.up_sql);
            parent = name.clone();
            more.push((name, m));
        }
        Ok(Some(Preview {
            folder_name,
            migration,
            more,
        }))
    }
}

#[cfg(test)]
mod tests {
    use crate::build::Builder;
    use crate::config::Config;
    use chrono::{TimeZone, Utc};

    const MODELS: &str =
        "#[derive(Model)]\npub struct Tag {\n    #[model(primary_key)]\n    pub id: i64,\n    pub label: String,\n}\n";

    fn crate_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"t\"\n[package.metadata.model]\ndialect = \"postgres\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("src/lib.rs"), MODELS).unwrap();
        dir
    }

    fn builder(dir: &std::path::Path) -> Builder {
        Builder::new(Config::load(dir).unwrap()).now(Utc.with_ymd_and_hms(2026, 11, 24, 3, 0, 0).unwrap())
    }

    #[test]
    fn preview_writes_nothing_and_matches_what_run_writes() {
        let dir = crate_dir();
        let preview = builder(dir.path()).preview().unwrap().unwrap();
        assert_eq!(preview.folder_name, "2026-11-24-030000_create_tags");
        assert!(!dir.path().join("migrations").exists());
        let written = builder(dir.path()).run().unwrap().written.unwrap();
        assert!(written.ends_with(&preview.folder_name), "{}", written.display());
        let up = std::fs::read_to_string(written.join("up.sql")).unwrap();
        let down = std::fs::read_to_string(written.join("down.sql")).unwrap();
        assert_eq!((up, down), (preview.migration.up_sql, preview.migration.down_sql));
        assert_eq!(
            builder(dir.path()).preview().unwrap(),
            None,
            "models now match the last migration"
        );
    }

    #[test]
    fn name_overrides_the_descriptive_name_in_preview_and_run() {
        let dir = crate_dir();
        let preview = builder(dir.path()).name("first").preview().unwrap().unwrap();
        assert_eq!(preview.folder_name, "2026-11-24-030000_first");
        let written = builder(dir.path()).name("first").run().unwrap().written.unwrap();
        assert!(written.ends_with("2026-11-24-030000_first"), "{}", written.display());
        assert!(dir
            .path()
            .join("migrations/.model/2026-11-24-030000_first.json")
            .is_file());
    }
}
