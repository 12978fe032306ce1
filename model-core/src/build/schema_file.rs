//! The crate-wide part of the Diesel schema, generated into `OUT_DIR/model_schema.rs` and included
//! with `model::include_schema!()`: `joinable!` for every foreign key and
//! `allow_tables_to_appear_in_same_query!` for every table, which need all models at once; and
//! `pub fn model_schema() -> ::model::ir::Schema`, every model's table and view and the other
//! objects (functions, triggers, extensions), for the drift check (`model::verify`), and
//! `pub fn model_filter() -> ::model::ir::TableFilter`, the tables the crate owns (`model::verify_with`).
//!
//! The file is rendered from one `SchemaEntry` per model, a summary that can be kept between runs
//! as one line of text (`SchemaEntry::to_line`), so the models of unchanged files need not be
//! deserialized to write it again.

use super::scan::ScannedModel;
use crate::ir::Table;
use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;
use std::fmt::Write;

/// File name inside `OUT_DIR`.
pub const FILE_NAME: &str = "model_schema.rs";

/// What the schema file needs of one model (see [`render_entries`]), and nothing more. Its text
/// is borrowed when it is read from a line ([`SchemaEntry::from_line`]) that needs no unescaping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SchemaEntry<'a> {
    /// The SQL name of its table (or view).
    pub(crate) table: Cow<'a, str>,
    /// The path of its `table!` module, as `use {use_path} as __tN;` writes it: the model's
    /// `diesel_table`, else `crate::<module path>::<module>`.
    pub(crate) use_path: Cow<'a, str>,
    /// Its `table!` is declared elsewhere (`diesel_table = "..."`, a `schema.rs`), with its joins
    /// and pairs.
    pub(crate) external: bool,
    /// The path of the model's struct: `crate::<module path>::<ident>`.
    pub(crate) model_path: Cow<'a, str>,
    /// The model declares a view, not a table.
    pub(crate) view: bool,
    /// Its single-column foreign keys, in the table's order.
    pub(crate) fks: Vec<EntryFk<'a>>,
}

/// A single-column foreign key of a [`SchemaEntry`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryFk<'a> {
    /// The referencing column.
    pub(crate) column: Cow<'a, str>,
    /// The referenced table (SQL name).
    pub(crate) ref_table: Cow<'a, str>,
    /// The Rust name of the model's first field whose column is `column`, if any.
    pub(crate) field: Option<Cow<'a, str>>,
    /// `column`'s type is the type of the key it references, as Diesel needs for `joinable!`. The
    /// key is the first referenced column of the table's *first* foreign key on `column` alone
    /// (which is not this one when several foreign keys share the column); a column or key that
    /// cannot be found counts as no type (so two missing types are "the same").
    pub(crate) same_type: bool,
}

