//! Many tenants on real servers: 50 PostgreSQL schemas with one failing tenant (the others
//! complete, the report names it); tenants of one database migrating side by side (the lock is the
//! schema's); a shared schema in `search_path` that has tracking tables of its own; MySQL databases
//! on one connection (`USE`) and as URLs, SQLite files, an unreachable tenant; the tenant list from
//! a query; introspection and the drift check of one schema.
#![cfg(all(feature = "postgres", feature = "sqlite", feature = "mysql"))]

mod runtime_support;

use diesel::connection::SimpleConnection;
use diesel::{Connection, MysqlConnection, PgConnection, SqliteConnection};
use model_core::ir::{Column, ColumnType, Schema, Table};
use model_core::runtime::{
    list_tenants, migrate_tenants, migrate_with, status_tenants, verify_with, Error, Options, State, Tenant,
    TenantOptions,
};
use runtime_support::{count, Folder};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Two migrations: `users`, then `posts` referencing it.
fn folder() -> Folder {
    let f = Folder::new("tenants");
    f.write(
        "2024-01-01-000000_users",
        "CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(200) NOT NULL);",
        Some("DROP TABLE users;"),
    );
    f.write(
        "2024-01-02-000000_posts",
        "CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL REFERENCES users (id));",
        Some("DROP TABLE posts;"),
    );
    f
}

/// The tables of `schema` (PostgreSQL).
fn tables_in(conn: &mut PgConnection, schema: &str) -> i64 {
    count(
        conn,
        &format!("SELECT count(*) AS n FROM pg_tables WHERE schemaname = '{schema}' AND tablename NOT LIKE '\\_\\_%'"),
    )
}

#[test]
fn fifty_schemas_with_one_failing_tenant() {
    let Some(db) = model_testkit::postgres("tenants50") else {
        return;
    };
    let f = folder();
    // tenant t17 already has a `users` table of another shape: its first migration fails there
    db.connect()
        .batch_execute("CREATE SCHEMA t17; CREATE TABLE t17.users (id BIGINT PRIMARY KEY, legacy TEXT);")
        .expect("set up t17");
    let names: Vec<String> = (0..50).map(|i| format!("t{i:02}")).collect();
    let tenants = Tenant::schemas(&db.url, &names);
    let done = AtomicUsize::new(0);
    let options = TenantOptions {
        parallel: 4,
        ..TenantOptions::default()
    };
    let report = migrate_tenants::<PgConnection, _>(f.source(), &tenants, &options, |_| {
        done.fetch_add(1, Ordering::Relaxed);
    })
    .expect("the migrations are read");
    assert_eq!(done.load(Ordering::Relaxed), 50, "`done` is called once per tenant");
    assert_eq!(report.parallel, 4);
    let failed: Vec<&str> = report.failed().iter().map(|r| r.tenant.name.as_str()).collect();
    assert_eq!(failed, ["t17"], "only t17 fails");
    match &report.results[17].outcome {
        Err(Error::Statement { version, .. }) => assert_eq!(version, "20240101000000"),
        other => panic!("t17: a failing statement of the first migration, got {other:?}"),
    }
    let mut conn = db.connect();
    for (i, r) in report.results.iter().enumerate() {
        assert_eq!(r.tenant.name, names[i], "results come in the order given");
        if i != 17 {
            assert_eq!(
                r.outcome.as_ref().expect("applied"),
                &["20240101000000", "20240102000000"]
            );
            assert_eq!(tables_in(&mut conn, &names[i]), 2, "{}", names[i]);
            let tracked = count(
                &mut conn,
                &format!("SELECT count(*) AS n FROM \"{}\".__model_migrations", names[i]),
            );
            assert_eq!(tracked, 2, "{}: its own tracking tables", names[i]);
        }
    }
    assert_eq!(tables_in(&mut conn, "public"), 0, "nothing in public");
    assert_eq!(
        tables_in(&mut conn, "t17"),
        1,
        "t17 was rolled back: only its own table"
    );

    // again: nothing to do, t17 still fails; the status says where each stands
    let again = migrate_tenants::<PgConnection, _>(f.source(), &tenants, &options, |_| {}).expect("read");
    assert!(again
        .results
        .iter()
        .enumerate()
        .all(|(i, r)| i == 17 || r.outcome.as_ref().is_ok_and(Vec::is_empty)));
    assert!(again.results[17].outcome.is_err());
    let status = status_tenants::<PgConnection, _>(f.source(), &tenants, &options, |_| {}).expect("read");
    assert!(status.is_ok());
    for (i, r) in status.results.iter().enumerate() {
        let states: Vec<State> = r
            .outcome
            .as_ref()
            .expect("status")
            .migrations
            .iter()
            .map(|m| m.state)
            .collect();
        let expected = if i == 17 { State::Pending } else { State::Applied };
        assert_eq!(states, [expected, expected], "{}", names[i]);
    }
    println!(
        "tenants: 50 schemas, 4 at a time: first run {:?}, no-op run {:?}",
        report.elapsed, again.elapsed
    );
}

