//! Value types that Diesel binds on every backend, for the three Rust types of the crate's type
//! mapping that Diesel itself binds only on some:
//!
//! | type | wraps | PostgreSQL | SQLite | MySQL | feature |
//! |---|---|---|---|---|---|
//! | [`Uuid`] | `uuid::Uuid` | `UUID` | `BLOB`, the 16 bytes | `BINARY(16)` | `uuid` |
//! | [`Decimal`] | `bigdecimal::BigDecimal` | `NUMERIC(p,s)` | `TEXT`, every digit and the scale | `DECIMAL(p,s)` | `numeric` |
//! | [`UtcDateTime`] | `chrono::DateTime<Utc>` | `TIMESTAMPTZ` | `TEXT` | `DATETIME(6)`, in UTC | `chrono` |
//!
//! Diesel binds `uuid::Uuid` on PostgreSQL only, binds a `BigDecimal` on SQLite as a float (`19.90`
//! reads back as `19.899999999999998578…`), and does not bind chrono's `DateTime<Utc>` on MySQL; and
//! only Diesel can teach Diesel about those foreign types. A model that uses the foreign type where
//! Diesel cannot bind it fails to compile with a message naming the type here to write instead.
//! Each type is a transparent wrapper: the value is `.0`, and `From`, `Deref`, `Display` and
//! `FromStr` go through to it.
//!
//! Each needs the feature of the `model` crate named in the table, which also turns on Diesel's
//! feature of that name. With the feature, the type works in `Queryable`, `Selectable`,
//! `Insertable`, `AsChangeset` and filters (`eq(&value)`) on every backend the crate is built with.
//!
#![cfg_attr(all(feature = "uuid", feature = "sqlite"), doc = "```")]
#![cfg_attr(not(all(feature = "uuid", feature = "sqlite")), doc = "```ignore")]
//! use model_core::types::Uuid;
//! let id: Uuid = uuid::Uuid::from_u128(7).into();
//! assert_eq!(id.to_string(), "00000000-0000-0000-0000-000000000007");
//! assert_eq!(id.0, uuid::Uuid::from_u128(7));
//! assert_eq!("00000000-0000-0000-0000-000000000007".parse::<Uuid>().unwrap(), id);
//! ```

/// The derive's bound on a field written `Uuid` on SQLite or MySQL: only [`Uuid`] (this module's)
/// is bound there.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "Diesel cannot store a `{Self}` on SQLite or MySQL: write `model::types::Uuid`",
    label = "Diesel binds `uuid::Uuid` on PostgreSQL only",
    note = "`model::types::Uuid` wraps a `uuid::Uuid` (`.0`, `From`, `Deref`) and is stored as its 16 bytes \
            (BLOB on SQLite, BINARY(16) on MySQL); it needs the `uuid` feature of model",
    note = "a type of your own named `Uuid` gets `#[model(diesel_type = \"...\")]`, which skips this check"
)]
pub trait UuidColumn {}

/// The derive's bound on a field written `Decimal` on SQLite: only [`Decimal`] (this module's) is
/// bound there exactly.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "Diesel cannot store a `{Self}` exactly on SQLite: write `model::types::Decimal`",
    label = "stored as exact text only by `model::types::Decimal`",
    note = "`model::types::Decimal` wraps a `bigdecimal::BigDecimal` (`.0`, `From`, `Deref`) and is stored as \
            TEXT with every digit; it needs the `numeric` feature of model",
    note = "a type of your own named `Decimal` gets `#[model(diesel_type = \"...\")]`, which skips this check"
)]
pub trait DecimalColumn {}

