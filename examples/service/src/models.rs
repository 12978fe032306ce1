//! The service's data model: users write posts (with a publication status), readers comment.

use diesel::prelude::*;
use model::{Model, ModelEnum};
use serde::{Deserialize, Serialize};

/// Where a post is in its life: a PostgreSQL enum `post_status`, `"draft"` etc. in JSON.
#[derive(ModelEnum, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[model(type_name = "post_status")]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    Draft,
    Published,
    Archived,
}

/// A registered person.
#[derive(Model, Queryable, Selectable, Identifiable, Serialize, Debug)]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    /// One account per address.
    #[model(unique, max_length = 255)]
    pub email: String,
    pub name: String,
}

/// A new user (the id comes from the database).
#[derive(Insertable, Deserialize, Debug)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub email: String,
    pub name: String,
}

/// A change to a user: the fields given.
#[derive(AsChangeset, Deserialize, Debug)]
#[diesel(table_name = users)]
pub struct UserPatch {
    pub email: Option<String>,
    pub name: Option<String>,
}

/// A blog post.
#[derive(Model, Queryable, Selectable, Identifiable, Associations, Serialize, Debug)]
#[diesel(belongs_to(User, foreign_key = author_id))]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "users(id)", on_delete = "cascade", index)]
    pub author_id: i64,
    #[model(max_length = 200)]
    pub title: String,
    pub body: String,
    #[model(enum, default = "draft")]
    pub status: PostStatus,
}

/// A new post; without a status it is a draft.
#[derive(Insertable, Deserialize, Debug)]
#[diesel(table_name = posts)]
pub struct NewPost {
    pub author_id: i64,
    pub title: String,
    #[serde(default)]
    pub body: String,
    pub status: Option<PostStatus>,
}

/// A change to a post: the fields given.
#[derive(AsChangeset, Deserialize, Debug)]
#[diesel(table_name = posts)]
pub struct PostPatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub status: Option<PostStatus>,
}

/// A reader's comment on a post.
#[derive(Model, Queryable, Selectable, Identifiable, Associations, Serialize, Debug)]
#[diesel(belongs_to(Post))]
pub struct Comment {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "posts(id)", on_delete = "cascade", index)]
    pub post_id: i64,
    #[model(check = "length(body) > 0")]
    pub body: String,
}
