fn main() {
    model::build::run();
}
