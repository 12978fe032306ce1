// Rule: `max_length = 0` is refused: a length is positive.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(max_length = 0)]
    name: String,
}

fn main() {}
