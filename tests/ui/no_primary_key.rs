// Rule: Every model has a primary key.
use model::Model;

#[derive(Model)]
struct Tag {
    id: i64,
    name: String,
}

fn main() {}
