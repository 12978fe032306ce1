// Rule: An unknown struct attribute is an error that suggests the closest known key.
use model::Model;

#[derive(Model)]
#[model(tabel_name = "people")]
struct User {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
