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

/// `--schemas` reads the named PostgreSQL schemas besides `public`: their tables come out with
/// `schema = "…"`, a foreign key across schemas names its table, and `public`'s tables stay plain;
/// without it only `public` is read; on another backend the flag is refused, and so is a name that is
/// not a plain schema name.
#[test]
fn import_reads_the_schemas_it_is_given() {
    let Some(db) = model_testkit::postgres("cli_import_schemas") else {
        return;
    };
    use diesel::connection::SimpleConnection;
    db.connect()
        .batch_execute(
            "CREATE SCHEMA cli_import_billing;
         CREATE TABLE customers (id BIGINT PRIMARY KEY, name TEXT NOT NULL);
         CREATE TABLE cli_import_billing.invoices (
             id BIGINT PRIMARY KEY,
             customer_id BIGINT NOT NULL REFERENCES customers (id),
             total INTEGER NOT NULL
         );",
        )
        .unwrap();
    let outside = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_model"))
            .args(args)
            .current_dir(outside.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    };
    let out = run(&["--database-url", &db.url, "import", "--schemas", "cli_import_billing"]);
    let code = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{code}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // the command reads its output back and compares it with the database (exit 0: the same)
    let invoice = code.split("pub struct Invoice").next().unwrap_or_default();
    assert!(code.contains("pub struct Invoice"), "{code}");
    assert!(invoice.contains(r#"schema = "cli_import_billing""#), "{code}");
    assert!(code.contains(r#"references = "customers"#), "{code}");
    let customer = code.split("pub struct Customer").next().unwrap_or_default();
    assert!(
        !customer.rsplit("}").next().unwrap_or_default().contains("schema ="),
        "{code}"
    );
    // a schema that was read is not listed as left out
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !code.contains("--schemas cli_import_billing") && !err.contains("--schemas cli_import_billing"),
        "{code}\n{err}"
    );

    // into a crate: a baseline that the runtime recognises in the database (the tables are in two
    // schemas), recorded without running, and no drift after
    let p = Project::new("postgres", "");
    p.model(&[
        "--database-url",
        &db.url,
        "import",
        "--schemas",
        "cli_import_billing",
        "--output",
        "src/models.rs",
        "--force",
    ])
    .code(0);
    assert_eq!(p.migrations().len(), 1, "{:?}", p.migrations());
    let mut conn = db.connect();
    conn.batch_execute(
        "INSERT INTO customers VALUES (1, 'a'); INSERT INTO cli_import_billing.invoices VALUES (1, 1, 5)",
    )
    .unwrap();
    p.model(&["--database-url", &db.url, "upgrade"]).code(0);
    p.model(&["--database-url", &db.url, "status"])
        .code(0)
        .out_has(&["drift: none"]);
    let rows: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>("SELECT count(*) FROM cli_import_billing.invoices")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(rows, 1, "the baseline did not run again");

    let out = run(&["--database-url", &db.url, "import"]);
    let code = String::from_utf8_lossy(&out.stdout);
    assert!(
        code.contains("pub struct Customer") && !code.contains("Invoice"),
        "{code}"
    );
    // a schema that was not read is named, with the flag that reads it
    assert!(
        code.contains(
            r#"schema "cli_import_billing" (1 tables; `model import --schemas cli_import_billing` reads it)"#
        ),
        "{code}"
    );

    let out = run(&["--database-url", "sqlite::memory:", "import", "--schemas", "billing"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("schemas are PostgreSQL's"), "{err}");

    // a schema the models cannot write is refused before reading, with the name to write instead
    for (bad, why) in [
        ("fn", "is a Rust keyword"),
        ("2x", "starts with a digit"),
        ("a-b", "holds `-`"),
    ] {
        let out = run(&["--database-url", &db.url, "import", "--schemas", bad]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(why) && err.contains("e.g. `--schemas billing`"), "{err}");
    }
}
