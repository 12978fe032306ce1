//! `model import`: a live database → the model source (and a baseline migration).

use super::Outcome;
use crate::database::{self, Create, Db, Target};
use crate::error::CliError;
use model_core::baseline::Baseline;
use model_core::build::Builder;
use model_core::config::Config;
use model_core::emit::{self, MigrationsFolder, Snapshot};
use model_core::graph::Kind;
use model_core::introspect::objects::{self, Unexpressed};
use model_core::ir::{compare, Dialect, Schema, TableFilter};
use model_core::source::{source, SourceOptions};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `model import` was asked.
pub struct Request<'a> {
    /// The database.
    pub url: Option<&'a str>,
    /// The crate, when one was found.
    pub config: Option<&'a Config>,
    /// `--tables` patterns (replace the crate's `include`).
    pub tables: &'a [String],
    /// `--exclude` patterns (added to the crate's).
    pub exclude: &'a [String],
    /// `--output` file or folder; `None`: standard output.
    pub output: Option<&'a Path>,
    /// `--no-baseline`.
    pub no_baseline: bool,
    /// `--force`: overwrite the output file.
    pub force: bool,
    /// `--diesel-schema crate::schema`.
    pub diesel_schema: Option<&'a str>,
}

/// Run `model import`.
pub fn run(req: &Request) -> Result<Outcome, CliError> {
    let started = Instant::now();
    let target = match req.config {
        Some(cfg) if cfg.explicit => database::target(req.url, cfg)?,
        _ => Target::parse(req.url.ok_or(CliError::NoDatabaseUrl)?)?,
    };
    let dialect = target.dialect();
    let filter = filter(req)?;
    let mut db = database::connect(&target, Create::Refused)?;
    let (live, found) = introspect(&mut db)?;
    let read = started.elapsed();

    let mut notes: Vec<String> = objects::owned(found, &filter).into_iter().map(|o| o.what).collect();
    for t in live.tables.iter().filter(|t| filter.allows(&t.name)) {
        for fk in t.foreign_keys.iter().filter(|fk| !filter.allows(&fk.ref_table)) {
            notes.push(format!(
                "table \"{}\": foreign key \"{}\" references table \"{}\", which the crate does not own (include / \
                 exclude): left out",
                t.name, fk.name, fk.ref_table
            ));
        }
    }
    let schema = filter.apply(&live);
    let module_path = req.output.map(module_path).unwrap_or_default();
    let facade = req
        .config
        .and_then(|c| model_core::facade::name_in(&c.manifest_dir))
        .unwrap_or_else(|| "model".into());
    let mut options = SourceOptions::new(dialect);
    options.module_path = module_path;
    options.facade = facade;
    options.header = vec![
        format!("Models of the {dialect} database {} (`model import`).", target.shown()),
        "The build step migrates from them: edit them as the schema evolves.".into(),
    ];
    options.not_expressible = notes;
    options.diesel_schema = req.diesel_schema.map(String::from);
    let out = source(&schema, &options).map_err(|e| CliError::Usage(e.to_string()))?;
    let written = started.elapsed();

    // read the file back with the build step's parser: the models' schema is the baseline
    let models = parse_back(&out.code, dialect)?;
    let parsed_at = started.elapsed();
    let kept = Schema::new(
        schema
            .tables
            .iter()
            .filter(|t| models.table(&t.name).is_some())
            .map(|t| {
                // expression indexes are listed by the source already
                let mut t = t.clone();
                let columns: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
                t.indexes.retain(|i| i.columns.iter().all(|c| columns.contains(c)));
                t
            })
            .collect(),
    );
    let mut not_expressible = out.not_expressible.clone();
    for d in compare(&models, &kept, dialect) {
        not_expressible.push(format!("read back differently from the database: {d}"));
    }

    match req.output {
        Some(path) => {
            let file = output_file(path);
            if file.exists() && !req.force {
                return Err(CliError::Usage(format!(
                    "{} exists: give another --output, or --force to replace it",
                    file.display()
                )));
            }
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir).map_err(|source| CliError::Write {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&file, &out.code).map_err(|source| CliError::Write {
                path: file.clone(),
                source,
            })?;
            eprintln!("wrote {} ({} models)", file.display(), out.structs.len());
        }
        None => print!("{}", out.code),
    }
    if let Some(cfg) = req.config.filter(|_| !req.no_baseline) {
        let dir = write_baseline(cfg, dialect, &models, &filter)?;
        eprintln!("wrote the baseline migration {}", dir.display());
    }
    eprintln!(
        "imported {} of {} tables in {:.0?} (introspection {:.0?}, source {:.0?}, read back {:.0?})",
        out.structs.len(),
        live.tables.len(),
        parsed_at,
        read,
        written - read,
        parsed_at - written
    );
    if !out.diesel_features.is_empty() {
        let list: Vec<String> = out.diesel_features.iter().map(|f| format!("\"{f}\"")).collect();
        eprintln!("the models need Diesel's features {}", list.join(", "));
    }
    if !out.facade_features.is_empty() {
        let list: Vec<String> = out.facade_features.iter().map(|f| format!("\"{f}\"")).collect();
        eprintln!(
            "the models use {f}::types, which need the features {} of {f} (each turns Diesel's on)",
            list.join(", "),
            f = options.facade
        );
    }
    if not_expressible.is_empty() {
        eprintln!("everything the database holds is in the models");
        Ok(Outcome::Done)
    } else {
        eprintln!("not in the models (left as they are in the database, listed at the top of the file):");
        for n in &not_expressible {
            eprintln!("  - {n}");
        }
        Ok(Outcome::Attention)
    }
}

