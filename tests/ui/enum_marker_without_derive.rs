// Rule: A field marked `#[model(enum)]` needs a type with `#[derive(ModelEnum)]`.
use model::Model;

#[derive(Debug, Clone, Copy)]
pub enum PostStatus {
    Draft,
    Published,
}

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(enum)]
    status: PostStatus,
}

fn main() {}
