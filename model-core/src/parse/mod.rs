//! The `#[model(...)]` attribute parser, shared by `#[derive(Model)]` and the build step.
//!
//! [`parse_model`] reads one struct (a [`syn::DeriveInput`]; the build step converts the
//! `syn::ItemStruct`s it finds into that) and returns its table as the [IR](crate::ir) plus what the
//! derive needs to declare the Diesel table. It runs three stages that share one error collector, so
//! every error of a struct is reported at once, each spanned at the offending tokens:
//!
//! 1. **parse** (this module): attribute syntax, key names, value types, per-field conflicts;
//! 2. [**check**](crate::check): rules across fields (lists naming fields, primary key, names);
//! 3. [**lower**](crate::lower): Rust types to column types and Diesel SQL types, defaults, foreign keys.
//!
//! # The attribute language
//!
//! Struct level: `table_name = "posts"` (or `"billing.posts"`: PostgreSQL schema and table),
//! `schema = "billing"`, `primary_key(a, b)`, `index(a, b)` /
//! `index(a, b, unique)` / `index(a, name = "ix_x", where_sql = "...")`, `unique(a, b)`,
//! `check(name = "positive_price", sql = "price > 0")`, `renamed_from = "old_table"`,
//! `comment = "..."`. Field level: `primary_key`, `column_name = "type"`, `sql_type = "numeric(12,2)"`,
//! `max_length = 255`, `precision = 12, scale = 2`, `unique`, `index`, `default = <literal>`,
//! `default_sql = "now()"`, `references = "users(id)"`, `on_delete = "cascade"`, `on_update = "..."`,
//! `check = "age >= 0"`, `renamed_from = "old_name"`, `comment = "..."`. See the project's DESIGN for
//! their meaning. Several `#[model(...)]` attributes on one item merge.
//!
//! Extensions beyond the design's table:
//!
//! - `identity = false` (field): a single integer primary key that is **not** an identity /
//!   autoincrement column (ids are given by the application).
//! - `diesel_type = "Citext"` (field): the Diesel SQL type of the column, needed only when
//!   `sql_type` names a type the crate does not know and the Rust type cannot be mapped either. A bare
//!   name means `diesel::sql_types::<Name>`; a path (`"crate::schema::sql_types::Citext"`) is used as is.
//! - `comment = ""` removes the comment a doc comment would give.
//! - Exact names (an adopted database's): struct `primary_key(a, b, name = "..")`,
//!   `unique(a, b, name = "..")`, `check(sql_name = "..", sql = "..")`; field `pk_name`,
//!   `unique_name`, `index_name`, `fk_name`, `check_name` (each next to the key it names).
//! - `foreign_key(a, b, references = "t(x, y)", on_delete = "..", on_update = "..", name = "..")`
//!   (struct): a foreign key over several columns.
//! - `identity = "serial" | "always" | "autoincrement" | "by_default"` (field): the kind of identity
//!   (see [`crate::ir::IdentityKind`]).
//! - `diesel_table = "crate::schema::users"` (struct): the Diesel `table!` is declared elsewhere
//!   (a `schema.rs`); see [`ModelDef::diesel_table`].
//! - `enum` (field): the field's type is a `#[derive(ModelEnum)]` enum (see [`parse_enum`]); its
//!   column is a database enum. Conflicts with `sql_type`, `max_length`, `precision`, `scale` and
//!   `diesel_type`; a `default` must then be a string, the SQL value of a variant.
//! - `view = "SELECT .."` / `view_file = "db/views/x.sql"` (struct): the struct is a view (see
//!   [`ViewDef`]); `materialized` makes it a PostgreSQL materialized view. Its `primary_key` fields are
//!   the key of its Diesel `table!` only. A view takes no `index`, `unique`, `check`, `renamed_from`,
//!   and its fields no `unique`, `index`, `default`, `default_sql`, `references`, `on_delete`,
//!   `on_update`, `check`, `identity`, `generated`, `renamed_from`.
//! - `generated = "lower(email)"` / `generated(sql = "..", virtual)` (field): a generated column,
//!   stored (or computed when read, on SQLite and MySQL); conflicts with `default`, `default_sql`,
//!   `identity` and `primary_key`.
//!
//! # Example
//!
//! ```
//! use model_core::{ir::{ColumnType, Dialect}, parse::parse_model};
//! let input: syn::DeriveInput = syn::parse_quote! {
//!     /// A registered person.
//!     #[model(index(last_name, first_name))]
//!     struct User {
//!         #[model(primary_key)]
//!         id: i64,
//!         #[model(unique, max_length = 255)]
//!         email: String,
//!         first_name: String,
//!         last_name: String,
//!         nickname: Option<String>,
//!     }
//! };
//! let model = parse_model(&input, Dialect::Postgres).unwrap();
//! assert_eq!(model.table.name, "users");
//! assert_eq!(model.table.comment.as_deref(), Some("A registered person."));
//! assert_eq!(model.table.columns[1].ty, ColumnType::Varchar { len: 255 });
//! assert!(model.table.columns[0].identity);
//! assert_eq!(model.table.indexes[0].name, "ix_users_last_name_first_name");
//! assert_eq!(model.module, "users");
//! ```

