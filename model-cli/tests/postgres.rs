//! The database commands end to end on PostgreSQL, on a copy of tests/fixtures/pg-app.

mod support;

use diesel::RunQueryDsl;
use support::{lifecycle, Project};

#[test]
fn lifecycle_on_postgres() {
    let Some(db) = model_testkit::postgres("cli_lifecycle") else {
        return;
    };
    let p = Project::copy_of("tests/fixtures/pg-app");
    p.model(&["--database-url", &db.url, "status"])
        .code(1)
        .out_has(&["PENDING", "drift: none (the database matches an empty database"]);
    lifecycle::run(
        &p,
        "src/models/account.rs",
        lifecycle::Database {
            url: db.url.clone(),
            execute: Box::new(|sql| {
                diesel::sql_query(sql).execute(&mut db.connect()).unwrap();
            }),
        },
    );
}

#[test]
fn an_unreachable_server_is_a_database_error() {
    let p = Project::copy_of("tests/fixtures/pg-app");
    p.model(&["--database-url", "postgres://postgres:pw@127.0.0.1:1/nowhere", "status"])
        .code(3)
        .err_has(&["cannot connect to postgres://postgres:***@127.0.0.1:1/nowhere"]);
}
