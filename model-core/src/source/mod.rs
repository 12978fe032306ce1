//! IR → Rust: the model source of a schema, the inverse of [`parse`](crate::parse).
//!
//! [`source`] writes one `#[derive(Model)]` struct per table — every column with its type,
//! nullability, default, identity, generated expression, comment; the primary key, unique constraints, indexes (partial,
//! unique), checks and foreign keys with their actions — and one `#[derive(ModelEnum)]` enum per
//! database enum, and one view struct per view (`view = ".."` with the query as the database
//! returns it, `materialized` where it is one, and the column Diesel treats as the key said in a
//! comment), with Diesel's derives, formatted with `prettyplease`. Attributes are written only
//! where the parser's defaults would give something else: a constraint's name only when it differs
//! from the naming rule, `table_name` only when the struct's default name is not the table's.
//! Parsing the result gives the schema back ([`crate::parse`] ∘ `source` is the identity, checked by
//! a property test); what the attribute language cannot say is returned in
//! [`Source::not_expressible`], never dropped silently.
//!
//! ```
//! use model_core::ir::{Column, ColumnType, Dialect, PrimaryKey, Schema, Table};
//! use model_core::source::{source, SourceOptions};
//! let mut users = Table::new("users");
//! let mut id = Column::new("id", ColumnType::BigInt);
//! id.identity = true;
//! users.columns.push(id);
//! users.columns.push(Column::new("email", ColumnType::Varchar { len: 255 }));
//! users.primary_key = Some(PrimaryKey { name: "users_pkey".into(), columns: vec!["id".into()] });
//! let out = source(&Schema::new(vec![users]), &SourceOptions::new(Dialect::Postgres)).unwrap();
//! assert!(out.code.contains("pub struct User {"), "{}", out.code);
//! assert!(out.code.contains(r#"#[model(primary_key, pk_name = "users_pkey")]"#), "{}", out.code);
//! assert!(out.code.contains("#[model(max_length = 255)]"), "{}", out.code);
//! ```

mod names;
mod types;

use crate::check::names::module_name;
use crate::ir::{
    check_name, column_check_name, fk_name, index_name, pk_name, unique_name, Column, ColumnType, DefaultValue,
    Dialect, IdentityKind, Literal, Schema, Table, View,
};
use heck::ToSnakeCase;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use types::kv;

/// What [`source`] needs besides the schema.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// The dialect the schema was read from (types and identity kinds are written for it).
    pub dialect: Dialect,
    /// The module path of the file inside its crate (`["models"]` for `src/models.rs`; empty for
    /// `src/lib.rs`): custom SQL types declared in the file are named through it.
    pub module_path: Vec<String>,
    /// The name of the `model` facade in the crate (`model` unless the dependency is renamed).
    pub facade: String,
    /// Comment lines for the top of the file (where the models come from).
    pub header: Vec<String>,
    /// What the caller already knows cannot be expressed (procedures, exclusion constraints, ...):
    /// listed at the top.
    pub not_expressible: Vec<String>,
    /// The module of a `schema.rs` written by `diesel print-schema` (`crate::schema`): each model then
    /// uses that `table!` (`diesel_table = "crate::schema::<table>"`) instead of declaring its own.
    pub diesel_schema: Option<String>,
}

impl SourceOptions {
    /// Options for `dialect`: a file at the crate's root, facade `model`, no header.
    pub fn new(dialect: Dialect) -> Self {
        SourceOptions {
            dialect,
            module_path: Vec::new(),
            facade: "model".into(),
            header: Vec::new(),
            not_expressible: Vec::new(),
            diesel_schema: None,
        }
    }
}

/// The model source of a schema (see [`source`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The formatted Rust file.
    pub code: String,
    /// Everything of the database the models do not say, in words (also listed at the top of
    /// [`Source::code`]): the caller's [`SourceOptions::not_expressible`] plus what the attribute
    /// language cannot carry.
    pub not_expressible: Vec<String>,
    /// Diesel cargo features the field types need (`chrono`, `uuid`, `serde_json`, `numeric`, ...).
    pub diesel_features: BTreeSet<String>,
    /// Features of the `model` facade the field types need: those of the `model::types` it writes
    /// where Diesel cannot bind the usual Rust type on the dialect (`uuid` for `model::types::Uuid`
    /// on SQLite and MySQL, `numeric` for `model::types::Decimal` on SQLite, `chrono` for
    /// `model::types::UtcDateTime` on MySQL). Each turns on Diesel's feature of the same name.
    pub facade_features: BTreeSet<String>,
    /// The struct written for each table, by table name.
    pub structs: BTreeMap<String, String>,
}

