// Rule: `on_delete = "set null"` needs a nullable (`Option`) column.
use model::Model;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(references = "users(id)", on_delete = "set null")]
    user_id: i64,
}

fn main() {}
