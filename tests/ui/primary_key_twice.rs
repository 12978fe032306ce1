// Rule: The primary key is declared on fields or with struct-level `primary_key(..)`, not both.
use model::Model;

#[derive(Model)]
#[model(primary_key(id))]
struct User {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
