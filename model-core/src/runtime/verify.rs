//! Drift check: [`verify`].

use super::{Error, Options};
use crate::introspect::IntrospectError;
use crate::ir::{compare, Dialect, Difference, Schema};

/// Compare the live database behind `conn` with `models` (introspection, the model's views,
/// functions and triggers put in the database's own form with
/// [`introspect::canonical`](crate::introspect::canonical), then [`ir::compare`](crate::ir::compare))
/// and return each difference, in words; empty when the database holds the models. On MySQL this
/// creates and drops a view named `__model_view_probe` when the models have views. A service can call it at startup, after [`migrate`](super::migrate),
/// with the `model_schema()` that `model::include_schema!()` defines.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection, RunQueryDsl};
/// use model_core::ir::{Column, ColumnType, Schema, Table};
///
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// diesel::sql_query("CREATE TABLE tags (id INTEGER NOT NULL)").execute(&mut conn).unwrap();
/// let mut tags = Table::new("tags");
/// tags.columns.push(Column::new("id", ColumnType::Integer));
/// tags.columns.push(Column::new("name", ColumnType::Text));
/// let diffs = model_core::runtime::verify(&mut conn, &Schema::new(vec![tags])).unwrap();
/// assert_eq!(diffs.len(), 1);
/// assert!(diffs[0].to_string().contains("\"name\""), "{}", diffs[0]);
/// # }
/// ```
pub fn verify<C>(conn: &mut C, models: &Schema) -> Result<Vec<Difference>, Error>
where
    C: Introspect + ?Sized,
{
    verify_with(conn, models, &Options::default())
}

/// [`verify`] of [`Options::schema`] when set (one tenant's schema or database): PostgreSQL
/// introspects that schema ([`introspect::postgres_schema`](crate::introspect::postgres_schema)),
/// MySQL that database; [`Error::NoSchema`] when it does not exist. The tables that
/// [`Options::tables`] leaves out (a crate that owns only some tables of its database), and foreign
/// keys to them, are not drift; the other options do not matter here.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use diesel::{Connection, SqliteConnection};
/// use model_core::ir::Schema;
/// use model_core::runtime::{verify_with, Options};
/// let mut conn = SqliteConnection::establish(":memory:").unwrap();
/// assert!(verify_with(&mut conn, &Schema::default(), &Options::default()).unwrap().is_empty());
///
/// // a table of another service's, left out by the crate's `exclude`
/// use diesel::RunQueryDsl;
/// use model_core::ir::TableFilter;
/// diesel::sql_query("CREATE TABLE audit_log (id INTEGER NOT NULL)").execute(&mut conn).unwrap();
/// let mine = Options::default().tables(TableFilter::new(Vec::<String>::new(), ["audit_*"]).unwrap());
/// assert!(verify_with(&mut conn, &Schema::default(), &mine).unwrap().is_empty());
/// assert_eq!(model_core::runtime::verify(&mut conn, &Schema::default()).unwrap().len(), 1);
/// # }
/// ```
pub fn verify_with<C>(conn: &mut C, models: &Schema, options: &Options) -> Result<Vec<Difference>, Error>
where
    C: Introspect + ?Sized,
{
    let conn = conn.__concrete();
    let Some(schema) = options.schema.as_deref() else {
        return match conn {
            #[cfg(feature = "postgres")]
            Concrete::Pg(c) => drift(c, |c| postgres_for(c, models), models, options, Dialect::Postgres),
            #[cfg(feature = "sqlite")]
            Concrete::Sqlite(c) => drift(c, crate::introspect::sqlite, models, options, Dialect::Sqlite),
            #[cfg(feature = "mysql")]
            Concrete::Mysql(c) => drift(c, crate::introspect::mysql, models, options, Dialect::Mysql),
            Concrete::__None(_) => unreachable!("no connection type is built in"),
        };
    };
    match conn {
        #[cfg(feature = "postgres")]
        Concrete::Pg(c) => {
            // the schema must exist: an empty read of a typo is not "no drift"
            let q = diesel::sql_query("SELECT CAST(count(*) AS BIGINT) AS n FROM pg_namespace WHERE nspname = $1")
                .bind::<diesel::sql_types::Text, _>(schema.to_string());
            exists(c, q, schema)?;
            let live = options
                .tables
                .apply(&crate::introspect::postgres_schema(c, schema).map_err(|source| Error::Introspect { source })?)
                .owned_by(models);
            let model = crate::introspect::postgres_canonical_in(c, schema, models, &live)
                .map_err(|source| Error::Introspect { source })?;
            Ok(compare(&model, &live, Dialect::Postgres))
        }
        #[cfg(feature = "mysql")]
        Concrete::Mysql(c) => {
            use diesel::connection::SimpleConnection;
            #[derive(diesel::QueryableByName)]
            struct Db {
                #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
                db: Option<String>,
            }
            let q = diesel::sql_query(
                "SELECT CAST(count(*) AS SIGNED) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
            )
            .bind::<diesel::sql_types::Text, _>(schema.to_string());
            exists(c, q, schema)?;
            let failed = |e: diesel::result::Error| Error::Schema {
                schema: schema.to_string(),
                source: Box::new(e),
            };
            let ident = |name: &str| format!("`{}`", name.replace('`', "``"));
            let before: Db =
                diesel::RunQueryDsl::get_result(diesel::sql_query("SELECT DATABASE() AS db"), c).map_err(failed)?;
            c.batch_execute(&format!("USE {}", ident(schema))).map_err(failed)?;
            let read = drift(c, crate::introspect::mysql, models, options, Dialect::Mysql);
            if let Some(db) = before.db {
                c.batch_execute(&format!("USE {}", ident(&db))).map_err(failed)?;
            }
            read
        }
        #[allow(unreachable_patterns)]
        _ => Err(Error::Schema {
            schema: schema.to_string(),
            source: "SQLite has no schemas: give each tenant its own database file".into(),
        }),
    }
}

