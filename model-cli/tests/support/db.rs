//! A throwaway database of each backend, for the tests that run `model` on a live database.

use diesel::connection::SimpleConnection;
use model_core::ir::Dialect;

/// A backend the tests run on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Backend {
    Postgres,
    Sqlite,
    Mysql,
}

impl Backend {
    /// Its name: the Cargo feature of `model` and the `dialect` of `[package.metadata.model]`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
            Backend::Mysql => "mysql",
        }
    }

    /// Its SQL dialect.
    pub fn dialect(self) -> Dialect {
        match self {
            Backend::Postgres => Dialect::Postgres,
            Backend::Sqlite => Dialect::Sqlite,
            Backend::Mysql => Dialect::Mysql,
        }
    }

    /// Diesel's connection type, as a crate writes it.
    pub fn connection(self) -> &'static str {
        match self {
            Backend::Postgres => "diesel::PgConnection",
            Backend::Sqlite => "diesel::SqliteConnection",
            Backend::Mysql => "diesel::MysqlConnection",
        }
    }
}

/// A throwaway database of a backend, dropped at the end.
pub enum Db {
    Pg(model_testkit::PgDatabase),
    Sqlite(model_testkit::SqliteFile),
    Mysql(model_testkit::MysqlDatabase),
}

impl Db {
    /// A new database named after `tag`; `None` when the backend's server is not configured (see
    /// `model_testkit`).
    pub fn new(backend: Backend, tag: &str) -> Option<Db> {
        Some(match backend {
            Backend::Postgres => Db::Pg(model_testkit::postgres(tag)?),
            Backend::Sqlite => Db::Sqlite(model_testkit::sqlite(tag)),
            Backend::Mysql => Db::Mysql(model_testkit::mysql(tag)?),
        })
    }

    /// Its URL for `--database-url` (SQLite: the file's path).
    pub fn url(&self) -> String {
        match self {
            Db::Pg(d) => d.url.clone(),
            Db::Sqlite(d) => d.path.display().to_string(),
            Db::Mysql(d) => d.url.clone(),
        }
    }

    /// Run `sql` as one batch on a new connection, panicking with the SQL when it fails.
    pub fn batch(&self, sql: &str) {
        let r = match self {
            Db::Pg(d) => d.connect().batch_execute(sql),
            Db::Sqlite(d) => d.connect().batch_execute(sql),
            Db::Mysql(d) => d.connect().batch_execute(sql),
        };
        r.unwrap_or_else(|e| panic!("{e}\n{sql}"));
    }
}
