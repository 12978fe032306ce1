//! The Diesel SQL type of a database enum: [`EnumSql<E>`] for a `#[derive(ModelEnum)]` enum `E`.
//!
//! One generic type serves every enum, so `#[derive(Model)]` can name a field's SQL type from the
//! field's Rust type alone (`EnumSql<PostStatus>`), and the backend metadata lives here once: a
//! lookup of the named type on PostgreSQL (`CREATE TYPE ... AS ENUM`), `TEXT` on SQLite, `ENUM` on
//! MySQL. The enum's derive writes the value impls (`ToSql`, `FromSql`, `AsExpression`, ...).
//!
//! Only PostgreSQL's metadata needs `E: ModelEnum` (for the type's name); the other impls have no
//! bound, so a `table!` naming `EnumSql<T>` for a `T` without the derive is still well-formed and
//! the one error the user sees is the derive's own "`T` is not a `#[derive(ModelEnum)]` enum".

use diesel::query_builder::QueryId;
use diesel::sql_types::{is_nullable::NotNull, SingleValue, SqlType};
use std::marker::PhantomData;

/// The Diesel SQL type of the database enum of `E` (a `#[derive(ModelEnum)]` enum). The `table!`
/// of a model names it for each field marked `#[model(enum)]`; write it yourself where Diesel asks
/// for an SQL type, e.g. in `diesel::dsl::sql::<EnumSql<PostStatus>>(..)`.
///
/// ```
/// use model_core::{ir::EnumType, EnumSql, ModelEnum};
/// enum Status { Draft }
/// impl ModelEnum for Status {
///     const TYPE_NAME: &'static str = "status";
///     const VALUES: &'static [&'static str] = &["draft"];
///     fn enum_type() -> EnumType {
///         EnumType::new(Self::TYPE_NAME, Self::VALUES.iter().copied())
///     }
/// }
/// let _sql_type: EnumSql<Status> = EnumSql::default();
/// ```
pub struct EnumSql<E>(PhantomData<fn() -> E>);

impl<E> Default for EnumSql<E> {
    fn default() -> Self {
        EnumSql(PhantomData)
    }
}

impl<E> Clone for EnumSql<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for EnumSql<E> {}

impl<E> std::fmt::Debug for EnumSql<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EnumSql<{}>", std::any::type_name::<E>())
    }
}

impl<E: 'static> SqlType for EnumSql<E> {
    type IsNull = NotNull;
}

impl<E: 'static> SingleValue for EnumSql<E> {}

impl<E: 'static> QueryId for EnumSql<E> {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

#[cfg(feature = "postgres_backend")]
impl<E: crate::ModelEnum + 'static> diesel::sql_types::HasSqlType<EnumSql<E>> for diesel::pg::Pg {
    fn metadata(lookup: &mut Self::MetadataLookup) -> diesel::pg::PgTypeMetadata {
        lookup.lookup_type(E::TYPE_NAME, None)
    }
}

#[cfg(feature = "sqlite")]
impl<E: 'static> diesel::sql_types::HasSqlType<EnumSql<E>> for diesel::sqlite::Sqlite {
    fn metadata(_: &mut ()) -> diesel::sqlite::SqliteType {
        diesel::sqlite::SqliteType::Text
    }
}

#[cfg(feature = "mysql_backend")]
impl<E: 'static> diesel::sql_types::HasSqlType<EnumSql<E>> for diesel::mysql::Mysql {
    fn metadata(_: &mut ()) -> diesel::mysql::MysqlType {
        diesel::mysql::MysqlType::Enum
    }
}
