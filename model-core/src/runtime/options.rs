//! How the runtime behaves: [`Options`].

use std::time::Duration;

/// Settings of [`migrate_with`](super::migrate_with) and the other functions that take the
/// migration lock.
///
/// ```
/// use std::time::Duration;
/// use model_core::runtime::Options;
/// let options = Options { lock_timeout: Duration::from_secs(5), ..Options::default() };
/// assert_eq!(Options::default().lock_timeout, Duration::from_secs(60));
/// assert_eq!(Options::default().ddl_lock_timeout, Some(Duration::from_secs(2)));
/// assert_eq!(Options::default().retries, 5);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// How long to wait for the migration lock when another process holds it (default 60 s); past
    /// it the run fails with [`Error::LockTimeout`](super::Error::LockTimeout), which says who holds
    /// the lock when the database can tell.
    pub lock_timeout: Duration,
    /// PostgreSQL: the `lock_timeout` each migration runs with (`SET LOCAL` in its transaction,
    /// `SET` for the session around one that runs outside a transaction); default 2 s, `None` keeps
    /// the server's. A DDL statement waiting for a table lock makes every later query of that table
    /// wait behind it; with a short timeout it gives up instead, and the migration is tried again
    /// ([`Options::retries`]) when the table is free.
    pub ddl_lock_timeout: Option<Duration>,
    /// How many times a migration that failed on a lock timeout (rolled back whole, or failed at its
    /// first statement) is tried again; default 5. Each try is logged at `warn`.
    pub retries: u32,
    /// The wait before the first new try, doubled before each next one (at most 30 s); default 1 s.
    pub retry_backoff: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lock_timeout: Duration::from_secs(60),
            ddl_lock_timeout: Some(Duration::from_secs(2)),
            retries: 5,
            retry_backoff: Duration::from_secs(1),
        }
    }
}

impl Options {
    /// The wait before try number `attempt` (1 for the first new try).
    pub(super) fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX);
        self.retry_backoff
            .checked_mul(factor)
            .unwrap_or(Duration::MAX)
            .min(Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_cap() {
        let o = Options::default();
        assert_eq!(o.backoff(1), Duration::from_secs(1));
        assert_eq!(o.backoff(3), Duration::from_secs(4));
        assert_eq!(o.backoff(40), Duration::from_secs(30));
    }
}
