//! Many tenants: the same migrations in many PostgreSQL schemas of one database (MySQL: many
//! databases of one server), or in many databases, N at a time: [`migrate_tenants`],
//! [`status_tenants`], and [`for_each_tenant`] for any other per-tenant work.
//!
//! Each tenant runs as [`migrate_with`](super::migrate_with) runs with [`Options::schema`] set to
//! its schema: `search_path` is the tenant's schema (then [`Options::shared_schemas`]), the
//! tracking tables are its own, and the lock is keyed by the schema, so tenants of one database
//! migrate side by side and two runs over the same tenants wait for each other tenant by tenant.
//! A tenant that fails is reported and the others go on.

use super::driver::driver;
use super::migrate::migrate_scripts;
use super::script::scripts;
use super::status::{status_of, Status};
use super::{Error, Options};
use diesel::migration::MigrationSource;
use diesel::Connection;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One tenant: a database, and the schema in it where the tenant's tables live.
///
/// ```
/// use model_core::runtime::Tenant;
///
/// let url = "postgres://app:secret@db/saas";
/// let acme = Tenant::schema(url, "acme");
/// assert_eq!((acme.name.as_str(), acme.schema.as_deref()), ("acme", Some("acme")));
/// assert_eq!(Tenant::schemas(url, ["acme", "globex"]).len(), 2);
///
/// let own = Tenant::database("postgres://app:secret@db/tenant_7?sslmode=require");
/// assert_eq!(own.name, "tenant_7");
/// assert_eq!(own.schema, None);
/// // a database name put in a URL's place
/// assert_eq!(Tenant::database_in(url, "tenant_8").url, "postgres://app:secret@db/tenant_8");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tenant {
    /// Its name in reports: the schema, or the database's name.
    pub name: String,
    /// Where to connect.
    pub url: String,
    /// The PostgreSQL schema (MySQL: database) the tenant's tables live in; `None`: the URL's
    /// database as it is (its `public` schema on PostgreSQL).
    pub schema: Option<String>,
}

impl Tenant {
    /// A tenant living in `schema` of the database at `url`.
    pub fn schema(url: impl Into<String>, schema: impl Into<String>) -> Tenant {
        let schema = schema.into();
        Tenant {
            name: schema.clone(),
            url: url.into(),
            schema: Some(schema),
        }
    }

    /// One tenant per schema of `names`, all in the database at `url`.
    pub fn schemas<I>(url: &str, names: I) -> Vec<Tenant>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        names.into_iter().map(|n| Tenant::schema(url, n)).collect()
    }

    /// A tenant that is the whole database at `url` (a SQLite file path works too); named after the
    /// database.
    pub fn database(url: impl Into<String>) -> Tenant {
        let url = url.into();
        Tenant {
            name: database_name(&url),
            url,
            schema: None,
        }
    }

    /// The tenant whose database is `name` on the server of `url` (the URL's database part
    /// replaced, its parameters kept); `name` itself when it is a URL already.
    pub fn database_in(url: &str, name: &str) -> Tenant {
        if name.contains("://") {
            return Tenant::database(name);
        }
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let host_start = base.find("://").map_or(0, |i| i + 3);
        let base = base[host_start..].find('/').map_or(base, |i| &base[..host_start + i]);
        let url = if query.is_empty() {
            format!("{base}/{name}")
        } else {
            format!("{base}/{name}?{query}")
        };
        Tenant {
            name: name.to_string(),
            url,
            schema: None,
        }
    }

    /// The options of this tenant's run: `options` in its schema.
    fn options(&self, options: &Options) -> Options {
        Options {
            schema: self.schema.clone(),
            ..options.clone()
        }
    }
}

/// The database part of a URL (or the file name of a path), else the URL without its password.
fn database_name(url: &str) -> String {
    let base = url.split('?').next().unwrap_or(url);
    let path = match base.find("://") {
        Some(i) => base[i + 3..].split_once('/').map_or("", |(_, p)| p),
        None => base,
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.is_empty() {
        redact_url(url)
    } else {
        name.to_string()
    }
}

/// `url` with its password replaced by `***`, for messages.
///
/// ```
/// use model_core::runtime::redact_url;
/// assert_eq!(redact_url("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
/// assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
/// assert_eq!(redact_url("/tmp/a.db"), "/tmp/a.db");
/// ```
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => {
            format!("{}{}:***{}", &url[..scheme_end + 3], &authority[..colon], &rest[at..])
        }
        _ => url.to_string(),
    }
}

