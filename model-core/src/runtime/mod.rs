//! The runtime: what a service calls at startup, and what the `model` CLI drives.
//!
//! - [`migrate`] / [`migrate_with`] / [`upgrade_to`]: apply pending migrations under a
//!   cross-process lock, with checksums of what is applied, one transaction per migration where the
//!   backend allows (see [`migrate`] for the guarantees per backend).
//! - [`downgrade`]: revert to a version or by N steps.
//! - [`status`], [`history`], [`accept`]: where migrations stand; accept an edited one.
//! - [`verify`]: drift check of a live database against the models.
//! - With the `async` feature, `migrate_async` and the other `*_async` functions: the same on a
//!   diesel-async connection (pooled ones included), awaited without blocking the async runtime.
//! - [`migrate_tenants`], [`status_tenants`], [`for_each_tenant`]: the same migrations across many
//!   tenants (PostgreSQL schemas, or databases), N at a time.
//! - [`Options`]: the lock's [`LockStrategy`] (the engine's own lock, or the table [`LOCK_TABLE`]
//!   for clusters), its timeout, the schema a run works in.
//!
//! Which connections: any sync Diesel connection of PostgreSQL, SQLite or MySQL
//! ([`MigrateConnection`]: `PgConnection`, r2d2 pooled connections, `AsyncConnectionWrapper`, ...) and
//! any diesel-async one (`AsyncMigrateConnection`), decided at compile time by the connection's
//! backend.
//!
//! Tables kept beside Diesel's `__diesel_schema_migrations`: [`TRACKING_TABLE`]
//! (`__model_migrations`: version, checksum, applied_at) and, on MySQL, [`PROGRESS_TABLE`]
//! (`__model_migration_progress`).

#[cfg(feature = "async")]
mod async_api;
mod branches;
#[cfg(feature = "async")]
pub(crate) mod bridge;
mod checksum;
mod connection;
mod downgrade;
pub(crate) mod driver;
mod error;
mod fast;
mod lock;
mod migrate;
#[cfg(feature = "mysql_backend")]
mod mysql;
mod options;
mod script;
use crate::split;
mod status;
mod tenants;
mod verify;

#[cfg(feature = "async")]
pub use async_api::{
    accept_async, downgrade_async, history_async, migrate_async, migrate_with_async, status_async, upgrade_to_async,
};
#[cfg(feature = "async")]
pub use connection::AsyncMigrateConnection;
pub use connection::{MigrateConnection, MigrationBackend};
pub use downgrade::{applied_draft, downgrade, revert_draft, Downgrade, Draft};
pub use driver::TRACKING_TABLE;
pub use error::{BoxError, Error};
pub use fast::FINGERPRINT_TABLE;
pub use lock::LOCK_TABLE;
pub use migrate::{migrate, migrate_with, upgrade_to};
#[cfg(feature = "mysql_backend")]
pub use mysql::PROGRESS_TABLE;
pub use options::{LockStrategy, Options};
pub use status::{
    accept, accept_with, history, history_with, status, status_with, Applied, MigrationStatus, Partial, State, Status,
};
pub use tenants::{
    for_each_tenant, list_tenants, migrate_tenants, redact_url, status_tenants, Tenant, TenantName, TenantOptions,
    TenantReport, TenantResult,
};
pub use verify::{verify, verify_with, Introspect};
