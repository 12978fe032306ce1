//! The runtime on diesel-async connections (`migrate_async` and the other `*_async` functions) on
//! PostgreSQL, MySQL/MariaDB and SQLite, each on a multi-thread and a current-thread tokio runtime;
//! pooled connections as users write them (deadpool and bb8 through diesel-async, r2d2 sync), and
//! diesel-async's `AsyncConnectionWrapper` with the sync `migrate`. (16 processes at once through
//! `migrate_async`: `migrate_concurrency.rs`.)
#![cfg(all(
    feature = "postgres",
    feature = "sqlite",
    feature = "mysql",
    feature = "async",
    feature = "r2d2"
))]

mod runtime_support;

use diesel::migration::MigrationSource;
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, AsyncPgConnection};
use diesel_migrations::FileBasedMigrations;
use model_core::runtime::{
    accept_async, downgrade_async, history_async, migrate, migrate_async, status_async, upgrade_to_async, verify,
    AsyncMigrateConnection, Downgrade, Error, Options, State,
};
use runtime_support::{snapshot, Folder};
use std::future::Future;

/// Two migrations every backend runs as they are.
fn folder(tag: &str) -> Folder {
    let f = Folder::new(tag);
    f.write(
        "2024-01-01-000000_create_items",
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);\n",
        Some("DROP TABLE items;\n"),
    );
    f.write(
        "2024-01-02-000000_create_tags",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, label VARCHAR(20));\n",
        Some("DROP TABLE tags;\n"),
    );
    f
}

/// Run `test` on a tokio runtime of the given flavor.
fn on_runtime<F: Future<Output = ()>>(multi_thread: bool, test: F) {
    let runtime = if multi_thread {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    }
    .expect("a tokio runtime");
    runtime.block_on(test);
}

/// Every `*_async` function on `conn`: apply, nothing left, status and history, a step down and up
/// again, an edited migration refused then accepted, a failing statement named.
async fn scenario<C>(conn: &mut C, tag: &str)
where
    C: AsyncMigrateConnection,
    FileBasedMigrations: MigrationSource<C::Db>,
{
    let f = folder(tag);
    let options = Options::default();
    assert_eq!(
        migrate_async(conn, f.source()).await.expect("first run"),
        ["20240101000000", "20240102000000"]
    );
    assert!(migrate_async(conn, f.source()).await.expect("second run").is_empty());
    let status = status_async(conn, f.source()).await.expect("status");
    assert_eq!(status.migrations.len(), 2);
    assert!(
        status.migrations.iter().all(|m| m.state == State::Applied),
        "{status:?}"
    );
    let history = history_async(conn).await.expect("history");
    assert!(
        history
            .iter()
            .all(|a| a.checksum.as_deref().is_some_and(|c| c.len() == 64)),
        "{history:?}"
    );
    assert_eq!(
        downgrade_async(conn, f.source(), Downgrade::Steps(1), &options)
            .await
            .expect("down"),
        ["20240102000000"]
    );
    assert_eq!(
        upgrade_to_async(conn, f.source(), "20240102000000", &options)
            .await
            .expect("up again"),
        ["20240102000000"]
    );

    // an edit of an applied migration beyond comments: refused, then accepted
    f.write(
        "2024-01-01-000000_create_items",
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL);\n",
        None,
    );
    match migrate_async(conn, f.source()).await {
        Err(Error::Checksum { version, .. }) => assert_eq!(version, "20240101000000"),
        other => panic!("expected a checksum error, got {other:?}"),
    }
    accept_async(conn, f.source(), "20240101000000").await.expect("accept");
    assert!(migrate_async(conn, f.source()).await.expect("after accept").is_empty());

    // a failing statement is named, through the bridge
    f.write(
        "2024-01-03-000000_broken",
        "CREATE TABLE broken (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n",
        None,
    );
    match migrate_async(conn, f.source()).await {
        Err(e @ (Error::Statement { .. } | Error::Partial { .. })) => {
            assert_eq!(e.version(), Some("20240103000000"));
            assert!(e.to_string().contains("no_such_table"), "{e}");
        }
        other => panic!("expected a failing statement, got {other:?}"),
    }
}

async fn pg(tag: &str) -> Option<(model_testkit::PgDatabase, AsyncPgConnection)> {
    let db = model_testkit::postgres(tag)?;
    let conn = AsyncPgConnection::establish(&db.url).await.expect("connect");
    Some((db, conn))
}

async fn mysql(tag: &str) -> Option<(model_testkit::MysqlDatabase, AsyncMysqlConnection)> {
    let db = model_testkit::mysql(tag)?;
    let conn = AsyncMysqlConnection::establish(&db.url).await.expect("connect");
    Some((db, conn))
}

async fn sqlite(tag: &str) -> (model_testkit::SqliteFile, SyncConnectionWrapper<SqliteConnection>) {
    let db = model_testkit::sqlite(tag);
    let conn = SyncConnectionWrapper::<SqliteConnection>::establish(&db.path.to_string_lossy())
        .await
        .expect("open");
    (db, conn)
}

#[test]
fn postgres_multi_thread() {
    on_runtime(true, async {
        let Some((_db, mut conn)) = pg("async_pg_mt").await else {
            return;
        };
        scenario(&mut conn, "async_pg_mt").await;
    });
}