#[test]
fn tenants_of_one_database_do_not_wait_for_each_other() {
    let Some(db) = model_testkit::postgres("tenants_lock") else {
        return;
    };
    let f = Folder::new("tenants_lock");
    f.write(
        "2024-01-01-000000_slow",
        "CREATE TABLE t (id INTEGER);\nSELECT pg_sleep(CASE WHEN current_schema() = 'slow' THEN 3 ELSE 0 END);\n",
        None,
    );
    let (url, source) = (db.url.clone(), f.source());
    let holder = std::thread::spawn(move || {
        let mut c = PgConnection::establish(&url).expect("connect");
        c.batch_execute("SET application_name = 'model-tenant-holder'")
            .expect("set");
        migrate_with(&mut c, source, &Options::default().schema("slow"))
    });
    let mut watch = db.connect();
    runtime_support::wait_until("the holder to sleep", || {
        count(
            &mut watch,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'model-tenant-holder' AND query LIKE \
             '%pg_sleep%'",
        ) == 1
    });
    let short = Options::default().lock_timeout(Duration::from_millis(300));
    // another tenant of the same database goes ahead
    let other = migrate_with(&mut db.connect(), f.source(), &short.clone().schema("fast")).expect("not blocked");
    assert_eq!(other, ["20240101000000"]);
    // the same tenant waits (and names the holder), as does the table lock of the same tenant
    let err = migrate_with(&mut db.connect(), f.source(), &short.clone().schema("slow")).expect_err("blocked");
    assert!(
        matches!(&err, Error::LockTimeout { holder, .. } if holder.contains("model-tenant-holder")),
        "{err}"
    );
    // and a plain run (public) is not blocked by a tenant either
    assert_eq!(
        migrate_with(&mut db.connect(), f.source(), &short).expect("public"),
        ["20240101000000"]
    );
    assert_eq!(holder.join().expect("join").expect("the holder"), ["20240101000000"]);
}

#[test]
fn a_shared_schema_with_tracking_tables_does_not_hide_the_tenants() {
    let Some(db) = model_testkit::postgres("tenants_shared") else {
        return;
    };
    let f = folder();
    let mut conn = db.connect();
    // public is migrated (tracking tables there say: all applied)
    assert_eq!(
        migrate_with(&mut conn, f.source(), &Options::default())
            .expect("public")
            .len(),
        2
    );
    conn.batch_execute("CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public")
        .expect("citext");
    f.write(
        "2024-01-03-000000_nick",
        "ALTER TABLE users ADD COLUMN nick citext;",
        None,
    );
    let shared = Options {
        shared_schemas: vec!["public".into()],
        ..Options::default()
    }
    .schema("acme");
    let applied = migrate_with(&mut conn, f.source(), &shared).expect("acme, with public shared");
    assert_eq!(
        applied,
        ["20240101000000", "20240102000000", "20240103000000"],
        "the tenant's own tracking tables, not public's"
    );
    assert_eq!(tables_in(&mut conn, "acme"), 2);
    // the search_path is back as it was, and the run left public alone
    assert_eq!(
        count(
            &mut conn,
            "SELECT CAST(count(*) AS BIGINT) AS n WHERE current_schema() = 'public'"
        ),
        1
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM public.__model_migrations"),
        2
    );

    // status and the drift check of the schema
    let mut users = Table::new("users");
    let mut id = Column::new("id", ColumnType::BigInt);
    id.nullable = false;
    users.columns.push(id);
    let expected = Schema::new(vec![users]);
    let drift = verify_with(&mut conn, &expected, &Options::default().schema("acme")).expect("verify acme");
    let words: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(words.iter().any(|d| d.contains("\"posts\"")), "{words:?}");
    assert!(words.iter().any(|d| d.contains("\"email\"")), "{words:?}");
    let e = verify_with(&mut conn, &expected, &Options::default().schema("nobody")).expect_err("no such schema");
    assert!(matches!(e, Error::NoSchema { .. }), "{e}");
    let e = model_core::runtime::status_with(&mut conn, f.source(), &Options::default().schema("nobody"))
        .expect_err("status creates nothing");
    assert!(e.to_string().starts_with("schema `nobody` does not exist"), "{e}");
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'nobody'"
        ),
        0
    );
}

