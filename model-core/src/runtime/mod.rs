//! The runtime: what a service calls at startup.
//!
//! [`migrate`] applies the pending migrations of an embedded (or file-based) Diesel migration source
//! one by one, and reports failures as typed [`Error`]s that name the migration concerned. On MySQL,
//! whose DDL is not transactional, a migration runs statement by statement with its progress
//! recorded in `__model_migration_progress` (see [`migrate`]).

mod error;
mod migrate;

pub use error::{BoxError, Error};
pub use migrate::migrate;
#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "mysql")]
pub use mysql::PROGRESS_TABLE;
