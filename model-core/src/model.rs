use crate::ir::Table;

/// A struct that maps to a database table: its SQL name and its metadata as the schema IR.
/// `#[derive(Model)]` implements it, and also declares the Diesel `table!` and feeds the build step,
/// which a hand-written impl does not. The example writes by hand what the derive writes for a
/// one-column table, to show what the trait holds:
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

/// A Rust enum stored as a database enum. `#[derive(ModelEnum)]` implements it, together with the
/// Diesel impls that a hand-written impl lacks. A `#[derive(Model)]` struct names such an enum in a
/// field marked `#[model(enum)]`, and its [`Model::table`] takes the column's type from here. The
/// example writes by hand what the derive writes, to show what the trait holds:
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
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[derive(ModelEnum)]` enum",
    label = "a field marked `#[model(enum)]` needs a type with `#[derive(model::ModelEnum)]`",
    note = "add `#[derive(model::ModelEnum)]` to the enum, or remove `enum` from the field's `#[model(...)]`"
)]
pub trait ModelEnum {
    /// The SQL name of the type (PostgreSQL's `CREATE TYPE` name).
    const TYPE_NAME: &'static str;
    /// The SQL values, in declaration order.
    const VALUES: &'static [&'static str];
    /// The type as the schema IR, with its rename hints.
    fn enum_type() -> crate::ir::EnumType;
}

/// A struct that maps to a database view (`#[model(view = "..")]` or `#[model(view_file = "..")]`).
/// Implemented by `#[derive(Model)]` on such a struct (instead of [`Model`]); do not implement it by
/// hand.
///
/// ```
/// use model_core::{ir::View, ModelView};
/// struct ActiveUser;
/// impl ModelView for ActiveUser {
///     const VIEW_NAME: &'static str = "active_users";
///     fn view() -> View {
///         View::new(Self::VIEW_NAME, "SELECT id FROM users WHERE active")
///     }
/// }
/// assert_eq!(ActiveUser::view().name, "active_users");
/// ```
pub trait ModelView {
    /// The view's SQL name.
    const VIEW_NAME: &'static str;
    /// The view (its query, its columns as the struct declares them), as the schema IR.
    fn view() -> crate::ir::View;
}
