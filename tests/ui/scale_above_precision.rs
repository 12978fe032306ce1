// Rule: `scale` cannot be larger than `precision`.
use model::Model;

pub struct BigDecimal;

#[derive(Model)]
struct Item {
    #[model(primary_key)]
    id: i64,
    #[model(precision = 4, scale = 6)]
    price: BigDecimal,
}

fn main() {}
