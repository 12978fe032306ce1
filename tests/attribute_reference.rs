//! The attribute reference has one text: `src/docs/attributes.md`, which rustdoc shows as
//! `model::attributes`, is the README's "Attribute reference" section, word for word.

#[test]
fn the_rustdoc_reference_is_the_readmes() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let reference = std::fs::read_to_string(format!("{root}/src/docs/attributes.md")).unwrap();
    let start = readme.find("## Attribute reference\n").expect("the README's section");
    let end = readme[start..].find("\n## ").map_or(readme.len(), |i| start + i + 1);
    assert_eq!(
        readme[start..end].trim_end(),
        reference.trim_end(),
        "src/docs/attributes.md and the README's \"Attribute reference\" differ: edit both alike"
    );
}