#[cfg(any(feature = "uuid", feature = "numeric", feature = "chrono"))]
macro_rules! wrapper_basics {
    ($name:ident, $inner:ty) => {
        impl From<$inner> for $name {
            fn from(value: $inner) -> Self {
                $name(value)
            }
        }

        impl From<$name> for $inner {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.0
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $inner {
                &mut self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = <$inner as std::str::FromStr>::Err;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

/// `AsExpression` of `$sql` and `Nullable<$sql>` for the type, `&type` and `&&type`, and
/// `ToSql<Nullable<$sql>>`: what Diesel's `AsExpression` derive writes for a type of one's own.
#[cfg(any(feature = "uuid", feature = "numeric", feature = "chrono"))]
macro_rules! diesel_value {
    ($name:ident: $($sql:ty),+) => {
        $(
            impl diesel::expression::AsExpression<$sql> for $name {
                type Expression = diesel::internal::derives::as_expression::Bound<$sql, Self>;
                fn as_expression(self) -> Self::Expression {
                    diesel::internal::derives::as_expression::Bound::new(self)
                }
            }
            impl diesel::expression::AsExpression<diesel::sql_types::Nullable<$sql>> for $name {
                type Expression = diesel::internal::derives::as_expression::Bound<diesel::sql_types::Nullable<$sql>, Self>;
                fn as_expression(self) -> Self::Expression {
                    diesel::internal::derives::as_expression::Bound::new(self)
                }
            }
            impl<'a> diesel::expression::AsExpression<$sql> for &'a $name {
                type Expression = diesel::internal::derives::as_expression::Bound<$sql, Self>;
                fn as_expression(self) -> Self::Expression {
                    diesel::internal::derives::as_expression::Bound::new(self)
                }
            }
            impl<'a> diesel::expression::AsExpression<diesel::sql_types::Nullable<$sql>> for &'a $name {
                type Expression = diesel::internal::derives::as_expression::Bound<diesel::sql_types::Nullable<$sql>, Self>;
                fn as_expression(self) -> Self::Expression {
                    diesel::internal::derives::as_expression::Bound::new(self)
                }
            }
            impl<'a, 'b> diesel::expression::AsExpression<$sql> for &'a &'b $name {
                type Expression = diesel::internal::derives::as_expression::Bound<$sql, Self>;
                fn as_expression(self) -> Self::Expression {
                    diesel::internal::derives::as_expression::Bound::new(self)
                }
            }
            impl<'a, 'b> diesel::expression::AsExpression<diesel::sql_types::Nullable<$sql>> for &'a &'b $name {
                type Expression = diesel::internal::derives::as_expression::Bound<diesel::sql_types::Nullable<$sql>, Self>;
                fn as_expression(self) -> Self::Expression {
                    diesel::internal::derives::as_expression::Bound::new(self)
                }
            }
            impl<DB> diesel::serialize::ToSql<diesel::sql_types::Nullable<$sql>, DB> for $name
            where
                DB: diesel::backend::Backend,
                $name: diesel::serialize::ToSql<$sql, DB>,
            {
                fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                    <$name as diesel::serialize::ToSql<$sql, DB>>::to_sql(self, out)
                }
            }
        )+
    };
}

/// `Queryable` of any SQL type the type has `FromSql` for: what Diesel's `FromSqlRow` derive writes.
#[cfg(any(feature = "uuid", feature = "numeric", feature = "chrono"))]
macro_rules! queryable {
    ($name:ident) => {
        impl<DB, ST> diesel::deserialize::Queryable<ST, DB> for $name
        where
            DB: diesel::backend::Backend,
            ST: diesel::sql_types::SingleValue,
            $name: diesel::deserialize::FromSql<ST, DB>,
        {
            type Row = Self;
            fn build(row: Self) -> diesel::deserialize::Result<Self> {
                Ok(row)
            }
        }
    };
}

/// `ToSql` and `FromSql` of `$sql` for the wrapper, through the wrapped type's own.
#[cfg(any(feature = "uuid", feature = "numeric", feature = "chrono"))]
macro_rules! through_inner {
    ($name:ident($inner:ty): $($sql:ty),+) => {
        $(
            impl<DB> diesel::serialize::ToSql<$sql, DB> for $name
            where
                DB: diesel::backend::Backend,
                $inner: diesel::serialize::ToSql<$sql, DB>,
            {
                fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                    <$inner as diesel::serialize::ToSql<$sql, DB>>::to_sql(&self.0, out)
                }
            }
            impl<DB> diesel::deserialize::FromSql<$sql, DB> for $name
            where
                DB: diesel::backend::Backend,
                $inner: diesel::deserialize::FromSql<$sql, DB>,
            {
                fn from_sql(value: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                    <$inner as diesel::deserialize::FromSql<$sql, DB>>::from_sql(value).map($name)
                }
            }
        )+
    };
}

#[cfg(feature = "uuid")]
pub use self::uuid_type::Uuid;

#[cfg(feature = "uuid")]
mod uuid_type {
    use diesel::backend::Backend;
    use diesel::deserialize::{self, FromSql};
    use diesel::serialize::{self, Output, ToSql};
    use diesel::sql_types::Binary;

    /// A `uuid::Uuid` that Diesel binds on every backend: `UUID` on PostgreSQL, its 16 bytes on
    /// SQLite (`BLOB`) and MySQL (`BINARY(16)`). Write it where a model's field is a UUID on SQLite
    /// or MySQL (Diesel binds `uuid::Uuid` itself on PostgreSQL only); the value is `.0`. Feature
    /// `uuid`.
    ///
    #[cfg_attr(feature = "sqlite", doc = "```")]
    #[cfg_attr(not(feature = "sqlite"), doc = "```ignore")]
    /// use diesel::prelude::*;
    /// use model_core::types::Uuid;
    ///
    /// diesel::table! { tokens (id) { id -> Binary } }
    ///
    /// let mut conn = SqliteConnection::establish(":memory:").unwrap();
    /// diesel::sql_query("CREATE TABLE tokens (id BLOB PRIMARY KEY)").execute(&mut conn).unwrap();
    /// let id = Uuid::from(uuid::Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8));
    /// diesel::insert_into(tokens::table).values(tokens::id.eq(&id)).execute(&mut conn).unwrap();
    /// let read: Uuid = tokens::table.select(tokens::id).first(&mut conn).unwrap();
    /// assert_eq!(read, id);
    /// ```
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub struct Uuid(pub uuid::Uuid);

    wrapper_basics!(Uuid, uuid::Uuid);

    impl super::UuidColumn for Uuid {}

    queryable!(Uuid);
    diesel_value!(Uuid: Binary);

    impl<DB> ToSql<Binary, DB> for Uuid
    where
        DB: Backend,
        [u8]: ToSql<Binary, DB>,
    {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
            <[u8] as ToSql<Binary, DB>>::to_sql(self.0.as_bytes().as_slice(), out)
        }
    }

    impl<DB> FromSql<Binary, DB> for Uuid
    where
        DB: Backend,
        Vec<u8>: FromSql<Binary, DB>,
    {
        fn from_sql(value: DB::RawValue<'_>) -> deserialize::Result<Self> {
            let bytes = <Vec<u8> as FromSql<Binary, DB>>::from_sql(value)?;
            uuid::Uuid::from_slice(&bytes)
                .map(Uuid)
                .map_err(|_| format!("a UUID is 16 bytes, the column holds {} bytes", bytes.len()).into())
        }
    }

    #[cfg(feature = "postgres")]
    diesel_value!(Uuid: diesel::sql_types::Uuid);
    #[cfg(feature = "postgres")]
    through_inner!(Uuid(uuid::Uuid): diesel::sql_types::Uuid);
}

#[cfg(feature = "numeric")]
pub use self::decimal_type::Decimal;

#[cfg(feature = "numeric")]
mod decimal_type {
    use bigdecimal::BigDecimal;
    use diesel::sql_types::{Numeric, Text};

    /// A `bigdecimal::BigDecimal` that Diesel binds exactly on every backend: `NUMERIC(p,s)` on
    /// PostgreSQL, `DECIMAL(p,s)` on MySQL, and on SQLite `TEXT` holding every digit and the scale
    /// as written (`19.90` stays `19.90`; Diesel binds a `BigDecimal` there as a float). Write it
    /// where a model's field is a decimal on SQLite; the value is `.0`. SQL comparisons and sorting
    /// of such a `TEXT` column compare text: load the values to compare numbers. Feature `numeric`.
    ///
    /// ```
    /// use model_core::types::Decimal;
    /// let price: Decimal = "19.90".parse().unwrap();
    /// assert_eq!(price.to_string(), "19.90");
    /// assert_eq!(price.0.fractional_digit_count(), 2);
    /// ```
    #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub struct Decimal(pub BigDecimal);

    wrapper_basics!(Decimal, BigDecimal);

    impl super::DecimalColumn for Decimal {}

    queryable!(Decimal);
    diesel_value!(Decimal: Numeric, Text);
    through_inner!(Decimal(BigDecimal): Numeric);

    #[cfg(feature = "sqlite")]
    impl diesel::serialize::ToSql<Text, diesel::sqlite::Sqlite> for Decimal {
        fn to_sql<'b>(
            &'b self,
            out: &mut diesel::serialize::Output<'b, '_, diesel::sqlite::Sqlite>,
        ) -> diesel::serialize::Result {
            out.set_value(self.0.to_plain_string());
            Ok(diesel::serialize::IsNull::No)
        }
    }

    impl<DB> diesel::deserialize::FromSql<Text, DB> for Decimal
    where
        DB: diesel::backend::Backend,
        String: diesel::deserialize::FromSql<Text, DB>,
    {
        fn from_sql(value: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
            let text = <String as diesel::deserialize::FromSql<Text, DB>>::from_sql(value)?;
            text.trim()
                .parse::<BigDecimal>()
                .map(Decimal)
                .map_err(|e| format!("{text:?} is not a decimal: {e}").into())
        }
    }
}

