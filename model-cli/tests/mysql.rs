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
