use crate::ir::Table;

/// A struct that maps to a database table. Implemented by `#[derive(Model)]`; do not implement it
/// by hand.
///
/// ```
/// use model_core::{ir::{Column, ColumnType, Table}, Model};
/// struct Tag;
/// impl Model for Tag {
///     const TABLE_NAME: &'static str = "tags";
///     fn table() -> Table {
///         let mut t = Table::new("tags");
///         t.columns.push(Column::new("id", ColumnType::BigInt));
///         t
///     }
/// }
/// assert_eq!(Tag::table().name, Tag::TABLE_NAME);
/// ```
pub trait Model {
    /// The table's SQL name.
    const TABLE_NAME: &'static str;
    /// The table's metadata, as the schema IR.
    fn table() -> Table;
}

/// A Rust enum stored as a database enum. Implemented by `#[derive(ModelEnum)]`; do not implement
/// it by hand. A `#[derive(Model)]` struct names such an enum in a field marked `#[model(enum)]`, and
/// its [`Model::table`] takes the column's type from here.
///
/// ```
/// use model_core::{ir::EnumType, ModelEnum};
/// enum Status { Draft, Published }
/// impl ModelEnum for Status {
///     const TYPE_NAME: &'static str = "status";
///     const VALUES: &'static [&'static str] = &["draft", "published"];
///     fn enum_type() -> EnumType {
///         EnumType::new(Self::TYPE_NAME, Self::VALUES.iter().copied())
///     }
/// }
/// assert_eq!(Status::enum_type().values.len(), 2);
/// ```
pub trait ModelEnum {
    /// The SQL name of the type (PostgreSQL's `CREATE TYPE` name).
    const TYPE_NAME: &'static str;
    /// The SQL values, in declaration order.
    const VALUES: &'static [&'static str];
    /// The type as the schema IR, with its rename hints.
    fn enum_type() -> crate::ir::EnumType;
}

/// The Diesel SQL type of a `#[derive(ModelEnum)]` enum, for the crate's backend. Implemented by
/// the derive, which declares that type as `<Enum>Sql` next to the enum (e.g. `PostStatusSql`);
/// `#[derive(Model)]` names it as `<T as ModelEnumSql>::SqlType` in the `table!` of a field marked
/// `#[model(enum)]`. Do not implement it by hand.
///
/// ```
/// use model_core::{ir::EnumType, ModelEnum, ModelEnumSql};
/// enum Status { Draft }
/// struct StatusSql;
/// impl ModelEnum for Status {
///     const TYPE_NAME: &'static str = "status";
///     const VALUES: &'static [&'static str] = &["draft"];
///     fn enum_type() -> EnumType {
///         EnumType::new(Self::TYPE_NAME, Self::VALUES.iter().copied())
///     }
/// }
/// impl ModelEnumSql for Status {
///     type SqlType = StatusSql;
/// }
/// let _: Option<<Status as ModelEnumSql>::SqlType> = None;
/// ```
pub trait ModelEnumSql: ModelEnum {
    /// The Diesel SQL type (a struct implementing `diesel::sql_types::SqlType`).
    type SqlType;
}
