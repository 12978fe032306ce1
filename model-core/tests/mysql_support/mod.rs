//! Support of the MySQL tests: a model using every feature MySQL holds, and a migrations folder
//! written from plans.
#![allow(dead_code)] // each test file uses a part of it

use diesel::mysql::MysqlConnection;
use diesel_migrations::FileBasedMigrations;
use model_core::ir::{
    check_name, column_check_name, fk_name, index_name, pk_name, unique_name, Check, Column, ColumnType, DefaultValue,
    Dialect, FkAction, ForeignKey, Index, Literal, PrimaryKey, Schema, Table, UniqueConstraint,
};
use model_core::plan::plan_migration;
use std::path::PathBuf;

fn with_default(mut c: Column, d: DefaultValue) -> Column {
    c.default = Some(d);
    c
}

fn lit(name: &str, ty: ColumnType, l: Literal) -> Column {
    with_default(Column::new(name, ty), DefaultValue::Literal(l))
}

fn nullable(name: &str, ty: ColumnType) -> Column {
    let mut c = Column::new(name, ty);
    c.nullable = true;
    c
}

fn id(ty: ColumnType) -> Column {
    let mut c = Column::new("id", ty);
    c.identity = true;
    c
}

fn pk(table: &str, columns: &[&str]) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: pk_name(table),
        columns: columns.iter().map(|c| c.to_string()).collect(),
    })
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// `users`, `posts`, `memberships` and `all_types`: identity, every mapped type with literal and
/// SQL defaults, comments, composite keys, uniques, unique and plain indexes, foreign keys with
/// actions, checks.
pub fn model() -> Schema {
    use ColumnType::*;
    let mut users = Table::new("users");
    users.comment = Some("A registered person.".into());
    let mut email = Column::new("email", Varchar { len: 255 });
    email.comment = Some("Where to write.".into());
    users.columns = vec![
        id(BigInt),
        email,
        Column::new("first_name", Varchar { len: 100 }),
        Column::new("last_name", Varchar { len: 100 }),
        nullable("nickname", Text),
        with_default(
            Column::new("created_at", Timestamptz),
            DefaultValue::Sql("CURRENT_TIMESTAMP".into()),
        ),
    ];
    users.primary_key = pk("users", &["id"]);
    users.uniques = vec![UniqueConstraint {
        name: unique_name("users", &["email"]),
        columns: strings(&["email"]),
    }];
    users.indexes = vec![Index {
        name: index_name("users", &["last_name", "first_name"], false),
        columns: strings(&["last_name", "first_name"]),
        unique: false,
        where_sql: None,
    }];
    users.checks = vec![Check {
        name: column_check_name("users", "email"),
        sql: "email <> ''".into(),
    }];

    let mut posts = Table::new("posts");
    posts.columns = vec![
        id(BigInt),
        Column::new("author_id", BigInt),
        nullable("editor_id", BigInt),
        Column::new("slug", Varchar { len: 200 }),
        lit("content", Text, Literal::Str("it's a \\ test".into())),
        lit("published", Bool, Literal::Bool(false)),
        lit("status", Varchar { len: 20 }, Literal::Str("draft".into())),
        nullable("deleted_at", Timestamp),
    ];
    posts.primary_key = pk("posts", &["id"]);
    posts.uniques = vec![UniqueConstraint {
        name: unique_name("posts", &["author_id", "slug"]),
        columns: strings(&["author_id", "slug"]),
    }];
    posts.indexes = vec![
        Index {
            name: index_name("posts", &["author_id"], false),
            columns: strings(&["author_id"]),
            unique: false,
            where_sql: None,
        },
        Index {
            name: index_name("posts", &["slug"], true),
            columns: strings(&["slug"]),
            unique: true,
            where_sql: None,
        },
    ];
    posts.foreign_keys = vec![
        ForeignKey {
            name: fk_name("posts", &["author_id"], "users"),
            columns: strings(&["author_id"]),
            ref_table: "users".into(),
            ref_columns: strings(&["id"]),
            on_delete: FkAction::Cascade,
            on_update: FkAction::Restrict,
        },
        ForeignKey {
            name: fk_name("posts", &["editor_id"], "users"),
            columns: strings(&["editor_id"]),
            ref_table: "users".into(),
            ref_columns: strings(&["id"]),
            on_delete: FkAction::SetNull,
            on_update: FkAction::NoAction,
        },
    ];
    posts.checks = vec![Check {
        name: check_name("posts", "slug_not_empty"),
        sql: "char_length(slug) > 0 AND status IN ('draft', 'live')".into(),
    }];

    let mut memberships = Table::new("memberships");
    memberships.columns = vec![
        Column::new("user_id", BigInt),
        Column::new("group_name", Varchar { len: 50 }),
        lit("role", Text, Literal::Str("member".into())),
    ];
    memberships.primary_key = pk("memberships", &["user_id", "group_name"]);
    memberships.foreign_keys = vec![ForeignKey {
        name: fk_name("memberships", &["user_id"], "users"),
        columns: strings(&["user_id"]),
        ref_table: "users".into(),
        ref_columns: strings(&["id"]),
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
    }];

    let mut all = Table::new("all_types");
    let mut price = lit(
        "n",
        Numeric {
            precision: Some(12),
            scale: Some(2),
        },
        Literal::Float("1.5".into()),
    );
    price.comment = Some("A price.".into());
    all.columns = vec![
        id(Integer),
        lit("b", Bool, Literal::Bool(true)),
        lit("i2", SmallInt, Literal::Int(-3)),
        lit("i4", Integer, Literal::Int(42)),
        Column::new("i8", BigInt),
        lit("r", Real, Literal::Float("1.5".into())),
        lit("d", Double, Literal::Float("-0.25".into())),
        lit("t", Text, Literal::Str("it's".into())),
        lit("v", Varchar { len: 20 }, Literal::Str("x".into())),
        nullable("bin", Binary),
        nullable("dt", Date),
        nullable("tm", Time),
        nullable("ts", Timestamp),
        with_default(nullable("tstz", Timestamptz), DefaultValue::Sql("now()".into())),
        nullable("u", Uuid),
        lit("j", Json, Literal::Str("{}".into())),
        price,
    ];
    all.primary_key = pk("all_types", &["id"]);
    all.checks = vec![Check {
        name: check_name("all_types", "positive"),
        sql: "n > 0".into(),
    }];
    Schema::new(vec![users, posts, memberships, all])
}