#[cfg(feature = "chrono")]
pub use self::utc_type::UtcDateTime;

#[cfg(feature = "chrono")]
mod utc_type {
    use chrono::{DateTime, Utc};

    /// A `chrono::DateTime<Utc>` that Diesel binds on every backend: `TIMESTAMPTZ` on PostgreSQL,
    /// `TEXT` on SQLite, and on MySQL `DATETIME(6)` holding the UTC time to the microsecond (Diesel
    /// binds chrono's `DateTime<Utc>` there not at all; `time::OffsetDateTime` is another way). The
    /// value is `.0`. Feature `chrono`.
    ///
    /// ```
    /// use model_core::types::UtcDateTime;
    /// let at = UtcDateTime::from(chrono::DateTime::from_timestamp(0, 123_456_000).unwrap());
    /// assert_eq!(at.to_string(), "1970-01-01 00:00:00.123456 UTC");
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub struct UtcDateTime(pub DateTime<Utc>);

    wrapper_basics!(UtcDateTime, DateTime<Utc>);

    queryable!(UtcDateTime);

    #[cfg(feature = "postgres")]
    diesel_value!(UtcDateTime: diesel::sql_types::Timestamptz);
    #[cfg(feature = "postgres")]
    through_inner!(UtcDateTime(DateTime<Utc>): diesel::sql_types::Timestamptz);