/// How [`migrate_tenants`] and [`status_tenants`] run.
///
/// ```
/// use model_core::runtime::{LockStrategy, Options, TenantOptions};
/// let options = TenantOptions { parallel: 8, options: Options::default().lock(LockStrategy::Table) };
/// assert_eq!(TenantOptions::default().parallel, 4);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantOptions {
    /// How many tenants at a time, each on its own connection (default 4; at least 1).
    pub parallel: usize,
    /// The options of each tenant's run (the lock's strategy and timeout, shared schemas);
    /// [`Options::schema`] is each tenant's.
    pub options: Options,
}

impl Default for TenantOptions {
    fn default() -> Self {
        TenantOptions {
            parallel: 4,
            options: Options::default(),
        }
    }
}

/// What one tenant's run gave.
#[derive(Debug)]
pub struct TenantResult<T> {
    /// The tenant.
    pub tenant: Tenant,
    /// Its outcome.
    pub outcome: Result<T, Error>,
    /// How long its run took (the connection included, when it was opened for it).
    pub elapsed: Duration,
}

/// Every tenant's result, in the order the tenants were given.
#[derive(Debug)]
pub struct TenantReport<T> {
    /// One per tenant, in the order given.
    pub results: Vec<TenantResult<T>>,
    /// The wall time of the whole run.
    pub elapsed: Duration,
    /// How many tenants ran at a time.
    pub parallel: usize,
}

impl<T> TenantReport<T> {
    /// The tenants that failed, in the order given.
    pub fn failed(&self) -> Vec<&TenantResult<T>> {
        self.results.iter().filter(|r| r.outcome.is_err()).collect()
    }

    /// Every tenant succeeded.
    pub fn is_ok(&self) -> bool {
        self.results.iter().all(|r| r.outcome.is_ok())
    }
}

/// Run `work` for every tenant, `parallel` at a time, each worker on its own connection of type
/// `C` (kept from one tenant to the next while the URL is the same, opened again after a failure)
/// and call `done` as each tenant ends (a progress bar). A tenant's failure — its connection
/// included — is its result; the others go on. `work` gets the connection as it was opened:
/// entering the tenant's schema is its business (pass [`Tenant`]'s schema in [`Options::schema`]).
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::SqliteConnection;
/// use model_core::runtime::{for_each_tenant, history, Tenant};
///
/// let dir = std::env::temp_dir();
/// let tenants: Vec<Tenant> = (0..3)
///     .map(|i| Tenant::database(dir.join(format!("model_doc_each_{}_{i}.db", std::process::id())).display().to_string()))
///     .collect();
/// let report = for_each_tenant::<SqliteConnection, _, _>(&tenants, 2, |conn, _tenant| history(conn), |_| {});
/// assert!(report.is_ok());
/// assert!(report.results.iter().all(|r| r.outcome.as_ref().unwrap().is_empty()));
/// # for t in &tenants { let _ = std::fs::remove_file(&t.url); }
/// # }
/// ```
pub fn for_each_tenant<C, T, F>(
    tenants: &[Tenant],
    parallel: usize,
    work: F,
    done: impl Fn(&TenantResult<T>) + Sync,
) -> TenantReport<T>
where
    C: Connection + 'static,
    T: Send,
    F: Fn(&mut C, &Tenant) -> Result<T, Error> + Sync,
{
    let start = Instant::now();
    let parallel = parallel.max(1).min(tenants.len().max(1));
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<TenantResult<T>>>> = Mutex::new((0..tenants.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..parallel {
            scope.spawn(|| {
                let mut open: Option<(String, C)> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(tenant) = tenants.get(i) else {
                        break;
                    };
                    let began = Instant::now();
                    let outcome = run_one(&mut open, tenant, &work);
                    if outcome.is_err() {
                        // the session's state is unknown (a broken connection, an aborted statement)
                        open = None;
                    }
                    let result = TenantResult {
                        tenant: tenant.clone(),
                        outcome,
                        elapsed: began.elapsed(),
                    };
                    done(&result);
                    if let Ok(mut slots) = slots.lock() {
                        slots[i] = Some(result);
                    }
                }
            });
        }
    });
    let results = slots
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .flatten()
        .collect();
    TenantReport {
        results,
        elapsed: start.elapsed(),
        parallel,
    }
}

/// One tenant's work on the worker's connection, opened (again) when missing or for another URL.
fn run_one<C, T, F>(open: &mut Option<(String, C)>, tenant: &Tenant, work: &F) -> Result<T, Error>
where
    C: Connection + 'static,
    F: Fn(&mut C, &Tenant) -> Result<T, Error>,
{
    if open.as_ref().is_some_and(|(url, _)| *url != tenant.url) {
        *open = None;
    }
    let conn = match open {
        Some((_, conn)) => conn,
        None => {
            let conn = C::establish(&tenant.url).map_err(|e| Error::Connect {
                url: redact_url(&tenant.url),
                source: Box::new(e),
            })?;
            &mut open.insert((tenant.url.clone(), conn)).1
        }
    };
    work(conn, tenant)
}

