//! `diesel print-schema` parity: for every column of a set of models covering the type mapping, the
//! Diesel SQL type the derive's `table!` declares equals what `diesel print-schema` (diesel_cli 2.3,
//! installed by `.ci/run`) prints for the database the build step's migration created, on
//! PostgreSQL, SQLite and MariaDB — enums aside (`print-schema` declares its own type for them), and
//! for the differences listed in [`known_difference`], which come from what SQLite and MariaDB store.
//!
//! Diesel's type aliases (`Int8` = `BigInt`, `Varchar` = `Text`, ...) are resolved before comparing.

use model_core::build::Builder;
use model_core::config::Config;
use model_core::ir::Dialect;
use model_core::parse::parse_model;
use std::collections::BTreeMap;
use std::process::Command;

const COMMON: &str = r#"
#[derive(Model)]
pub struct Sample {
    #[model(primary_key)]
    pub id: i64,
    pub flag: bool,
    pub small: i16,
    pub medium: i32,
    pub big: Option<i64>,
    pub single: f32,
    pub double: f64,
    pub body: String,
    #[model(max_length = 80)]
    pub title: String,
    pub bytes: Vec<u8>,
    pub day: chrono::NaiveDate,
    pub at: chrono::NaiveTime,
    pub stamp: chrono::NaiveDateTime,
    pub zoned: Option<chrono::DateTime<chrono::Utc>>,
    pub uid: uuid::Uuid,
    pub doc: serde_json::Value,
    #[model(precision = 12, scale = 2)]
    pub money: bigdecimal::BigDecimal,
    #[model(references = "samples(id)")]
    pub parent_id: Option<i64>,
}

#[derive(Model)]
#[model(primary_key(sample_id, position))]
pub struct Part {
    #[model(references = "samples(id)")]
    pub sample_id: i64,
    pub position: i32,
    #[model(enum)]
    pub kind: PartKind,
}

#[derive(ModelEnum, Debug, Clone, Copy, PartialEq)]
pub enum PartKind {
    Small,
    Large,
}
"#;

const POSTGRES_ONLY: &str = r#"
#[derive(Model)]
pub struct Extra {
    #[model(primary_key)]
    pub id: i32,
    pub tags: Vec<String>,
    #[model(sql_type = "citext", diesel_type = "Citext")]
    pub name: String,
    #[model(sql_type = "integer[]", diesel_type = "Array<Nullable<Integer>>")]
    pub scores: Vec<Option<i32>>,
}
"#;

/// A column whose types differ for a reason outside the derive's choice, with the reason.
fn known_difference(dialect: Dialect, column: &str, derive: &str, printed: &str) -> Option<&'static str> {
    match (dialect, derive, printed) {
        // SQLite stores bool, i16 and i64 as INTEGER, dates and times as TEXT, uuid as BLOB: the
        // declared type the crate writes is the storage class, which print-schema reads back
        (Dialect::Sqlite, "Bool" | "SmallInt" | "BigInt", "Integer") => Some("SQLite INTEGER storage"),
        (Dialect::Sqlite, "Date" | "Time" | "Timestamp" | "TimestamptzSqlite", "Text") => Some("SQLite TEXT dates"),
        (Dialect::Sqlite, "Float", "Float") | (Dialect::Sqlite, "Double", "Float") => Some("SQLite REAL"),
        // Diesel's JSON on SQLite is text in a TEXT column, which print-schema reads as Text
        (Dialect::Sqlite, "Json", "Text") => Some("SQLite JSON is TEXT"),
        // the rowid alias `INTEGER PRIMARY KEY` is written without NOT NULL (SQLite fills it in)
        (Dialect::Sqlite, "BigInt", "BigInt") if column == "id" => {
            Some("SQLite rowid alias (nullable to print-schema)")
        }
        // PostgreSQL cannot record that an array's elements are NOT NULL: print-schema assumes they
        // may be NULL, the crate's `Vec<T>` says they are not (`Vec<Option<T>>` says they may)
        (Dialect::Postgres, d, p)
            if d.starts_with("Array<") && p == d.replacen("Array<", "Array<Nullable<", 1) + ">" =>
        {
            Some("PostgreSQL arrays of non-null elements")
        }
        // MariaDB's JSON is LONGTEXT with a json_valid check
        (Dialect::Mysql, "Json", "Text") => Some("MariaDB JSON is LONGTEXT"),
        _ => None,
    }
}

