// Rule: `precision` and `scale` apply to `BigDecimal` fields only.
use model::Model;

#[derive(Model)]
struct Item {
    #[model(primary_key)]
    id: i64,
    #[model(precision = 10)]
    price: f64,
}

fn main() {}