/// The crate's table filter with `--tables` (replacing `include`) and `--exclude` (added).
fn filter(req: &Request) -> Result<TableFilter, CliError> {
    let base = req.config.map(|c| c.tables.clone()).unwrap_or_default();
    let split = |v: &[String]| -> Vec<String> {
        v.iter()
            .flat_map(|s| s.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let include = if req.tables.is_empty() {
        base.include
    } else {
        split(req.tables)
    };
    let mut exclude = base.exclude;
    exclude.extend(split(req.exclude));
    TableFilter::new(include, exclude).map_err(|e| CliError::Usage(format!("--tables / --exclude: {e}")))
}

/// The live schema and what it holds beyond it.
fn introspect(db: &mut Db) -> Result<(Schema, Vec<Unexpressed>), CliError> {
    let failed = |e: model_core::introspect::IntrospectError| {
        CliError::from(model_core::runtime::Error::Introspect { source: e })
    };
    Ok(match db {
        Db::Pg(c) => (
            model_core::introspect::postgres(c).map_err(failed)?,
            objects::postgres_objects(c).map_err(failed)?,
        ),
        Db::Mysql(c) => (
            model_core::introspect::mysql(c).map_err(failed)?,
            objects::mysql_objects(c).map_err(failed)?,
        ),
        Db::Sqlite(c) => (
            model_core::introspect::sqlite(c).map_err(failed)?,
            objects::sqlite_objects(c).map_err(failed)?,
        ),
    })
}

/// `--output`: a `.rs` file, or a folder (then its `mod.rs`).
fn output_file(path: &Path) -> PathBuf {
    if path.extension().is_some_and(|e| e == "rs") {
        path.to_path_buf()
    } else {
        path.join("mod.rs")
    }
}

/// The module path of the output inside its crate, from the standard layout: `src/models.rs` →
/// `models`, `src/db/models/mod.rs` → `db::models`, `src/lib.rs` → the root.
fn module_path(path: &Path) -> Vec<String> {
    let file = output_file(path);
    let parts: Vec<String> = file
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(src) = parts.iter().rposition(|p| p == "src") else {
        return Vec::new();
    };
    let mut module: Vec<String> = parts[src + 1..].to_vec();
    if let Some(last) = module.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if !matches!(stem.as_str(), "mod" | "lib" | "main") {
            module.push(stem);
        }
    }
    module
}

/// The schema of `code` as the build step reads it (a scratch crate holding only that file).
fn parse_back(code: &str, dialect: Dialect) -> Result<Schema, CliError> {
    let dir = std::env::temp_dir().join(format!(
        "model-import-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    let write =
        |path: PathBuf, text: &str| std::fs::write(&path, text).map_err(|source| CliError::Write { path, source });
    std::fs::create_dir_all(dir.join("src")).map_err(|source| CliError::Write {
        path: dir.clone(),
        source,
    })?;
    write(
        dir.join("Cargo.toml"),
        &format!("[package]\nname = \"import\"\n[package.metadata.model]\ndialect = \"{dialect}\"\n"),
    )?;
    write(dir.join("src/models.rs"), code)?;
    let result = model_core::config::Config::load(&dir)
        .map_err(CliError::Config)
        .and_then(|cfg| Builder::new(cfg).models().map_err(CliError::from));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Write the baseline migration (its `up.sql` creates `models`) and its snapshot into the crate's
/// migrations folder, after every migration there (a Diesel project's hand-written ones included).
fn write_baseline(cfg: &Config, dialect: Dialect, models: &Schema, filter: &TableFilter) -> Result<PathBuf, CliError> {
    let folder =
        MigrationsFolder::read(&cfg.migrations).map_err(|e| CliError::from(model_core::build::BuildError::from(e)))?;
    let state =
        Snapshot::latest(&folder, dialect).map_err(|e| CliError::from(model_core::build::BuildError::from(e)))?;
    if let Some(snapshot) = &state.snapshot {
        return Err(CliError::Usage(format!(
            "{} already has generated migrations (the newest: {}): a baseline starts a crate's history; \
             import with --no-baseline to write only the models",
            cfg.migrations.display(),
            snapshot.migration
        )));
    }
    let migration = model_core::plan::plan_migration(&Schema::default(), models, dialect, true)
        .map_err(|e| CliError::from(model_core::build::BuildError::from(e)))?;
    let Some(migration) = migration else {
        return Err(CliError::Usage(
            "the database holds no table the crate owns: there is nothing to take as a baseline".into(),
        ));
    };
    let version = emit::next_version(&folder, chrono_now())
        .map_err(|e| CliError::from(model_core::build::BuildError::from(e)))?;
    let name = format!("{version}_baseline");
    let dir = folder.path.join(&name);
    let baseline = Baseline {
        schema: models.clone(),
        tables: filter.clone(),
    };
    let write = |path: PathBuf, text: &str| {
        emit::write_if_changed(&path, text, None)
            .map(|_| ())
            .map_err(|e| CliError::from(model_core::build::BuildError::from(e)))
    };
    write(
        dir.join("up.sql"),
        &format!("{}{}", baseline.header(), migration.up_sql),
    )?;
    write(dir.join("down.sql"), &migration.down_sql)?;
    if let Some(metadata) = emit::metadata_toml(&migration) {
        write(dir.join("metadata.toml"), &metadata)?;
    }
    // the baseline follows the migrations already there (a Diesel project's hand-written ones), so
    // the history stays one line; its record holds the whole schema, which the next build diffs the
    // models against
    let snapshot = Snapshot::new(dialect, &name, models.clone())
        .with_parents(folder.migrations.last().map(|m| m.name.clone()))
        .with_kind(Kind::Baseline);
    write(Snapshot::path(&folder.path, &name), &snapshot.to_json())?;
    Ok(dir)
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_follow_the_layout() {
        assert_eq!(module_path(Path::new("src/models.rs")), ["models"]);
        assert_eq!(module_path(Path::new("/app/src/db/models")), ["db", "models"]);
        assert!(module_path(Path::new("src/lib.rs")).is_empty());
        assert!(module_path(Path::new("models.rs")).is_empty());
    }
}
