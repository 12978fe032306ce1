//! The async bridge: how the runtime drives a diesel-async connection without blocking the async
//! runtime and without a second implementation of what it does.
//!
//! The runtime's work (lock, checksums, applying migrations) is sync code written against
//! [`Exec`]. For a diesel-async connection it runs on a thread of its own, with a [`Remote`] as its
//! connection: each question the driver asks travels as a [`Request`] to the caller's task, which
//! answers it with the diesel-async connection (awaiting, so the async runtime keeps running: the
//! connection's own background task included, on a current-thread runtime too) and sends the
//! [`Reply`] back. The work thread blocks, the async task never does. Nothing here needs a particular
//! async runtime: the channels are runtime-agnostic.

use super::connection::{AsyncMigrateConnection, DriverBox, MigrateConnection, MigrationBackend};
use super::driver::{AppliedRow, Exec, Texts};
use super::Error;
use diesel::QueryResult;
use std::marker::PhantomData;
use std::sync::mpsc;

/// A question of the driver (see [`Exec`]).
#[doc(hidden)]
#[derive(Debug)]
pub enum Request {
    /// [`Exec::batch`].
    Batch(String),
    /// [`Exec::execute`].
    Execute(String),
    /// [`Exec::count`].
    Count(String),
    /// [`Exec::texts`].
    Texts(String),
    /// [`Exec::applied_rows`].
    Applied(String),
    /// [`Exec::sums`].
    Sums,
    /// [`Exec::busy_timeout`].
    BusyTimeout,
    /// [`Exec::lock_rows`].
    LockRows(String),
}

/// The answer to a [`Request`], of the same name.
#[doc(hidden)]
#[derive(Debug)]
pub enum Reply {
    /// To [`Request::Batch`].
    Unit,
    /// To [`Request::Execute`].
    Rows(usize),
    /// To [`Request::Count`].
    Count(i64),
    /// To [`Request::Texts`].
    Texts(Vec<Texts>),
    /// To [`Request::Applied`].
    Applied(Vec<AppliedRow>),
    /// To [`Request::Sums`].
    Sums(Vec<(String, Option<String>)>),
    /// To [`Request::BusyTimeout`].
    BusyTimeout(i64),
    /// To [`Request::LockRows`].
    LockRows(Vec<super::lock::LockRow>),
}

/// The future answering `$request` on the diesel-async connection `$conn` (a macro, expanded once
/// per backend, as each backend's query types differ).
macro_rules! answer {
    ($conn:expr, $request:expr) => {
        async move {
            use diesel_async::RunQueryDsl;
            use $crate::runtime::bridge::{Reply, Request};
            use $crate::runtime::driver::{AppliedRow, BusyTimeout, Count, Texts};
            let conn = $conn;
            match $request {
                Request::Batch(sql) => conn.batch_execute(&sql).await.map(|()| Reply::Unit),
                Request::Execute(sql) => RunQueryDsl::execute(diesel::sql_query(sql), conn)
                    .await
                    .map(Reply::Rows),
                Request::Count(sql) => RunQueryDsl::get_result::<Count>(diesel::sql_query(sql), conn)
                    .await
                    .map(|c| Reply::Count(c.n)),
                Request::Texts(sql) => RunQueryDsl::load::<Texts>(diesel::sql_query(sql), conn)
                    .await
                    .map(Reply::Texts),
                Request::Applied(sql) => RunQueryDsl::load::<AppliedRow>(diesel::sql_query(sql), conn)
                    .await
                    .map(Reply::Applied),
                Request::Sums => {
                    RunQueryDsl::load::<(String, Option<String>)>($crate::runtime::driver::sums_query!(), conn)
                        .await
                        .map(Reply::Sums)
                }
                Request::BusyTimeout => {
                    RunQueryDsl::get_result::<BusyTimeout>(diesel::sql_query("PRAGMA busy_timeout"), conn)
                        .await
                        .map(|row| Reply::BusyTimeout(row.timeout))
                }
                Request::LockRows(sql) => {
                    RunQueryDsl::load::<$crate::runtime::lock::LockRow>(diesel::sql_query(sql), conn)
                        .await
                        .map(Reply::LockRows)
                }
            }
        }
    };
}
pub(crate) use answer;

