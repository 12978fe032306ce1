//! What `#[model(...)]` says, as read from the tokens, with the spans needed for later errors.

use crate::ir::{FkAction, IdentityKind, Literal};
use proc_macro2::Span;

/// One attribute value with the span of its key and of its value.
#[derive(Debug, Clone)]
pub(crate) struct Attr<T> {
    /// Span of the key (`max_length` in `max_length = 3`).
    pub key: Span,
    /// The value.
    pub value: T,
    /// Span of the value (the key's span for flags).
    pub span: Span,
}

/// A flag such as `unique` (no value).
pub(crate) type Flag = Attr<()>;

/// A struct with named fields, with its attributes read.
pub(crate) struct Container {
    pub ident: syn::Ident,
    pub attrs: StructAttrs,
    pub doc: Option<String>,
    pub fields: Vec<Field>,
}

/// One named field.
pub(crate) struct Field {
    pub ident: syn::Ident,
    pub ty: syn::Type,
    pub attrs: FieldAttrs,
    pub doc: Option<String>,
}

/// Struct-level `#[model(...)]`.
#[derive(Default)]
pub(crate) struct StructAttrs {
    pub table_name: Option<Attr<String>>,
    /// `schema = "billing"`: the PostgreSQL schema of the table.
    pub schema: Option<Attr<String>>,
    pub primary_key: Option<KeyAttr>,
    pub indexes: Vec<IndexAttr>,
    pub uniques: Vec<KeyAttr>,
    pub checks: Vec<CheckAttr>,
    pub foreign_keys: Vec<ForeignKeyAttr>,
    /// `diesel_table = "crate::schema::users"`: the model's Diesel `table!` is declared elsewhere.
    pub diesel_table: Option<Attr<syn::Path>>,
    pub renamed_from: Option<Attr<String>>,
    pub comment: Option<Attr<String>>,
    /// `view = "SELECT .."`: the struct is a view with this query.
    pub view: Option<Attr<String>>,
    /// `view_file = "db/views/x.sql"`: the struct is a view whose query is in this file.
    pub view_file: Option<Attr<String>>,
    /// `materialized`: a PostgreSQL materialized view.
    pub materialized: Option<Flag>,
}

impl StructAttrs {
    /// `true` when the struct declares a view (`view` or `view_file`).
    pub(crate) fn is_view(&self) -> bool {
        self.view.is_some() || self.view_file.is_some()
    }
}

/// `generated = "expr"` or `generated(sql = "expr", virtual)`.
#[derive(Debug, Clone)]
pub(crate) struct GeneratedAttr {
    pub sql: String,
    /// `virtual` was given (span of the flag).
    pub is_virtual: Option<Span>,
}

/// `index(a, b, unique, name = "..", where_sql = "..")`.
pub(crate) struct IndexAttr {
    pub key: Span,
    pub fields: Vec<syn::Ident>,
    pub unique: bool,
    pub name: Option<Attr<String>>,
    pub where_sql: Option<Attr<String>>,
}

/// `primary_key(a, b, name = "..")` or `unique(a, b, name = "..")`: fields and an exact name.
pub(crate) struct KeyAttr {
    pub fields: Attr<Vec<syn::Ident>>,
    pub name: Option<Attr<String>>,
}

/// How a struct-level check is named.
pub(crate) enum CheckName {
    /// `name = "positive_price"`: the constraint is `ck_<table>_positive_price`.
    Short(Attr<String>),
    /// `sql_name = "orders_total_check"`: the constraint's exact name.
    Exact(Attr<String>),
}

/// `check(name = "..", sql = "..")` or `check(sql_name = "..", sql = "..")`.
pub(crate) struct CheckAttr {
    pub name: CheckName,
    pub sql: Attr<String>,
}

/// `foreign_key(a, b, references = "t(x, y)", on_delete = "..", on_update = "..", name = "..")`.
pub(crate) struct ForeignKeyAttr {
    pub key: Span,
    pub fields: Vec<syn::Ident>,
    pub references: Attr<CompositeReference>,
    pub on_delete: Option<Attr<FkAction>>,
    pub on_update: Option<Attr<FkAction>>,
    pub name: Option<Attr<String>>,
}

/// `references = "table(a, b)"`, split.
#[derive(Debug, Clone)]
pub(crate) struct CompositeReference {
    pub table: String,
    pub columns: Vec<String>,
}

/// `identity = true | false | "serial" | "always" | "autoincrement" | "by_default"`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IdentitySpec {
    /// An identity column at all.
    pub on: bool,
    /// Its kind (when `on`).
    pub kind: IdentityKind,
}

/// `references = "table(column)"`, split.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    /// The schema written before the table (`"billing.invoices(id)"`).
    pub schema: Option<String>,
    pub table: String,
    pub column: String,
}

/// Field-level `#[model(...)]`.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub primary_key: Option<Flag>,
    pub column_name: Option<Attr<String>>,
    pub sql_type: Option<Attr<String>>,
    pub max_length: Option<Attr<u32>>,
    pub precision: Option<Attr<u32>>,
    pub scale: Option<Attr<u32>>,
    pub unique: Option<Flag>,
    pub index: Option<Flag>,
    pub default: Option<Attr<Literal>>,
    pub default_sql: Option<Attr<String>>,
    pub references: Option<Attr<Reference>>,
    pub on_delete: Option<Attr<FkAction>>,
    pub on_update: Option<Attr<FkAction>>,
    pub check: Option<Attr<String>>,
    pub renamed_from: Option<Attr<String>>,
    pub comment: Option<Attr<String>>,
    pub identity: Option<Attr<IdentitySpec>>,
    /// Exact names of the constraints a field declares (`pk_name`, `unique_name`, `index_name`,
    /// `fk_name`, `check_name`).
    pub pk_name: Option<Attr<String>>,
    pub unique_name: Option<Attr<String>>,
    pub index_name: Option<Attr<String>>,
    pub fk_name: Option<Attr<String>>,
    pub check_name: Option<Attr<String>>,
    pub diesel_type: Option<Attr<syn::Type>>,
    /// `enum`: the field's type is a `#[derive(ModelEnum)]` enum.
    pub enum_: Option<Flag>,
    /// `generated = "expr"`: a generated column.
    pub generated: Option<Attr<GeneratedAttr>>,
}