/// The drift behind `conn` read by `read`: the tables [`Options::tables`] leaves to the crate, compared
/// with `models` whose views, functions and triggers are put in the database's own form first.
#[cfg(any(feature = "postgres", feature = "sqlite", feature = "mysql"))]
fn drift<C: diesel::Connection + 'static>(
    conn: &mut C,
    read: impl FnOnce(&mut C) -> Result<Schema, IntrospectError>,
    models: &Schema,
    options: &Options,
    dialect: Dialect,
) -> Result<Vec<Difference>, Error> {
    let live = read(conn).map_err(|source| Error::Introspect { source })?;
    let live = options.tables.apply(&live).owned_by(models);
    let model = crate::introspect::canonical(conn, models, &live);
    Ok(compare(&model, &live, dialect))
}

/// [`Error::NoSchema`] unless the count `n` of `query` (the schema bound as its one parameter) is
/// not zero.
#[cfg(any(feature = "postgres", feature = "mysql"))]
fn exists<Q, C>(conn: &mut C, query: Q, schema: &str) -> Result<(), Error>
where
    Q: diesel::query_dsl::LoadQuery<'static, C, super::driver::Count>,
    C: diesel::Connection,
{
    let n = diesel::RunQueryDsl::get_result::<super::driver::Count>(query, conn)
        .map_err(|e| Error::Schema {
            schema: schema.to_string(),
            source: Box::new(e),
        })?
        .n;
    if n == 0 {
        return Err(Error::NoSchema {
            schema: schema.to_string(),
        });
    }
    Ok(())
}

