//! The diagram as Mermaid `erDiagram` text.
//!
//! Mermaid allows only letters, digits, `_`, `-`, parentheses and brackets in attribute types and
//! names, so a space becomes `_` (`DOUBLE PRECISION` → `DOUBLE_PRECISION`); a type whose
//! parameters Mermaid cannot read (`NUMERIC(12,2)`) is written by its base (`NUMERIC`) with the
//! whole type first in the attribute's comment, the one place Mermaid reads quoted text. An enum's
//! name and values on SQLite and MySQL, nullability and composite unique keys go in the comment too.
//! A view is an entity named `name (view)` (Mermaid draws no other kind of box); what it reads is not drawn.

use super::{ChildSide, Diagram, ParentSide, Relationship};
use std::fmt::Write;

/// The Mermaid text of `diagram`, ending with a newline.
pub fn render(diagram: &Diagram) -> String {
    let mut out = String::from("erDiagram\n");
    for entity in &diagram.entities {
        let _ = writeln!(out, "    {} {{", entity_name(&entity.title()));
        for a in &entity.attributes {
            let (ty, exact) = type_word(&a.ty);
            let _ = write!(out, "        {} {}", ty, word(&a.name));
            if !a.keys.is_empty() {
                let keys: Vec<&str> = a.keys.iter().map(|k| k.marker()).collect();
                let _ = write!(out, " {}", keys.join(", "));
            }
            let mut notes: Vec<String> = exact.into_iter().chain(a.detail.clone()).collect();
            if a.nullable {
                notes.push("nullable".to_string());
            }
            for others in &a.unique_with {
                notes.push(format!("unique with {}", others.join(", ")));
            }
            if !notes.is_empty() {
                let _ = write!(out, " \"{}\"", notes.join("; ").replace('"', "'"));
            }
            out.push('\n');
        }
        out.push_str("    }\n");
    }
    for r in &diagram.relationships {
        let _ = writeln!(
            out,
            "    {} {}{}{} {} : \"{}\"",
            entity_name(&r.parent),
            parent_marker(r),
            if r.identifying { "--" } else { ".." },
            child_marker(r),
            entity_name(&r.child),
            r.child_columns.join(", ").replace('"', "'")
        );
    }
    out
}

fn parent_marker(r: &Relationship) -> &'static str {
    match r.parent_side {
        ParentSide::ExactlyOne => "||",
        ParentSide::ZeroOrOne => "|o",
    }
}

fn child_marker(r: &Relationship) -> &'static str {
    match r.child_side {
        ChildSide::ZeroOrMore => "o{",
        ChildSide::ZeroOrOne => "o|",
    }
}

fn is_word(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A table name as is when Mermaid reads it bare, else quoted.
fn entity_name(name: &str) -> String {
    if is_word(name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "'"))
    }
}

/// The type as a Mermaid word, and the type itself when the word loses what its parameters say
/// (`NUMERIC(12,2)` → `NUMERIC` and `Some("NUMERIC(12,2)")`).
fn type_word(ty: &str) -> (String, Option<String>) {
    let w = word(ty);
    if ty.replace(' ', "_") == w {
        return (w, None);
    }
    match ty.split_once('(') {
        Some((base, _)) => (word(base.trim()), Some(ty.to_string())),
        None => (w, None),
    }
}

/// A type or column name with the characters Mermaid does not accept there replaced by `_`.
fn word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let ok = c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '(' | ')' | '[' | ']');
        let c = if ok { c } else { '_' };
        if !(c == '_' && out.ends_with('_') && !ok) {
            out.push(c);
        }
    }
    if out.starts_with(|c: char| !(c.is_ascii_alphabetic() || c == '_')) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{sample, Diagram};
    use model_core::ir::Dialect;

    #[test]
    fn sample_schema_on_postgres() {
        insta::assert_snapshot!(super::render(&Diagram::from_schema(
            &sample::schema(),
            Dialect::Postgres
        )));
    }

    #[test]
    fn sample_schema_on_sqlite() {
        insta::assert_snapshot!(super::render(&Diagram::from_schema(&sample::schema(), Dialect::Sqlite)));
    }

    #[test]
    fn words_mermaid_cannot_read_are_rewritten() {
        assert_eq!(super::word("DOUBLE PRECISION"), "DOUBLE_PRECISION");
        assert_eq!(super::word("NUMERIC(12,2)"), "NUMERIC(12_2)");
        assert_eq!(
            super::type_word("NUMERIC(12,2)"),
            ("NUMERIC".into(), Some("NUMERIC(12,2)".into()))
        );
        assert_eq!(super::type_word("DOUBLE PRECISION"), ("DOUBLE_PRECISION".into(), None));
        assert_eq!(super::type_word("VARCHAR(255)"), ("VARCHAR(255)".into(), None));
        assert_eq!(super::word("VARCHAR(255)"), "VARCHAR(255)");
        assert_eq!(super::word("2fa"), "_2fa");
        assert_eq!(super::entity_name("order items"), "\"order items\"");
    }
}