/// The generated text did not parse: a bug of this module.
#[derive(Debug, thiserror::Error)]
#[error("internal error: the generated model source does not parse ({message}); please report it with the schema")]
pub struct SourceError {
    /// syn's message.
    pub message: String,
}

/// Write the model source of `schema` (see the [module docs](self)).
pub fn source(schema: &Schema, options: &SourceOptions) -> Result<Source, SourceError> {
    let mut w = Writer {
        options,
        not_expressible: options.not_expressible.clone(),
        features: BTreeSet::new(),
        facade_features: BTreeSet::new(),
        types: BTreeSet::new(),
        sql_types: BTreeMap::new(),
        enums: Vec::new(),
        enum_by_key: BTreeMap::new(),
        structs: BTreeMap::new(),
    };
    let mut items = String::new();
    let mut struct_names = BTreeMap::new();
    for t in &schema.tables {
        if t.primary_key.is_none() {
            w.not_expressible.push(format!(
                "table \"{}\" has no primary key, which a model (and Diesel's `table!`) needs: it is left out; \
                 add a primary key, or leave it to its owner with `exclude = [\"{}\"]`",
                t.name, t.name
            ));
            continue;
        }
        let (name, needs_table_name) = names::struct_name(&t.name, &mut w.types);
        struct_names.insert(t.name.clone(), (name, needs_table_name));
    }
    for t in &schema.tables {
        let Some((name, needs_table_name)) = struct_names.get(&t.name).cloned() else {
            continue;
        };
        let text = w.table(t, &name, needs_table_name);
        w.structs.insert(t.name.clone(), name);
        items.push_str(&text);
    }
    let mut view_keys: Vec<(String, String)> = Vec::new();
    for v in &schema.views {
        if v.columns.is_empty() {
            w.note(format!(
                "{} \"{}\" returns no column a model could read: it is left out",
                v.kind(),
                v.name
            ));
            continue;
        }
        let (name, needs_table_name) = names::struct_name(&v.name, &mut w.types);
        let (text, key_note) = w.view(v, &name, needs_table_name);
        w.structs.insert(v.name.clone(), name.clone());
        view_keys.push((name, key_note));
        items.push_str(&text);
    }
    let mut code = String::new();
    let m = &options.facade;
    let _ = writeln!(code, "use diesel::prelude::*;");
    let _ = writeln!(code, "use {m}::Model;");
    if !w.enums.is_empty() {
        let _ = writeln!(code, "use {m}::ModelEnum;");
    }
    if !w.sql_types.is_empty() {
        code.push_str(
            "/// SQL types of the database that Diesel does not declare (as `diesel print-schema` writes them).\n",
        );
        code.push_str("pub mod sql_types {\n");
        for (name, sql) in &w.sql_types {
            let attr = match options.dialect {
                Dialect::Postgres => format!("#[diesel(postgres_type(name = {sql:?}))]"),
                Dialect::Mysql => format!("#[diesel(mysql_type(name = {:?}))]", mysql_type_name(sql)),
                Dialect::Sqlite => "#[diesel(sqlite_type(name = \"Text\"))]".to_string(),
            };
            let _ = writeln!(
                code,
                "    /// The SQL type `{sql}`.\n    #[derive(diesel::query_builder::QueryId, diesel::sql_types::SqlType)]\n    {attr}\n    pub struct {name};"
            );
        }
        code.push_str("}\n");
    }
    for e in &w.enums {
        code.push_str(e);
    }
    code.push_str(&items);
    let file = syn::parse_file(&code).map_err(|e| SourceError {
        message: format!("{e}\n{code}"),
    })?;
    // a blank line between items
    let mut body = prettyplease::unparse(&file).replace("\n}\n", "\n}\n\n");
    // which column Diesel treats as a view's key, as a comment at the top of its struct (a doc
    // comment would become the view's comment)
    for (name, note) in &view_keys {
        let open = format!("\npub struct {name} {{\n");
        if let Some(at) = body.find(&open) {
            body.insert_str(at + open.len(), &format!("    // {note}\n"));
        }
    }
    let body = body.trim_end().to_string() + "\n";
    let mut out = String::new();
    for line in &options.header {
        let _ = writeln!(out, "// {line}");
    }
    if !w.not_expressible.is_empty() {
        out.push_str("//\n// Not in the models (left as they are in the database, never dropped):\n");
        for n in &w.not_expressible {
            let _ = writeln!(out, "//   - {}", n.replace('\n', " "));
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&body);
    Ok(Source {
        code: out,
        not_expressible: w.not_expressible,
        diesel_features: w.features.into_iter().map(String::from).collect(),
        facade_features: w.facade_features.into_iter().map(String::from).collect(),
        structs: w.structs,
    })
}

/// MySQL's name of a type for `mysql_type(name = ..)`: Diesel's `MysqlType` variant names.
fn mysql_type_name(sql: &str) -> &'static str {
    let s = sql.to_ascii_lowercase();
    if s.contains("blob") || s.contains("binary") || s.starts_with("bit") {
        "Blob"
    } else {
        "String"
    }
}

