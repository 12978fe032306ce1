// Rule: `identity` applies to a single-column primary key only.
use model::Model;

#[derive(Model)]
struct Ticket {
    #[model(primary_key)]
    id: i64,
    #[model(identity = false)]
    number: i64,
}

fn main() {}
