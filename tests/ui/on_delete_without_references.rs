// Rule: `on_delete` and `on_update` need `references`.
use model::Model;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(on_delete = "cascade")]
    user_id: i64,
}

fn main() {}
