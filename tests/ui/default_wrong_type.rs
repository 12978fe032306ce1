// Rule: A `default` literal must fit the column type.
use model::Model;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(default = "yes")]
    published: bool,
}

fn main() {}
