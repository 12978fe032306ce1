// Rule: A value of the wrong type is an error that shows the right form.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(max_length = "x")]
    name: String,
}

fn main() {}
