// Rule: `identity` is `true`, `false`, or one of the kinds "by_default", "always", "serial",
// "autoincrement".
use model::Model;

#[derive(Model)]
struct Tag {
    #[model(primary_key, identity = "sequence")]
    id: i64,
}

fn main() {}