#[test]
fn postgres_current_thread() {
    on_runtime(false, async {
        let Some((_db, mut conn)) = pg("async_pg_ct").await else {
            return;
        };
        scenario(&mut conn, "async_pg_ct").await;
    });
}

#[test]
fn mysql_multi_thread() {
    on_runtime(true, async {
        let Some((_db, mut conn)) = mysql("async_my_mt").await else {
            return;
        };
        scenario(&mut conn, "async_my_mt").await;
    });
}

#[test]
fn mysql_current_thread() {
    on_runtime(false, async {
        let Some((_db, mut conn)) = mysql("async_my_ct").await else {
            return;
        };
        scenario(&mut conn, "async_my_ct").await;
    });
}

#[test]
fn sqlite_multi_thread() {
    on_runtime(true, async {
        let (_db, mut conn) = sqlite("async_lite_mt").await;
        scenario(&mut conn, "async_lite_mt").await;
    });
}

#[test]
fn sqlite_current_thread() {
    on_runtime(false, async {
        let (_db, mut conn) = sqlite("async_lite_ct").await;
        scenario(&mut conn, "async_lite_ct").await;
    });
}

/// The quickstart's migrations through a pooled connection give the quickstart's schema (read back
/// with a sync connection).
fn assert_quickstart(url: &str) {
    let mut conn = PgConnection::establish(url).expect("connect");
    let diffs = verify(&mut conn, &snapshot("quickstart-pg")).expect("verify");
    assert!(diffs.is_empty(), "{diffs:?}");
}

#[test]
fn deadpool_pooled_connections_as_written() {
    on_runtime(false, async {
        let Some(db) = model_testkit::postgres("async_deadpool") else {
            return;
        };
        let folder = Folder::example("quickstart-pg");
        let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(&db.url);
        let pool = diesel_async::pooled_connection::deadpool::Pool::builder(manager)
            .max_size(2)
            .build()
            .expect("pool");
        let mut conn = pool.get().await.expect("a pooled connection");
        assert_eq!(
            migrate_async(&mut conn, folder.source())
                .await
                .expect("&mut conn")
                .len(),
            folder.versions().len()
        );
        assert!(migrate_async(&mut *conn, folder.source())
            .await
            .expect("&mut *conn")
            .is_empty());
        drop(conn);
        // the pool hands the connection out again: the lock was released
        let mut again = pool.get().await.expect("again");
        assert!(migrate_async(&mut again, folder.source())
            .await
            .expect("again")
            .is_empty());
        assert_quickstart(&db.url);
    });
}

#[test]
fn bb8_pooled_connections_as_written() {
    on_runtime(true, async {
        let Some(db) = model_testkit::postgres("async_bb8") else {
            return;
        };
        let folder = Folder::example("quickstart-pg");
        let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(&db.url);
        let pool = diesel_async::pooled_connection::bb8::Pool::builder()
            .max_size(2)
            .build(manager)
            .await
            .expect("pool");
        let mut conn = pool.get().await.expect("a pooled connection");
        assert_eq!(
            migrate_async(&mut conn, folder.source())
                .await
                .expect("&mut conn")
                .len(),
            folder.versions().len()
        );
        assert!(migrate_async(&mut *conn, folder.source())
            .await
            .expect("&mut *conn")
            .is_empty());
        drop(conn);
        assert_quickstart(&db.url);
    });
}

#[test]
fn r2d2_pooled_connections_as_written() {
    let Some(db) = model_testkit::postgres("r2d2") else {
        return;
    };
    let folder = Folder::example("quickstart-pg");
    let pool = diesel::r2d2::Pool::builder()
        .max_size(2)
        .build(diesel::r2d2::ConnectionManager::<PgConnection>::new(&db.url))
        .expect("pool");
    let mut pooled = pool.get().expect("a pooled connection");
    assert_eq!(
        migrate(&mut pooled, folder.source()).expect("&mut pooled").len(),
        folder.versions().len()
    );
    assert!(migrate(&mut *pooled, folder.source()).expect("&mut *pooled").is_empty());
    let diffs = verify(&mut pooled, &snapshot("quickstart-pg")).expect("verify &mut pooled");
    assert!(diffs.is_empty(), "{diffs:?}");
}

#[test]
fn async_connection_wrapper_with_the_sync_migrate() {
    on_runtime(true, async {
        let Some(db) = model_testkit::postgres("async_wrapper") else {
            return;
        };
        let folder = Folder::example("quickstart-pg");
        let url = db.url.clone();
        let source = folder.source();
        // diesel-async's recipe: the sync API in a blocking task
        let applied = tokio::task::spawn_blocking(move || {
            let mut conn: AsyncConnectionWrapper<AsyncPgConnection> = Connection::establish(&url).expect("connect");
            migrate(&mut conn, source)
        })
        .await
        .expect("the blocking task")
        .expect("migrate");
        assert_eq!(applied.len(), folder.versions().len());
        // and the wrapper awaited inline
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(
            AsyncPgConnection::establish(&db.url).await.expect("connect"),
        );
        assert!(migrate_async(&mut conn, folder.source())
            .await
            .expect("inline")
            .is_empty());
        assert_quickstart(&db.url);
    });
}