/// A Diesel connection introspection reads (what an [`Introspect`] connection is underneath).
#[doc(hidden)]
pub enum Concrete<'a> {
    /// Diesel's `PgConnection`.
    #[cfg(feature = "postgres")]
    Pg(&'a mut diesel::pg::PgConnection),
    /// Diesel's `SqliteConnection`.
    #[cfg(feature = "sqlite")]
    Sqlite(&'a mut diesel::sqlite::SqliteConnection),
    /// Diesel's `MysqlConnection`.
    #[cfg(feature = "mysql")]
    Mysql(&'a mut diesel::mysql::MysqlConnection),
    /// None is built in (no feature with a Diesel connection).
    #[doc(hidden)]
    __None(std::marker::PhantomData<&'a mut ()>),
}

/// The PostgreSQL tables `models` are compared with: the default schema's and those of every
/// schema the models name, a model pinned to `public` by name finding its table there.
#[cfg(feature = "postgres")]
fn postgres_for(c: &mut diesel::pg::PgConnection, models: &Schema) -> Result<Schema, IntrospectError> {
    let mut live = crate::introspect::postgres_with(c, &models.table_schemas())?;
    for t in live.tables.iter_mut().filter(|t| t.schema.is_none()) {
        if models
            .table(&t.name)
            .is_some_and(|m| m.schema.as_deref() == Some("public"))
        {
            t.schema = Some("public".into());
        }
    }
    Ok(live)
}

impl Concrete<'_> {
    /// The live schema and its dialect: on PostgreSQL, the default schema and those `models` name.
    pub(crate) fn live_schema(self, models: &Schema) -> Result<(Schema, Dialect), IntrospectError> {
        match self {
            #[cfg(feature = "postgres")]
            Concrete::Pg(c) => Ok((postgres_for(c, models)?, Dialect::Postgres)),
            #[cfg(feature = "sqlite")]
            Concrete::Sqlite(c) => Ok((crate::introspect::sqlite(c)?, Dialect::Sqlite)),
            #[cfg(feature = "mysql")]
            Concrete::Mysql(c) => Ok((crate::introspect::mysql(c)?, Dialect::Mysql)),
            Concrete::__None(_) => unreachable!("no connection type is built in"),
        }
    }

    /// `model` in the database's forms (see [`crate::introspect::canonical`]).
    pub(crate) fn canonical(self, model: &Schema, live: &Schema) -> Schema {
        match self {
            #[cfg(feature = "postgres")]
            Concrete::Pg(c) => crate::introspect::canonical(c, model, live),
            #[cfg(feature = "sqlite")]
            Concrete::Sqlite(c) => crate::introspect::canonical(c, model, live),
            #[cfg(feature = "mysql")]
            Concrete::Mysql(c) => crate::introspect::canonical(c, model, live),
            Concrete::__None(_) => {
                let _ = live;
                model.clone()
            }
        }
    }
}

/// A connection whose database [`verify`] can read back: Diesel's own `PgConnection`,
/// `SqliteConnection` or `MysqlConnection` (features `postgres`, `sqlite`, `mysql`), or an r2d2
/// pooled one of them as it comes from the pool (`&mut pooled`; feature `r2d2`).
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// fn readable<C: model_core::runtime::Introspect>() {}
/// readable::<diesel::SqliteConnection>();
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`model::verify` cannot read the database behind `{Self}`",
    label = "not a connection `verify` can introspect",
    note = "pass Diesel's `PgConnection`, `SqliteConnection` or `MysqlConnection` (features `postgres`, `sqlite`, \
            `mysql`), or an r2d2 pooled one (`&mut pooled`, feature `r2d2`)",
    note = "introspection reads the catalog with Diesel's sync connections: with diesel-async, open one sync \
            connection for the drift check (`PgConnection::establish`), or skip it"
)]
pub trait Introspect {
    /// The Diesel connection underneath.
    #[doc(hidden)]
    fn __concrete(&mut self) -> Concrete<'_>;
}

#[cfg(feature = "postgres")]
impl Introspect for diesel::pg::PgConnection {
    fn __concrete(&mut self) -> Concrete<'_> {
        Concrete::Pg(self)
    }
}

#[cfg(feature = "sqlite")]
impl Introspect for diesel::sqlite::SqliteConnection {
    fn __concrete(&mut self) -> Concrete<'_> {
        Concrete::Sqlite(self)
    }
}

#[cfg(feature = "mysql")]
impl Introspect for diesel::mysql::MysqlConnection {
    fn __concrete(&mut self) -> Concrete<'_> {
        Concrete::Mysql(self)
    }
}

#[cfg(feature = "r2d2")]
impl<M> Introspect for diesel::r2d2::PooledConnection<M>
where
    M: diesel::r2d2::ManageConnection,
    M::Connection: Introspect,
{
    fn __concrete(&mut self) -> Concrete<'_> {
        (**self).__concrete()
    }
}
