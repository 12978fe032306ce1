//! A throwaway crate in the temp folder holding generated models, driven by the real build step.

use super::models::model_files;
use chrono::{TimeZone, Utc};
use model_core::build::Builder;
use model_core::config::Config;
use std::path::PathBuf;

/// A generated crate: `Cargo.toml` with `[package.metadata.model]`, models under `src/models/`.
pub struct TempCrate {
    /// Its root folder.
    pub dir: PathBuf,
    tables: usize,
}

impl TempCrate {
    /// Write a crate of `tables` generated tables (base version) for `dialect` and run the build step
    /// once, so its migrations folder holds the migration that creates them all.
    pub fn new(tag: &str, dialect: &str, tables: usize) -> TempCrate {
        let dir = std::env::temp_dir().join(format!("model-bench-{tag}-{tables}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/models")).expect("create the bench crate");
        let manifest = format!(
            "[package]\nname = \"bench\"\n[package.metadata.model]\ndialect = \"{dialect}\"\nmodels = [\"src/models\"]\n"
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).expect("write Cargo.toml");
        let krate = TempCrate { dir, tables };
        for (name, text) in model_files(tables, false) {
            std::fs::write(krate.dir.join("src/models").join(name), text).expect("write a model file");
        }
        let first = krate.builder(0).run().expect("first build step run");
        assert!(first.written.is_some(), "the first run creates the tables");
        krate
    }

    /// Rewrite the last model file: with `changed`, its last table has one column changed.
    pub fn set_changed(&self, changed: bool) {
        let files = model_files(self.tables, changed);
        let (name, text) = files.last().expect("at least one table");
        std::fs::write(self.dir.join("src/models").join(name), text).expect("write the model file");
    }

    /// The build step on this crate, with a fixed clock (`second` picks the version) and an `OUT_DIR`.
    pub fn builder(&self, second: u32) -> Builder {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 24, 10, 0, second)
            .single()
            .expect("a valid time");
        Builder::new(Config::load(&self.dir).expect("the bench crate's config"))
            .now(now)
            .out_dir(Some(self.dir.join("out")))
    }
}

impl Drop for TempCrate {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
