//! Support of the runtime tests (`migrate_*.rs`): the quickstarts' migrations and models, migration
//! folders, row counts, and child processes that run `migrate` (the test binary re-executed with
//! `--exact <test>` and `MODEL_RT_CHILD` set). A test whose name ends in `_table_lock` runs its
//! children with the table lock (`LockStrategy::Table`).
#![allow(dead_code)] // each test file uses a part of it

use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::BigInt;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use diesel_migrations::FileBasedMigrations;
use model_core::ir::{Dialect, Schema};
use model_core::runtime::{migrate_with, LockStrategy, Options};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The last recorded schema of an example's migrations (`examples/<name>/migrations/.model/`).
pub fn snapshot(example: &str) -> Schema {
    let dir = root().join("examples").join(example).join("migrations/.model");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let last = files.last().expect("a snapshot");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(last).expect("read")).expect("json");
    serde_json::from_value(json["schema"].clone()).expect("a schema")
}

/// The quickstart's models planned for MySQL the way the build step does (MySQL indexes TEXT
/// columns only with a prefix and has no partial index, so here indexed TEXT columns are
/// VARCHAR(191) and indexes are whole), in a folder with a second migration that adds the prefix
/// index `ix_posts_title` (not in the returned model); and the model.
pub fn mysql_quickstart(tag: &str) -> (Folder, Schema) {
    let mut model = snapshot("quickstart-pg");
    for t in &mut model.tables {
        for i in &mut t.indexes {
            i.where_sql = None;
        }
        let indexed: Vec<String> = t.indexes.iter().flat_map(|i| i.columns.clone()).collect();
        for c in &mut t.columns {
            if indexed.contains(&c.name) && c.ty == model_core::ir::ColumnType::Text {
                c.ty = model_core::ir::ColumnType::Varchar { len: 191 };
            }
        }
    }
    let folder = Folder::new(tag);
    let m = model_core::plan::plan_migration(&Schema::default(), &model, Dialect::Mysql, false)
        .expect("plan")
        .expect("a migration");
    folder.write(&format!("2026-11-24-000000_{}", m.name), &m.up_sql, Some(&m.down_sql));
    folder.write(
        "2026-12-01-000000_index_posts_title",
        "CREATE INDEX `ix_posts_title` ON `posts` (`title`(100));\n",
        Some("DROP INDEX `ix_posts_title` ON `posts`;\n"),
    );
    model.tables.sort_by(|a, b| a.name.cmp(&b.name));
    (folder, model)
}

/// `live` holds `model` (MySQL), the prefix index `ix_posts_title` of [`mysql_quickstart`] aside.
pub fn assert_mysql_quickstart(model: &Schema, mut live: Schema) {
    let posts = live.table("posts").expect("posts");
    assert!(posts.indexes.iter().any(|i| i.name == "ix_posts_title"), "{posts:?}");
    for t in &mut live.tables {
        t.indexes.retain(|i| i.name != "ix_posts_title");
    }
    let diffs = model_core::ir::compare(model, &live, Dialect::Mysql);
    assert!(diffs.is_empty(), "the schema is the model's: {diffs:?}");
}

/// A migrations folder in the temp folder, removed when dropped.
pub struct Folder {
    /// Its path.
    pub path: PathBuf,
}

