//! The database commands end to end on a SQLite file, on a copy of tests/fixtures/sqlite-app.

mod support;

use diesel::RunQueryDsl;
use support::{lifecycle, Project};

#[test]
fn lifecycle_on_sqlite() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    let file = model_testkit::sqlite("cli_lifecycle");
    let url = file.path.to_string_lossy().into_owned();
    // commands that only read do not create a missing file
    p.model(&["--database-url", &url, "status"])
        .code(3)
        .err_has(&["does not exist", "model upgrade"]);
    assert!(!file.path.exists());
    lifecycle::run(
        &p,
        "src/catalog.rs",
        lifecycle::Database {
            url: format!("sqlite://{url}"),
            execute: Box::new(|sql| {
                diesel::sql_query(sql).execute(&mut file.connect()).unwrap();
            }),
        },
    );
}

#[test]
fn database_url_from_the_environment_and_its_errors() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    let file = model_testkit::sqlite("cli_env");
    let url = file.path.to_string_lossy().into_owned();
    p.model_env(&["upgrade"], &[("DATABASE_URL", &url)])
        .code(0)
        .out_has(&["applied 1 migration(s)"]);
    p.model_env(&["history"], &[("DATABASE_URL", &url)]).code(0);
    p.model(&["history"])
        .code(2)
        .err_has(&["DATABASE_URL", "--database-url"]);
    p.model(&["--database-url", "postgres://u:secret@127.0.0.1/x", "status"])
        .code(2)
        .err_has(&["postgres database", "dialect = \"sqlite\""]);
    let run = p.model(&["--database-url", "postgres://u:secret@127.0.0.1/x", "status"]);
    assert!(!run.stderr.contains("secret"), "{}", run.stderr);
    p.model(&["--database-url", "redis://h/0", "status"])
        .code(2)
        .err_has(&["redis"]);
    p.model(&["downgrade"]).code(2);
    p.model(&["downgrade", "--to", "1", "--steps", "1"]).code(2);
}

#[test]
fn upgrade_gives_up_after_lock_timeout_while_another_connection_holds_the_lock() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    let file = model_testkit::sqlite("cli_lock");
    let url = file.path.to_string_lossy().into_owned();
    let mut holder = file.connect();
    diesel::sql_query("BEGIN IMMEDIATE").execute(&mut holder).unwrap();
    p.model(&["--database-url", &url, "upgrade", "--lock-timeout", "1"])
        .code(3)
        .out_has(&["waiting for the migration lock"])
        .err_has(&["--lock-timeout"]);
    diesel::sql_query("ROLLBACK").execute(&mut holder).unwrap();
    p.model(&["--database-url", &url, "upgrade", "--lock-timeout", "1"])
        .code(0)
        .out_has(&["applied 1 migration(s)"]);
}
