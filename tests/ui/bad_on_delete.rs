// Rule: `on_delete` takes one of cascade, set null, set default, restrict, no action.
use model::Model;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(references = "users(id)", on_delete = "explode")]
    user_id: i64,
}

fn main() {}
