//! An HTTP service over the quickstart's models: users, posts with an enum status, comments.
//!
//! axum on tokio, diesel-async with a deadpool pool, and the migrations applied at startup with
//! `model::migrate_async` on a pooled connection (several instances may start at once: the
//! migration lock lets one apply, the others wait and find nothing to do). PostgreSQL, without libpq.

pub mod api;
pub mod error;
pub mod models;
model::include_schema!();

use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

/// The migrations the build step wrote, compiled in.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!();

/// The connection pool the handlers share.
pub type DbPool = Pool<AsyncPgConnection>;

/// Connect to `url`, apply the pending migrations, and return the pool and the versions applied.
pub async fn connect(url: &str) -> Result<(DbPool, Vec<String>), Box<dyn std::error::Error + Send + Sync>> {
    let pool = Pool::builder(AsyncDieselConnectionManager::<AsyncPgConnection>::new(url))
        .max_size(8)
        .build()?;
    let mut conn = pool.get().await?;
    let applied = model::migrate_async(&mut conn, MIGRATIONS).await?;
    Ok((pool, applied))
}