/// Apply the pending migrations of `source` to every tenant, `options.parallel` at a time, and
/// return each tenant's applied versions or error (a failing tenant does not stop the others; it
/// is rolled back as [`migrate`](super::migrate) rolls back). `done` is called as each tenant ends.
/// The migrations are read once; [`Error`] only when they cannot be read.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::SqliteConnection;
/// use diesel_migrations::FileBasedMigrations;
/// use model_core::runtime::{migrate_tenants, Tenant, TenantOptions};
///
/// let dir = std::env::temp_dir().join(format!("model_doc_tenants_{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("2024-01-01-000000_users")).unwrap();
/// std::fs::write(dir.join("2024-01-01-000000_users/up.sql"), "CREATE TABLE users (id INTEGER);").unwrap();
/// let tenants: Vec<Tenant> = (0..3).map(|i| Tenant::database(dir.join(format!("t{i}.db")).display().to_string())).collect();
/// let source = FileBasedMigrations::from_path(&dir).unwrap();
///
/// let report = migrate_tenants::<SqliteConnection, _>(source, &tenants, &TenantOptions::default(), |r| {
///     println!("{}: {:?}", r.tenant.name, r.outcome);
/// })
/// .unwrap();
/// assert!(report.is_ok());
/// assert_eq!(report.results[2].outcome.as_ref().unwrap(), &["20240101000000"]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn migrate_tenants<C, S>(
    source: S,
    tenants: &[Tenant],
    options: &TenantOptions,
    done: impl Fn(&TenantResult<Vec<String>>) + Sync,
) -> Result<TenantReport<Vec<String>>, Error>
where
    C: Connection + super::MigrateConnection + 'static,
    S: MigrationSource<C::Backend>,
{
    let scripts = scripts(&source, false)?;
    if tenants.iter().any(|t| t.schema.is_some()) {
        shared_schemas(&scripts)?;
    }
    Ok(for_each_tenant::<C, _, _>(
        tenants,
        options.parallel,
        |conn, tenant| {
            let mut d = driver(conn)?;
            migrate_scripts(d.as_mut(), &scripts, &tenant.options(&options.options))
        },
        done,
    ))
}

/// [`Error::SharedSchemaInTenants`] for the first migration that puts a table in a schema of its own:
/// the build step writes `CREATE SCHEMA IF NOT EXISTS "s"` before each table it creates in (or moves
/// to) schema `s`.
fn shared_schemas(scripts: &[super::script::Script]) -> Result<(), Error> {
    const MARK: &str = "CREATE SCHEMA IF NOT EXISTS \"";
    for s in scripts {
        for line in s.up.lines().map(str::trim_start) {
            if let Some(rest) = line.strip_prefix(MARK) {
                let schema = rest.split('"').next().unwrap_or_default().to_string();
                return Err(Error::SharedSchemaInTenants {
                    name: s.name.clone(),
                    schema,
                });
            }
        }
    }
    Ok(())
}

/// Where each migration of `source` stands in every tenant ([`status`](super::status) per tenant;
/// a missing schema is [`Error::NoSchema`]), `options.parallel` at a time. Takes no lock and
/// creates nothing.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::SqliteConnection;
/// use model_core::runtime::{status_tenants, State, Tenant, TenantOptions};
///
/// let dir = std::env::temp_dir().join(format!("model_doc_status_tenants_{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("2024-01-01-000000_a")).unwrap();
/// std::fs::write(dir.join("2024-01-01-000000_a/up.sql"), "CREATE TABLE a (id INTEGER);").unwrap();
/// let tenants = [Tenant::database(dir.join("t.db").display().to_string())];
/// let source = diesel_migrations::FileBasedMigrations::from_path(&dir).unwrap();
/// let report = status_tenants::<SqliteConnection, _>(source, &tenants, &TenantOptions::default(), |_| {}).unwrap();
/// assert_eq!(report.results[0].outcome.as_ref().unwrap().migrations[0].state, State::Pending);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # }
/// ```
pub fn status_tenants<C, S>(
    source: S,
    tenants: &[Tenant],
    options: &TenantOptions,
    done: impl Fn(&TenantResult<Status>) + Sync,
) -> Result<TenantReport<Status>, Error>
where
    C: Connection + super::MigrateConnection + 'static,
    S: MigrationSource<C::Backend>,
{
    let scripts = scripts(&source, false)?;
    Ok(for_each_tenant::<C, _, _>(
        tenants,
        options.parallel,
        |conn, tenant| {
            let mut d = driver(conn)?;
            status_of(d.as_mut(), &scripts, &tenant.options(&options.options))
        },
        done,
    ))
}