struct Writer<'a> {
    options: &'a SourceOptions,
    not_expressible: Vec<String>,
    features: BTreeSet<&'static str>,
    /// Features of the facade the field types need (its `types`).
    facade_features: BTreeSet<&'static str>,
    /// Type names taken (structs, enums).
    types: BTreeSet<String>,
    /// Custom SQL types declared in `sql_types`: name → SQL.
    sql_types: BTreeMap<String, String>,
    /// Enum items, in order.
    enums: Vec<String>,
    /// Enum Rust names by key (PostgreSQL: type name; others: table.column).
    enum_by_key: BTreeMap<String, String>,
    structs: BTreeMap<String, String>,
}

/// A comment as doc lines when the doc-comment rule (lines trimmed, outer blank lines dropped) gives
/// it back unchanged; else `None` (then it is written with `comment = "..."`).
fn as_doc(comment: &str) -> Option<String> {
    let lines: Vec<&str> = comment.split('\n').collect();
    let clean = lines.iter().all(|l| *l == l.trim() && !l.contains('\r'))
        && lines.first().is_some_and(|l| !l.is_empty())
        && lines.last().is_some_and(|l| !l.is_empty());
    clean.then(|| {
        lines
            .iter()
            .map(|l| format!("#[doc = {:?}]\n", format!(" {l}")))
            .collect()
    })
}

