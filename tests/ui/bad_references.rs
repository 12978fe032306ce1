// Rule: `references` is written `table(column)`.
use model::Model;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(references = "users.id")]
    user_id: i64,
}

fn main() {}
