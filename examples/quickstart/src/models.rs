//! The quickstart's data model: users write posts, readers comment, posts have tags.

use diesel::prelude::*;
use model::{Model, ModelEnum};

/// Where a post is in its life. Stored as a database enum: `TEXT` with a `CHECK` on SQLite.
#[derive(ModelEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[model(type_name = "post_status")]
pub enum PostStatus {
    Draft,
    #[model(rename = "in_review")]
    Review,
    Published,
}

/// A registered person.
#[derive(Model, Queryable, Selectable, Identifiable, Debug)]
#[model(index(last_name, first_name))]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    /// Where we write to them; one account per address.
    #[model(unique, max_length = 255)]
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub nickname: Option<String>,
    #[model(default_sql = "CURRENT_TIMESTAMP")]
    pub created_at: chrono::NaiveDateTime,
}

/// A new user (the id and the creation time come from the database).
#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub nickname: Option<&'a str>,
}

/// A blog post.
#[derive(Model, Queryable, Selectable, Identifiable, Associations, Debug)]
#[diesel(belongs_to(User, foreign_key = author_id))]
#[model(unique(author_id, slug))]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "users(id)", on_delete = "cascade", index)]
    pub author_id: i64,
    #[model(max_length = 200)]
    pub slug: String,
    pub title: String,
    pub content: String,
    #[model(default = false)]
    pub published: bool,
    /// Where the post is in its life.
    #[model(enum, default = "draft")]
    pub status: PostStatus,
    /// When the post last changed: set by the trigger of `db/objects/posts_touch.sql`.
    pub updated_at: Option<chrono::NaiveDateTime>,
}

/// A new post.
#[derive(Insertable)]
#[diesel(table_name = posts)]
pub struct NewPost<'a> {
    pub author_id: i64,
    pub slug: &'a str,
    pub title: &'a str,
    pub content: &'a str,
    pub published: bool,
    pub status: PostStatus,
}

/// A reader's comment on a post.
#[derive(Model, Queryable, Selectable, Identifiable, Associations, Debug)]
#[diesel(belongs_to(Post))]
pub struct Comment {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "posts(id)", on_delete = "cascade", index)]
    pub post_id: i64,
    /// Kept when the author's account is deleted.
    #[model(references = "users(id)", on_delete = "set null")]
    pub author_id: Option<i64>,
    #[model(check = "length(body) > 0")]
    pub body: String,
    /// The body's length in characters, computed by the database (never inserted or updated).
    #[model(generated = "length(body)")]
    pub body_length: i32,
}

/// A new comment.
#[derive(Insertable)]
#[diesel(table_name = comments)]
pub struct NewComment<'a> {
    pub post_id: i64,
    pub author_id: Option<i64>,
    pub body: &'a str,
}

/// A label posts can carry.
#[derive(Model, Queryable, Selectable, Identifiable, Debug)]
pub struct Tag {
    #[model(primary_key)]
    pub id: i64,
    #[model(unique, max_length = 50)]
    pub name: String,
}

/// Which tags a post carries (many-to-many).
#[derive(Model, Queryable, Selectable, Insertable, Debug)]
#[model(primary_key(post_id, tag_id))]
pub struct PostTag {
    #[model(references = "posts(id)", on_delete = "cascade")]
    pub post_id: i64,
    #[model(references = "tags(id)", on_delete = "cascade", index)]
    pub tag_id: i64,
}

/// The published posts with their author's address: a view, whose query is in
/// `db/views/published_posts.sql`; Diesel reads it like a table, keyed by `id`.
#[derive(Model, Queryable, Selectable, Identifiable, Debug)]
#[model(view_file = "db/views/published_posts.sql")]
pub struct PublishedPost {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 200)]
    pub slug: String,
    pub title: String,
    #[model(max_length = 255)]
    pub author_email: String,
}
