//! The Diesel SQL type of a column, per dialect, as a full path under `::model::diesel::sql_types`
//! (`::model` being the facade's name in the crate compiled, see [`crate::facade`]).

use crate::ir::{ColumnType, Dialect};
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

/// A field's Diesel SQL type, e.g. `::model::diesel::sql_types::Nullable<::model::diesel::sql_types::BigInt>`.
///
/// It is made into tokens only when generated code needs it ([`ToTokens`]; [`std::fmt::Display`]
/// writes those tokens): the build step parses every model with the derive's parser but never
/// generates code, and building these paths was a tenth of its parse at `opt-level = 0`.
///
/// ```
/// use model_core::{ir::Dialect, parse::parse_model};
/// let input: syn::DeriveInput = syn::parse_quote! {
///     struct User { #[model(primary_key)] id: i64, nick: Option<String> }
/// };
/// let def = parse_model(&input, Dialect::Postgres).unwrap();
/// assert_eq!(
///     def.fields[1].diesel_type.to_string().replace(' ', ""),
///     "::model::diesel::sql_types::Nullable<::model::diesel::sql_types::Text>"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct DieselType {
    kind: Kind,
    nullable: bool,
}

#[derive(Debug, Clone)]
enum Kind {
    /// A type of `diesel::sql_types`, by name.
    Sql(&'static str),
    /// `Array<elem>`.
    Array(Box<Kind>),
    /// A user's `diesel_type = ".."` (see [`user`]).
    User(syn::Type),
    /// `::model::EnumSql<T>` for a field marked `enum`, of its Rust enum type.
    Enum(syn::Type),
}

impl DieselType {
    /// The same type in `Nullable<..>` when `nullable`.
    pub(crate) fn nullable(self, nullable: bool) -> DieselType {
        DieselType { nullable, ..self }
    }