mod ast;
mod container;
mod docs;
mod enum_attrs;
mod enum_def;
mod errors;
mod field_attrs;
mod keys;
mod struct_attrs;
pub(crate) mod value;

pub(crate) use ast::{Attr, CheckName, Container, Field};
pub use enum_def::{parse_enum, EnumDef, VariantDef};
pub(crate) use errors::Ctxt;
pub use errors::Errors;

use crate::ir::{Dialect, Table};

/// One model struct, read and checked: its table as IR and what the derive needs.
#[derive(Debug, Clone)]
pub struct ModelDef {
    /// The struct's name.
    pub ident: syn::Ident,
    /// The table (names, types, primary key, uniques, indexes, foreign keys, checks, comments). For a
    /// view ([`ModelDef::view`]): its name, comment and columns only.
    pub table: Table,
    /// `Some` when the struct declares a view (`view = ".."` or `view_file = ".."`) rather than a table.
    pub view: Option<ViewDef>,
    /// The module name of the generated `diesel::table!`: the SQL table name when it is a valid,
    /// non-keyword Rust identifier (for a default name: Diesel's own inferred name), else a
    /// sanitized name (then `table!` gets `#[sql_name = "..."]`).
    pub module: syn::Ident,
    /// The fields, in declaration order.
    pub fields: Vec<FieldDef>,
    /// Where `table_name = "..."`'s value is, when the struct has one (the build step points its
    /// errors across models there).
    pub table_name_span: Option<proc_macro2::Span>,
    /// `diesel_table = "crate::schema::users"`: the model's Diesel `table!` is that one (e.g. in a
    /// `schema.rs` written by `diesel print-schema`); the derive declares none and checks instead
    /// that each column is there with the same SQL type.
    pub diesel_table: Option<syn::Path>,
}

/// One field of a model.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// The Rust field name (may be a raw identifier such as `r#type`).
    pub ident: syn::Ident,
    /// The SQL column name.
    pub column: String,
    /// The Diesel SQL type, a full path such as
    /// `::model::diesel::sql_types::Nullable<::model::diesel::sql_types::BigInt>`.
    pub diesel_type: crate::lower::DieselType,
    /// Part of the primary key.
    pub primary_key: bool,
    /// For a field marked `#[model(enum)]`: the Rust enum type as written (without `Option`). Its
    /// column's type in [`ModelDef::table`] is then an unresolved `ColumnType::Enum` (empty name and
    /// values), which the derive fills in at run time from `<T as ModelEnum>::enum_type()` and the
    /// build step from the scanned `#[derive(ModelEnum)]` enums; [`FieldDef::diesel_type`] is
    /// `::model::EnumSql<T>` (in `Nullable` for an `Option`).
    pub enum_type: Option<syn::Type>,
    /// A trait of the facade's `types` module that the field's Rust type (without `Option`) must
    /// implement, and that type: a field named `Uuid` on SQLite or MySQL must be the facade's
    /// `model::types::Uuid` (`"UuidColumn"`; Diesel binds `uuid::Uuid` on PostgreSQL only), one named
    /// `Decimal` on SQLite the facade's `model::types::Decimal` (`"DecimalColumn"`). The derive emits
    /// the bound, whose error says what to write.
    pub value_check: Option<(&'static str, syn::Type)>,
    /// Where the value of `references = "..."` is, when the field has one.
    pub references_span: Option<proc_macro2::Span>,
    /// The schema written in `references = "billing.invoices(id)"` (the build step checks that the
    /// referenced table is in it).
    pub references_schema: Option<String>,
    /// Where the value of `default = ...` is, when the field has one.
    pub default_span: Option<proc_macro2::Span>,
}

