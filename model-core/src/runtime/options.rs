//! How the runtime behaves: [`Options`].

use std::time::Duration;

/// Settings of [`migrate_with`](super::migrate_with) and the other functions that take the
/// migration lock.
///
/// ```
/// use std::time::Duration;
/// let options = model_core::runtime::Options { lock_timeout: Duration::from_secs(5) };
/// assert_eq!(model_core::runtime::Options::default().lock_timeout, Duration::from_secs(60));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// How long to wait for the migration lock when another process holds it (default 60 s); past
    /// it the run fails with [`Error::LockTimeout`](super::Error::LockTimeout), which says who holds
    /// the lock when the database can tell.
    pub lock_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(60),
        }
    }
}
