// Rule: A variant's `#[model(...)]` takes `rename` and `renamed_from` only; an unknown key is an
// error that suggests the closest one.
use model::ModelEnum;

#[derive(ModelEnum, Debug, Clone, Copy)]
pub enum PostStatus {
    Draft,
    #[model(renam = "live")]
    Published,
}

fn main() {}