impl<'a> SchemaEntry<'a> {
    /// The entry of `model`. `lookup` gives a referenced table by its SQL name (`None` when it is
    /// not one of the crate's models); it is asked only for the tables `model`'s single-column
    /// foreign keys reference, for the types of their keys.
    pub(crate) fn of<L: Borrow<Table>>(
        model: &ScannedModel,
        mut lookup: impl FnMut(&str) -> Option<L>,
    ) -> SchemaEntry<'static> {
        let t = &model.table;
        let module_path = |last: &str| {
            let mut path = vec!["crate"];
            path.extend(model.module_path.iter().map(String::as_str));
            path.push(last);
            path.join("::")
        };
        let fks = t
            .foreign_keys
            .iter()
            .filter(|fk| fk.columns.len() == 1)
            .map(|fk| {
                let column = fk.columns[0].as_str();
                // Diesel joins a foreign key only to a key of the same SQL type
                let fk_type = t.column(column).map(|c| &c.ty);
                let first = t.foreign_keys.iter().find(|f| f.columns == [column]);
                let same_type = match first.and_then(|f| Some((f, f.ref_columns.first()?))) {
                    Some((f, key)) => match lookup(&f.ref_table) {
                        Some(target) => fk_type == target.borrow().column(key).map(|c| &c.ty),
                        None => fk_type.is_none(),
                    },
                    None => fk_type.is_none(),
                };
                EntryFk {
                    column: Cow::Owned(column.to_string()),
                    ref_table: Cow::Owned(fk.ref_table.clone()),
                    field: model
                        .fields
                        .iter()
                        .find(|f| f.column == column)
                        .map(|f| Cow::Owned(f.ident.clone())),
                    same_type,
                }
            })
            .collect();
        SchemaEntry {
            table: Cow::Owned(t.name.clone()),
            use_path: Cow::Owned(match &model.diesel_table {
                Some(p) => p.clone(),
                None => module_path(&model.module),
            }),
            external: model.diesel_table.is_some(),
            model_path: Cow::Owned(module_path(&model.ident)),
            view: model.view.is_some(),
            fks,
        }
    }

    /// The entry as one line of text, without a line break: [`SchemaEntry::from_line`] reads it
    /// back. Tab-separated fields, each string escaped (`\\`, `\t`, `\n`, `\r`):
    ///
    /// `table  use_path  external  model_path  view  n  (column  ref_table  field  same_type){n}`
    ///
    /// where `external`, `view` and `same_type` are `0` or `1`, `n` is the number of foreign keys
    /// and `field` is `-` for none, else `+` and the field's name.
    pub(crate) fn to_line(&self) -> String {
        let mut line = String::new();
        let bit = |b: bool| if b { "1" } else { "0" };
        escape_into(&mut line, &self.table);
        line.push('\t');
        escape_into(&mut line, &self.use_path);
        line.push('\t');
        line.push_str(bit(self.external));
        line.push('\t');
        escape_into(&mut line, &self.model_path);
        line.push('\t');
        line.push_str(bit(self.view));
        let _ = write!(line, "\t{}", self.fks.len());
        for fk in &self.fks {
            line.push('\t');
            escape_into(&mut line, &fk.column);
            line.push('\t');
            escape_into(&mut line, &fk.ref_table);
            line.push('\t');
            match &fk.field {
                Some(field) => {
                    line.push('+');
                    escape_into(&mut line, field);
                }
                None => line.push('-'),
            }
            line.push('\t');
            line.push_str(bit(fk.same_type));
        }
        line
    }

    /// The entry [`SchemaEntry::to_line`] wrote as `line` (without its line break); `None` for
    /// any other text (a wrong number of fields, a bad escape, a flag other than `0` / `1`, a
    /// line break).
    pub(crate) fn from_line(line: &'a str) -> Option<SchemaEntry<'a>> {
        // (one pass over the line: then no field holds a raw line break, nor a tab once split)
        if line.as_bytes().contains(&b'\n') || line.as_bytes().contains(&b'\r') {
            return None;
        }
        let mut parts = line.split('\t');
        let mut next = || parts.next();
        let bit = |s: &str| match s {
            "0" => Some(false),
            "1" => Some(true),
            _ => None,
        };
        let table = unescape(next()?)?;
        let use_path = unescape(next()?)?;
        let external = bit(next()?)?;
        let model_path = unescape(next()?)?;
        let view = bit(next()?)?;
        let n = next()?;
        // digits only (no sign, no leading `+`), and no more than the line could hold
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: usize = n.parse().ok().filter(|&n| n <= line.len())?;
        let mut fks = Vec::with_capacity(n);
        for _ in 0..n {
            let column = unescape(next()?)?;
            let ref_table = unescape(next()?)?;
            let field = next()?;
            let field = match field.strip_prefix('+') {
                Some(f) => Some(unescape(f)?),
                None if field == "-" => None,
                None => return None,
            };
            let same_type = bit(next()?)?;
            fks.push(EntryFk {
                column,
                ref_table,
                field,
                same_type,
            });
        }
        if next().is_some() {
            return None;
        }
        Some(SchemaEntry {
            table,
            use_path,
            external,
            model_path,
            view,
            fks,
        })
    }
}

/// Push `s` onto `out` with `\`, tab, line feed and carriage return escaped (`\\`, `\t`, `\n`, `\r`).
fn escape_into(out: &mut String, s: &str) {
    if !s.bytes().any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r')) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// The text [`escape_into`] escaped as `s` (borrowed when nothing is escaped); `None` for an
/// unknown escape, a `\` at the end, or an unescaped tab or line break.
fn unescape(s: &str) -> Option<Cow<'_, str>> {
    // a field of [`SchemaEntry::from_line`] holds no tab nor line break: only `\` is looked for
    // (one pass that stays cheap in a build script compiled without optimisation)
    if !s.as_bytes().contains(&b'\\') {
        return Some(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(match chars.next()? {
                '\\' => '\\',
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                _ => return None,
            }),
            '\t' | '\n' | '\r' => return None,
            c => out.push(c),
        }
    }
    Some(Cow::Owned(out))
}

