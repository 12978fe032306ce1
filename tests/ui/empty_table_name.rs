// Rule: Names cannot be empty.
use model::Model;

#[derive(Model)]
#[model(table_name = "")]
struct Post {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
