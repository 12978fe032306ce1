//! Rust types of the mapping that Diesel cannot bind on some backend, and the facade's types that
//! take their place there (`model::types`).
//!
//! Diesel binds `uuid::Uuid` on PostgreSQL only, binds a `BigDecimal` on SQLite as a float, and
//! binds chrono's `DateTime<Utc>` on MySQL not at all; and only Diesel can add such impls for those
//! foreign types. The facade's `model::types::{Uuid, Decimal, UtcDateTime}` wrap them and are bound
//! on every backend. A field is recognised by the last segment of its type, so a field written
//! `Uuid` may be either UUID type: for those the derive emits a bound whose error says what to write
//! (see [`crate::parse::FieldDef::value_check`]); a type only the foreign crate has (`BigDecimal`,
//! `DateTime`) is refused at once.

use super::rust_type;
use crate::ir::Dialect;

/// What a field's Rust type needs on a dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Portability {
    /// Diesel binds it there.
    Bound,
    /// It must implement this trait of the facade's `types` module (the derive emits the bound).
    Check(&'static str),
    /// Diesel cannot bind it there: why, and what to write instead.
    Refused(String),
}

/// What the (non-`Option`) Rust type `ty` needs on `dialect`. The caller skips this for a field with
/// `diesel_type`, whose author chose the Diesel SQL type (e.g. for a newtype of their own).
pub(crate) fn portability(ty: &syn::Type, dialect: Dialect) -> Portability {
    let Some(name) = rust_type::last_name(ty) else {
        return Portability::Bound;
    };
    match (name.as_str(), dialect) {
        ("Uuid", Dialect::Sqlite | Dialect::Mysql) => Portability::Check("UuidColumn"),
        ("Decimal", Dialect::Sqlite) => Portability::Check("DecimalColumn"),
        ("BigDecimal", Dialect::Sqlite) => Portability::Refused(
            "Diesel binds a `BigDecimal` on SQLite as a float (19.90 would read back as \
             19.899999999999998578…): write `model::types::Decimal` (feature `numeric` of model), which is \
             stored as exact text"
                .to_string(),
        ),
        ("DateTime", Dialect::Mysql) => Portability::Refused(
            "Diesel cannot bind chrono's `DateTime<Utc>` on MySQL: write `model::types::UtcDateTime` \
             (feature `chrono` of model, stored as DATETIME(6) in UTC), or `time::OffsetDateTime`; a type of \
             your own called `DateTime` needs `diesel_type = \"...\"`"
                .to_string(),
        ),
        _ => Portability::Bound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn uuids_and_decimals_are_checked_where_diesel_cannot_bind_the_foreign_type() {
        let uuid: syn::Type = parse_quote!(uuid::Uuid);
        assert_eq!(portability(&uuid, Dialect::Postgres), Portability::Bound);
        assert_eq!(portability(&uuid, Dialect::Sqlite), Portability::Check("UuidColumn"));
        assert_eq!(portability(&uuid, Dialect::Mysql), Portability::Check("UuidColumn"));
        let decimal: syn::Type = parse_quote!(model::types::Decimal);
        assert_eq!(
            portability(&decimal, Dialect::Sqlite),
            Portability::Check("DecimalColumn")
        );
        assert_eq!(portability(&decimal, Dialect::Mysql), Portability::Bound);
    }

    #[test]
    fn foreign_types_without_a_binding_are_refused() {
        let big: syn::Type = parse_quote!(bigdecimal::BigDecimal);
        assert!(
            matches!(portability(&big, Dialect::Sqlite), Portability::Refused(why) if why.contains("model::types::Decimal"))
        );
        assert_eq!(portability(&big, Dialect::Postgres), Portability::Bound);
        let utc: syn::Type = parse_quote!(chrono::DateTime<chrono::Utc>);
        assert!(matches!(portability(&utc, Dialect::Mysql), Portability::Refused(why) if why.contains("UtcDateTime")));
        assert_eq!(portability(&utc, Dialect::Sqlite), Portability::Bound);
        let time: syn::Type = parse_quote!(time::OffsetDateTime);
        assert_eq!(portability(&time, Dialect::Mysql), Portability::Bound);
    }
}
