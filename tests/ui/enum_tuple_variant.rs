// Rule: A `#[derive(ModelEnum)]` enum has unit variants only: the database stores which variant,
// nothing more.
use model::ModelEnum;

#[derive(ModelEnum, Debug, Clone, Copy)]
pub enum Shape {
    Dot,
    Circle(u32),
}

fn main() {}
