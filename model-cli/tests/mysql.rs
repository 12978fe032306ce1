//! The database commands end to end on MariaDB/MySQL, on a small crate with `dialect = "mysql"`.

mod support;

use diesel::RunQueryDsl;
use support::{lifecycle, Project};

const MODELS: &str = r#"
/// Someone who writes books.
#[derive(Model)]
pub struct Author {
    #[model(primary_key)]
    pub id: i64,
    #[model(unique, max_length = 100)]
    pub name: String,
}

/// A book, by one author.
#[derive(Model)]
pub struct Book {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "authors(id)", on_delete = "cascade", index)]
    pub author_id: i64,
    pub title: String,
}
"#;

#[test]
fn lifecycle_on_mysql() {
    let Some(db) = model_testkit::mysql("cli_lifecycle") else {
        return;
    };
    let p = Project::new("mysql", MODELS);
    p.model(&["generate"]).code(0).out_has(&["_create_authors_books"]);
    p.model(&["diagram"])
        .code(0)
        .out_has(&["authors ||..o{ books : \"author_id\"", "VARCHAR(100) name UK"]);
    lifecycle::run(
        &p,
        "src/models.rs",
        lifecycle::Database {
            url: db.url.clone(),
            execute: Box::new(|sql| {
                diesel::sql_query(sql).execute(&mut db.connect()).unwrap();
            }),
        },
    );
}

#[test]
fn status_names_the_statements_a_stopped_run_applied() {
    let Some(db) = model_testkit::mysql("cli_partial") else {
        return;
    };
    let p = Project::new("mysql", MODELS);
    p.model(&["generate"]).code(0);
    // a hand-written migration whose third statement fails on the rows of the second
    let folder = p.path().join("migrations").join("2099-01-01-000000_partial");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("up.sql"),
        "CREATE TABLE t (a INT NOT NULL);\n\nINSERT INTO t (a) VALUES (1), (1);\n\n\
         ALTER TABLE t ADD CONSTRAINT uq_t_a UNIQUE (a);\n",
    )
    .unwrap();
    std::fs::write(folder.join("down.sql"), "DROP TABLE t;\n").unwrap();
    let url = db.url.as_str();
    p.model(&["--database-url", url, "upgrade"])
        .code(3)
        .err_has(&["statement 3 of 3"]);
    p.model(&["--database-url", url, "status"]).code(1).out_has(&[
        "2099-01-01-000000_partial",
        "PARTLY APPLIED: statement 2 of 3 applied",
        "resumes at statement 3",
    ]);
    diesel::sql_query("DELETE FROM t LIMIT 1")
        .execute(&mut db.connect())
        .unwrap();
    p.model(&["--database-url", url, "upgrade"]).code(0);
    let run = p.model(&["--database-url", url, "status"]);
    assert!(!run.stdout.contains("PARTLY APPLIED"), "{}", run.stdout);
}
