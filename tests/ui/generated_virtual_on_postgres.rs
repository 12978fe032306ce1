// Rule: PostgreSQL stores every generated column: `virtual` is refused there (these cases compile
// with the default dialect, PostgreSQL; SQLite and MySQL take it).
use model::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    email: String,
    #[model(generated(sql = "length(email)", virtual))]
    email_length: i32,
}

fn main() {}
