// Rule: `default` and `default_sql` on one field conflict: keep one.
use model::Model;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(default = 0, default_sql = "1 + 1")]
    score: i32,
}

fn main() {}