#[test]
fn introspection_of_one_schema() {
    let Some(db) = model_testkit::postgres("tenants_introspect") else {
        return;
    };
    let mut conn = db.connect();
    conn.batch_execute(
        "CREATE SCHEMA billing;
         CREATE TYPE billing.state AS ENUM ('open', 'paid');
         CREATE TABLE billing.invoices (id BIGINT PRIMARY KEY, state billing.state NOT NULL DEFAULT 'open', \
           total NUMERIC(12,2) CHECK (total >= 0));
         CREATE INDEX ix_invoices_open ON billing.invoices (id) WHERE state = 'open';
         CREATE TABLE public.elsewhere (id INTEGER);",
    )
    .expect("set up");
    let billing = model_core::introspect::postgres_schema(&mut conn, "billing").expect("introspect billing");
    let names: Vec<&str> = billing.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["invoices"]);
    let invoices = &billing.tables[0];
    let state = invoices.columns.iter().find(|c| c.name == "state").expect("state");
    assert!(
        matches!(&state.ty, ColumnType::Enum(e) if e.name == "state"),
        "{:?}",
        state.ty
    );
    let default = format!("{:?}", state.default);
    assert!(default.contains("open") && !default.contains("billing"), "{default}");
    let predicate = invoices.indexes[0].where_sql.clone().unwrap_or_default();
    assert!(
        !predicate.contains("billing"),
        "read as written inside the schema: {predicate}"
    );
    let public = model_core::introspect::postgres(&mut conn).expect("public");
    assert_eq!(
        public.tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["elsewhere"]
    );
    assert!(model_core::introspect::postgres_schema(&mut conn, "nothing")
        .expect("empty")
        .tables
        .is_empty());
    assert_eq!(
        count(
            &mut conn,
            "SELECT CAST(count(*) AS BIGINT) AS n WHERE current_setting('search_path') = '\"$user\", public'"
        ),
        1,
        "the search_path is put back"
    );
}

#[test]
fn mysql_databases_on_one_connection_and_as_urls_sqlite_files_and_an_unreachable_tenant() {
    let f = folder();
    let options = TenantOptions {
        parallel: 1, // one connection: each tenant after the other with `USE`
        ..TenantOptions::default()
    };
    if let (Some(a), Some(b)) = (model_testkit::mysql("tenant_a"), model_testkit::mysql("tenant_b")) {
        let admin = model_testkit::mysql_admin_url();
        // schemas (MySQL: databases) on one connection, then the same tenants as URLs
        let tenants = [
            Tenant::schema(admin.as_str(), a.name.as_str()),
            Tenant::schema(admin.as_str(), b.name.as_str()),
        ];
        let report = migrate_tenants::<MysqlConnection, _>(f.source(), &tenants, &options, |_| {}).expect("read");
        assert!(report.is_ok(), "{:?}", report.failed().first().map(|r| &r.outcome));
        for db in [&a, &b] {
            let mut c = db.connect();
            assert_eq!(runtime_support::tracked(&mut c), (2, 2), "{}", db.name);
            let tables = count(
                &mut c,
                "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name \
                 IN ('users', 'posts')",
            );
            assert_eq!(tables, 2, "{}", db.name);
        }
        let by_url = [
            Tenant::database(a.url.clone()),
            Tenant::database(b.url.clone()),
            Tenant::database_in(&a.url, "model_no_such_tenant_db"),
        ];
        let report = migrate_tenants::<MysqlConnection, _>(f.source(), &by_url, &options, |_| {}).expect("read");
        assert!(report.results[..2]
            .iter()
            .all(|r| r.outcome.as_ref().is_ok_and(Vec::is_empty)));
        assert_eq!(report.results[0].tenant.name, a.name);
        let e = report.results[2].outcome.as_ref().expect_err("no such database");
        assert!(matches!(e, Error::Connect { .. }), "{e}");
        assert!(e.to_string().contains("model_no_such_tenant_db"), "{e}");
    }
    let files: Vec<_> = (0..3).map(|i| model_testkit::sqlite(&format!("tenant_{i}"))).collect();
    let tenants: Vec<Tenant> = files
        .iter()
        .map(|f| Tenant::database(f.path.display().to_string()))
        .collect();
    let report =
        migrate_tenants::<SqliteConnection, _>(f.source(), &tenants, &TenantOptions::default(), |_| {}).expect("read");
    assert!(report.is_ok());
    assert!(report
        .results
        .iter()
        .all(|r| r.outcome.as_ref().is_ok_and(|v| v.len() == 2)));
    let e = migrate_with(&mut files[0].connect(), f.source(), &Options::default().schema("x")).expect_err("no schemas");
    assert!(e.to_string().contains("SQLite has no schemas"), "{e}");
}

#[test]
fn the_tenant_list_from_a_query() {
    let Some(db) = model_testkit::postgres("tenants_query") else {
        return;
    };
    let mut conn = db.connect();
    conn.batch_execute("CREATE SCHEMA tenant_b; CREATE SCHEMA tenant_a; CREATE SCHEMA other;")
        .expect("schemas");
    let names = list_tenants(
        &mut conn,
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY nspname;",
    )
    .expect("list");
    assert_eq!(names, ["tenant_a", "tenant_b"]);
    let e = list_tenants(&mut conn, "SELECT nspname FROM no_such_table").expect_err("a bad query");
    assert!(e.to_string().starts_with("the query listing the tenants failed"), "{e}");
    if let Some(my) = model_testkit::mysql("tenants_query") {
        let names = list_tenants(&mut my.connect(), "SELECT 'a' UNION ALL SELECT 'b'").expect("mysql");
        assert_eq!(names, ["a", "b"]);
    }
}
