// Rule: A field whose type is a `#[derive(ModelEnum)]` enum is marked `#[model(enum)]`; without the
// marker the type cannot be mapped, and the error says to add it.
use model::{Model, ModelEnum};

#[derive(ModelEnum, Debug, Clone, Copy)]
pub enum PostStatus {
    Draft,
    Published,
}

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    status: PostStatus,
}

fn main() {}