impl Writer<'_> {
    fn dialect(&self) -> Dialect {
        self.options.dialect
    }

    fn sql_types_path(&self) -> String {
        let mut p = vec!["crate".to_string()];
        p.extend(self.options.module_path.iter().cloned());
        p.push("sql_types".into());
        p.join("::")
    }

    fn note(&mut self, what: String) {
        self.not_expressible.push(what);
    }

    /// The Rust enum for an enum column (declared once per type).
    /// The Rust type of the field of `column` (of `table`, a view's columns as a table's): the enum's
    /// own type, else the mapped one, with the attributes it needs added to `attrs`, the features it
    /// needs recorded, and an SQL type without a Diesel type noted in `unmapped`.
    fn field_type(
        &mut self,
        table: &Table,
        column: &Column,
        attrs: &mut Vec<String>,
        unmapped: &mut Vec<String>,
    ) -> String {
        match &column.ty {
            ColumnType::Enum(e) => {
                let e = e.clone();
                attrs.push("enum".into());
                self.enum_for(table, column, &e)
            }
            ty => {
                let ft = types::field_type(ty, self.dialect(), &self.sql_types_path(), &self.options.facade);
                if let Some(f) = ft.feature {
                    self.features.insert(f);
                    if ft.facade_type {
                        self.facade_features.insert(f);
                    }
                }
                if let Some(sql) = &ft.unmapped {
                    self.sql_types.insert(types::sql_type_name(sql), sql.clone());
                    unmapped.push(format!("\"{}\" ({sql})", column.name));
                }
                attrs.extend(ft.attrs);
                ft.rust
            }
        }
    }

    fn enum_for(&mut self, table: &Table, column: &Column, e: &crate::ir::EnumType) -> String {
        let key = if self.dialect() == Dialect::Postgres && !e.name.is_empty() {
            e.name.clone()
        } else {
            format!("{}.{}", table.name, column.name)
        };
        if let Some(name) = self.enum_by_key.get(&key) {
            return name.clone();
        }
        let base = if self.dialect() == Dialect::Postgres && !e.name.is_empty() {
            e.name.clone()
        } else {
            format!("{}_{}", table.name, column.name)
        };
        let name = names::enum_name(&base, &mut self.types);
        let mut item = String::new();
        let _ = writeln!(
            item,
            "#[doc = {:?}]",
            format!(" Values of {}.", self.enum_origin(table, column, e))
        );
        item.push_str("#[derive(ModelEnum, Debug, Clone, Copy, PartialEq, Eq)]\n");
        let type_name = if self.dialect() == Dialect::Postgres && !e.name.is_empty() {
            e.name.clone()
        } else {
            name.to_snake_case()
        };
        if name.to_snake_case() != type_name {
            let _ = writeln!(item, "#[model({})]", kv("type_name", &type_name));
        }
        let _ = writeln!(item, "pub enum {name} {{");
        let mut taken = BTreeSet::new();
        for v in &e.values {
            let variant = names::variant_name(v, &mut taken);
            if variant.to_snake_case() != *v {
                let _ = writeln!(item, "    #[model({})]", kv("rename", v));
            }
            let _ = writeln!(item, "    {variant},");
        }
        item.push_str("}\n");
        self.enums.push(item);
        self.enum_by_key.insert(key, name.clone());
        name
    }

    fn enum_origin(&self, table: &Table, column: &Column, e: &crate::ir::EnumType) -> String {
        if self.dialect() == Dialect::Postgres && !e.name.is_empty() {
            format!("the PostgreSQL type `{}`", e.name)
        } else {
            format!("column `{}`.`{}`", table.name, column.name)
        }
    }

    /// The `#[derive(..)]` line of the struct `name` of `owner` (`table "posts"`, `view "active"`):
    /// `Model`; Diesel's derives of `rows` when every column has a Rust type (`unmapped` is empty),
    /// else a note naming the columns; `Identifiable` when the key can be hashed; `Debug`, `Clone`.
    fn derives(&mut self, owner: &str, name: &str, rows: Rows, unmapped: &[String], hashable_key: bool) -> String {
        let (diesel, listed, impls): (&[&str], &str, &str) = match rows {
            Rows::Read => (&["Queryable", "Selectable"], "Queryable and Selectable", "FromSql"),
            Rows::ReadWritten => (
                &["Queryable", "Selectable", "Insertable"],
                "Queryable, Selectable and Insertable",
                "FromSql/ToSql",
            ),
        };
        let mut derives = vec!["Model"];
        if unmapped.is_empty() {
            derives.extend(diesel);
        } else {
            self.note(format!(
                "{owner}: Diesel's {listed} are not derived for `{name}`: column(s) {} have a SQL type no Rust type \
                 reads without a {impls} impl of your own (the file declares the SQL type in `sql_types`)",
                unmapped.join(", ")
            ));
        }
        if hashable_key {
            derives.push("Identifiable");
        }
        derives.extend(["Debug", "Clone"]);
        format!("#[derive({})]\n", derives.join(", "))
    }

    /// The struct of a view: its query inline (`view = ".."`), one field per column, and the key
    /// Diesel's `table!` needs (a view has none of its own): the column named `id`, else the first
    /// that is not null, else the first, said in the returned note.
    fn view(&mut self, v: &View, name: &str, needs_table_name: bool) -> (String, String) {
        let module = if needs_table_name {
            module_name(&v.name)
        } else {
            crate::check::names::diesel_inferred_name(name)
        };
        let key = v
            .columns
            .iter()
            .position(|c| c.name == "id")
            .or_else(|| v.columns.iter().position(|c| !c.nullable))
            .unwrap_or(0);
        let why = if v.columns[key].name == "id" {
            "the column named `id`"
        } else if !v.columns[key].nullable {
            "its first column that is not null"
        } else {
            "its first column"
        };
        let key_note = format!(
            "A {} has no key: Diesel treats `{}` as its key ({why}). Choose another with `primary_key`.",
            v.kind(),
            v.columns[key].name
        );
        let mut avoid: BTreeSet<String> = [module.clone()].into();
        let fields: Vec<(String, bool)> = v
            .columns
            .iter()
            .map(|c| names::field_name(&c.name, &mut avoid))
            .collect();
        let as_table = Table::new(v.name.clone());
        let mut struct_attrs = vec![kv_raw("view", &v.sql)];
        if v.materialized {
            struct_attrs.push("materialized".into());
        }
        if needs_table_name {
            struct_attrs.push(kv("table_name", &v.name));
        }
        let mut unmapped: Vec<String> = Vec::new();
        let mut hashable_key = true;
        let mut lines = String::new();
        for (i, c) in v.columns.iter().enumerate() {
            let mut attrs: Vec<String> = Vec::new();
            if fields[i].1 {
                attrs.push(kv("column_name", &c.name));
            }
            if i == key {
                attrs.push("primary_key".into());
            }
            let rust = self.field_type(&as_table, c, &mut attrs, &mut unmapped);
            if i == key
                && (matches!(rust.as_str(), "f32" | "f64" | "serde_json::Value") || rust.starts_with("Vec<Option"))
            {
                hashable_key = false;
            }
            if let Some(comment) = &c.comment {
                match as_doc(comment) {
                    Some(doc) => lines.push_str(&doc),
                    None => attrs.push(kv("comment", comment)),
                }
            }
            if !attrs.is_empty() {
                let _ = writeln!(lines, "#[model({})]", attrs.join(", "));
            }
            let ty = if c.nullable && i != key {
                format!("Option<{rust}>")
            } else {
                rust
            };
            let _ = writeln!(lines, "pub {}: {ty},", fields[i].0);
        }
        if let Some(comment) = &v.comment {
            if as_doc(comment).is_none() {
                struct_attrs.push(kv("comment", comment));
            }
        }
        let mut out = String::new();
        if let Some(doc) = v.comment.as_deref().and_then(as_doc) {
            out.push_str(&doc);
        }
        let owner = format!("{} \"{}\"", v.kind(), v.name);
        out.push_str(&self.derives(&owner, name, Rows::Read, &unmapped, hashable_key));
        if needs_table_name {
            let _ = writeln!(out, "#[diesel(table_name = {module})]");
        }
        if hashable_key && fields[key].0 != "id" {
            let _ = writeln!(out, "#[diesel(primary_key({}))]", fields[key].0);
        }
        for a in &struct_attrs {
            let _ = writeln!(out, "#[model({a})]");
        }
        let _ = writeln!(out, "pub struct {name} {{");
        out.push_str(&lines);
        out.push_str("}\n");
        (out, key_note)
    }

    fn table(&mut self, t: &Table, name: &str, needs_table_name: bool) -> String {
        let d = self.dialect();
        let module = if needs_table_name {
            module_name(&t.name)
        } else {
            crate::check::names::diesel_inferred_name(name)
        };
        // fields
        let mut avoid: BTreeSet<String> = [module.clone()].into();
        let fields: Vec<(String, bool)> = t
            .columns
            .iter()
            .map(|c| names::field_name(&c.name, &mut avoid))
            .collect();
        let field_of = |col: &str| -> Option<String> {
            t.columns
                .iter()
                .position(|c| c.name == col)
                .map(|i| fields[i].0.clone())
        };
        let pk = t
            .primary_key
            .as_ref()
            .expect("tables without a key are left out before");
        let single_pk = (pk.columns.len() == 1).then(|| pk.columns[0].clone());
        let mut struct_attrs: Vec<String> = Vec::new();
        let mut field_attrs: Vec<Vec<String>> = vec![Vec::new(); t.columns.len()];
        let idx = |col: &str| t.columns.iter().position(|c| c.name == col);
        let mut unmapped: Vec<String> = Vec::new();
        let mut hashable_key = true;

        if needs_table_name {
            struct_attrs.push(kv("table_name", &t.name));
        }
        if let Some(schema) = &t.schema {
            struct_attrs.push(kv("schema", schema));
        }
        let external = self
            .options
            .diesel_schema
            .as_ref()
            .map(|m| format!("{m}::{}", module_name(&t.name)));
        if let Some(path) = &external {
            struct_attrs.push(kv("diesel_table", path));
        }
        // the primary key
        let pk_named = (pk.name != pk_name(&t.name)).then(|| pk.name.clone());
        match &single_pk {
            Some(col) => {
                if let Some(i) = idx(col) {
                    field_attrs[i].push("primary_key".into());
                    if let Some(n) = &pk_named {
                        field_attrs[i].push(kv("pk_name", n));
                    }
                }
            }
            None => {
                let list: Vec<String> = pk.columns.iter().filter_map(|c| field_of(c)).collect();
                let mut s = format!("primary_key({}", list.join(", "));
                if let Some(n) = &pk_named {
                    let _ = write!(s, ", {}", kv("name", n));
                }
                s.push(')');
                struct_attrs.push(s);
            }
        }
        // columns
        let mut types: Vec<String> = Vec::new();
        for (i, c) in t.columns.iter().enumerate() {
            let needs_column_name = fields[i].1;
            let rust = self.field_type(t, c, &mut field_attrs[i], &mut unmapped);
            let a = &mut field_attrs[i];
            if single_pk.as_deref() == Some(c.name.as_str()) {
                let auto = c.ty.is_integer();
                match (c.identity, auto) {
                    (false, true) => a.insert(1, "identity = false".into()),
                    (true, _) if c.identity_kind != IdentityKind::ByDefault => {
                        a.insert(1, kv("identity", c.identity_kind.as_str()))
                    }
                    (true, false) => a.insert(1, "identity = true".into()),
                    _ => {}
                }
                if matches!(rust.as_str(), "f32" | "f64" | "serde_json::Value") || rust.starts_with("Vec<Option") {
                    hashable_key = false;
                }
            } else if c.identity {
                self.note(format!(
                    "table \"{}\": column \"{}\" is an identity column ({}) outside a single-column primary key: \
                     the model declares it as a plain column",
                    t.name,
                    c.name,
                    c.identity_kind.as_str()
                ));
            }
            if pk.columns.contains(&c.name) && matches!(rust.as_str(), "f32" | "f64" | "serde_json::Value") {
                hashable_key = false;
            }
            if needs_column_name {
                a.insert(0, kv("column_name", &c.name));
            }
            if let Some(default) = &c.default {
                a.push(default_attr(default, &c.ty, d));
            }
            if let Some(g) = &c.generated {
                if g.is_virtual {
                    a.push(format!("generated({}, virtual)", kv("sql", &g.sql)));
                } else {
                    a.push(kv("generated", &g.sql));
                }
            }
            if let Some(comment) = &c.comment {
                if as_doc(comment).is_none() {
                    a.push(kv("comment", comment));
                }
            }
            let ty = if c.nullable && !pk.columns.contains(&c.name) {
                format!("Option<{rust}>")
            } else {
                rust
            };
            if c.nullable && pk.columns.contains(&c.name) {
                self.note(format!(
                    "table \"{}\": key column \"{}\" allows NULL: the model makes it NOT NULL",
                    t.name, c.name
                ));
            }
            types.push(ty);
        }
        // unique constraints: one per column at field level, the rest at struct level
        let mut field_unique = vec![false; t.columns.len()];
        for u in &t.uniques {
            let named = (u.name != unique_name(&t.name, &u.columns)).then(|| u.name.clone());
            match (
                u.columns.as_slice(),
                u.columns.iter().map(|c| idx(c)).collect::<Option<Vec<_>>>(),
            ) {
                ([_], Some(i)) if !field_unique[i[0]] => {
                    field_unique[i[0]] = true;
                    field_attrs[i[0]].push("unique".into());
                    if let Some(n) = named {
                        field_attrs[i[0]].push(kv("unique_name", &n));
                    }
                }
                (_, Some(_)) => {
                    let list: Vec<String> = u.columns.iter().filter_map(|c| field_of(c)).collect();
                    let mut s = format!("unique({}", list.join(", "));
                    if let Some(n) = named {
                        let _ = write!(s, ", {}", kv("name", &n));
                    }
                    s.push(')');
                    struct_attrs.push(s);
                }
                (_, None) => self.note(format!(
                    "table \"{}\": unique constraint \"{}\" over ({}) is over expressions",
                    t.name,
                    u.name,
                    u.columns.join(", ")
                )),
            }
        }
        // indexes
        let mut field_index = vec![false; t.columns.len()];
        for ix in &t.indexes {
            let Some(cols) = ix.columns.iter().map(|c| idx(c)).collect::<Option<Vec<_>>>() else {
                self.note(format!(
                    "table \"{}\": index \"{}\" is over expressions ({}): an expression index cannot be declared on a model",
                    t.name,
                    ix.name,
                    ix.columns.join(", ")
                ));
                continue;
            };
            let rule = index_name(&t.name, &ix.columns, ix.unique);
            let simple = cols.len() == 1 && !ix.unique && ix.where_sql.is_none() && !field_index[cols[0]];
            if simple {
                field_index[cols[0]] = true;
                field_attrs[cols[0]].push("index".into());
                if ix.name != rule {
                    field_attrs[cols[0]].push(kv("index_name", &ix.name));
                }
                continue;
            }
            let list: Vec<String> = cols.iter().map(|i| fields[*i].0.clone()).collect();
            let mut s = format!("index({}", list.join(", "));
            if ix.unique {
                s.push_str(", unique");
            }
            if ix.name != rule {
                let _ = write!(s, ", {}", kv("name", &ix.name));
            }
            if let Some(w) = &ix.where_sql {
                let _ = write!(s, ", {}", kv("where_sql", w));
            }
            s.push(')');
            struct_attrs.push(s);
        }
        // foreign keys: single-column at field level (one per column), the rest at struct level
        let mut field_fk = vec![false; t.columns.len()];
        for fk in &t.foreign_keys {
            let plain = |s: &str| !s.is_empty() && !s.contains([',', '(', ')']) && !s.contains(char::is_whitespace);
            if !plain(&fk.ref_table) || !fk.ref_columns.iter().all(|c| plain(c)) {
                self.note(format!(
                    "table \"{}\": foreign key \"{}\" references \"{}\"({}), a name `references` cannot spell",
                    t.name,
                    fk.name,
                    fk.ref_table,
                    fk.ref_columns.join(", ")
                ));
                continue;
            }
            let Some(cols) = fk.columns.iter().map(|c| idx(c)).collect::<Option<Vec<_>>>() else {
                continue;
            };
            let named = (fk.name != fk_name(&t.name, &fk.columns, &fk.ref_table)).then(|| fk.name.clone());
            let reference = format!("{}({})", fk.ref_table, fk.ref_columns.join(", "));
            let actions: Vec<String> = [("on_delete", fk.on_delete), ("on_update", fk.on_update)]
                .into_iter()
                .filter(|(_, a)| !a.is_default())
                .map(|(k, a)| kv(k, &a.sql().to_lowercase()))
                .collect();
            if cols.len() == 1 && !field_fk[cols[0]] {
                field_fk[cols[0]] = true;
                let a = &mut field_attrs[cols[0]];
                a.push(kv("references", &reference));
                a.extend(actions);
                if let Some(n) = named {
                    a.push(kv("fk_name", &n));
                }
                continue;
            }
            let list: Vec<String> = cols.iter().map(|i| fields[*i].0.clone()).collect();
            let mut s = format!("foreign_key({}, {}", list.join(", "), kv("references", &reference));
            for a in actions {
                let _ = write!(s, ", {a}");
            }
            if let Some(n) = named {
                let _ = write!(s, ", {}", kv("name", &n));
            }
            s.push(')');
            struct_attrs.push(s);
        }
        // checks: `name` when the naming rule gives the name, else its exact `sql_name`
        for ck in &t.checks {
            let prefix = format!("ck_{}_", t.name);
            let short = ck
                .name
                .strip_prefix(&prefix)
                .filter(|rest| !rest.is_empty() && check_name(&t.name, rest) == ck.name);
            let col_rule = t.columns.iter().any(|c| column_check_name(&t.name, &c.name) == ck.name);
            let name_attr = match short {
                Some(rest) if !col_rule => kv("name", rest),
                _ => kv("sql_name", &ck.name),
            };
            struct_attrs.push(format!("check({name_attr}, {})", kv("sql", &ck.sql)));
        }

        // the struct
        let mut out = String::new();
        if let Some(doc) = t.comment.as_deref().and_then(as_doc) {
            out.push_str(&doc);
        }
        let owner = format!("table \"{}\"", t.name);
        out.push_str(&self.derives(&owner, name, Rows::ReadWritten, &unmapped, hashable_key));
        match &external {
            Some(path) => {
                let _ = writeln!(out, "#[diesel(table_name = {path})]");
            }
            None if needs_table_name => {
                let _ = writeln!(out, "#[diesel(table_name = {module})]");
            }
            None => {}
        }
        let key_fields: Vec<String> = pk.columns.iter().filter_map(|c| field_of(c)).collect();
        if hashable_key && key_fields != ["id"] {
            let _ = writeln!(out, "#[diesel(primary_key({}))]", key_fields.join(", "));
        }
        for a in &struct_attrs {
            let _ = writeln!(out, "#[model({a})]");
        }
        let _ = writeln!(out, "pub struct {name} {{");
        for (i, c) in t.columns.iter().enumerate() {
            if let Some(doc) = c.comment.as_deref().and_then(as_doc) {
                out.push_str(&doc);
            }
            if !field_attrs[i].is_empty() {
                let _ = writeln!(out, "#[model({})]", field_attrs[i].join(", "));
            }
            let _ = writeln!(out, "pub {}: {},", fields[i].0, types[i]);
        }
        out.push_str("}\n");
        out
    }
}

