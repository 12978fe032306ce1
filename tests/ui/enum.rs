// Rule: Only structs with named fields can be models, not enums.
use model::Model;

#[derive(Model)]
enum Status {
    Draft,
    Published,
}

fn main() {}
