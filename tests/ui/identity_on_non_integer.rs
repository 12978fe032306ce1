// Rule: `identity` applies to integer primary keys only.
use model::Model;

#[derive(Model)]
struct Country {
    #[model(primary_key, identity = false)]
    code: String,
}

fn main() {}
