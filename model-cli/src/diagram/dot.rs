//! The diagram as Graphviz DOT: one HTML-like table per entity (column, type, keys), one edge per
//! foreign key from the child's column (right side) to the parent's (left side), with crow's-foot ends (`teetee` exactly one,
//! `teeodot` zero or one, `crowodot` zero or more); a non-identifying relationship is dashed. A view
//! is a table with a grey title saying `(view)`, and a dotted arrow labelled `reads` goes from it to
//! each table or view its query reads.

use super::{ChildSide, Diagram, Entity, ParentSide};
use std::fmt::Write;

/// The DOT text of `diagram`, ending with a newline.
pub fn render(diagram: &Diagram) -> String {
    let mut out = String::from("digraph er {\n");
    out.push_str("    graph [rankdir=LR, fontname=\"Helvetica\", nodesep=0.5, ranksep=1.2];\n");
    out.push_str("    node [shape=plain, fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("    edge [fontname=\"Helvetica\", fontsize=9, dir=both, color=\"#555555\"];\n");
    for entity in &diagram.entities {
        entity_node(&mut out, entity);
    }
    for e in &diagram.entities {
        for read in &e.reads {
            let _ = writeln!(
                out,
                "    {} -> {} [style=dotted, dir=forward, arrowhead=vee, label=\"reads\"];",
                quoted(&e.name),
                quoted(read)
            );
        }
    }
    for r in &diagram.relationships {
        let head = match r.parent_side {
            ParentSide::ExactlyOne => "teetee",
            ParentSide::ZeroOrOne => "teeodot",
        };
        let tail = match r.child_side {
            ChildSide::ZeroOrMore => "crowodot",
            ChildSide::ZeroOrOne => "teeodot",
        };
        let style = if r.identifying { "solid" } else { "dashed" };
        let from = r.child_columns.first().map(String::as_str).unwrap_or_default();
        let to = r.parent_columns.first().map(String::as_str).unwrap_or_default();
        let _ = writeln!(
            out,
            "    {}:{}:e -> {}:{}:w [arrowtail={tail}, arrowhead={head}, style={style}, label={}];",
            quoted(&r.child),
            quoted(&port(from, "r")),
            quoted(&r.parent),
            quoted(&port(to, "l")),
            quoted(&r.child_columns.join(", "))
        );
    }
    out.push_str("}\n");
    out
}

fn entity_node(out: &mut String, entity: &Entity) {
    let _ = writeln!(out, "    {} [label=<", quoted(&entity.name));
    out.push_str("        <table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n");
    let color = if entity.kind == model_core::ir::ObjectKind::Table {
        "#dbe5f1"
    } else {
        "#e6e6e6"
    };
    let _ = writeln!(
        out,
        "        <tr><td colspan=\"3\" bgcolor=\"{color}\"><b>{}</b></td></tr>",
        html(&entity.title())
    );
    for a in &entity.attributes {
        let keys: Vec<&str> = a.keys.iter().map(|k| k.marker()).collect();
        let mut ty = if a.nullable {
            format!("{} NULL", a.ty)
        } else {
            a.ty.clone()
        };
        if let Some(detail) = &a.detail {
            ty = format!("{ty} ({detail})");
        }
        let _ = writeln!(
            out,
            "        <tr><td port=\"{}\" align=\"left\">{}</td><td align=\"left\">{}</td><td port=\"{}\">{}</td></tr>",
            html(&port(&a.name, "l")),
            html(&a.name),
            html(&ty),
            html(&port(&a.name, "r")),
            keys.join(" ")
        );
    }
    out.push_str("        </table>\n    >];\n");
}

/// The port of a column's left (`l`, the name) or right (`r`, the keys) cell: edges leave a child
/// from its right side and enter a parent on its left. No `:` (it separates ports from compass points).
fn port(column: &str, side: &str) -> String {
    format!("{}.{side}", column.replace(':', "_"))
}

/// A DOT double-quoted string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Text escaped for an HTML-like label.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::super::{sample, Diagram};
    use model_core::ir::Dialect;

    #[test]
    fn sample_schema_on_mysql() {
        insta::assert_snapshot!(super::render(&Diagram::from_schema(&sample::schema(), Dialect::Mysql)));
    }

    #[test]
    fn names_are_escaped() {
        assert_eq!(super::quoted("a\"b"), "\"a\\\"b\"");
        assert_eq!(super::html("<&>"), "&lt;&amp;&gt;");
    }
}
