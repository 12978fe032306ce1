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
