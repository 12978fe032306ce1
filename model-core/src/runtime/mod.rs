//! The runtime: what a service calls at startup, and what the `model` CLI drives.
//!
//! - [`migrate`] / [`migrate_with`] / [`upgrade_to`]: apply pending migrations under a
//!   cross-process lock, with checksums of what is applied, one transaction per migration where the
//!   backend allows (see [`migrate`] for the guarantees per backend).
//! - [`downgrade`]: revert to a version or by N steps.
//! - [`status`], [`history`], [`accept`]: where migrations stand; accept an edited one.
//! - [`verify`]: drift check of a live database against the models.
//!
//! Tables kept beside Diesel's `__diesel_schema_migrations`: [`TRACKING_TABLE`]
//! (`__model_migrations`: version, checksum, applied_at) and, on MySQL, [`PROGRESS_TABLE`]
//! (`__model_migration_progress`).

mod branches;
mod checksum;
mod downgrade;
mod driver;
mod error;
mod migrate;
#[cfg(feature = "mysql")]
mod mysql;
mod options;
mod script;
use crate::split;
mod status;
mod verify;

pub use downgrade::{applied_draft, downgrade, revert_draft, Downgrade, Draft};
pub use driver::TRACKING_TABLE;
pub use error::{BoxError, Error};
pub use migrate::{migrate, migrate_with, upgrade_to};
#[cfg(feature = "mysql")]
pub use mysql::PROGRESS_TABLE;
pub use options::Options;
pub use status::{accept, history, status, Applied, MigrationStatus, State, Status};
pub use verify::verify;
