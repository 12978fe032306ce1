//! Errors only the whole crate shows (unknown referenced table or column, a foreign key of another
//! type than its target, two models of one table, enums that clash) are located at the offending
//! tokens, file:line:column like the derive's, and come in the same run as the errors of single
//! structs.

use super::Crate;
use crate::build::{BuildError, SourceError};

/// The located errors of a failing run.
fn located(c: &Crate) -> Vec<SourceError> {
    match c.builder(0).run() {
        Err(BuildError::Models(errors)) => errors,
        other => panic!("expected located errors, got {other:?}"),
    }
}

/// The error whose message contains `needle`, as `line:column message`.
fn find(errors: &[SourceError], needle: &str) -> (usize, usize, String) {
    let e = errors
        .iter()
        .find(|e| e.message.contains(needle))
        .unwrap_or_else(|| panic!("no error about {needle:?} in {errors:#?}"));
    assert!(e.file.ends_with("src/models.rs"), "{e}");
    (e.line, e.column, e.message.clone())
}

const MODELS: &str = r#"use model::{Model, ModelEnum};

#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 255)]
    pub email: String,
}

#[derive(Model)]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "authors(id)")]
    pub author_id: i64,
    #[model(references = "users(uid)")]
    pub editor_id: i64,
    #[model(references = "users(id)")]
    pub reviewer_id: i32,
}

#[derive(Model)]
#[model(table_name = "posts")]
pub struct Article {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = "wide")]
    pub title: String,
}

#[derive(ModelEnum)]
#[model(type_name = "users")]
pub enum Role {
    Reader,
    Writer,
}
"#;

#[test]
fn errors_across_models_are_located_and_come_with_the_others() {
    let c = Crate::new("across", "postgres");
    c.models(MODELS);
    let errors = located(&c);
    // a struct's own error (the derive's), in the same run
    let (line, column, _) = find(&errors, "max_length");
    assert_eq!((line, column), (28, 26));
    // unknown table: at the `references` value
    let (line, column, msg) = find(&errors, "\"authors\"");
    assert_eq!((line, column), (15, 26), "{msg}");
    assert!(
        msg.contains("field `author_id` of struct `Post` references table \"authors\", but no model declares"),
        "{msg}"
    );
    // unknown column: at the `references` value, listing the columns
    let (line, column, msg) = find(&errors, "\"uid\"");
    assert_eq!((line, column), (17, 26), "{msg}");
    assert!(msg.contains("its columns are: id"), "{msg}");
    // a foreign key of another type than its target
    let (line, column, msg) = find(&errors, "reviewer_id");
    assert_eq!((line, column), (19, 26), "{msg}");
    assert!(
        msg.contains("is INTEGER and references \"users\".\"id\", which is BIGINT"),
        "{msg}"
    );
    // two models of one table: at the second one's `table_name`
    let (line, column, msg) = find(&errors, "both map to table \"posts\"");
    assert_eq!((line, column), (24, 22), "{msg}");
    // an enum type named like a table (PostgreSQL)
    let (line, column, msg) = find(&errors, "enum `Role`");
    assert_eq!((line, column), (34, 10), "{msg}");
    assert_eq!(errors.len(), 6, "{errors:#?}");
    // and the build step's message shows each place
    let text = BuildError::Models(errors).to_string();
    assert!(text.contains("src/models.rs:15:26: field `author_id`"), "{text}");
}

#[test]
fn a_reference_to_a_model_with_errors_is_not_a_second_error() {
    let c = Crate::new("across-failed", "sqlite");
    c.models(
        r#"
#[derive(Model)]
#[model(table_name = "people")]
pub struct Person {
    #[model(primary_key, unknown_key)]
    pub id: i64,
}

#[derive(Model)]
pub struct Pet {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "people(id)")]
    pub owner_id: i64,
}
"#,
    );
    let errors = located(&c);
    assert_eq!(errors.len(), 1, "only the struct's own error: {errors:#?}");
    assert!(errors[0].message.contains("unknown_key"), "{errors:#?}");
}

#[test]
fn enum_clashes_are_located_at_the_enum_and_the_field() {
    let c = Crate::new("across-enums", "sqlite");
    c.models(
        r#"
#[derive(ModelEnum)]
#[model(type_name = "state")]
pub enum A { On, Off }

#[derive(ModelEnum)]
#[model(type_name = "state")]
pub enum B { Up, Down }

#[derive(Model)]
pub struct Lamp {
    #[model(primary_key)]
    pub id: i64,
    #[model(enum, default = "dim")]
    pub state: A,
}
"#,
    );
    let errors = located(&c);
    let (line, column, msg) = find(&errors, "both use the database type \"state\"");
    assert_eq!((line, column), (8, 10), "{msg}");
    let (line, column, msg) = find(&errors, "`default = \"dim\"`");
    assert_eq!((line, column), (14, 29), "{msg}");
}
