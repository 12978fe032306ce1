// The models of the first enum step of evolution.rs; each later enum step edits them.
#[derive(model::ModelEnum, Debug, Clone, Copy, PartialEq)]
#[model(type_name = "post_status")]
pub enum PostStatus {
    Draft,
    Published,
}

#[derive(Model)]
pub struct Post {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_length = 200)]
    pub title: String,
    #[model(enum, default = "draft")]
    pub status: PostStatus,
}