/// Where a view's query comes from, and its kind. The query of a `view_file` is read by the caller
/// (the derive relative to `CARGO_MANIFEST_DIR`, the build step relative to the crate's root): the
/// parser reads no files.
#[derive(Debug, Clone)]
pub struct ViewDef {
    /// The query, for `view = "SELECT .."`.
    pub sql: Option<String>,
    /// The file holding the query, for `view_file = ".."`, as written (relative to the crate's root),
    /// with the span of the literal for errors.
    pub file: Option<(String, proc_macro2::Span)>,
    /// `materialized`: a PostgreSQL materialized view.
    pub materialized: bool,
}

impl ModelDef {
    /// The view this struct declares, with its query `sql` (the inline `view = ".."`, or the text of
    /// its `view_file` read by the caller); `None` for a table.
    ///
    /// ```
    /// use model_core::{ir::Dialect, parse::parse_model};
    /// let input: syn::DeriveInput = syn::parse_quote! {
    ///     #[model(view = "SELECT id, email FROM users WHERE active")]
    ///     struct ActiveUser { #[model(primary_key)] id: i64, email: String }
    /// };
    /// let def = parse_model(&input, Dialect::Postgres).unwrap();
    /// let view = def.view_ir(None).unwrap();
    /// assert_eq!((view.name.as_str(), view.columns.len()), ("active_users", 2));
    /// ```
    pub fn view_ir(&self, file_text: Option<&str>) -> Option<crate::ir::View> {
        let def = self.view.as_ref()?;
        let sql = def.sql.as_deref().or(file_text).unwrap_or_default();
        let mut view = crate::ir::View::new(self.table.name.clone(), sql);
        view.materialized = def.materialized;
        view.columns = self.table.columns.clone();
        view.comment = self.table.comment.clone();
        Some(view)
    }
}

/// Read, check and lower one model struct for `dialect`.
///
/// Returns every error of the struct at once when it is not a valid model; [`Errors::partial`] then
/// gives what could be read, for a stub that keeps follow-on errors away.
///
/// ```
/// use model_core::{ir::Dialect, parse::parse_model};
/// let input: syn::DeriveInput = syn::parse_quote! {
///     struct Tag { #[model(primary_key)] id: i32, #[model(max_length = "x")] name: String, }
/// };
/// let errors = parse_model(&input, Dialect::Sqlite).unwrap_err();
/// assert_eq!(errors.iter().count(), 1);
/// assert!(errors.to_string().contains("max_length = 255"));
/// ```
pub fn parse_model(input: &syn::DeriveInput, dialect: Dialect) -> Result<ModelDef, Errors> {
    parse_model_in(input, dialect, None)
}

/// [`parse_model`] for a crate whose configured default schema (`schema = ".."` in
/// `[package.metadata.model]`) is `default_schema`: a table that names no schema goes there.
///
/// ```
/// use model_core::{ir::Dialect, parse::parse_model_in};
/// let input: syn::DeriveInput = syn::parse_quote! {
///     #[model(table_name = "billing.invoices")]
///     struct Invoice { #[model(primary_key)] id: i64 }
/// };
/// let def = parse_model_in(&input, Dialect::Postgres, Some("app")).unwrap();
/// assert_eq!((def.table.schema.as_deref(), def.table.name.as_str()), (Some("billing"), "invoices"));
/// ```
pub fn parse_model_in(
    input: &syn::DeriveInput,
    dialect: Dialect,
    default_schema: Option<&str>,
) -> Result<ModelDef, Errors> {
    let ctxt = Ctxt::default();
    let Some(container) = container::read(&ctxt, input) else {
        return Err(ctxt.into_errors(None));
    };
    let checked = crate::check::check(&ctxt, &container);
    let model = crate::lower::lower(&ctxt, &container, &checked, dialect, default_schema);
    ctxt.finish(model)
}

#[cfg(test)]
mod enum_tests;
#[cfg(test)]
mod object_tests;
#[cfg(test)]
mod tests;
