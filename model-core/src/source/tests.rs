//! `parse(source(ir)) == ir`: examples, and a property test over random schemas.
//!
//! The parse side is the build step's own scan of the written file ([`Builder::models`]), so enums
//! are resolved as a user's crate resolves them. Cases: `MODEL_SOURCE_PROPTEST_CASES` (default 64;
//! under CI at least 1), e.g. `MODEL_SOURCE_PROPTEST_CASES=2000 cargo test -p model-core --features
//! build,source --lib source::tests`.

use super::{source, SourceOptions};
use crate::build::Builder;
use crate::config::Config;
use crate::ir::{
    check_name, fk_name, index_name, pk_name, unique_name, Check, Column, ColumnType, DefaultValue, Dialect, EnumType,
    FkAction, ForeignKey, IdentityKind, Index, Literal, PrimaryKey, Schema, Table, UniqueConstraint, View,
};
use proptest::prelude::*;

/// Parse `code` as the build step reads a crate with that file as `src/models.rs`.
fn parse_back(code: &str, dialect: Dialect) -> Schema {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("[package]\nname = \"x\"\n[package.metadata.model]\ndialect = \"{dialect}\"\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("src/models.rs"), code).unwrap();
    match Builder::new(Config::load(dir.path()).unwrap()).models() {
        Ok(s) => s,
        Err(e) => panic!("the generated source does not parse back: {e}\n{code}"),
    }
}

/// The schema with its lists in name order, and what a dialect does not keep dropped (enum type
/// names on SQLite and MySQL, which have none).
fn normalized(s: &Schema, dialect: Dialect) -> Schema {
    let mut s = s.clone();
    for t in &mut s.tables {
        t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        t.checks.sort_by(|a, b| a.name.cmp(&b.name));
        for c in &mut t.columns {
            if let (ColumnType::Enum(e), false) = (&mut c.ty, dialect == Dialect::Postgres) {
                e.name.clear();
            }
        }
    }
    s.views.sort_by(|a, b| a.name.cmp(&b.name));
    for v in &mut s.views {
        for c in &mut v.columns {
            if let (ColumnType::Enum(e), false) = (&mut c.ty, dialect == Dialect::Postgres) {
                e.name.clear();
            }
        }
    }
    s
}

fn options(dialect: Dialect) -> SourceOptions {
    let mut o = SourceOptions::new(dialect);
    o.module_path = vec!["models".into()];
    o
}

fn roundtrip(schema: &Schema, dialect: Dialect) {
    let out = source(schema, &options(dialect)).unwrap();
    let back = parse_back(&out.code, dialect);
    assert_eq!(
        normalized(&back, dialect),
        normalized(schema, dialect),
        "not the same schema after source and parse:\n{}",
        out.code
    );
}

fn col(name: &str, ty: ColumnType) -> Column {
    Column::new(name, ty)
}

/// An adopted PostgreSQL database: names of its own, serial keys, a composite key and foreign key,
/// partial and unique indexes, checks, enums, custom types, comments, keyword and odd column names.
fn adopted() -> Schema {
    let mut users = Table::new("users");
    users.comment = Some("People.\nWith two lines.".into());
    let mut id = col("id", ColumnType::BigInt);
    id.identity = true;
    id.identity_kind = IdentityKind::Serial;
    users.columns.push(id);
    users.columns.push(col("email", ColumnType::Varchar { len: 255 }));
    let mut kind = col(
        "type",
        ColumnType::Enum(EnumType::new("user_kind", ["admin", "regular user"])),
    );
    kind.default = Some(DefaultValue::Literal(Literal::Str("admin".into())));
    users.columns.push(kind);
    let mut search = col("search", ColumnType::Custom { sql: "tsvector".into() });
    search.nullable = true;
    users.columns.push(search);
    let mut odd = col("Display Name", ColumnType::Custom { sql: "citext".into() });
    odd.comment = Some("  padded  ".into());
    odd.nullable = true;
    users.columns.push(odd);
    users.columns.push(col(
        "tags",
        ColumnType::Array {
            of: Box::new(ColumnType::Text),
        },
    ));
    let mut created = col("created_at", ColumnType::Timestamptz);
    created.default = Some(DefaultValue::Sql("now()".into()));
    users.columns.push(created);
    let mut score = col(
        "score",
        ColumnType::Numeric {
            precision: Some(12),
            scale: Some(2),
        },
    );
    score.default = Some(DefaultValue::Literal(Literal::Float("1.5".into())));
    users.columns.push(score);
    users.primary_key = Some(PrimaryKey {
        name: "users_pkey".into(),
        columns: vec!["id".into()],
    });
    users.uniques.push(UniqueConstraint {
        name: "users_email_key".into(),
        columns: vec!["email".into()],
    });
    users.indexes.push(Index {
        name: "users_live_idx".into(),
        columns: vec!["email".into()],
        unique: true,
        where_sql: Some("score > 0".into()),
    });
    users.indexes.push(Index {
        name: index_name("users", &["created_at"], false),
        columns: vec!["created_at".into()],
        unique: false,
        where_sql: None,
    });
    users.checks.push(Check {
        name: "users_score_check".into(),
        sql: "score >= 0".into(),
    });
    users.checks.push(Check {
        name: check_name("users", "email_not_empty"),
        sql: "email <> ''".into(),
    });

    let mut lines = Table::new("order_lines");
    lines.columns.push(col("order_id", ColumnType::BigInt));
    lines.columns.push(col("line", ColumnType::Integer));
    let mut user_id = col("user_id", ColumnType::BigInt);
    user_id.nullable = true;
    lines.columns.push(user_id);
    lines.primary_key = Some(PrimaryKey {
        name: pk_name("order_lines"),
        columns: vec!["order_id".into(), "line".into()],
    });
    lines.foreign_keys.push(ForeignKey {
        name: "order_lines_user_id_fkey".into(),
        columns: vec!["user_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::SetNull,
        on_update: FkAction::Cascade,
    });

    let mut shipments = Table::new("shipments");
    let mut sid = col("id", ColumnType::Integer);
    sid.identity = true;
    sid.identity_kind = IdentityKind::Always;
    shipments.columns.push(sid);
    shipments.columns.push(col("order_id", ColumnType::BigInt));
    shipments.columns.push(col("line", ColumnType::Integer));
    shipments.primary_key = Some(PrimaryKey {
        name: pk_name("shipments"),
        columns: vec!["id".into()],
    });
    shipments.foreign_keys.push(ForeignKey {
        name: fk_name("shipments", &["order_id", "line"], "order_lines"),
        columns: vec!["order_id".into(), "line".into()],
        ref_table: "order_lines".into(),
        ref_columns: vec!["order_id".into(), "line".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
    });
    shipments.uniques.push(UniqueConstraint {
        name: unique_name("shipments", &["order_id", "line"]),
        columns: vec!["order_id".into(), "line".into()],
    });
    Schema::new(vec![users, lines, shipments])
}

#[test]
fn an_adopted_schema_comes_back_unchanged() {
    roundtrip(&adopted(), Dialect::Postgres);
}

#[test]
fn names_only_where_they_differ_from_the_rule() {
    let out = source(&adopted(), &options(Dialect::Postgres)).unwrap();
    let code = &out.code;
    assert!(code.contains(r#"pk_name = "users_pkey""#), "{code}");
    assert!(!code.contains("pk_order_lines"), "{code}");
    assert!(code.contains(r#"identity = "serial""#), "{code}");
    assert!(code.contains(r#"sql_name = "users_score_check""#), "{code}");
    assert!(code.contains(r#"check(name = "email_not_empty""#), "{code}");
    assert!(code.contains("#[model(index)]") || code.contains(", index"), "{code}");
    assert!(
        out.not_expressible.iter().any(|n| n.contains("tsvector")),
        "{:?}",
        out.not_expressible
    );
    assert!(code.contains("pub mod sql_types"), "{code}");
    insta::assert_snapshot!(code);
}

#[test]
fn what_a_model_cannot_say_is_listed() {
    let mut s = adopted();
    s.tables.push(Table::new("no_key"));
    let users = s.tables.iter_mut().find(|t| t.name == "users").unwrap();
    users.indexes.push(Index {
        name: "users_lower_email".into(),
        columns: vec!["lower((email)::text)".into()],
        unique: false,
        where_sql: None,
    });
    let mut options = options(Dialect::Postgres);
    options.not_expressible.push("view \"active_users\"".into());
    let out = source(&s, &options).unwrap();
    let listed = out.not_expressible.join("\n");
    for what in [
        "view \"active_users\"",
        "\"no_key\" has no primary key",
        "users_lower_email",
    ] {
        assert!(listed.contains(what), "{what} not in {listed}");
        assert!(out.code.contains(what), "{what} not in the file");
    }
}

#[test]
fn mysql_and_sqlite_shapes_come_back() {
    let mut t = Table::new("events");
    let mut id = col(
        "id",
        ColumnType::Custom {
            sql: "int unsigned".into(),
        },
    );
    id.identity = true;
    t.columns.push(id);
    t.columns
        .push(col("level", ColumnType::Enum(EnumType::new("", ["low", "high"]))));
    t.columns
        .push(col("flag", ColumnType::Custom { sql: "tinyint".into() }));
    t.primary_key = Some(PrimaryKey {
        name: pk_name("events"),
        columns: vec!["id".into()],
    });
    roundtrip(&Schema::new(vec![t]), Dialect::Mysql);

    let mut t = Table::new("notes");
    let mut id = col("id", ColumnType::Integer);
    id.identity = true;
    id.identity_kind = IdentityKind::Autoincrement;
    t.columns.push(id);
    t.columns.push(col("body", ColumnType::Text));
    t.columns
        .push(col("state", ColumnType::Enum(EnumType::new("", ["open", "done"]))));
    t.primary_key = Some(PrimaryKey {
        name: pk_name("notes"),
        columns: vec!["id".into()],
    });
    t.checks.push(Check {
        name: check_name("notes", "1"),
        sql: "length(body) > 0".into(),
    });
    roundtrip(&Schema::new(vec![t]), Dialect::Sqlite);
}

#[test]
fn each_backend_gets_the_types_its_derive_binds() {
    let mut t = Table::new("tokens");
    t.columns.push(col("id", ColumnType::Uuid));
    t.columns.push(col(
        "price",
        ColumnType::Numeric {
            precision: Some(12),
            scale: Some(2),
        },
    ));
    t.columns.push(col("seen_at", ColumnType::Timestamptz));
    t.columns.push(col("data", ColumnType::Json));
    t.primary_key = Some(PrimaryKey {
        name: pk_name("tokens"),
        columns: vec!["id".into()],
    });
    let schema = Schema::new(vec![t]);
    let field = |dialect: Dialect, facade: &str| {
        let mut o = options(dialect);
        o.facade = facade.into();
        let out = source(&schema, &o).unwrap();
        let fields: Vec<String> = out
            .code
            .lines()
            .filter_map(|l| l.trim().strip_prefix("pub "))
            .filter(|l| !l.starts_with("struct"))
            .map(|l| l.trim_end_matches(',').to_string())
            .collect();
        (fields, out.facade_features)
    };
    let (pg, pg_features) = field(Dialect::Postgres, "model");
    assert_eq!(
        pg,
        [
            "id: uuid::Uuid",
            "price: bigdecimal::BigDecimal",
            "seen_at: chrono::DateTime<chrono::Utc>",
            "data: serde_json::Value"
        ]
    );
    assert!(pg_features.is_empty());
    let (sqlite, sqlite_features) = field(Dialect::Sqlite, "orm");
    assert_eq!(
        sqlite,
        [
            "id: orm::types::Uuid",
            "price: orm::types::Decimal",
            "seen_at: chrono::DateTime<chrono::Utc>",
            "data: serde_json::Value"
        ]
    );
    assert_eq!(sqlite_features.into_iter().collect::<Vec<_>>(), ["numeric", "uuid"]);
    let (mysql, mysql_features) = field(Dialect::Mysql, "model");
    assert_eq!(
        mysql,
        [
            "id: model::types::Uuid",
            "price: bigdecimal::BigDecimal",
            "seen_at: model::types::UtcDateTime",
            "data: serde_json::Value"
        ]
    );
    assert_eq!(mysql_features.into_iter().collect::<Vec<_>>(), ["chrono", "uuid"]);
    for dialect in [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql] {
        roundtrip(&schema, dialect);
    }
    // MySQL's DECIMAL without digits is written out (the derive wants digits or the SQL)
    let mut t = Table::new("prices");
    t.columns.push(col("id", ColumnType::BigInt));
    t.columns.push(col(
        "amount",
        ColumnType::Numeric {
            precision: None,
            scale: None,
        },
    ));
    t.primary_key = Some(PrimaryKey {
        name: pk_name("prices"),
        columns: vec!["id".into()],
    });
    roundtrip(&Schema::new(vec![t]), Dialect::Mysql);
    // a SQLite column of NUMERIC affinity (an adopted database's `NUMERIC(12, 2)`) stays as declared
    let mut t = Table::new("prices");
    t.columns.push(col("id", ColumnType::BigInt));
    t.columns.push(col(
        "amount",
        ColumnType::Custom {
            sql: "numeric(12,2)".into(),
        },
    ));
    t.primary_key = Some(PrimaryKey {
        name: pk_name("prices"),
        columns: vec!["id".into()],
    });
    let schema = Schema::new(vec![t]);
    let out = source(&schema, &options(Dialect::Sqlite)).unwrap();
    assert!(out.code.contains("pub amount: f64"), "{}", out.code);
    roundtrip(&schema, Dialect::Sqlite);
}

// ---- the property ------------------------------------------------------------------------------

const WORDS: &[&str] = &[
    "users",
    "posts",
    "tags",
    "order",
    "items",
    "a",
    "categories",
    "box",
    "type",
    "self",
    "Mixed",
    "status",
];
const COLUMNS: &[&str] = &[
    "name",
    "type",
    "self",
    "Email Address",
    "value",
    "created_at",
    "amount",
    "flag",
    "note",
    "ref",
    "x1",
    "Kind",
];

fn column_type() -> impl Strategy<Value = ColumnType> {
    prop_oneof![
        Just(ColumnType::Bool),
        Just(ColumnType::SmallInt),
        Just(ColumnType::Integer),
        Just(ColumnType::BigInt),
        Just(ColumnType::Double),
        Just(ColumnType::Text),
        (1u32..500).prop_map(|len| ColumnType::Varchar { len }),
        Just(ColumnType::Date),
        Just(ColumnType::Timestamptz),
        Just(ColumnType::Uuid),
        Just(ColumnType::Json),
        (1u32..20, 0u32..5).prop_map(|(p, s)| ColumnType::Numeric {
            precision: Some(p + s),
            scale: Some(s)
        }),
        Just(ColumnType::Array {
            of: Box::new(ColumnType::Integer)
        }),
        Just(ColumnType::Custom { sql: "citext".into() }),
        Just(ColumnType::Custom { sql: "ltree".into() }),
        Just(ColumnType::Enum(EnumType::new(
            "doc_state",
            ["draft", "in review", "gone"]
        ))),
    ]
}

fn default_for(ty: &ColumnType, pick: u8) -> Option<DefaultValue> {
    use ColumnType::*;
    let lit = match (ty, pick % 4) {
        (_, 0) => return None,
        (_, 1) => return Some(DefaultValue::Sql("some_function()".into())),
        (Bool, _) => Literal::Bool(pick % 2 == 0),
        (SmallInt | Integer | BigInt, _) => Literal::Int(i64::from(pick) - 100),
        (Double | Numeric { .. }, _) => Literal::Float(format!("{}.5", pick)),
        (Enum(e), _) => Literal::Str(e.values[0].clone()),
        (Array { .. } | Json, _) => return Some(DefaultValue::Sql("'{}'".into())),
        (_, _) => Literal::Str(format!("it's \"{pick}\"\\")),
    };
    Some(DefaultValue::Literal(lit))
}

#[derive(Debug, Clone)]
struct Shape {
    table: usize,
    columns: Vec<(usize, ColumnType, bool, u8, bool)>,
    key: u8,
    named: u8,
    extra: u8,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        0..WORDS.len(),
        prop::collection::vec(
            (
                0..COLUMNS.len(),
                column_type(),
                any::<bool>(),
                any::<u8>(),
                any::<bool>(),
            ),
            1..6,
        ),
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
    )
        .prop_map(|(table, columns, key, named, extra)| Shape {
            table,
            columns,
            key,
            named,
            extra,
        })
}

/// A valid schema (as the parser accepts it) from random shapes.
fn schema_of(shapes: Vec<Shape>) -> Schema {
    let mut tables: Vec<Table> = Vec::new();
    let mut views: Vec<View> = Vec::new();
    for s in shapes {
        let name = WORDS[s.table].to_string();
        if tables.iter().any(|t| t.name == name) {
            continue;
        }
        let mut t = Table::new(name.clone());
        // some tables in PostgreSQL schemas (left out on the other dialects, see `for_dialect`)
        t.schema = ["billing", "app"].get(usize::from(s.named % 5)).map(|s| s.to_string());
        if s.named % 3 == 0 {
            t.comment = Some(format!("Table {name}.\nSecond line."));
        }
        let mut id = Column::new("id", ColumnType::BigInt);
        id.identity = s.key % 4 != 0;
        id.identity_kind =
            [IdentityKind::ByDefault, IdentityKind::Serial, IdentityKind::Always][usize::from(s.key % 3)];
        if !id.identity {
            id.identity_kind = IdentityKind::ByDefault;
        }
        t.columns.push(id);
        for (c, ty, nullable, pick, comment) in s.columns {
            let cname = COLUMNS[c].to_string();
            if t.column(&cname).is_some() {
                continue;
            }
            let mut column = Column::new(cname.clone(), ty.clone());
            column.nullable = nullable;
            column.default = default_for(&ty, pick);
            if pick % 7 == 3 {
                // a generated column (stored: every backend has those)
                column.default = None;
                column.generated = Some(crate::ir::Generated {
                    sql: "some_function(id)".into(),
                    is_virtual: false,
                });
            }
            if comment {
                column.comment = Some(if pick % 2 == 0 {
                    format!("The {cname}.")
                } else {
                    " odd\n".to_string()
                });
            }
            t.columns.push(column);
        }
        let key_name = if s.named % 2 == 0 {
            format!("{name}_pkey")
        } else {
            pk_name(&name)
        };
        t.primary_key = Some(PrimaryKey {
            name: key_name,
            columns: vec!["id".into()],
        });
        let second = t.columns.get(1).map(|c| c.name.clone());
        if let Some(second) = second {
            if s.extra % 2 == 0 {
                let cols = vec![second.clone()];
                t.uniques.push(UniqueConstraint {
                    name: if s.named % 5 == 0 {
                        format!("{name}_u_key")
                    } else {
                        unique_name(&name, &cols)
                    },
                    columns: cols,
                });
            }
            if s.extra % 3 == 0 {
                let cols = vec![second.clone(), "id".to_string()];
                t.indexes.push(Index {
                    name: if s.named % 7 == 0 {
                        format!("{name}_ix")
                    } else {
                        index_name(&name, &cols, s.extra % 2 == 1)
                    },
                    columns: cols,
                    unique: s.extra % 2 == 1,
                    where_sql: (s.extra % 4 == 3).then(|| "id > 0".to_string()),
                });
            }
            if s.extra % 5 == 0 {
                let cols = vec![second.clone()];
                t.indexes.push(Index {
                    name: index_name(&name, &cols, false),
                    columns: cols,
                    unique: false,
                    where_sql: None,
                });
            }
        }
        if s.extra % 7 < 3 {
            t.checks.push(Check {
                name: if s.extra % 2 == 0 {
                    check_name(&name, "positive")
                } else {
                    format!("{name}_id_check")
                },
                sql: "id > 0".into(),
            });
        }
        if s.extra % 4 == 1 {
            views.push(view_over(&t, s.key, s.named));
        }
        tables.push(t);
    }
    // foreign keys to earlier tables' keys, on a new column of the key's type
    for i in 1..tables.len() {
        let target = tables[i - 1].name.clone();
        let (t_name, pick) = (tables[i].name.clone(), tables[i].columns.len());
        let mut fk_col = Column::new(format!("{target}_ref"), ColumnType::BigInt);
        fk_col.nullable = pick % 2 == 0;
        let cols = vec![fk_col.name.clone()];
        tables[i].columns.push(fk_col);
        tables[i].foreign_keys.push(ForeignKey {
            name: if pick % 3 == 0 {
                format!("{t_name}_fk")
            } else {
                fk_name(&t_name, &cols, &target)
            },
            columns: cols,
            ref_table: target,
            ref_columns: vec!["id".into()],
            on_delete: if pick % 2 == 0 {
                FkAction::SetNull
            } else {
                FkAction::Cascade
            },
            on_update: FkAction::NoAction,
        });
    }
    let mut schema = Schema::new(tables);
    views.sort_by(|a, b| a.name.cmp(&b.name));
    schema.views = views;
    schema
}

/// A view over some of `t`'s columns (every other one, `id` or not), its key column (by the rule
/// `source` follows: `id`, else the first that is not null, else the first) not null as the model
/// writes it; the query on one line or several, with quotes, materialized or not, with a comment or
/// not.
fn view_over(t: &Table, pick: u8, named: u8) -> View {
    let with_id = named % 2 == 0;
    let mut columns: Vec<Column> = t
        .columns
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            if c.name == "id" {
                with_id
            } else {
                i % 2 == 1 || !with_id
            }
        })
        .map(|(_, c)| {
            let mut v = Column::new(c.name.clone(), c.ty.clone());
            v.nullable = c.nullable;
            v
        })
        .collect();
    if columns.is_empty() {
        columns.push(Column::new("id", ColumnType::BigInt));
    }
    let key = columns
        .iter()
        .position(|c| c.name == "id")
        .or_else(|| columns.iter().position(|c| !c.nullable))
        .unwrap_or(0);
    columns[key].nullable = false;
    let list: Vec<String> = columns.iter().map(|c| format!("\"{}\"", c.name)).collect();
    let sql = if pick % 2 == 0 {
        format!("SELECT {} FROM \"{}\" WHERE id > 0", list.join(", "), t.name)
    } else {
        format!(
            "SELECT {}\n   FROM \"{}\"\n  WHERE id <> 7 AND 'a\\b' <> '\"#'",
            list.join(",\n    "),
            t.name
        )
    };
    let mut v = View::new(format!("recent_{}", t.name), sql);
    v.columns = columns;
    v.materialized = pick % 3 == 0;
    if named % 3 == 1 {
        v.comment = Some(format!("Recent {}.", t.name));
    }
    v
}

fn cases() -> u32 {
    let under_ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    let n = std::env::var("MODEL_SOURCE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    if under_ci {
        n.max(1)
    } else {
        n
    }
}

/// The schema as a SQLite or MySQL model can hold it: no arrays (a text column instead), the
/// identity kinds the dialect has.
fn for_dialect(mut schema: Schema, dialect: Dialect) -> Schema {
    for t in &mut schema.tables {
        t.schema = None;
        for c in &mut t.columns {
            if matches!(c.ty, ColumnType::Array { .. }) {
                c.ty = ColumnType::Text;
                c.default = None;
            }
            c.identity_kind = c.identity_kind.effective(dialect);
        }
    }
    for v in &mut schema.views {
        v.materialized = false;
        for c in &mut v.columns {
            if matches!(c.ty, ColumnType::Array { .. }) {
                c.ty = ColumnType::Text;
            }
        }
    }
    schema
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn parse_of_source_is_the_schema(shapes in prop::collection::vec(shape(), 1..5)) {
        let schema = schema_of(shapes);
        roundtrip(&schema, Dialect::Postgres);
    }

    #[test]
    fn parse_of_source_is_the_schema_on_sqlite(shapes in prop::collection::vec(shape(), 1..5)) {
        roundtrip(&for_dialect(schema_of(shapes), Dialect::Sqlite), Dialect::Sqlite);
    }

    #[test]
    fn parse_of_source_is_the_schema_on_mysql(shapes in prop::collection::vec(shape(), 1..5)) {
        roundtrip(&for_dialect(schema_of(shapes), Dialect::Mysql), Dialect::Mysql);
    }
}

#[test]
fn a_view_comes_back_with_the_key_diesel_uses_said() {
    let mut s = adopted();
    let mut v = View::new(
        "active_users",
        " SELECT users.email,\n    users.score\n   FROM users\n  WHERE users.score > 0::numeric;",
    );
    let mut email = col("email", ColumnType::Varchar { len: 255 });
    email.nullable = true;
    let score = col(
        "score",
        ColumnType::Numeric {
            precision: Some(12),
            scale: Some(2),
        },
    );
    v.columns = vec![email, score];
    v.comment = Some("Users with a score.".into());
    s.views.push(v);
    roundtrip(&s, Dialect::Postgres);
    let out = source(&s, &options(Dialect::Postgres)).unwrap();
    let code = &out.code;
    // the first column that is not null is the key; the query is a raw string, as the database wrote it
    assert!(
        code.contains("// A view has no key: Diesel treats `score` as its key (its first column that is not null)"),
        "{code}"
    );
    assert!(
        code.contains("view = r#\"SELECT users.email,\n    users.score\n"),
        "{code}"
    );
    assert!(code.contains("#[diesel(primary_key(score))]"), "{code}");
    assert!(code.contains("pub email: Option<String>,"), "{code}");
    assert!(
        !code.contains("Insertable, Identifiable, Debug, Clone)]\n#[diesel(table_name = active_users)]"),
        "{code}"
    );
    assert_eq!(out.structs.get("active_users").map(String::as_str), Some("ActiveUser"));
}

#[test]
fn a_view_with_a_column_no_rust_type_reads_says_so() {
    let mut s = adopted();
    let mut v = View::new("post_search", "SELECT id, to_tsvector(title) AS doc FROM posts");
    v.columns = vec![
        col("id", ColumnType::BigInt),
        col("doc", ColumnType::Custom { sql: "tsvector".into() }),
    ];
    s.views.push(v);
    let out = source(&s, &options(Dialect::Postgres)).unwrap();
    let code = &out.code;
    assert!(
        out.not_expressible.iter().any(|n| n
            == "view \"post_search\": Diesel's Queryable and Selectable are not derived for `PostSearch`: column(s) \
                \"doc\" (tsvector) have a SQL type no Rust type reads without a FromSql impl of your own (the file \
                declares the SQL type in `sql_types`)"),
        "{:?}",
        out.not_expressible
    );
    assert!(
        code.contains("#[derive(Model, Identifiable, Debug, Clone)]\n#[diesel(table_name = post_search)]"),
        "{code}"
    );
}
