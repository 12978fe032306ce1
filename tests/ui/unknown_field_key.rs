// Rule: An unknown field attribute is an error that suggests the closest known key.
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(uniqe)]
    email: String,
}

fn main() {}
