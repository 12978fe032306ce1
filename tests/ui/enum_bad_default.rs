// Rule: The `default` of an `enum` field is a string, the SQL value of one of its variants.
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
    #[model(enum, default = 0)]
    status: PostStatus,
}

fn main() {}
