// Rule: A primary key field cannot be an `Option`.
use model::Model;

#[derive(Model)]
struct Tag {
    #[model(primary_key)]
    id: Option<i64>,
}

fn main() {}
