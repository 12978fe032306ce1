// Rule: `model::include_schema!()` needs the build step (build.rs calling `model::build::run()`);
// without it the error says what to add.
model::include_schema!();

fn main() {}
