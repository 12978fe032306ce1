//! The runtime: what a service calls at startup.
//!
//! [`migrate`] applies the pending migrations of an embedded (or file-based) Diesel migration source
//! one by one, and reports failures as typed [`Error`]s that name the migration concerned.

mod error;
mod migrate;

pub use error::{BoxError, Error};
pub use migrate::migrate;
