// Enums: a `#[derive(ModelEnum)]` enum in fields marked `#[model(enum)]` works with Diesel's
// Queryable, Selectable and Insertable and in filters, on SQLite (this crate's dialect), with no
// hand-written impls; the table's metadata carries the enum type.
use diesel::prelude::*;
use model::{ir::ColumnType, Model, ModelEnum};

mod kinds {
    /// What a post is.
    #[derive(model::ModelEnum, Debug, Clone, Copy, PartialEq)]
    pub enum PostKind {
        Article,
        Link,
    }
}

#[derive(ModelEnum, Debug, Clone, Copy, PartialEq)]
#[model(type_name = "post_status")]
pub enum Status {
    Draft,
    Published,
    #[model(rename = "in_review", renamed_from = "review")]
    Review,
}

#[derive(Model, Queryable, Selectable, Insertable, Debug, PartialEq)]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(enum, default = "draft")]
    pub status: Status,
    #[model(enum)]
    pub previous: Option<Status>,
    #[model(enum)]
    pub kind: kinds::PostKind,
}

fn main() -> QueryResult<()> {
    let table = Post::table();
    let ColumnType::Enum(status) = &table.column("status").unwrap().ty else {
        panic!("status is not an enum column: {table:?}");
    };
    assert_eq!(status.name, "post_status");
    assert_eq!(status.values, ["draft", "published", "in_review"]);
    assert_eq!(status.renames[0].from, "review");
    assert_eq!(table.column("kind").unwrap().ty, ColumnType::Enum(kinds::PostKind::enum_type()));
    assert_eq!(<kinds::PostKind as ModelEnum>::TYPE_NAME, "post_kind");

    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    diesel::sql_query("CREATE TABLE posts (id INTEGER PRIMARY KEY, status TEXT NOT NULL, previous TEXT, kind TEXT NOT NULL)")
        .execute(&mut conn)?;
    let rows = [
        Post { id: 1, status: Status::Review, previous: Some(Status::Draft), kind: kinds::PostKind::Link },
        Post { id: 2, status: Status::Published, previous: None, kind: kinds::PostKind::Article },
    ];
    diesel::insert_into(posts::table).values(&rows[..]).execute(&mut conn)?;
    diesel::insert_into(posts::table)
        .values((posts::id.eq(3), posts::status.eq(Status::Draft), posts::kind.eq(&kinds::PostKind::Link)))
        .execute(&mut conn)?;
    let stored: Vec<String> = posts::table.select(diesel::dsl::sql::<diesel::sql_types::Text>("status")).order(posts::id).load(&mut conn)?;
    assert_eq!(stored, ["in_review", "published", "draft"]);
    let in_review: Vec<Post> = posts::table
        .filter(posts::status.eq(Status::Review))
        .select(Post::as_select())
        .load(&mut conn)?;
    assert_eq!(in_review, rows[..1]);
    let previous: Vec<Option<Status>> = posts::table
        .filter(posts::previous.eq(Status::Draft).or(posts::previous.is_null()))
        .filter(posts::status.ne_all([Status::Draft]))
        .select(posts::previous)
        .order(posts::id)
        .load(&mut conn)?;
    assert_eq!(previous, [Some(Status::Draft), None]);

    diesel::sql_query("UPDATE posts SET status = 'archived' WHERE id = 3").execute(&mut conn)?;
    let err = posts::table.find(3).select(posts::status).first::<Status>(&mut conn).unwrap_err();
    let mut chain = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(e) = source {
        chain.push_str(&format!(": {e}"));
        source = e.source();
    }
    assert!(chain.contains("unknown value \"archived\" for enum `Status`"), "{chain}");
    Ok(())
}