/// Diesel's aliases, to their type.
fn canonical(ty: &str) -> String {
    let (nullable, inner) = match ty.strip_prefix("Nullable<").and_then(|t| t.strip_suffix('>')) {
        Some(inner) => (true, inner),
        None => (false, ty),
    };
    let inner = inner.rsplit("::").next().unwrap_or(inner);
    let base = match inner {
        "Int2" | "Smallint" => "SmallInt",
        "Int4" | "Integer" => "Integer",
        "Int8" | "Bigint" => "BigInt",
        "Float4" => "Float",
        "Float8" => "Double",
        "Varchar" | "VarChar" | "Bpchar" | "Char" | "Tinytext" | "Mediumtext" | "Longtext" => "Text",
        "Bytea" | "Varbinary" | "Blob" | "Tinyblob" | "Mediumblob" | "Longblob" => "Binary",
        "Decimal" => "Numeric",
        "Tinyint" => "TinyInt",
        "Timestamptz" => "Timestamptz",
        other => other,
    };
    let base = if let Some(elem) = base.strip_prefix("Array<").and_then(|t| t.strip_suffix('>')) {
        format!("Array<{}>", canonical(elem))
    } else {
        base.to_string()
    };
    if nullable {
        format!("Nullable<{base}>")
    } else {
        base
    }
}

/// `table -> column -> type` as `diesel print-schema` printed them.
fn printed_types(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut table: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some((name, rest)) = line.split_once(" (") {
            if rest.ends_with(") {") && !name.contains(' ') {
                table = Some(name.to_string());
                continue;
            }
        }
        if line == "}" {
            table = None;
            continue;
        }
        if let (Some(t), Some((col, ty))) = (&table, line.split_once(" -> ")) {
            let col = col.trim().trim_start_matches("r#").to_string();
            out.entry(t.clone())
                .or_default()
                .insert(col, ty.trim_end_matches(',').replace(' ', ""));
        }
    }
    out
}

/// The derive's type of each column: `table -> column -> type`, enums left out.
fn derive_types(source: &str, dialect: Dialect) -> BTreeMap<String, BTreeMap<String, String>> {
    let file: syn::File = syn::parse_str(source).unwrap();
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for item in file.items {
        let syn::Item::Struct(s) = item else { continue };
        let input: syn::DeriveInput = s.into();
        let model = parse_model(&input, dialect).unwrap();
        for f in model.fields.iter().filter(|f| f.enum_type.is_none()) {
            let ty = f
                .diesel_type
                .to_string()
                .replace(' ', "")
                .replace("::model::diesel::sql_types::", "");
            out.entry(model.table.name.clone())
                .or_default()
                .insert(f.column.clone(), ty);
        }
    }
    out
}