/// What Diesel does with the rows of a struct: read them (a view), or read and insert them (a table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows {
    /// `Queryable`, `Selectable`.
    Read,
    /// `Queryable`, `Selectable`, `Insertable`.
    ReadWritten,
}

/// `key = r#"value"#` (a raw string) when `value` spans lines or holds quotes, else [`kv`]: a view's
/// query reads as written.
fn kv_raw(key: &str, value: &str) -> String {
    if !value.contains(['\n', '"', '\\']) || value.contains('\r') {
        return kv(key, value);
    }
    let mut hashes = "#".to_string();
    while value.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("{key} = r{hashes}\"{value}\"{hashes}")
}

/// `default = <literal>` when the literal fits the column (as the parser checks), else
/// `default_sql = "<the literal's SQL>"`.
fn default_attr(default: &DefaultValue, ty: &ColumnType, dialect: Dialect) -> String {
    match default {
        DefaultValue::Sql(sql) => kv("default_sql", sql),
        DefaultValue::Literal(lit) => {
            let number = matches!(ty, ColumnType::Real | ColumnType::Double | ColumnType::Numeric { .. });
            let custom = matches!(ty, ColumnType::Custom { .. } | ColumnType::Enum(_));
            let fits = custom
                || match lit {
                    Literal::Int(_) => ty.is_integer() || number,
                    Literal::Float(f) => number && rust_float(f).is_some(),
                    Literal::Bool(_) => *ty == ColumnType::Bool,
                    Literal::Str(_) => !(ty.is_integer() || number || *ty == ColumnType::Bool),
                };
            let text = match lit {
                Literal::Bool(b) => Some(b.to_string()),
                Literal::Int(i) => Some(i.to_string()),
                Literal::Float(f) => rust_float(f),
                Literal::Str(s) => Some(format!("{s:?}")),
            };
            match text.filter(|_| fits) {
                Some(text) => format!("default = {text}"),
                None => kv("default_sql", &lit.to_sql(dialect)),
            }
        }
    }
}

/// A float literal as Rust reads it back to the same digits (`1.5`, `-0.25`, `1e5`), or `None`.
fn rust_float(f: &str) -> Option<String> {
    let digits = f.strip_prefix('-').unwrap_or(f);
    let ok = (digits.contains('.') || digits.contains(['e', 'E']))
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && !digits.ends_with('.')
        && digits.parse::<f64>().is_ok()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    ok.then(|| f.to_string())
}

#[cfg(test)]
mod tests;
