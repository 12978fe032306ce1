// The models of the first step of evolution_postgres.rs; each later step edits them.
#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(unique, max_length = 255)]
    pub email: String,
    pub name: Option<String>,
}

#[derive(Model)]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = "users(id)", on_delete = "cascade", index)]
    pub author_id: i64,
    #[model(max_length = 300)]
    pub title: String,
    pub body: String,
    pub views: i32,
}

#[derive(Model)]
pub struct Tag {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 40)]
    pub name: String,
}

// more models