/// The connection of the work thread: it hands each question to the caller's task and waits for
/// the answer. A [`MigrateConnection`], so the work thread runs the runtime's sync functions as they
/// are.
#[doc(hidden)]
pub struct Remote<DB> {
    requests: tokio::sync::mpsc::UnboundedSender<Request>,
    replies: mpsc::Receiver<QueryResult<Reply>>,
    backend: PhantomData<fn() -> DB>,
}

impl<DB> Remote<DB> {
    fn ask(&mut self, request: Request) -> QueryResult<Reply> {
        let gone = || {
            diesel::result::Error::QueryBuilderError(
                "the async task that ran the migrations stopped waiting for them (its future was dropped)".into(),
            )
        };
        self.requests.send(request).map_err(|_| gone())?;
        self.replies.recv().map_err(|_| gone())?
    }
}

/// A reply of another kind than the request asked for (a bug of the bridge).
fn mismatch(reply: Reply) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("internal error of the async bridge: unexpected {reply:?}").into())
}

impl<DB> Exec for Remote<DB> {
    fn batch(&mut self, sql: &str) -> QueryResult<()> {
        match self.ask(Request::Batch(sql.to_string()))? {
            Reply::Unit => Ok(()),
            other => Err(mismatch(other)),
        }
    }

    fn execute(&mut self, sql: &str) -> QueryResult<usize> {
        match self.ask(Request::Execute(sql.to_string()))? {
            Reply::Rows(n) => Ok(n),
            other => Err(mismatch(other)),
        }
    }

    fn count(&mut self, sql: &str) -> QueryResult<i64> {
        match self.ask(Request::Count(sql.to_string()))? {
            Reply::Count(n) => Ok(n),
            other => Err(mismatch(other)),
        }
    }

    fn texts(&mut self, sql: &str) -> QueryResult<Vec<Texts>> {
        match self.ask(Request::Texts(sql.to_string()))? {
            Reply::Texts(rows) => Ok(rows),
            other => Err(mismatch(other)),
        }
    }

    fn applied_rows(&mut self, sql: &str) -> QueryResult<Vec<AppliedRow>> {
        match self.ask(Request::Applied(sql.to_string()))? {
            Reply::Applied(rows) => Ok(rows),
            other => Err(mismatch(other)),
        }
    }

    fn sums(&mut self) -> QueryResult<Vec<(String, Option<String>)>> {
        match self.ask(Request::Sums)? {
            Reply::Sums(rows) => Ok(rows),
            other => Err(mismatch(other)),
        }
    }

    fn busy_timeout(&mut self) -> QueryResult<i64> {
        match self.ask(Request::BusyTimeout)? {
            Reply::BusyTimeout(ms) => Ok(ms),
            other => Err(mismatch(other)),
        }
    }

    fn lock_rows(&mut self, sql: &str) -> QueryResult<Vec<super::lock::LockRow>> {
        match self.ask(Request::LockRows(sql.to_string()))? {
            Reply::LockRows(rows) => Ok(rows),
            other => Err(mismatch(other)),
        }
    }
}

impl<DB: MigrationBackend> MigrateConnection for Remote<DB> {
    type Db = DB;

    fn __driver(&mut self) -> DriverBox<'_> {
        DB::__driver(self)
    }
}

/// Run `work` on a thread of its own with a [`Remote`] of `conn`, answering its questions on `conn`
/// here until it is done; its result.
pub(crate) async fn run<C, T, F>(conn: &mut C, work: F) -> Result<T, Error>
where
    C: AsyncMigrateConnection + ?Sized,
    T: Send + 'static,
    F: FnOnce(&mut Remote<C::Db>) -> Result<T, Error> + Send + 'static,
{
    let (requests, mut questions) = tokio::sync::mpsc::unbounded_channel();
    let (answers, replies) = mpsc::channel();
    let (done, result) = mpsc::channel();
    std::thread::Builder::new()
        .name("model-migrate".into())
        .spawn(move || {
            let mut remote = Remote {
                requests,
                replies,
                backend: PhantomData,
            };
            let outcome = work(&mut remote);
            // the result first: the task reads it once the requests channel closes
            let _ = done.send(outcome);
            drop(remote);
        })
        .map_err(|source| Error::Thread { source })?;
    while let Some(request) = questions.recv().await {
        let reply = conn.__answer(request).await;
        if answers.send(reply).is_err() {
            break;
        }
    }
    result.try_recv().unwrap_or(Err(Error::Panicked))
}
