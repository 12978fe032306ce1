//! The build step with `#[derive(ModelEnum)]` enums: resolution across files, the scan cache, and
//! the crate-wide rules.

use super::Crate;
use crate::ir::{ColumnType, EnumType, Schema};

const STATUS: &str = r#"
#[derive(model::ModelEnum, Debug, Clone, Copy)]
#[model(type_name = "post_status")]
pub enum PostStatus {
    Draft,
    Published,
    #[model(rename = "in_review")]
    Review,
}
"#;

const POST: &str = r#"
#[derive(Model)]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(enum, default = "draft")]
    pub status: PostStatus,
    #[model(enum)]
    pub previous: Option<crate::status::PostStatus>,
}
"#;

/// The schema recorded by the newest migration.
fn recorded(c: &Crate) -> Schema {
    let dir = c.dir.join("migrations/.model");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let text = std::fs::read_to_string(names.last().unwrap()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    serde_json::from_value(json["schema"].clone()).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn enum_columns_take_their_type_from_the_enum_and_survive_the_cache() {
    let c = Crate::new("enum-resolve", "sqlite");
    c.models(&format!("{POST}{STATUS}"));
    c.builder(0).run().unwrap().written.expect("a migration");
    let table = recorded(&c).table("posts").cloned().unwrap();
    let expected = ColumnType::Enum(EnumType::new("post_status", ["draft", "published", "in_review"]));
    assert_eq!(table.column("status").unwrap().ty, expected);
    assert_eq!(table.column("previous").unwrap().ty, expected);
    // The second run reads models and enums from the scan cache and finds nothing to do.
    let cache = super::super::scan_cache::all_text(&c.dir.join("out").join(super::super::scan_cache::FILE_NAME));
    assert!(cache.contains("\"post_status\""), "{cache}");
    assert!(c.builder(1).run().unwrap().written.is_none());
}

#[test]
fn an_enum_in_another_file_is_found() {
    let c = Crate::new("enum-files", "sqlite");
    std::fs::write(
        c.dir.join("Cargo.toml"),
        "[package]\nname = \"t\"\n[package.metadata.model]\ndialect = \"sqlite\"\nmodels = [\"src\"]\n",
    )
    .unwrap();
    c.models(POST);
    std::fs::write(c.dir.join("src/status.rs"), STATUS).unwrap();
    c.builder(0).run().unwrap();
    let table = recorded(&c).table("posts").cloned().unwrap();
    assert!(matches!(&table.column("status").unwrap().ty, ColumnType::Enum(e) if e.name == "post_status"));
}

#[test]
fn a_missing_enum_names_the_field_and_the_files_scanned() {
    let c = Crate::new("enum-missing", "postgres");
    c.models(POST);
    let msg = c.builder(0).run().unwrap_err().to_string();
    assert!(
        msg.contains(
            "struct `Post`: field `status` is marked `#[model(enum)]`, but no `#[derive(ModelEnum)]` enum `PostStatus`"
        ),
        "{msg}"
    );
    assert!(msg.contains("field `previous`"), "{msg}");
    assert!(msg.contains("src/models.rs"), "{msg}");
    assert!(c.migrations().is_empty());
}

#[test]
fn a_default_that_is_not_a_value_is_an_error() {
    let c = Crate::new("enum-default", "postgres");
    c.models(&format!(
        "{STATUS}{}",
        POST.replace("default = \"draft\"", "default = \"review\"")
    ));
    let msg = c.builder(0).run().unwrap_err().to_string();
    assert!(
        msg.contains("`default = \"review\"` of field `status` is not a value of enum `PostStatus` (type \"post_status\"): write one of \"draft\", \"published\", \"in_review\""),
        "{msg}"
    );
}

#[test]
fn one_type_name_with_two_lists_of_values_is_an_error() {
    let c = Crate::new("enum-clash", "postgres");
    let other = "#[derive(ModelEnum)]\n#[model(type_name = \"post_status\")]\npub enum OldStatus { Draft, Gone }\n";
    c.models(&format!("{STATUS}{other}{POST}"));
    let msg = c.builder(0).run().unwrap_err().to_string();
    assert!(
        msg.contains("enum `OldStatus` and enum `PostStatus`")
            && msg.contains("both use the database type \"post_status\" with different values ([draft, gone] and [draft, published, in_review])"),
        "{msg}"
    );
}

#[test]
fn enum_attribute_errors_name_file_line_and_column() {
    let c = Crate::new("enum-errors", "postgres");
    c.models("#[derive(ModelEnum)]\npub enum S {\n    A,\n    #[model(renam = \"x\")]\n    B,\n}\n");
    let msg = c.builder(0).run().unwrap_err().to_string();
    assert!(
        msg.contains("models.rs:4:13") && msg.contains("did you mean `rename`"),
        "{msg}"
    );
}

#[test]
fn values_equal_to_mysql_are_an_error_on_mysql_only() {
    let status = "#[derive(ModelEnum)]\npub enum Tone { Low, #[model(rename = \"LOW \")] Loud }\n";
    let c = Crate::new("enum-mysql-case", "mysql");
    c.models(status);
    let msg = c.builder(0).run().unwrap_err().to_string();
    assert!(
        msg.contains("enum `Tone`: values \"low\" and \"LOW \" are one value to MySQL"),
        "{msg}"
    );
    let c = Crate::new("enum-pg-case", "postgres");
    c.models(status);
    c.builder(0).run().expect("PostgreSQL tells them apart");
}
