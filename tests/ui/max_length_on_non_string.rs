// Rule: `max_length` applies to `String` fields only.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(max_length = 3)]
    age: i32,
}

fn main() {}