fn parity(dialect: Dialect, url: &str, migrate: impl FnOnce(&std::path::Path)) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("[package]\nname = \"parity\"\n[package.metadata.model]\ndialect = \"{dialect}\"\n"),
    )
    .unwrap();
    let mut source = COMMON.to_string();
    // the types Diesel binds on each backend (`model::types` where it cannot bind the usual one)
    match dialect {
        Dialect::Postgres => source.push_str(POSTGRES_ONLY),
        Dialect::Sqlite => {
            source = source
                .replace("uid: uuid::Uuid", "uid: model::types::Uuid")
                .replace("money: bigdecimal::BigDecimal", "money: model::types::Decimal");
        }
        Dialect::Mysql => {
            source = source
                .replace("uid: uuid::Uuid", "uid: model::types::Uuid")
                .replace("chrono::DateTime<chrono::Utc>", "model::types::UtcDateTime");
        }
    }
    std::fs::write(dir.path().join("src/models.rs"), &source).unwrap();
    let report = Builder::new(Config::load(dir.path()).unwrap()).run().unwrap();
    assert!(report.written.is_some());
    migrate(&dir.path().join("migrations"));

    let mut cmd = Command::new("diesel");
    cmd.args(["print-schema", "--database-url", url]);
    if dialect == Dialect::Sqlite {
        cmd.arg("--sqlite-integer-primary-key-is-bigint");
    }
    let out = match cmd.current_dir(dir.path()).output() {
        Ok(o) => o,
        Err(e) if !model_testkit::under_ci() => {
            eprintln!("skipped: diesel_cli is not installed ({e}); `.ci/run` installs it");
            return;
        }
        Err(e) => panic!("diesel_cli is not installed under CI: {e}"),
    };
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}\n{printed}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = printed_types(&printed);
    let derived = derive_types(&source, dialect);
    let mut mismatches = Vec::new();
    let mut known = Vec::new();
    let mut compared = 0;
    for (table, columns) in &derived {
        for (column, ty) in columns {
            let Some(p) = printed.get(table).and_then(|t| t.get(column)) else {
                mismatches.push(format!("{table}.{column}: not printed by diesel print-schema"));
                continue;
            };
            let (d, p) = (canonical(ty), canonical(p));
            compared += 1;
            if d == p {
                continue;
            }
            let strip = |s: &str| {
                s.strip_prefix("Nullable<")
                    .and_then(|t| t.strip_suffix('>'))
                    .unwrap_or(s)
                    .to_string()
            };
            match known_difference(dialect, column, &strip(&d), &strip(&p)) {
                Some(why) => known.push(format!("{table}.{column}: {d} / {p} ({why})")),
                None => mismatches.push(format!("{table}.{column}: the derive says {d}, print-schema {p}")),
            }
        }
    }
    eprintln!(
        "{dialect}: {compared} columns compared, {} known differences:\n  {}",
        known.len(),
        known.join("\n  ")
    );
    assert!(compared >= 20, "{compared}");
    assert!(mismatches.is_empty(), "{dialect}:\n{}", mismatches.join("\n"));
}

#[test]
fn postgres_types_are_what_print_schema_prints() {
    let Some(db) = model_testkit::postgres("parity") else {
        return;
    };
    parity(Dialect::Postgres, &db.url, |m| {
        let mut c = db.connect();
        c.batch_execute_helper("CREATE EXTENSION IF NOT EXISTS citext");
        let source = diesel_migrations::FileBasedMigrations::from_path(m).unwrap();
        model_core::runtime::migrate(&mut c, source).unwrap();
    });
}

#[test]
fn sqlite_types_are_what_print_schema_prints() {
    let db = model_testkit::sqlite("parity");
    parity(Dialect::Sqlite, &db.path.display().to_string(), |m| {
        let source = diesel_migrations::FileBasedMigrations::from_path(m).unwrap();
        model_core::runtime::migrate(&mut db.connect(), source).unwrap();
    });
}

#[test]
fn mysql_types_are_what_print_schema_prints() {
    let Some(db) = model_testkit::mysql("parity") else {
        return;
    };
    parity(Dialect::Mysql, &db.url, |m| {
        let source = diesel_migrations::FileBasedMigrations::from_path(m).unwrap();
        model_core::runtime::migrate(&mut db.connect(), source).unwrap();
    });
}

trait BatchHelper {
    fn batch_execute_helper(&mut self, sql: &str);
}

impl<C: diesel::connection::SimpleConnection> BatchHelper for C {
    fn batch_execute_helper(&mut self, sql: &str) {
        self.batch_execute(sql).unwrap();
    }
}
