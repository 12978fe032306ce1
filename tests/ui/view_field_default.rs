// Rule: Nothing is inserted into a view: its fields take no `default` (nor `default_sql`,
// `unique`, `index`, `references`, `check`, `identity`, `generated`, `renamed_from`).
use model::Model;

#[derive(Model)]
#[model(view = "SELECT id, 0 AS score FROM users")]
struct Scored {
    #[model(primary_key)]
    id: i64,
    #[model(default = 0)]
    score: i64,
}

fn main() {}
