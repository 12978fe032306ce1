// Rule: a struct-level `foreign_key(...)` lists as many fields as the columns it references.
use model::Model;

#[derive(Model)]
#[model(foreign_key(order_id, references = "order_lines(order_id, line)"))]
struct Shipment {
    #[model(primary_key)]
    id: i64,
    order_id: i64,
    line: i32,
}

fn main() {}
