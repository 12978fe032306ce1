//! The default mapping of Rust field types to column types (DESIGN's type table).
//!
//! Types are recognised by the last path segment, so `String`, `std::string::String`,
//! `chrono::NaiveDate` and `NaiveDate` all work.

use crate::ir::{ColumnType, Dialect};
use syn::{GenericArgument, PathArguments, Type};

/// What a Rust type maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mapping {
    /// A known type.
    Known(ColumnType),
    /// `Vec<T>` (T ≠ u8) on a dialect without arrays.
    ArrayNeedsPostgres,
    /// The crate cannot map it.
    Unknown,
}

/// `Some(T)` for `Option<T>` (with or without path), else `None`.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    let (name, args) = last_segment(ty)?;
    (name == "Option").then(|| single_type_arg(args)).flatten()
}

/// The column type of a (non-`Option`) Rust type.
pub(crate) fn map(ty: &Type, dialect: Dialect) -> Mapping {
    let Some((name, args)) = last_segment(ty) else {
        return Mapping::Unknown;
    };
    let ty = match name.as_str() {
        "bool" => ColumnType::Bool,
        "i16" => ColumnType::SmallInt,
        "i32" => ColumnType::Integer,
        "i64" => ColumnType::BigInt,
        "f32" => ColumnType::Real,
        "f64" => ColumnType::Double,
        "String" => ColumnType::Text,
        "NaiveDate" | "Date" => ColumnType::Date,
        "NaiveTime" | "Time" => ColumnType::Time,
        "NaiveDateTime" | "PrimitiveDateTime" => ColumnType::Timestamp,
        "DateTime" | "OffsetDateTime" | "UtcDateTime" => ColumnType::Timestamptz,
        "Uuid" => ColumnType::Uuid,
        "Value" => ColumnType::Json,
        "BigDecimal" | "Decimal" => ColumnType::Numeric {
            precision: None,
            scale: None,
        },
        "Vec" => {
            let Some(elem) = single_type_arg(args) else {
                return Mapping::Unknown;
            };
            if last_segment(elem).is_some_and(|(n, _)| n == "u8") {
                ColumnType::Binary
            } else {
                return match map(elem, dialect) {
                    Mapping::Known(of) if dialect == Dialect::Postgres => {
                        Mapping::Known(ColumnType::Array { of: Box::new(of) })
                    }
                    Mapping::Known(_) | Mapping::ArrayNeedsPostgres => Mapping::ArrayNeedsPostgres,
                    Mapping::Unknown => Mapping::Unknown,
                };
            }
        }
        _ => return Mapping::Unknown,
    };
    Mapping::Known(ty)
}

/// The last segment of a type's path (`Uuid` for `uuid::Uuid`), if it is a path.
pub(crate) fn last_name(ty: &Type) -> Option<String> {
    last_segment(ty).map(|(name, _)| name)
}

fn peel(ty: &Type) -> &Type {
    match ty {
        Type::Group(g) => peel(&g.elem),
        Type::Paren(p) => peel(&p.elem),
        other => other,
    }
}

fn last_segment(ty: &Type) -> Option<(String, &PathArguments)> {
    match peel(ty) {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| (s.ident.to_string(), &s.arguments)),
        _ => None,
    }
}

fn single_type_arg(args: &PathArguments) -> Option<&Type> {
    match args {
        PathArguments::AngleBracketed(a) if a.args.len() == 1 => match a.args.first() {
            Some(GenericArgument::Type(t)) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn known(ty: Type, dialect: Dialect) -> ColumnType {
        match map(&ty, dialect) {
            Mapping::Known(t) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scalars_with_and_without_paths() {
        let pg = Dialect::Postgres;
        assert_eq!(known(parse_quote!(i64), pg), ColumnType::BigInt);
        assert_eq!(known(parse_quote!(std::string::String), pg), ColumnType::Text);
        assert_eq!(
            known(parse_quote!(chrono::DateTime<chrono::Utc>), pg),
            ColumnType::Timestamptz
        );
        assert_eq!(known(parse_quote!(time::OffsetDateTime), pg), ColumnType::Timestamptz);
        assert_eq!(known(parse_quote!(NaiveDateTime), pg), ColumnType::Timestamp);
        assert_eq!(known(parse_quote!(uuid::Uuid), pg), ColumnType::Uuid);
        assert_eq!(known(parse_quote!(serde_json::Value), pg), ColumnType::Json);
        assert_eq!(known(parse_quote!(Vec<u8>), Dialect::Sqlite), ColumnType::Binary);
        // the facade's portable types
        assert_eq!(known(parse_quote!(model::types::Uuid), pg), ColumnType::Uuid);
        assert!(matches!(
            known(parse_quote!(model::types::Decimal), pg),
            ColumnType::Numeric { .. }
        ));
        assert_eq!(
            known(parse_quote!(model::types::UtcDateTime), pg),
            ColumnType::Timestamptz
        );
    }

    #[test]
    fn arrays_are_postgres_only() {
        assert_eq!(
            known(parse_quote!(Vec<String>), Dialect::Postgres),
            ColumnType::Array {
                of: Box::new(ColumnType::Text)
            }
        );
        assert_eq!(
            map(&parse_quote!(Vec<String>), Dialect::Sqlite),
            Mapping::ArrayNeedsPostgres
        );
        assert_eq!(map(&parse_quote!(Vec<Thing>), Dialect::Postgres), Mapping::Unknown);
    }

    #[test]
    fn options_are_recognised() {
        let ty: Type = parse_quote!(std::option::Option<i32>);
        assert_eq!(option_inner(&ty), Some(&parse_quote!(i32)));
        assert_eq!(option_inner(&parse_quote!(i32)), None);
    }

    #[test]
    fn unknown_types() {
        assert_eq!(map(&parse_quote!(u64), Dialect::Postgres), Mapping::Unknown);
        assert_eq!(map(&parse_quote!(&str), Dialect::Postgres), Mapping::Unknown);
    }
}