/// A migrations folder in the temp folder, removed when dropped.
pub struct Folder {
    /// Its path.
    pub path: PathBuf,
    count: usize,
}

impl Folder {
    /// A new empty folder.
    pub fn new(tag: &str) -> Folder {
        let path = std::env::temp_dir().join(format!(
            "model_mysql_{tag}_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&path).expect("create migrations folder");
        Folder { path, count: 0 }
    }

    /// Write the next migration (versions count up from `2024-01-01-000001`).
    pub fn write(&mut self, name: &str, up: &str, down: &str) -> String {
        self.count += 1;
        let version = format!("2024-01-01-{:06}", self.count);
        let dir = self.path.join(format!("{version}_{name}"));
        std::fs::create_dir_all(&dir).expect("create migration");
        std::fs::write(dir.join("up.sql"), up).expect("write up.sql");
        std::fs::write(dir.join("down.sql"), down).expect("write down.sql");
        version.replace('-', "")
    }

    /// Plan `old → new` for MySQL (data loss allowed) and write it.
    pub fn plan(&mut self, old: &Schema, new: &Schema) -> String {
        let m = plan_migration(old, new, Dialect::Mysql, true)
            .unwrap_or_else(|e| panic!("plan: {e}"))
            .expect("a change");
        self.write(&m.name, &m.up_sql, &m.down_sql)
    }

    /// The folder as a Diesel migration source.
    pub fn source(&self) -> FileBasedMigrations {
        FileBasedMigrations::from_path(&self.path).expect("migrations folder")
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// `compare(model, introspect(conn))` as lines, empty when the database holds the model.
pub fn differences(conn: &mut MysqlConnection, model: &Schema) -> Vec<String> {
    let live = model_core::introspect::mysql(conn).expect("introspect");
    model_core::ir::compare(model, &live, Dialect::Mysql)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Assert that the database holds `model`.
pub fn assert_holds(conn: &mut MysqlConnection, model: &Schema, when: &str) {
    let diffs = differences(conn, model);
    assert!(diffs.is_empty(), "{when}:\n{}", diffs.join("\n"));
}
