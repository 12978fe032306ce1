//! What `#[model(...)]` says, as read from the tokens, with the spans needed for later errors.

use crate::ir::{FkAction, Literal};
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
    pub primary_key: Option<Attr<Vec<syn::Ident>>>,
    pub indexes: Vec<IndexAttr>,
    pub uniques: Vec<Attr<Vec<syn::Ident>>>,
    pub checks: Vec<CheckAttr>,
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

/// `check(name = "..", sql = "..")`.
pub(crate) struct CheckAttr {
    pub name: Attr<String>,
    pub sql: Attr<String>,
}

/// `references = "table(column)"`, split.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
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
    pub identity: Option<Attr<bool>>,
    pub diesel_type: Option<Attr<syn::Type>>,
    /// `enum`: the field's type is a `#[derive(ModelEnum)]` enum.
    pub enum_: Option<Flag>,
    /// `generated = "expr"`: a generated column.
    pub generated: Option<Attr<GeneratedAttr>>,
}
