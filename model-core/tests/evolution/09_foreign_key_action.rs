// Step 9: posts.author_id becomes nullable and its foreign key ON DELETE SET NULL.
#[derive(Model)]
#[model(index(email, unique))]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 255)]
    pub email: String,
    pub name: Option<String>,
    pub nickname: String,
}

/// A blog post.
#[derive(Model)]
#[model(unique(author_id, title), index(author_id, created_at), index(title, where_sql = "views > 0"))]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "users(id)", on_delete = "set null")]
    pub author_id: Option<i64>,
    pub title: String,
    /// Markdown.
    #[model(renamed_from = "body")]
    pub content: String,
    #[model(default_sql = "1")]
    pub views: i64,
    #[model(default_sql = "now()")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Model)]
pub struct Tag {
    #[model(primary_key, identity = false)]
    pub id: i32,
    #[model(max_length = 40)]
    pub name: String,
}

#[derive(Model)]
#[model(primary_key(post_id, tag_id))]
pub struct PostTag {
    #[model(references = "posts(id)", on_delete = "cascade")]
    pub post_id: i64,
    #[model(references = "tags(id)")]
    pub tag_id: i32,
}
