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
    /// `--schemas`: PostgreSQL schemas read besides `public`.
    pub schemas: &'a [String],
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
    let schemas = schemas(req, dialect)?;
    let mut db = database::connect(&target, Create::Refused)?;
    let (live, found) = introspect(&mut db, &schemas)?;
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
    let mut schema = filter.apply(&live);
    for f in live.functions.iter().filter(|f| !filter.allows(&f.name)) {
        notes.push(format!(
            "function \"{}\": left out by the crate's include / exclude (a function is matched by its name)",
            f.name
        ));
    }
    // functions, triggers and extensions go to the crate's objects folder and configuration: only
    // when the models go to a file of a crate
    let objects_to = match (req.config, req.output) {
        (Some(cfg), Some(_)) => Some(ObjectsFolder::of(cfg)),
        _ => None,
    };
    prepare_objects(&mut schema, dialect, objects_to.is_some(), &mut notes);
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

    // read the file back with the build step's parser (and the objects folder and extensions as
    // the crate will hold them): the models' schema is the baseline
    let files = object_files(&schema);
    let models = parse_back(&out.code, dialect, &files, &schema.extensions)?;
    let parsed_at = started.elapsed();
    let mut kept = Schema::new(
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
    kept.views = schema
        .views
        .iter()
        .filter(|v| out.structs.contains_key(&v.name))
        .cloned()
        .collect();
    kept.functions = schema.functions.clone();
    kept.triggers = schema.triggers.clone();
    kept.extensions = schema.extensions.clone();
    let mut not_expressible = out.not_expressible.clone();
    for d in compare(&models, &kept, dialect) {
        not_expressible.push(format!("read back differently from the database: {d}"));
    }

    if let Some(folder) = &objects_to {
        check_objects(folder, &files, req.force)?;
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
    if let (Some(folder), Some(cfg)) = (&objects_to, req.config) {
        write_objects(folder, &files)?;
        if !files.is_empty() {
            eprintln!(
                "wrote {} function and trigger file(s) into {}",
                files.len(),
                folder.dir.display()
            );
        }
        let needs_folder = !files.is_empty() && cfg.objects.is_none();
        let missing: Vec<String> = schema
            .extensions
            .iter()
            .map(|e| e.name.clone())
            .filter(|e| !cfg.extensions.contains(e))
            .collect();
        match configure(cfg, needs_folder.then_some(folder.setting.as_str()), &missing)? {
            Configured::Nothing => {}
            Configured::Edited(lines) => eprintln!(
                "added to [package.metadata.model] of {}: {}",
                cfg.manifest_dir.join("Cargo.toml").display(),
                lines.join("; ")
            ),
            Configured::Manually(lines) => {
                not_expressible.push(format!(
                    "[package.metadata.model] of Cargo.toml needs {} (not edited: write it yourself)",
                    lines.join("; ")
                ));
            }
        }
    }
    if let Some(cfg) = req.config.filter(|_| !req.no_baseline) {
        let dir = write_baseline(cfg, dialect, &models, &filter)?;
        eprintln!("wrote the baseline migration {}", dir.display());
    }
    eprintln!(
        "imported {} of {} tables and {} of {} views in {:.0?} (introspection {:.0?}, source {:.0?}, read back {:.0?})",
        kept.tables.len(),
        live.tables.len(),
        kept.views.len(),
        live.views.len(),
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
/// The schemas read besides `public`: `--schemas` and the crate's `schema` setting (PostgreSQL only).
fn schemas<'a>(req: &'a Request, dialect: Dialect) -> Result<Vec<&'a str>, CliError> {
    let mut schemas: Vec<&str> = req.schemas.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    schemas.extend(req.config.and_then(|c| c.schema.as_deref()));
    schemas.sort_unstable();
    schemas.dedup();
    if !schemas.is_empty() && dialect != Dialect::Postgres {
        return Err(CliError::Usage(format!(
            "--schemas {}: schemas are PostgreSQL's; a MySQL/MariaDB or SQLite crate reads the one database its URL names",
            schemas.join(",")
        )));
    }
    for s in &schemas {
        model_core::check::names::plain_schema_name(s).map_err(|e| {
            CliError::Usage(format!(
                "--schemas: {e}; the models write the schema in Diesel's `table!`: give a plain name \
                 (ASCII letters, digits and `_`, not a Rust keyword), e.g. `--schemas billing`"
            ))
        })?;
    }
    Ok(schemas)
}

fn introspect(db: &mut Db, schemas: &[&str]) -> Result<(Schema, Vec<Unexpressed>), CliError> {
    let failed = |e: model_core::introspect::IntrospectError| {
        CliError::from(model_core::runtime::Error::Introspect { source: e })
    };
    Ok(match db {
        Db::Pg(c) => (
            model_core::introspect::postgres_with(c, schemas).map_err(failed)?,
            objects::postgres_objects(c, schemas).map_err(failed)?,
        ),
        Db::Mysql(c) => {
            let mut schema = model_core::introspect::mysql(c).map_err(failed)?;
            objects::mysql_as_written(c, &mut schema).map_err(failed)?;
            (schema, objects::mysql_objects(c).map_err(failed)?)
        }
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

/// Where the functions and triggers go: the crate's objects folder, else `db/objects`.
struct ObjectsFolder {
    /// The folder.
    dir: PathBuf,
    /// The `objects = ".."` setting that names it, relative to the crate's root.
    setting: String,
}

impl ObjectsFolder {
    fn of(cfg: &Config) -> ObjectsFolder {
        match &cfg.objects {
            Some(dir) => ObjectsFolder {
                dir: dir.clone(),
                setting: dir.strip_prefix(&cfg.manifest_dir).unwrap_or(dir).display().to_string(),
            },
            None => ObjectsFolder {
                dir: cfg.manifest_dir.join("db/objects"),
                setting: "db/objects".into(),
            },
        }
    }
}

/// Make the imported views, functions, triggers and extensions what the crate can hold, and list
/// what it cannot: a view's column of a PostgreSQL enum type reads as that enum, one of no declared
/// type (SQLite) as text; one function per name (PostgreSQL overloads beyond the first are listed);
/// a trigger goes with its table (a table left out leaves its triggers out); without an objects
/// folder (`write_objects` false) functions, triggers and extensions are listed, not kept.
fn prepare_objects(schema: &mut Schema, dialect: Dialect, write_objects: bool, notes: &mut Vec<String>) {
    use model_core::ir::ColumnType;
    let enums: Vec<model_core::ir::EnumType> = schema
        .tables
        .iter()
        .flat_map(|t| t.columns.iter())
        .filter_map(|c| match &c.ty {
            ColumnType::Enum(e) if !e.name.is_empty() => Some(e.clone()),
            _ => None,
        })
        .collect();
    for v in &mut schema.views {
        for c in &mut v.columns {
            let ColumnType::Custom { sql } = &c.ty else { continue };
            if let Some(e) = enums
                .iter()
                .find(|e| e.name == *sql || format!("\"{}\"", e.name) == *sql)
            {
                c.ty = ColumnType::Enum(e.clone());
            } else if sql.trim().is_empty() {
                notes.push(format!(
                    "view \"{}\": column \"{}\" has no declared type (an expression): the model reads it as text; \
                     give it its type with `sql_type`",
                    v.name, c.name
                ));
                c.ty = ColumnType::Text;
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    schema.functions.retain(|f| {
        if seen.insert(f.name.to_lowercase()) {
            return true;
        }
        notes.push(format!(
            "function \"{}\": another function of the same name (an overload), which the objects folder cannot hold \
             (one function per name): left as it is in the database: {}",
            f.name,
            model_core::ir::normalize_sql(&f.sql)
        ));
        false
    });
    let relations: std::collections::BTreeSet<String> = schema
        .tables
        .iter()
        .filter(|t| t.primary_key.is_some())
        .map(|t| t.name.clone())
        .chain(
            schema
                .views
                .iter()
                .filter(|v| !v.columns.is_empty())
                .map(|v| v.name.clone()),
        )
        .collect();
    schema.triggers.retain(|t| {
        if relations.contains(&t.table) {
            return true;
        }
        notes.push(format!(
            "trigger \"{}\" on \"{}\": left out with its table, which no model declares",
            t.name, t.table
        ));
        false
    });
    if !write_objects {
        let why = "not written: `model import` writes functions and triggers into the objects folder, and \
                   extensions into `extensions`, when it writes the models into a file of a crate (--output)";
        for f in schema.functions.drain(..) {
            notes.push(format!("function \"{}\" ({why})", f.name));
        }
        for t in schema.triggers.drain(..) {
            notes.push(format!("trigger \"{}\" on table \"{}\" ({why})", t.name, t.table));
        }
        for e in schema.extensions.drain(..) {
            notes.push(format!("extension \"{}\" ({why})", e.name));
        }
    }
    if dialect != Dialect::Postgres {
        schema.extensions.clear();
    }
}

/// The files of the objects folder for the schema's functions and triggers: (file name, text).
fn object_files(schema: &Schema) -> Vec<(String, String)> {
    let safe = |name: &str| -> String {
        name.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let text = |sql: &str| format!("{};\n", sql.trim_end().trim_end_matches(';').trim_end());
    let mut files: Vec<(String, String)> = Vec::new();
    let mut push = |base: String, sql: &str| {
        let mut name = format!("{base}.sql");
        let mut n = 2;
        while files.iter().any(|(f, _)| f.eq_ignore_ascii_case(&name)) {
            name = format!("{base}_{n}.sql");
            n += 1;
        }
        files.push((name, text(sql)));
    };
    for f in &schema.functions {
        push(format!("function_{}", safe(&f.name)), &f.sql);
    }
    for t in &schema.triggers {
        push(format!("trigger_{}", safe(&t.name)), &t.sql);
    }
    files
}

/// A file of the objects folder with other text than `files` give it is an error unless `force`
/// (checked before anything is written).
fn check_objects(folder: &ObjectsFolder, files: &[(String, String)], force: bool) -> Result<(), CliError> {
    for (name, text) in files {
        let path = folder.dir.join(name);
        if !force && std::fs::read_to_string(&path).is_ok_and(|old| old != *text) {
            return Err(CliError::Usage(format!(
                "{} exists with another definition: move it away, or --force to replace it",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Write `files` into the objects folder.
fn write_objects(folder: &ObjectsFolder, files: &[(String, String)]) -> Result<(), CliError> {
    if files.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(&folder.dir).map_err(|source| CliError::Write {
        path: folder.dir.clone(),
        source,
    })?;
    for (name, text) in files {
        let path = folder.dir.join(name);
        std::fs::write(&path, text).map_err(|source| CliError::Write { path, source })?;
    }
    Ok(())
}

/// What [`configure`] did to `[package.metadata.model]`.
enum Configured {
    /// Nothing was needed.
    Nothing,
    /// These lines were written.
    Edited(Vec<String>),
    /// These settings are needed, and the file was left as it is.
    Manually(Vec<String>),
}

/// Add `objects = ".."` (when the crate has no objects folder yet) and the `extensions` the crate
/// does not list yet to `[package.metadata.model]` of its Cargo.toml: inserted after the section's
/// header (the section is added when missing); an `extensions` list already there is extended when
/// it is on one line, else the settings are returned for the user to write.
fn configure(cfg: &Config, objects: Option<&str>, extensions: &[String]) -> Result<Configured, CliError> {
    if objects.is_none() && extensions.is_empty() {
        return Ok(Configured::Nothing);
    }
    let path = cfg.manifest_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|source| CliError::Write {
        path: path.clone(),
        source,
    })?;
    let mut all = cfg.extensions.clone();
    all.extend(extensions.iter().cloned());
    let mut lines: Vec<String> = Vec::new();
    if let Some(o) = objects {
        lines.push(format!("objects = {o:?}"));
    }
    let mut out: Vec<String> = text.lines().map(String::from).collect();
    let header = out.iter().position(|l| l.trim() == "[package.metadata.model]");
    let mut replaced = None;
    if !extensions.is_empty() {
        let list: Vec<String> = all.iter().map(|e| format!("{e:?}")).collect();
        let line = format!("extensions = [{}]", list.join(", "));
        let existing = header.and_then(|h| {
            out.iter()
                .enumerate()
                .skip(h + 1)
                .take_while(|(_, l)| !l.trim_start().starts_with('['))
                .find(|(_, l)| {
                    let l = l.trim_start();
                    l.starts_with("extensions") && l["extensions".len()..].trim_start().starts_with('=')
                })
                .map(|(i, _)| i)
        });
        match existing {
            Some(i) if out[i].trim_end().ends_with(']') => replaced = Some((i, line)),
            Some(_) => {
                lines.push(line);
                return Ok(Configured::Manually(lines));
            }
            None => lines.push(line),
        }
    }
    let mut said = lines.clone();
    if let Some((i, line)) = replaced {
        out[i] = line.clone();
        said.push(line);
    }
    match header {
        Some(h) => {
            for (k, l) in lines.iter().enumerate() {
                out.insert(h + 1 + k, l.clone());
            }
        }
        None => {
            out.push(String::new());
            out.push("[package.metadata.model]".into());
            out.extend(lines.iter().cloned());
        }
    }
    let mut new = out.join("\n");
    new.push('\n');
    std::fs::write(&path, new).map_err(|source| CliError::Write { path, source })?;
    Ok(Configured::Edited(said))
}

/// The schema of `code` as the build step reads it: a scratch crate holding only that file, the
/// objects folder's `files` and the `extensions`.
fn parse_back(
    code: &str,
    dialect: Dialect,
    files: &[(String, String)],
    extensions: &[model_core::ir::Extension],
) -> Result<Schema, CliError> {
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
    let mut manifest = format!("[package]\nname = \"import\"\n[package.metadata.model]\ndialect = \"{dialect}\"\n");
    if !files.is_empty() {
        manifest.push_str("objects = \"objects\"\n");
        std::fs::create_dir_all(dir.join("objects")).map_err(|source| CliError::Write {
            path: dir.join("objects"),
            source,
        })?;
        for (name, text) in files {
            write(dir.join("objects").join(name), text)?;
        }
    }
    if !extensions.is_empty() {
        let list: Vec<String> = extensions.iter().map(|e| format!("{:?}", e.name)).collect();
        manifest.push_str(&format!("extensions = [{}]\n", list.join(", ")));
    }
    write(dir.join("Cargo.toml"), &manifest)?;
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

    fn crate_with(manifest: &str) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        let cfg = Config::load(dir.path()).unwrap();
        (dir, cfg)
    }

    #[test]
    fn the_objects_folder_and_extensions_are_added_to_the_configuration() {
        let (dir, cfg) = crate_with(
            "[package]\nname = \"x\"\n\n[package.metadata.model]\ndialect = \"postgres\"\nextensions = [\"pgcrypto\"]\n\n[dependencies]\n",
        );
        let done = configure(&cfg, Some("db/objects"), &["citext".to_string()]).unwrap();
        assert!(matches!(done, Configured::Edited(_)));
        let text = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
        assert_eq!(
            text,
            "[package]\nname = \"x\"\n\n[package.metadata.model]\nobjects = \"db/objects\"\ndialect = \"postgres\"\n\
             extensions = [\"pgcrypto\", \"citext\"]\n\n[dependencies]\n"
        );
        let cfg = Config::load(dir.path()).unwrap();
        assert_eq!(cfg.extensions, ["pgcrypto", "citext"]);
        assert_eq!(cfg.objects, Some(dir.path().join("db/objects")));
        assert!(matches!(configure(&cfg, None, &[]).unwrap(), Configured::Nothing));
    }

    #[test]
    fn a_missing_section_is_added_and_a_list_over_lines_is_left_to_the_user() {
        let (dir, cfg) = crate_with("[package]\nname = \"x\"\n");
        configure(&cfg, Some("db/objects"), &[]).unwrap();
        let text = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
        assert!(
            text.ends_with("\n[package.metadata.model]\nobjects = \"db/objects\"\n"),
            "{text}"
        );

        let manifest = "[package]\nname = \"x\"\n[package.metadata.model]\ndialect = \"postgres\"\nextensions = [\n  \"pgcrypto\",\n]\n";
        let (dir, cfg) = crate_with(manifest);
        match configure(&cfg, None, &["citext".to_string()]).unwrap() {
            Configured::Manually(lines) => assert_eq!(lines, ["extensions = [\"pgcrypto\", \"citext\"]"]),
            _ => panic!("a list over several lines is not edited"),
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap(),
            manifest
        );
    }

    #[test]
    fn one_file_per_function_and_trigger() {
        let mut s = Schema::default();
        s.functions.push(model_core::ir::Function {
            name: "touch".into(),
            sql: "CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql\n".into(),
        });
        s.triggers.push(model_core::ir::Trigger {
            name: "Touch Me".into(),
            table: "posts".into(),
            sql: "CREATE TRIGGER \"Touch Me\" BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch();".into(),
        });
        let files = object_files(&s);
        assert_eq!(files[0].0, "function_touch.sql");
        assert!(files[0].1.ends_with("LANGUAGE plpgsql;\n"), "{:?}", files[0]);
        assert_eq!(files[1].0, "trigger_Touch_Me.sql");
        assert!(
            files[1].1.ends_with("touch();\n") && !files[1].1.ends_with(";;\n"),
            "{:?}",
            files[1]
        );
        for (_, text) in &files {
            model_core::ir::parse_object(text, Dialect::Postgres).unwrap();
        }
    }

    #[test]
    fn module_paths_follow_the_layout() {
        assert_eq!(module_path(Path::new("src/models.rs")), ["models"]);
        assert_eq!(module_path(Path::new("/app/src/db/models")), ["db", "models"]);
        assert!(module_path(Path::new("src/lib.rs")).is_empty());
        assert!(module_path(Path::new("models.rs")).is_empty());
    }
}
