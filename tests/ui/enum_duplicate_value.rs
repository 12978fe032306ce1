// Rule: The SQL values of a `#[derive(ModelEnum)]` enum are distinct.
use model::ModelEnum;

#[derive(ModelEnum, Debug, Clone, Copy)]
pub enum PostStatus {
    Draft,
    #[model(rename = "draft")]
    Sketch,
}

fn main() {}
