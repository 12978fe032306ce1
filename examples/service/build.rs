fn main() {
    // Writes migrations/<version>_<name>/ when src/models.rs changed since the last migration,
    // and OUT_DIR/model_schema.rs for `model::include_schema!()`.
    model::build::run();
}
