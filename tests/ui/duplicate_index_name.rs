// Rule: Two indexes cannot have the same name.
use model::Model;

#[derive(Model)]
#[model(index(email, name = "ix_contact"), index(phone, name = "ix_contact"))]
struct User {
    #[model(primary_key)]
    id: i64,
    email: String,
    phone: String,
}

fn main() {}