    #[cfg(feature = "sqlite")]
    diesel_value!(UtcDateTime: diesel::sql_types::TimestamptzSqlite);
    #[cfg(feature = "sqlite")]
    through_inner!(UtcDateTime(DateTime<Utc>): diesel::sql_types::TimestamptzSqlite);

    #[cfg(feature = "mysql")]
    mod mysql {
        use super::UtcDateTime;
        use chrono::NaiveDateTime;
        use diesel::deserialize::{self, FromSql};
        use diesel::mysql::{Mysql, MysqlValue};
        use diesel::serialize::{self, Output, ToSql};
        use diesel::sql_types::Datetime;

        diesel_value!(UtcDateTime: Datetime);

        impl ToSql<Datetime, Mysql> for UtcDateTime {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Mysql>) -> serialize::Result {
                let utc = self.0.naive_utc();
                <NaiveDateTime as ToSql<Datetime, Mysql>>::to_sql(&utc, &mut out.reborrow())
            }
        }

        impl FromSql<Datetime, Mysql> for UtcDateTime {
            fn from_sql(value: MysqlValue<'_>) -> deserialize::Result<Self> {
                <NaiveDateTime as FromSql<Datetime, Mysql>>::from_sql(value).map(|utc| UtcDateTime(utc.and_utc()))
            }
        }
    }
}