/// The names a query lists, one per row (its first column, as text): schemas, database
/// names or URLs of tenants, e.g. `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\_%'`.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// let names = model_core::runtime::list_tenants(&mut conn, "SELECT 'acme' UNION ALL SELECT 'globex'").unwrap();
/// assert_eq!(names, ["acme", "globex"]);
/// # }
/// ```
pub fn list_tenants<C>(conn: &mut C, query: &str) -> Result<Vec<String>, Error>
where
    C: Connection + super::MigrateConnection + 'static,
    TenantName: diesel::QueryableByName<C::Backend>,
    diesel::query_builder::SqlQuery: diesel::query_dsl::LoadQuery<'static, C, TenantName>,
{
    let query = query.trim().trim_end_matches(';');
    let text = match driver(conn)?.dialect() {
        crate::ir::Dialect::Mysql => "CHAR",
        _ => "TEXT",
    };
    let sql = format!("WITH model_tenants (name) AS ({query}) SELECT CAST(name AS {text}) AS name FROM model_tenants");
    let rows: Vec<TenantName> =
        diesel::RunQueryDsl::load(diesel::sql_query(sql), conn).map_err(|e| Error::TenantQuery {
            query: query.to_string(),
            source: Box::new(e),
        })?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}

/// A row of [`list_tenants`]' query.
#[derive(Debug, diesel::QueryableByName)]
pub struct TenantName {
    /// The name.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_from_urls_and_paths() {
        assert_eq!(database_name("postgres://u:p@h:5432/t1?sslmode=require"), "t1");
        assert_eq!(database_name("mysql://root@127.0.0.1:4306/test"), "test");
        assert_eq!(database_name("/var/lib/app/tenants/acme.db"), "acme.db");
        assert_eq!(database_name("postgres://u:p@h"), "postgres://u:***@h");
    }

    #[test]
    fn database_in_replaces_the_database_and_keeps_parameters() {
        let t = Tenant::database_in("postgres://u@h:5432/admin?sslmode=require", "t9");
        assert_eq!(t.url, "postgres://u@h:5432/t9?sslmode=require");
        assert_eq!(Tenant::database_in("mysql://root@h", "t9").url, "mysql://root@h/t9");
        let given = Tenant::database_in("postgres://u@h/admin", "postgres://u@other/t3");
        assert_eq!(
            (given.name.as_str(), given.url.as_str()),
            ("t3", "postgres://u@other/t3")
        );
    }

    #[test]
    fn a_tenants_options_are_the_runs_in_its_schema() {
        let base = Options::default().lock(super::super::LockStrategy::Table);
        let o = Tenant::schema("postgres://h/db", "acme").options(&base);
        assert_eq!(o.schema.as_deref(), Some("acme"));
        assert_eq!(o.lock, base.lock);
        assert_eq!(Tenant::database("postgres://h/db").options(&base).schema, None);
    }

    #[cfg(feature = "sqlite")]
    #[test]
    fn a_table_pinned_to_a_schema_is_refused_in_tenant_schemas_before_any_tenant_runs() {
        use diesel::SqliteConnection;
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("2024-01-01-000000_invoices");
        std::fs::create_dir_all(&m).unwrap();
        std::fs::write(
            m.join("up.sql"),
            "CREATE SCHEMA IF NOT EXISTS \"billing\";\n\nCREATE TABLE \"billing\".\"invoices\" (id BIGINT);\n",
        )
        .unwrap();
        let source = || diesel_migrations::FileBasedMigrations::from_path(dir.path()).unwrap();
        let tenants = [Tenant::schema("sqlite://never-opened", "acme")];
        let Err(err) = migrate_tenants::<SqliteConnection, _>(source(), &tenants, &TenantOptions::default(), |_| {})
        else {
            panic!("a migration into schema billing is refused over tenant schemas");
        };
        assert!(
            matches!(&err, Error::SharedSchemaInTenants { schema, .. } if schema == "billing"),
            "{err}"
        );
        assert!(err.to_string().contains("2024-01-01-000000_invoices"), "{err}");
        // tenants in databases of their own each get the schema: no refusal
        let db = dir.path().join("t.db").display().to_string();
        let report = migrate_tenants::<SqliteConnection, _>(
            source(),
            &[Tenant::database(db)],
            &TenantOptions::default(),
            |_| {},
        )
        .unwrap();
        assert_eq!(report.results.len(), 1);
    }
}
