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
mod objects;
mod schema;
mod table;
mod types;

pub use column::{Column, DefaultValue, Generated, IdentityKind, Literal};
pub use dialect::Dialect;
pub use enums::{EnumRename, EnumType};
pub use filter::{FilterError, TableFilter};
pub use generated::{__objects_from_build, __table_from_derive, __view_from_derive};
pub use naming::{
    check_name, column_check_name, enum_check_name, fk_name, index_name, limit_identifier, pk_name, unique_name,
};
#[cfg(feature = "mysql")]
pub(crate) use objects::tokens;
pub(crate) use objects::{mentioned, selects_all};
pub use objects::{normalize_sql, parse_object, Extension, Function, Object, ObjectError, ObjectKind, Trigger, View};
pub use schema::Schema;
pub use table::{qualified_name, Check, FkAction, ForeignKey, Index, PrimaryKey, Table, UniqueConstraint};
pub use types::{ColumnType, ParseTypeError};
