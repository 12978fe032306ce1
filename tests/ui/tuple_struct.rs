// Rule: Only structs with named fields can be models, not tuple structs.
use model::Model;

#[derive(Model)]
struct UserId(i64);

fn main() {}