/// The entries of `models`, in the same order. `lookup` gives a referenced table by name (see
/// [`SchemaEntry::of`]).
pub(crate) fn entries<L: Borrow<Table>>(
    models: &[ScannedModel],
    mut lookup: impl FnMut(&str) -> Option<L>,
) -> Vec<SchemaEntry<'static>> {
    models.iter().map(|m| SchemaEntry::of(m, &mut lookup)).collect()
}

/// The file's text for these models, whose whole schema (objects included) is `schema`
/// (deterministic: same models, same bytes).
///
/// A foreign key gets a `joinable!` unless it points at its own table (Diesel cannot join a table to
/// itself this way: use `alias!`) or there are several foreign keys between the same two tables, in
/// either direction (`joinable!` declares the join both ways, so Diesel allows one per pair: write
/// `.on(...)` joins for those).
pub fn render(models: &[ScannedModel], schema: &crate::ir::Schema, filter: &crate::ir::TableFilter) -> String {
    // the last model of a name, as the file's aliases are
    let by_name: BTreeMap<&str, &Table> = models.iter().map(|m| (m.table.name.as_str(), &m.table)).collect();
    render_entries(&entries(models, |name| by_name.get(name).copied()), schema, filter)
}

/// [`render`] from the models' entries, in any order (they are sorted by table name, entries of
/// the same name keeping their order). Of `schema`, only the objects are read (extensions,
/// functions, triggers).
pub(crate) fn render_entries(
    entries: &[SchemaEntry<'_>],
    schema: &crate::ir::Schema,
    filter: &crate::ir::TableFilter,
) -> String {
    // (sorted vectors and plain pushes, not maps and `format!`: this runs over every model on each
    // build, in a build script compiled without optimisation)
    let mut ordered: Vec<&SchemaEntry<'_>> = entries.iter().collect();
    ordered.sort_by(|a, b| a.table.cmp(&b.table));
    // with several entries of one name, the name's alias is the last one's: `__t{last position}`
    let mut alias_at: Vec<usize> = (0..ordered.len()).collect();
    for i in (1..ordered.len()).rev() {
        if ordered[i - 1].table == ordered[i].table {
            alias_at[i - 1] = alias_at[i];
        }
    }
    let aliases: Vec<String> = alias_at.iter().map(|i| format!("__t{i}")).collect();
    // the position of a name's last entry
    let find = |name: &str| -> Option<usize> {
        let after = ordered.partition_point(|e| &*e.table <= name);
        (after > 0 && ordered[after - 1].table == name).then(|| after - 1)
    };

    let facade = crate::facade::name();
    let mut out = String::with_capacity(entries.len() * 200 + 1024);
    out.push_str("// @generated by the `model` build step from this crate's models. Do not edit.\n");
    out.push_str("#[doc(hidden)]\n#[allow(unused_imports, non_camel_case_types)]\nmod __model_schema {\n");
    for (i, e) in ordered.iter().enumerate() {
        out.push_str("    use ");
        out.push_str(&e.use_path);
        out.push_str(" as ");
        out.push_str(&aliases[i]);
        out.push_str(";\n");
    }
    // joinable! declares the join both ways, so it is one per unordered pair of tables: the foreign
    // keys by pair, in the order of the entries and their keys within a pair (a stable sort)
    let mut pairs: Vec<((&str, &str), &SchemaEntry<'_>, &EntryFk<'_>)> = Vec::new();
    for e in &ordered {
        for fk in &e.fks {
            let (a, b) = (&*e.table, &*fk.ref_table);
            let key = if a <= b { (a, b) } else { (b, a) };
            pairs.push((key, e, fk));
        }
    }
    pairs.sort_by(|x, y| x.0.cmp(&y.0));
    let mut rest = pairs.as_slice();
    while let Some(((a, b), _, _)) = rest.first() {
        let (a, b) = (*a, *b);
        let n = rest.iter().take_while(|p| p.0 == (a, b)).count();
        let (group, after) = rest.split_at(n);
        rest = after;
        let (Some(ia), Some(ib)) = (find(a), find(b)) else {
            continue;
        };
        if a == b {
            out.push_str("    // \"");
            out.push_str(a);
            out.push_str("\" references itself: join it with diesel::alias!\n");
            continue;
        }
        // tables of a `schema.rs` (`diesel_table`) already have their joins and pairs declared there
        if ordered[ia].external && ordered[ib].external {
            continue;
        }
        if n > 1 {
            let _ = writeln!(
                out,
                "    // {n} foreign keys between \"{a}\" and \"{b}\": no joinable!, join them with .on(...)"
            );
            continue;
        }
        let (_, e, fk) = group[0];
        let child = &*e.table;
        let (ic, ip) = if child == a { (ia, ib) } else { (ib, ia) };
        if !fk.same_type {
            let _ = writeln!(
                out,
                "    // \"{child}\".\"{}\" and the key it references differ in type: no joinable!, join with .on(...)",
                fk.column
            );
            continue;
        }
        let Some(field) = &fk.field else {
            continue;
        };
        out.push_str("    ::");
        out.push_str(&facade);
        out.push_str("::diesel::joinable!(");
        out.push_str(&aliases[ic]);
        out.push_str(" -> ");
        out.push_str(&aliases[ip]);
        out.push_str(" (");
        out.push_str(field);
        out.push_str("));\n");
    }
    let any_external = ordered.iter().any(|e| e.external);
    if ordered.len() > 1 && !any_external {
        out.push_str("    ::");
        out.push_str(&facade);
        out.push_str("::diesel::allow_tables_to_appear_in_same_query!(");
        for (i, alias) in aliases.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(alias);
        }
        out.push_str(");\n");
    } else if any_external {
        // pair by pair, leaving out the pairs `schema.rs` declares
        for (i, a) in ordered.iter().enumerate() {
            for (j, b) in ordered.iter().enumerate().skip(i + 1) {
                if a.external && b.external {
                    continue;
                }
                let _ = writeln!(
                    out,
                    "    ::{facade}::diesel::allow_tables_to_appear_in_same_query!({}, {});",
                    aliases[i], aliases[j]
                );
            }
        }
    }
    out.push_str("}\n");
    let _ = write!(
        out,
        "\n/// Every model of this crate as the schema IR (each model's `Model::table()`, each view's\n\
         /// `ModelView::view()`, the functions, triggers and extensions), for the drift check\n\
         /// `{facade}::verify(&mut conn, &model_schema())`.\n#[allow(dead_code)]\n\
         pub fn model_schema() -> ::{facade}::ir::Schema {{\n    ::{facade}::ir::Schema::new(vec![\n",
    );
    for e in ordered.iter().filter(|e| !e.view) {
        out.push_str("        <");
        out.push_str(&e.model_path);
        out.push_str(" as ::");
        out.push_str(&facade);
        out.push_str("::Model>::table(),\n");
    }
    out.push_str("    ])");
    let views: Vec<&&SchemaEntry<'_>> = ordered.iter().filter(|e| e.view).collect();
    let others = crate::ir::Schema {
        extensions: schema.extensions.clone(),
        functions: schema.functions.clone(),
        triggers: schema.triggers.clone(),
        ..crate::ir::Schema::default()
    };
    if !views.is_empty() || !others.has_no_objects() {
        let _ = write!(out, "\n    .with_objects(\n        [\n");
        for e in views {
            let _ = writeln!(
                out,
                "            ::{facade}::ir::Object::View(<{} as ::{facade}::ModelView>::view()),",
                e.model_path
            );
        }
        out.push_str("        ]\n        .into_iter()");
        if !others.has_no_objects() {
            let json = serde_json::to_string(&others).unwrap_or_default();
            let _ = write!(out, "\n        .chain(::{facade}::ir::__objects_from_build({json:?}))");
        }
        out.push_str(",\n    )");
    }
    out.push_str("\n}\n");
    let list = |v: &[String]| {
        v.iter()
            .map(|p| format!("String::from({p:?})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = write!(
        out,
        "\n/// The tables this crate owns (`include` / `exclude` of `[package.metadata.model]`): the others are\n\
         /// left out of the drift check `{facade}::verify_with(&mut conn, &model_schema(), &{facade}::Options::default().tables(model_filter()))`.\n\
         #[allow(dead_code)]\npub fn model_filter() -> ::{facade}::ir::TableFilter {{\n    \
         ::{facade}::ir::TableFilter {{ include: vec![{}], exclude: vec![{}] }}\n}}\n",
        list(&filter.include),
        list(&filter.exclude)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::scan::{Location, ScannedField, ScannedView};
    use crate::ir::{Column, ColumnType, Extension, ForeignKey, Schema, TableFilter};
    use proptest::prelude::*;

    /// A model of table `table` (module `table`, in `crate::models`) with a field per column,
    /// named after it.
    fn model(ident: &str, table: &str, columns: &[(&str, ColumnType)]) -> ScannedModel {
        let mut t = Table::new(table);
        t.columns = columns.iter().map(|(n, ty)| Column::new(*n, ty.clone())).collect();
        ScannedModel {
            ident: ident.to_string(),
            at: Location::default(),
            table_name_at: None,
            table: t,
            module: table.to_string(),
            fields: columns.iter().map(|(n, _)| field(n, n)).collect(),
            file: "src/models.rs".into(),
            module_path: vec!["models".to_string()],
            view: None,
            diesel_table: None,
        }
    }

    fn field(ident: &str, column: &str) -> ScannedField {
        ScannedField {
            ident: ident.to_string(),
            at: Location::default(),
            references_at: None,
            references_schema: None,
            default_at: None,
            column: column.to_string(),
            enum_type: None,
        }
    }

    /// `m` with a foreign key `columns` -> `ref_table(ref_columns)`.
    fn fk(mut m: ScannedModel, columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> ScannedModel {
        m.table.foreign_keys.push(ForeignKey {
            name: format!("fk_{}_{}", m.table.name, m.table.foreign_keys.len()),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ref_table: ref_table.to_string(),
            ref_columns: ref_columns.iter().map(|c| c.to_string()).collect(),
            on_delete: Default::default(),
            on_update: Default::default(),
        });
        m
    }

    fn diesel(mut m: ScannedModel, path: &str) -> ScannedModel {
        m.diesel_table = Some(path.to_string());
        m
    }

    fn view(mut m: ScannedModel) -> ScannedModel {
        m.view = Some(ScannedView {
            sql: Some("SELECT 1".to_string()),
            file: None,
            at: (0, 0),
            materialized: false,
        });
        m
    }

    fn users() -> ScannedModel {
        model(
            "User",
            "users",
            &[("id", ColumnType::BigInt), ("email", ColumnType::Text)],
        )
    }

    fn posts() -> ScannedModel {
        fk(
            model(
                "Post",
                "posts",
                &[("id", ColumnType::BigInt), ("author_id", ColumnType::BigInt)],
            ),
            &["author_id"],
            "users",
            &["id"],
        )
    }

    /// `render`'s text, which the entries read back from their lines and given in reverse order
    /// render too (only ties keep their order, and reversing two entries of one name can change
    /// the file, so only for sets without such ties).
    fn same(models: &[ScannedModel], schema: &Schema, filter: &TableFilter) -> String {
        let out = render(models, schema, filter);
        let by_name: BTreeMap<&str, &Table> = models.iter().map(|m| (m.table.name.as_str(), &m.table)).collect();
        let lines: Vec<String> = entries(models, |n| by_name.get(n).copied())
            .iter()
            .map(SchemaEntry::to_line)
            .collect();
        let back: Vec<SchemaEntry> = lines.iter().map(|l| SchemaEntry::from_line(l).unwrap()).collect();
        assert_eq!(render_entries(&back, schema, filter), out);
        let mut names: Vec<&str> = models.iter().map(|m| m.table.name.as_str()).collect();
        names.sort();
        names.dedup();
        if names.len() == models.len() {
            let reversed: Vec<SchemaEntry> = back.into_iter().rev().collect();
            assert_eq!(render_entries(&reversed, schema, filter), out);
        }
        out
    }

    fn plain(models: &[ScannedModel]) -> String {
        same(models, &Schema::default(), &TableFilter::default())
    }

    #[test]
    fn a_plain_foreign_key_is_joinable() {
        let out = plain(&[posts(), users()]);
        assert!(out.contains("joinable!(__t0 -> __t1 (author_id));"), "{out}");
        assert!(
            out.contains("allow_tables_to_appear_in_same_query!(__t0, __t1);"),
            "{out}"
        );
        assert!(out.contains("use crate::models::users as __t1;"), "{out}");
        assert!(out.contains("<crate::models::User as ::"), "{out}");
    }

    #[test]
    fn a_self_reference_gets_a_comment() {
        let tree = fk(
            model(
                "Node",
                "nodes",
                &[("id", ColumnType::BigInt), ("parent_id", ColumnType::BigInt)],
            ),
            &["parent_id"],
            "nodes",
            &["id"],
        );
        let out = plain(std::slice::from_ref(&tree));
        assert!(out.contains("\"nodes\" references itself"), "{out}");
        plain(&[users(), tree]);
    }

    #[test]
    fn two_foreign_keys_between_a_pair_in_both_directions_get_a_comment() {
        let a = fk(
            model("A", "a", &[("id", ColumnType::BigInt), ("b_id", ColumnType::BigInt)]),
            &["b_id"],
            "b",
            &["id"],
        );
        let b = fk(
            model("B", "b", &[("id", ColumnType::BigInt), ("a_id", ColumnType::BigInt)]),
            &["a_id"],
            "a",
            &["id"],
        );
        let out = plain(&[b.clone(), a.clone()]);
        assert!(out.contains("2 foreign keys between \"a\" and \"b\""), "{out}");
        // and both in one direction
        let a2 = fk(
            fk(
                model(
                    "A",
                    "a",
                    &[
                        ("id", ColumnType::BigInt),
                        ("b_id", ColumnType::BigInt),
                        ("c_id", ColumnType::BigInt),
                    ],
                ),
                &["b_id"],
                "b",
                &["id"],
            ),
            &["c_id"],
            "b",
            &["id"],
        );
        plain(&[a2, model("B", "b", &[("id", ColumnType::BigInt)])]);
    }

    #[test]
    fn a_foreign_key_of_another_type_gets_a_comment() {
        let mut p = posts();
        p.table.columns[1].ty = ColumnType::Integer;
        let out = plain(&[users(), p]);
        assert!(
            out.contains("\"posts\".\"author_id\" and the key it references differ in type"),
            "{out}"
        );
        assert!(!out.contains("joinable!(__t"), "{out}");
    }

    #[test]
    fn diesel_tables_mixed_with_models_and_alone() {
        let u = diesel(users(), "crate::schema::users");
        let out = plain(&[posts(), u.clone(), model("Tag", "tags", &[("id", ColumnType::Integer)])]);
        assert!(out.contains("use crate::schema::users as __t2;"), "{out}");
        assert!(
            out.contains("allow_tables_to_appear_in_same_query!(__t0, __t1);"),
            "{out}"
        );
        let p = diesel(posts(), "crate::schema::posts");
        let out = plain(&[p.clone(), u.clone()]);
        assert!(!out.contains("joinable!"), "{out}");
        assert!(!out.contains("allow_tables_to_appear_in_same_query!"), "{out}");
        plain(&[p, users()]);
        plain(&[u]);
    }

    #[test]
    fn views_and_objects() {
        let v = view(model("Active", "active_users", &[("id", ColumnType::BigInt)]));
        let out = plain(&[users(), v.clone()]);
        assert!(out.contains("::ir::Object::View(<crate::models::Active as ::"), "{out}");
        let schema = Schema {
            extensions: vec![Extension::new("pg_trgm")],
            ..Schema::default()
        };
        let filter = TableFilter {
            include: vec!["users".into(), "po\"sts*".into()],
            exclude: vec!["tmp_*".into()],
        };
        let out = same(&[users(), posts()], &schema, &filter);
        assert!(out.contains("__objects_from_build("), "{out}");
        same(&[v.clone(), posts(), users()], &schema, &filter);
        same(&[v], &schema, &TableFilter::default());
    }

    #[test]
    fn a_single_model_and_none() {
        let out = plain(&[users()]);
        assert!(!out.contains("allow_tables_to_appear_in_same_query!"), "{out}");
        plain(&[]);
        same(
            &[],
            &Schema {
                extensions: vec![Extension::new("citext")],
                ..Schema::default()
            },
            &TableFilter::default(),
        );
    }

    #[test]
    fn a_foreign_key_to_a_table_that_is_not_a_model() {
        let p = fk(
            model(
                "Post",
                "posts",
                &[("id", ColumnType::BigInt), ("blog_id", ColumnType::BigInt)],
            ),
            &["blog_id"],
            "blogs",
            &["id"],
        );
        let out = plain(&[p.clone(), users()]);
        assert!(!out.contains("joinable!"), "{out}");
        let e = SchemaEntry::of(&p, |_| None::<&Table>);
        assert!(!e.fks[0].same_type);
    }

    #[test]
    fn two_foreign_keys_on_one_column() {
        // both to users: one pair with two keys
        let p = fk(posts(), &["author_id"], "users", &["id"]);
        let out = plain(&[p, users()]);
        assert!(out.contains("2 foreign keys between \"posts\" and \"users\""), "{out}");
        // the first to a table that is not a model: the second's type is checked against the
        // first's key, which has no type, so it differs (as before)
        let p = fk(
            fk(
                model(
                    "Post",
                    "posts",
                    &[("id", ColumnType::BigInt), ("author_id", ColumnType::BigInt)],
                ),
                &["author_id"],
                "people",
                &["id"],
            ),
            &["author_id"],
            "users",
            &["id"],
        );
        let out = plain(&[p.clone(), users()]);
        assert!(
            out.contains("\"posts\".\"author_id\" and the key it references differ in type"),
            "{out}"
        );
        // the first to a model of another key type, the second to one of the same: "differ"
        let people = model("Person", "people", &[("id", ColumnType::Integer)]);
        let out = plain(&[p.clone(), users(), people.clone()]);
        assert_eq!(out.matches("differ in type").count(), 2, "{out}");
        // the first of the same type: both joinable, also the one to a key of another type
        let mut q = p;
        q.table.foreign_keys.swap(0, 1);
        let out = plain(&[q, users(), people]);
        assert_eq!(out.matches("joinable!(__t").count(), 2, "{out}");
        assert_eq!(out.matches("differ in type").count(), 0, "{out}");
    }

    #[test]
    fn odd_shapes() {
        // a foreign key whose column has no field, one on two columns, one whose columns are
        // not in either table (no type on both sides: "the same")
        let mut p = fk(posts(), &["a", "b"], "users", &["id", "email"]);
        p.fields.retain(|f| f.column != "author_id");
        plain(&[p, users()]);
        let mut q = fk(
            model("Q", "q", &[("id", ColumnType::BigInt)]),
            &["ghost"],
            "users",
            &["nope"],
        );
        q.fields.push(field("r#ghost", "ghost"));
        let out = plain(&[q.clone(), users()]);
        assert!(out.contains("(r#ghost));"), "{out}");
        let mut r = fk(model("R", "r", &[("id", ColumnType::BigInt)]), &["ghost"], "users", &[]);
        r.fields.push(field("ghost", "ghost"));
        plain(&[r, users()]);
        // two models of one table name (an error elsewhere, but the file is still written)
        let u2 = model("User2", "users", &[("id", ColumnType::Integer)]);
        plain(&[users(), posts(), u2.clone()]);
        plain(&[u2, posts(), users()]);
        // nested modules
        let mut deep = users();
        deep.module_path = vec!["a".into(), "b".into()];
        let out = plain(&[deep, posts()]);
        assert!(out.contains("use crate::a::b::users as __t1;"), "{out}");
        let mut top = users();
        top.module_path.clear();
        plain(&[top, posts()]);
    }

    fn entry(fks: Vec<EntryFk<'static>>) -> SchemaEntry<'static> {
        SchemaEntry {
            table: "we\tird\\name\n".into(),
            use_path: "crate::x\\t::y\r".into(),
            external: true,
            model_path: "".into(),
            view: false,
            fks,
        }
    }

    #[test]
    fn a_line_reads_back() {
        let fks = vec![
            EntryFk {
                column: "a\tb".into(),
                ref_table: "\\".into(),
                field: Some("".into()),
                same_type: true,
            },
            EntryFk {
                column: "".into(),
                ref_table: "-".into(),
                field: None,
                same_type: false,
            },
            EntryFk {
                column: "+".into(),
                ref_table: "\n\n".into(),
                field: Some("-".into()),
                same_type: true,
            },
        ];
        for e in [entry(Vec::new()), entry(fks[..1].to_vec()), entry(fks)] {
            let line = e.to_line();
            assert!(!line.contains(['\n', '\r']), "{line:?}");
            assert_eq!(SchemaEntry::from_line(&line), Some(e.clone()), "{line:?}");
        }
        let e = SchemaEntry::of(&posts(), |_| Some(users().table));
        assert_eq!(
            e.to_line(),
            "posts\tcrate::models::posts\t0\tcrate::models::Post\t0\t1\tauthor_id\tusers\t+author_id\t1"
        );
    }

    #[test]
    fn a_bad_line_is_none() {
        let good = entry(vec![EntryFk {
            column: "c".into(),
            ref_table: "t".into(),
            field: Some("f".into()),
            same_type: true,
        }])
        .to_line();
        assert!(SchemaEntry::from_line(&good).is_some());
        // every truncation, at a character
        for (i, _) in good.char_indices() {
            assert_eq!(SchemaEntry::from_line(&good[..i]), None, "{:?}", &good[..i]);
        }
        for bad in [
            "",
            "\t",
            "garbage",
            "a\tb\t0\tc\t0",
            "a\tb\t0\tc\t0\t",
            "a\tb\t0\tc\t0\t-1",
            "a\tb\t0\tc\t0\t+0",
            "a\tb\t0\tc\t0\t99999999999999999999999",
            "a\tb\t0\tc\t0\t1",
            "a\tb\t0\tc\t0\t1\tc\tt\t+f",
            "a\tb\t0\tc\t0\t1\tc\tt\tf\t1",
            "a\tb\t0\tc\t0\t1\tc\tt\t+f\t2",
            "a\tb\t0\tc\t0\t1\tc\tt\t+f\t1\t",
            "a\tb\t0\tc\t0\t0\textra",
            "a\tb\t2\tc\t0\t0",
            "a\tb\t0\tc\ttrue\t0",
            "a\\\tb\t0\tc\t0\t0",
            "a\\x\tb\t0\tc\t0\t0",
            "a\nb\tb\t0\tc\t0\t0",
            "a\tb\t0\tc\t0\t0\n",
            "a\tb\t0\tc\t0\t0\r",
        ] {
            assert_eq!(SchemaEntry::from_line(bad), None, "{bad:?}");
        }
        assert!(SchemaEntry::from_line("a\tb\t0\tc\t0\t0").is_some());
        assert!(SchemaEntry::from_line(&good.replace("\t1\t", "\t2\t")).is_none());
    }

    fn any_fk() -> impl Strategy<Value = EntryFk<'static>> {
        (".*", ".*", proptest::option::of(".*"), any::<bool>()).prop_map(|(column, ref_table, field, same_type)| {
            EntryFk {
                column: column.into(),
                ref_table: ref_table.into(),
                field: field.map(Cow::Owned),
                same_type,
            }
        })
    }

    fn any_entry() -> impl Strategy<Value = SchemaEntry<'static>> {
        (
            ".*",
            ".*",
            any::<bool>(),
            ".*",
            any::<bool>(),
            prop::collection::vec(any_fk(), 0..4),
        )
            .prop_map(|(table, use_path, external, model_path, view, fks)| SchemaEntry {
                table: table.into(),
                use_path: use_path.into(),
                external,
                model_path: model_path.into(),
                view,
                fks,
            })
    }

    /// A set of models of a few names, types and keys, so that names, keys and types meet.
    fn any_models() -> impl Strategy<Value = Vec<ScannedModel>> {
        let names = || prop::sample::select(vec!["a", "b", "c", "d"]);
        let ty = || prop::sample::select(vec![ColumnType::Integer, ColumnType::BigInt]);
        let one = (
            names(),
            prop::collection::vec((prop::sample::select(vec!["id", "a_id", "b_id", "x"]), ty()), 0..4),
            prop::collection::vec(
                (
                    prop::sample::select(vec!["id", "a_id", "b_id", "x", "y"]),
                    prop::sample::select(vec!["a", "b", "c", "d", "zz"]),
                    prop::sample::select(vec![vec![], vec!["id"], vec!["x"], vec!["id", "x"]]),
                    any::<bool>(),
                ),
                0..4,
            ),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(table, columns, fks, external, is_view, drop_field)| {
                let mut m = model(&table.to_uppercase(), table, &columns);
                for (column, ref_table, ref_columns, two) in fks {
                    let cols = if two { vec![column, "id"] } else { vec![column] };
                    m = fk(m, &cols, ref_table, &ref_columns);
                }
                if drop_field && !m.fields.is_empty() {
                    m.fields.remove(0);
                }
                if external {
                    m = diesel(m, &format!("crate::schema::{table}"));
                }
                if is_view {
                    m = view(m);
                }
                m
            });
        prop::collection::vec(one, 0..6)
    }

    proptest! {
        #[test]
        fn any_entry_reads_back(e in any_entry()) {
            let line = e.to_line();
            prop_assert!(!line.contains(['\n', '\r']));
            prop_assert_eq!(SchemaEntry::from_line(&line), Some(e));
        }

        #[test]
        fn from_line_never_panics(s in "[ab01+\\-\t\\\\nt]{0,40}") {
            let _ = SchemaEntry::from_line(&s);
        }

        #[test]
        fn entries_read_back_render_the_same(models in any_models(), objects in any::<bool>()) {
            let schema = if objects {
                Schema { extensions: vec![Extension::new("pg_trgm")], ..Schema::default() }
            } else {
                Schema::default()
            };
            same(&models, &schema, &TableFilter::default());
        }
    }
}
