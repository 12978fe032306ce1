//! The Diesel SQL type of a column, per dialect, as a full path under `::model::diesel::sql_types`
//! (`::model` being the facade's name in the crate compiled, see [`crate::facade`]).

use crate::ir::{ColumnType, Dialect};
use proc_macro2::TokenStream;
use quote::quote;

/// The Diesel SQL type of `ty` on `dialect`; `None` for a custom SQL type (and arrays of one).
pub(crate) fn of(ty: &ColumnType, dialect: Dialect) -> Option<TokenStream> {
    let name = match (ty, dialect) {
        (ColumnType::Bool, _) => quote!(Bool),
        (ColumnType::SmallInt, _) => quote!(SmallInt),
        (ColumnType::Integer, _) => quote!(Integer),
        (ColumnType::BigInt, _) => quote!(BigInt),
        (ColumnType::Real, _) => quote!(Float),
        (ColumnType::Double, _) => quote!(Double),
        (ColumnType::Text | ColumnType::Varchar { .. }, _) => quote!(Text),
        (ColumnType::Binary, _) => quote!(Binary),
        (ColumnType::Date, _) => quote!(Date),
        (ColumnType::Time, _) => quote!(Time),
        // a MySQL DATETIME (what the crate writes), as `diesel print-schema` declares it
        (ColumnType::Timestamp, Dialect::Mysql) => quote!(Datetime),
        (ColumnType::Timestamp, _) => quote!(Timestamp),
        (ColumnType::Timestamptz, Dialect::Postgres) => quote!(Timestamptz),
        (ColumnType::Timestamptz, Dialect::Sqlite) => quote!(TimestamptzSqlite),
        (ColumnType::Timestamptz, Dialect::Mysql) => quote!(Datetime),
        (ColumnType::Uuid, Dialect::Postgres) => quote!(Uuid),
        (ColumnType::Uuid, _) => quote!(Binary),
        (ColumnType::Json, Dialect::Postgres) => quote!(Jsonb),
        // Diesel's JSON on SQLite is text, in the TEXT column
        (ColumnType::Json, Dialect::Sqlite) => quote!(Json),
        (ColumnType::Json, Dialect::Mysql) => quote!(Json),
        // exact text in a TEXT column (Diesel's `Numeric` on SQLite is a float): `model::types::Decimal`
        (ColumnType::Numeric { .. }, Dialect::Sqlite) => quote!(Text),
        (ColumnType::Numeric { .. }, _) => quote!(Numeric),
        (ColumnType::Array { of: elem }, _) => {
            let elem = of(elem, dialect)?;
            let m = crate::facade::path();
            return Some(quote!(#m::diesel::sql_types::Array<#elem>));
        }
        // The enum's SQL type comes from its `#[derive(ModelEnum)]` (set by the field's lowering).
        (ColumnType::Custom { .. } | ColumnType::Enum(_), _) => return None,
    };
    let m = crate::facade::path();
    Some(quote!(#m::diesel::sql_types::#name))
}

/// A user's `diesel_type = "..."`: a bare name (`Citext`, `Array<Text>`) is taken from
/// `::model::diesel::sql_types`, a path is used as written.
pub(crate) fn user(ty: &syn::Type) -> TokenStream {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() && p.path.leading_colon.is_none() && p.path.segments.len() == 1 => {
            let m = crate::facade::path();
            quote!(#m::diesel::sql_types::#ty)
        }
        other => quote!(#other),
    }
}

/// `Nullable<ty>` when `nullable`.
pub(crate) fn nullable(ty: TokenStream, nullable: bool) -> TokenStream {
    if nullable {
        let m = crate::facade::path();
        quote!(#m::diesel::sql_types::Nullable<#ty>)
    } else {
        ty
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
        let n = nullable(quote!(X), true).to_string().replace(' ', "");
        assert_eq!(n, "::model::diesel::sql_types::Nullable<X>");
    }
}
