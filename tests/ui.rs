//! The compile-time rules of `#[derive(Model)]`: each `tests/ui/*.rs` shows one rule and its error;
//! `tests/ui/pass/*.rs` are models that must compile together with Diesel's derives.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
