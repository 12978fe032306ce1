//! The runtime: what a service calls at startup, and what the `model` CLI drives.
//!
//! - [`migrate`] / [`migrate_with`] / [`upgrade_to`]: apply pending migrations under a
//!   cross-process lock, with checksums of what is applied, one transaction per migration where the
//!   backend allows (see [`migrate`] for the guarantees per backend).
//! - [`downgrade`]: revert to a version or by N steps.
//! - [`status`], [`history`], [`accept`]: where migrations stand; accept an edited one.
//! - [`verify`]: drift check of a live database against the models.
//! - [`migrate_tenants`], [`status_tenants`], [`for_each_tenant`]: the same migrations across many
//!   tenants (PostgreSQL schemas, or databases), N at a time.
//! - [`Options`]: the lock's [`LockStrategy`] (the engine's own lock, or the table [`LOCK_TABLE`]
//!   for clusters), its timeout, the schema a run works in.
//!
//! Tables kept beside Diesel's `__diesel_schema_migrations`: [`TRACKING_TABLE`]
//! (`__model_migrations`: version, checksum, applied_at) and, on MySQL, [`PROGRESS_TABLE`]
//! (`__model_migration_progress`).

mod checksum;
mod downgrade;
mod driver;
mod error;
mod lock;
mod migrate;
#[cfg(feature = "mysql")]
mod mysql;
mod options;
mod script;
mod split;
mod status;
mod tenants;
mod verify;

pub use downgrade::{downgrade, Downgrade};
pub use driver::TRACKING_TABLE;
pub use error::{BoxError, Error};
pub use lock::LOCK_TABLE;
pub use migrate::{migrate, migrate_with, upgrade_to};
#[cfg(feature = "mysql")]
pub use mysql::PROGRESS_TABLE;
pub use options::{LockStrategy, Options};
pub use status::{
    accept, accept_with, history, history_with, status, status_with, Applied, MigrationStatus, State, Status,
};
pub use tenants::{
    for_each_tenant, list_tenants, migrate_tenants, redact_url, status_tenants, Tenant, TenantName, TenantOptions,
    TenantReport, TenantResult,
};
pub use verify::{verify, verify_with};