impl Folder {
    /// A new empty folder.
    pub fn new(tag: &str) -> Folder {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!("model_rt_{tag}_{}_{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).expect("create migrations folder");
        Folder { path }
    }

    /// A folder holding a copy of an example's migrations.
    pub fn example(example: &str) -> Folder {
        let f = Folder::new(example);
        let from = root().join("examples").join(example).join("migrations");
        for entry in std::fs::read_dir(&from).expect("read migrations") {
            let entry = entry.expect("entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            std::fs::create_dir_all(f.path.join(&name)).expect("mkdir");
            for file in std::fs::read_dir(entry.path()).expect("read migration") {
                let file = file.expect("file");
                std::fs::copy(file.path(), f.path.join(&name).join(file.file_name())).expect("copy");
            }
        }
        f
    }

    /// Write `<name>/up.sql` (and `down.sql` when given).
    pub fn write(&self, name: &str, up: &str, down: Option<&str>) {
        let dir = self.path.join(name);
        std::fs::create_dir_all(&dir).expect("create migration");
        std::fs::write(dir.join("up.sql"), up).expect("write up.sql");
        if let Some(down) = down {
            std::fs::write(dir.join("down.sql"), down).expect("write down.sql");
        }
    }

    /// Write `<name>/metadata.toml` with `run_in_transaction = false`.
    pub fn no_transaction(&self, name: &str) {
        std::fs::write(
            self.path.join(name).join("metadata.toml"),
            "run_in_transaction = false\n",
        )
        .expect("write");
    }

    /// The folder as a Diesel migration source.
    pub fn source(&self) -> FileBasedMigrations {
        FileBasedMigrations::from_path(&self.path).expect("migrations folder")
    }

    /// The versions of its migrations, sorted.
    pub fn versions(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&self.path)
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .map(|n| n.split('_').next().unwrap_or_default().replace('-', ""))
            .collect();
        v.sort();
        v
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A count.
#[derive(QueryableByName)]
pub struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// `SELECT count(*)` of a query (`sql` selects a count named `n`).
/// Poll `ready` every 20 ms, for at most a minute (what it waits for is stuck until the test ends it).
pub fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !ready() {
        assert!(start.elapsed() < Duration::from_secs(60), "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn count<C>(conn: &mut C, sql: &str) -> i64
where
    C: Connection,
    N: QueryableByName<C::Backend>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, N>,
{
    diesel::sql_query(sql)
        .load::<N>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .first()
        .map_or(0, |r| r.n)
}

/// A query counting (as `n`) the tables named `name` in the current database of `dialect`.
pub fn tables_named(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::Postgres => format!(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND \
             table_name = '{name}'"
        ),
        Dialect::Mysql => format!(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = \
             '{name}'"
        ),
        Dialect::Sqlite => format!("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '{name}'"),
    }
}

/// Rows of both tracking tables: (`__diesel_schema_migrations`, `__model_migrations`).
pub fn tracked<C>(conn: &mut C) -> (i64, i64)
where
    C: Connection,
    N: QueryableByName<C::Backend>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, N>,
{
    (
        count(conn, "SELECT count(*) AS n FROM __diesel_schema_migrations"),
        count(conn, "SELECT count(*) AS n FROM __model_migrations"),
    )
}

/// What one child process reported.
#[derive(Debug)]
pub struct Outcome {
    /// It exited with 0.
    pub ok: bool,
    /// The versions it applied.
    pub applied: Vec<String>,
    /// How many times the runtime logged that it waited for the migration lock, which another
    /// process held.
    pub waited: usize,
    /// Its stdout and stderr, for messages.
    pub output: String,
}

/// Environment variable telling the test binary it runs as a child.
const CHILD: &str = "MODEL_RT_CHILD";

/// Spawn the current test binary as a child that runs `migrate` on `backend` (`postgres`, `sqlite`,
/// `mysql`) at `url` with the migrations of `dir`, starting at `start_ms` (UNIX ms) when given;
/// `slow` sets the session knob the slow test migrations read.
pub fn spawn(test: &str, backend: &str, url: &str, dir: &Path, start_ms: Option<u128>, slow: bool) -> Child {
    spawn_env(test, backend, url, dir, start_ms, slow, &[])
}

/// [`spawn`] with more variables for the child: `MODEL_RT_LOCK` (`table`, `advisory`, `auto`) and
/// `MODEL_RT_LEASE_MS` (the table lock's lease).
pub fn spawn_env(
    test: &str,
    backend: &str,
    url: &str,
    dir: &Path,
    start_ms: Option<u128>,
    slow: bool,
    env: &[(&str, &str)],
) -> Child {
    let exe = std::env::current_exe().expect("current exe");
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", test, "--nocapture", "--test-threads", "1"])
        .env(CHILD, "1")
        .env("MODEL_RT_BACKEND", backend)
        .env("MODEL_RT_URL", url)
        .env("MODEL_RT_DIR", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(ms) = start_ms {
        cmd.env("MODEL_RT_START_MS", ms.to_string());
    }
    if slow {
        cmd.env("MODEL_RT_SLOW", "1");
    }
    if test.ends_with("_table_lock") {
        cmd.env("MODEL_RT_LOCK", "table");
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("spawn child")
}

/// Wait for a child and read what it reported.
pub fn outcome(child: Child) -> Outcome {
    let out = child.wait_with_output().expect("wait child");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let applied = stdout
        .lines()
        // the harness prints `test <name> ... ` on the same line first
        .find_map(|l| l.split_once("APPLIED ").map(|(_, rest)| rest.trim()))
        .map(|l| l.split(',').filter(|v| !v.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    let waited = stdout
        .lines()
        .find_map(|l| l.split_once("WAITED ").and_then(|(_, n)| n.trim().parse().ok()))
        .unwrap_or(0);
    Outcome {
        ok: out.status.success(),
        applied,
        waited,
        output: format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)),
    }
}

/// UNIX time in ms, `ahead` from now.
pub fn start_at(ahead: Duration) -> u128 {
    (SystemTime::now() + ahead)
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// Counts the runtime's log lines saying it waits for the migration lock (held by another process).
struct LockWaits(AtomicUsize);

static LOCK_WAITS: LockWaits = LockWaits(AtomicUsize::new(0));

impl log::Log for LockWaits {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.target().starts_with("model_core")
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) && record.args().to_string().starts_with("waiting for the migration lock") {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn flush(&self) {}
}

/// When the test binary runs as a child: run `migrate` as the environment says, print
/// `APPLIED v1,v2` or `FAILED <error>`, then `WAITED n` (how many times it waited for the lock),
/// and exit (0 or 1) without returning.
pub fn run_child_if_asked() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    if log::set_logger(&LOCK_WAITS).is_ok() {
        log::set_max_level(log::LevelFilter::Info);
    }
    let get = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} not set"));
    let (backend, url, dir) = (get("MODEL_RT_BACKEND"), get("MODEL_RT_URL"), get("MODEL_RT_DIR"));
    let slow = std::env::var_os("MODEL_RT_SLOW").is_some();
    let source = FileBasedMigrations::from_path(&dir).expect("migrations folder");
    let wait = || {
        if let Some(ms) = std::env::var("MODEL_RT_START_MS")
            .ok()
            .and_then(|v| v.parse::<u128>().ok())
        {
            let now = start_at(Duration::ZERO);
            if ms > now {
                std::thread::sleep(Duration::from_millis((ms - now) as u64));
            }
        }
    };
    let mut options = Options::default();
    if let Ok(lock) = std::env::var("MODEL_RT_LOCK") {
        options.lock = lock.parse::<LockStrategy>().expect("MODEL_RT_LOCK");
    }
    if let Some(ms) = std::env::var("MODEL_RT_LEASE_MS").ok().and_then(|v| v.parse().ok()) {
        options.lock_lease = Duration::from_millis(ms);
    }
    let result = match backend.as_str() {
        "postgres" => {
            let mut c = PgConnection::establish(&url).expect("connect");
            if slow {
                // the slow test migrations sleep when this is set; a dead client is noticed in 100 ms
                c.batch_execute("SET model_test.slow = 'on'; SET client_connection_check_interval = 100")
                    .expect("set");
            }
            wait();
            migrate_with(&mut c, source, &options)
        }
        "sqlite" => {
            let mut c = SqliteConnection::establish(&url).expect("open");
            wait();
            migrate_with(&mut c, source, &options)
        }
        "mysql" => {
            let mut c = MysqlConnection::establish(&url).expect("connect");
            if slow {
                c.batch_execute("SET @model_test_slow = 1").expect("set");
            }
            wait();
            migrate_with(&mut c, source, &options)
        }
        #[cfg(feature = "async")]
        "async-postgres" | "async-sqlite" | "async-mysql" => async_child::migrate(&backend, &url, source, wait),
        other => panic!("unknown backend {other}"),
    };
    let waited = LOCK_WAITS.0.load(Ordering::SeqCst);
    match result {
        Ok(applied) => {
            println!("APPLIED {}\nWAITED {waited}", applied.join(","));
            std::process::exit(0);
        }
        Err(e) => {
            println!("FAILED {e}\nWAITED {waited}");
            std::process::exit(1);
        }
    }
}

/// `MODEL_CONCURRENCY_TRIALS` (`.ci/run` pins it), else 3; above zero under CI.
pub fn trials() -> usize {
    model_testkit::count("MODEL_CONCURRENCY_TRIALS", 3) as usize
}

/// The dialect's name for messages.
pub fn name(d: Dialect) -> &'static str {
    d.as_str()
}

/// The children of the async tests: `migrate_async` on a diesel-async connection, on a tokio
/// runtime that is multi-thread in even processes and current-thread in odd ones.
#[cfg(feature = "async")]
mod async_child {
    use diesel::SqliteConnection;
    use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, AsyncPgConnection};
    use diesel_migrations::FileBasedMigrations;
    use model_core::runtime::{migrate_async, Error};

    pub fn migrate(
        backend: &str,
        url: &str,
        source: FileBasedMigrations,
        wait: impl FnOnce(),
    ) -> Result<Vec<String>, Error> {
        let runtime = if std::process::id() % 2 == 0 {
            tokio::runtime::Builder::new_multi_thread().enable_all().build()
        } else {
            tokio::runtime::Builder::new_current_thread().enable_all().build()
        }
        .expect("a tokio runtime");
        runtime.block_on(async {
            match backend {
                "async-postgres" => {
                    let mut c = AsyncPgConnection::establish(url).await.expect("connect");
                    wait();
                    migrate_async(&mut c, source).await
                }
                "async-mysql" => {
                    let mut c = AsyncMysqlConnection::establish(url).await.expect("connect");
                    wait();
                    migrate_async(&mut c, source).await
                }
                _ => {
                    let mut c = SyncConnectionWrapper::<SqliteConnection>::establish(url)
                        .await
                        .expect("open");
                    wait();
                    migrate_async(&mut c, source).await
                }
            }
        })
    }
}
