// Rule: `enum` takes the column type from the enum, so it conflicts with `sql_type` (and with
// `max_length`, `precision`, `scale`, `diesel_type`).
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
    #[model(enum, sql_type = "text")]
    status: PostStatus,
}

fn main() {}