    /// The SQL type of a `#[derive(ModelEnum)]` enum `ty`: `::model::EnumSql<ty>`.
    pub(crate) fn enum_of(ty: syn::Type) -> DieselType {
        DieselType {
            kind: Kind::Enum(ty),
            nullable: false,
        }
    }
}

impl ToTokens for Kind {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let m = crate::facade::path();
        tokens.extend(match self {
            Kind::Sql(name) => {
                let name = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
                quote!(#m::diesel::sql_types::#name)
            }
            Kind::Array(elem) => quote!(#m::diesel::sql_types::Array<#elem>),
            Kind::User(ty) => match ty {
                syn::Type::Path(p)
                    if p.qself.is_none() && p.path.leading_colon.is_none() && p.path.segments.len() == 1 =>
                {
                    quote!(#m::diesel::sql_types::#ty)
                }
                other => quote!(#other),
            },
            Kind::Enum(ty) => quote!(#m::EnumSql<#ty>),
        });
    }
}

impl ToTokens for DieselType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let kind = &self.kind;
        if self.nullable {
            let m = crate::facade::path();
            tokens.extend(quote!(#m::diesel::sql_types::Nullable<#kind>));
        } else {
            kind.to_tokens(tokens);
        }
    }
}

impl std::fmt::Display for DieselType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_token_stream().fmt(f)
    }
}

/// The Diesel SQL type of `ty` on `dialect`; `None` for a custom SQL type (and arrays of one).
pub(crate) fn of(ty: &ColumnType, dialect: Dialect) -> Option<DieselType> {
    kind(ty, dialect).map(|kind| DieselType { kind, nullable: false })
}

fn kind(ty: &ColumnType, dialect: Dialect) -> Option<Kind> {
    let name = match (ty, dialect) {
        (ColumnType::Bool, _) => "Bool",
        (ColumnType::SmallInt, _) => "SmallInt",
        (ColumnType::Integer, _) => "Integer",
        (ColumnType::BigInt, _) => "BigInt",
        (ColumnType::Real, _) => "Float",
        (ColumnType::Double, _) => "Double",
        (ColumnType::Text | ColumnType::Varchar { .. }, _) => "Text",
        (ColumnType::Binary, _) => "Binary",
        (ColumnType::Date, _) => "Date",
        (ColumnType::Time, _) => "Time",
        // a MySQL DATETIME (what the crate writes), as `diesel print-schema` declares it
        (ColumnType::Timestamp, Dialect::Mysql) => "Datetime",
        (ColumnType::Timestamp, _) => "Timestamp",
        (ColumnType::Timestamptz, Dialect::Postgres) => "Timestamptz",
        (ColumnType::Timestamptz, Dialect::Sqlite) => "TimestamptzSqlite",
        (ColumnType::Timestamptz, Dialect::Mysql) => "Datetime",
        (ColumnType::Uuid, Dialect::Postgres) => "Uuid",
        (ColumnType::Uuid, _) => "Binary",
        (ColumnType::Json, Dialect::Postgres) => "Jsonb",
        // Diesel's JSON on SQLite is text, in the TEXT column
        (ColumnType::Json, Dialect::Sqlite) => "Json",
        (ColumnType::Json, Dialect::Mysql) => "Json",
        // exact text in a TEXT column (Diesel's `Numeric` on SQLite is a float): `model::types::Decimal`
        (ColumnType::Numeric { .. }, Dialect::Sqlite) => "Text",
        (ColumnType::Numeric { .. }, _) => "Numeric",
        (ColumnType::Array { of: elem }, _) => return Some(Kind::Array(Box::new(kind(elem, dialect)?))),
        // The enum's SQL type comes from its `#[derive(ModelEnum)]` (set by the field's lowering).
        (ColumnType::Custom { .. } | ColumnType::Enum(_), _) => return None,
    };
    Some(Kind::Sql(name))
}

/// A user's `diesel_type = "..."`: a bare name (`Citext`, `Array<Text>`) is taken from
/// `::model::diesel::sql_types`, a path is used as written.
pub(crate) fn user(ty: &syn::Type) -> DieselType {
    DieselType {
        kind: Kind::User(ty.clone()),
        nullable: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(ty: ColumnType, d: Dialect) -> String {
        of(&ty, d).map(|t| t.to_string().replace(' ', "")).unwrap_or_default()
    }

    #[test]
    fn dialect_specific_types() {
        assert_eq!(
            s(ColumnType::Timestamptz, Dialect::Sqlite),
            "::model::diesel::sql_types::TimestamptzSqlite"
        );
        assert_eq!(
            s(ColumnType::Timestamptz, Dialect::Mysql),
            "::model::diesel::sql_types::Datetime"
        );
        assert_eq!(
            s(ColumnType::Uuid, Dialect::Sqlite),
            "::model::diesel::sql_types::Binary"
        );
        assert_eq!(
            s(ColumnType::Json, Dialect::Postgres),
            "::model::diesel::sql_types::Jsonb"
        );
        assert_eq!(s(ColumnType::Json, Dialect::Sqlite), "::model::diesel::sql_types::Json");
        let decimal = ColumnType::Numeric {
            precision: Some(12),
            scale: Some(2),
        };
        assert_eq!(s(decimal.clone(), Dialect::Sqlite), "::model::diesel::sql_types::Text");
        assert_eq!(s(decimal, Dialect::Mysql), "::model::diesel::sql_types::Numeric");
        assert_eq!(
            s(ColumnType::Varchar { len: 3 }, Dialect::Mysql),
            "::model::diesel::sql_types::Text"
        );
        assert_eq!(
            s(
                ColumnType::Array {
                    of: Box::new(ColumnType::BigInt)
                },
                Dialect::Postgres
            ),
            "::model::diesel::sql_types::Array<::model::diesel::sql_types::BigInt>"
        );
        assert_eq!(s(ColumnType::Custom { sql: "citext".into() }, Dialect::Postgres), "");
    }

    #[test]
    fn user_types() {
        let bare: syn::Type = syn::parse_quote!(Citext);
        assert_eq!(
            user(&bare).to_string().replace(' ', ""),
            "::model::diesel::sql_types::Citext"
        );
        let path: syn::Type = syn::parse_quote!(crate::schema::Citext);
        assert_eq!(user(&path).to_string().replace(' ', ""), "crate::schema::Citext");
        let n = user(&path).nullable(true).to_string().replace(' ', "");
        assert_eq!(n, "::model::diesel::sql_types::Nullable<crate::schema::Citext>");
        let e = DieselType::enum_of(syn::parse_quote!(Status))
            .nullable(true)
            .to_string();
        assert_eq!(
            e.replace(' ', ""),
            "::model::diesel::sql_types::Nullable<::model::EnumSql<Status>>"
        );
    }
}
