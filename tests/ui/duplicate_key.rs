// Rule: A key given twice on one field (even across several #[model] attributes) is an error.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(max_length = 100)]
    #[model(max_length = 200)]
    name: String,
}

fn main() {}
