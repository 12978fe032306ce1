//! `model upgrade --tenants` and `model status --tenants` on 50 PostgreSQL schemas with one failing
//! tenant (the others complete; the exit code and the report name it), the list from a file and
//! from a query, `--lock table`, and tenants as SQLite files.

mod support;

use diesel::connection::SimpleConnection;
use support::Project;

#[test]
fn fifty_schemas_with_one_failing_tenant() {
    let Some(db) = model_testkit::postgres("cli_tenants") else {
        return;
    };
    let p = Project::copy_of("tests/fixtures/pg-app");
    // tenant t_17 already has an `accounts` table of another shape: its migration fails there
    db.connect()
        .batch_execute("CREATE SCHEMA t_17; CREATE TABLE t_17.accounts (id BIGINT PRIMARY KEY, legacy TEXT);")
        .unwrap();
    let names: Vec<String> = (0..50).map(|i| format!("t_{i:02}")).collect();
    let list = p.path().join("tenants.txt");
    std::fs::write(&list, format!("# our tenants\n{}\n", names.join("\n"))).unwrap();
    let at_list = format!("@{}", list.display());
    let model = |args: &[&str]| {
        let mut all = vec!["--database-url", db.url.as_str()];
        all.extend_from_slice(args);
        p.model(&all)
    };

    let run = model(&["upgrade", "--tenants", &at_list, "--parallel", "4"]);
    run.code(3)
        .out_has(&[
            "t_00  applied 1 migration(s)",
            "t_49  applied 1 migration(s)",
            "50 tenant(s), 4 at a time",
            "49 migration(s) applied to 49 tenant(s), 0 up to date, 1 failed",
            "failed:\n  t_17: applying migration",
        ])
        .err_has(&["1 of 50 tenant(s) failed: t_17"]);
    assert!(!run.stdout.contains("t_17  applied"), "{}", run.stdout);

    // again: the 49 are up to date, t_17 still fails
    model(&["upgrade", "--tenants", &at_list])
        .code(3)
        .out_has(&["0 migration(s) applied to 0 tenant(s), 49 up to date, 1 failed"])
        .err_has(&["t_17"]);

    // the summary: how many at which migration, and t_17's pending migration
    let first = p.migrations()[0].clone();
    model(&["status", "--tenants", &at_list]).code(1).out_has(&[
        "(50 tenant(s), read 4 at a time",
        &format!("      49  {first} (the newest in the folder)"),
        "       1  (nothing applied)",
        // its stray table is drift against an empty database (nothing is applied there)
        "need attention:\n  t_17: 1 pending, DRIFT (1 difference(s))",
        "drift: 1 tenant(s): t_17",
    ]);

    // drift in one tenant is named; a tenant that does not exist fails the summary (exit 3)
    db.connect()
        .batch_execute("ALTER TABLE t_03.accounts ADD COLUMN extra INTEGER")
        .unwrap();
    model(&[
        "status",
        "--tenants-query",
        "SELECT nspname FROM pg_namespace WHERE nspname IN ('t_01', 't_03') ORDER BY 1",
    ])
    .code(1)
    .out_has(&["t_03: DRIFT (1 difference(s))", "\"extra\"", "drift: 1 tenant(s): t_03"]);
    model(&["status", "--tenants", "t_01,nobody"])
        .code(3)
        .out_has(&["nobody: schema `nobody` does not exist"])
        .err_has(&["1 of 2 tenant(s) failed: nobody"]);
    model(&["upgrade", "--tenants", "t_01,t_01"])
        .code(2)
        .err_has(&["tenant `t_01` is listed twice"]);
}

#[test]
fn the_table_lock_from_the_flag_and_from_the_crate() {
    let Some(db) = model_testkit::postgres("cli_table_lock") else {
        return;
    };
    let p = Project::copy_of("tests/fixtures/pg-app");
    p.model(&["--database-url", &db.url, "upgrade", "--lock", "table"])
        .code(0)
        .out_has(&["applied 1 migration(s)"]);
    let lock_table = "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '__model_migration_lock'";
    assert_eq!(count(&db, lock_table), 1, "the table lock was used");
    p.model(&["--database-url", &db.url, "upgrade", "--lock", "row"])
        .code(2)
        .err_has(&["row"]);

    // `lock = "table"` in [package.metadata.model], in another database
    let Some(other) = model_testkit::postgres("cli_table_lock_cfg") else {
        return;
    };
    let manifest = p.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("[package.metadata.model]", "[package.metadata.model]\nlock = \"table\""),
    )
    .unwrap();
    p.model(&["--database-url", &other.url, "upgrade"]).code(0);
    assert_eq!(count(&other, lock_table), 1, "the crate's lock strategy was used");
    std::fs::write(
        &manifest,
        text.replace("[package.metadata.model]", "[package.metadata.model]\nlock = \"row\""),
    )
    .unwrap();
    p.model(&["--database-url", &other.url, "upgrade"])
        .code(2)
        .err_has(&["`lock`: unknown lock strategy `row`"]);
}

fn count(db: &model_testkit::PgDatabase, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::RunQueryDsl::get_result::<N>(diesel::sql_query(sql), &mut db.connect())
        .unwrap()
        .n
}

#[test]
fn sqlite_files_as_tenants() {
    let p = Project::copy_of("tests/fixtures/sqlite-app");
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = (0..3)
        .map(|i| dir.path().join(format!("tenant{i}.db")).display().to_string())
        .collect();
    let first = files[0].clone();
    let list = files.join(",");
    p.model(&["--database-url", &first, "upgrade", "--tenants", &list])
        .code(0)
        .out_has(&["3 tenant(s)", "applied to 3 tenant(s)", "tenant2.db  applied"]);
    p.model(&["--database-url", &first, "status", "--tenants", &list])
        .code(0)
        .out_has(&["       3  ", "drift: none"]);
    p.model(&[
        "--database-url",
        &first,
        "status",
        "--tenants",
        &list,
        "--tenant-kind",
        "schema",
    ])
    .code(2)
    .err_has(&["SQLite has no schemas"]);
}
