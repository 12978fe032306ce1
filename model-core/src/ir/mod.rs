//! The schema IR: what a database schema is, independent of Rust syntax and of SQL dialects.
//!
//! The IR is produced by the attribute parser (from `#[derive(Model)]` structs), recorded as JSON in
//! the migrations folder (the snapshot the build step diffs against), read back from live databases by
//! introspection, and rendered to SQL per [`Dialect`]. It has no `syn` in it.

mod column;
pub(crate) mod compare;
pub use compare::*;
mod dialect;
mod enums;
mod filter;
mod generated;
mod naming;
mod schema;
mod table;
mod types;

pub use column::{Column, DefaultValue, IdentityKind, Literal};
pub use dialect::Dialect;
pub use enums::{EnumRename, EnumType};
pub use filter::{FilterError, TableFilter};
pub use generated::__table_from_derive;
pub use naming::{
    check_name, column_check_name, enum_check_name, fk_name, index_name, limit_identifier, pk_name, unique_name,
};
pub use schema::Schema;
pub use table::{Check, FkAction, ForeignKey, Index, PrimaryKey, Table, UniqueConstraint};
pub use types::{ColumnType, ParseTypeError};
