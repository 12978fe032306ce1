//! The IR of a generated schema, made by the build step's own scanner and parser from generated
//! model files (so names, types and constraints are exactly what users' models give).

use super::models::model_files;
use model_core::build::scan::scan;
use model_core::config::Config;
use model_core::ir::Schema;

/// The schema of `tables` generated tables; with `changed`, the last one has one column changed.
pub fn generated_schema(tables: usize, changed: bool) -> Schema {
    let dir = std::env::temp_dir().join(format!("model-bench-schema-{tables}-{changed}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/models")).expect("create the bench crate");
    let manifest =
        "[package]\nname = \"bench\"\n[package.metadata.model]\ndialect = \"postgres\"\nmodels = [\"src/models\"]\n";
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write Cargo.toml");
    for (name, text) in model_files(tables, changed) {
        std::fs::write(dir.join("src/models").join(name), text).expect("write a model file");
    }
    let found = scan(&Config::load(&dir).expect("the bench crate's config")).expect("scan the models");
    let _ = std::fs::remove_dir_all(&dir);
    Schema::new(found.models.into_iter().map(|m| m.table).collect())
}
