//! Rules across models that no single derive can see: table names are unique, foreign keys point
//! at tables and columns that exist and have the referenced column's type, and (PostgreSQL) no enum
//! type takes a table's name. Each error is located at the offending tokens, like the derive's.

use super::error::SourceError;
use super::scan::{ScannedEnum, ScannedModel};
use crate::ir::{ColumnType, Dialect, Schema};
use std::collections::{BTreeMap, BTreeSet};

/// Every cross-model problem. `failed` are the models whose own errors are reported already: their
/// tables exist as far as these rules go (so no follow-on error names them).
pub fn validate(
    models: &[ScannedModel],
    failed: &[ScannedModel],
    enums: &[ScannedEnum],
    schema: &Schema,
    dialect: Dialect,
) -> Vec<SourceError> {
    let mut errors = Vec::new();
    let mut seen: BTreeMap<&str, &ScannedModel> = BTreeMap::new();
    for m in models.iter().chain(failed) {
        let name = m.table.name.as_str();
        if let Some(first) = seen.insert(name, m) {
            errors.push(SourceError::at(
                &m.file,
                m.table_name_at.unwrap_or(m.at),
                format!(
                    "struct `{}` and struct `{}` ({}:{}) both map to table \"{name}\": give one of them \
                     #[model(table_name = \"...\")]",
                    m.ident,
                    first.ident,
                    first.file.display(),
                    first.at.line
                ),
            ));
        }
    }
    let failed_tables: BTreeSet<&str> = failed.iter().map(|m| m.table.name.as_str()).collect();
    // by name: each foreign key looks its table up (the first of a name, as `Schema::table`)
    let mut tables: BTreeMap<&str, &crate::ir::Table> = BTreeMap::new();
    for t in &schema.tables {
        tables.entry(t.name.as_str()).or_insert(t);
    }
    for m in models {
        let t = &m.table;
        for fk in &t.foreign_keys {
            let field = m.fields.iter().find(|f| fk.columns.first() == Some(&f.column));
            let at = field.and_then(|f| f.references_at.or(Some(f.at))).unwrap_or(m.at);
            let field_name = field.map_or_else(|| fk.columns.join(", "), |f| f.ident.clone());
            let Some(target) = tables.get(fk.ref_table.as_str()).copied() else {
                if !failed_tables.contains(fk.ref_table.as_str()) {
                    let known: Vec<&str> = models.iter().map(|m| m.table.name.as_str()).collect();
                    errors.push(SourceError::at(
                        &m.file,
                        at,
                        format!(
                            "field `{field_name}` of struct `{}` references table \"{}\", but no model declares that \
                             table; write the referenced table's SQL name in `references = \"table(column)\"` (the \
                             models' tables: {})",
                            m.ident,
                            fk.ref_table,
                            known.join(", ")
                        ),
                    ));
                }
                continue;
            };
            if let Some(written) = field.and_then(|f| f.references_schema.as_deref()) {
                if target.schema.as_deref() != Some(written) {
                    let actual = target
                        .schema
                        .as_deref()
                        .map_or_else(|| "the default schema".to_string(), |s| format!("schema \"{s}\""));
                    let write = target.schema.as_deref().map_or_else(String::new, |s| format!("{s}."));
                    errors.push(SourceError::at(
                        &m.file,
                        at,
                        format!(
                            "field `{field_name}` of struct `{}` references \"{written}\".\"{}\", but table \"{}\" is in \
                             {actual}: write `references = \"{write}{}({})\"`",
                            m.ident,
                            fk.ref_table,
                            fk.ref_table,
                            fk.ref_table,
                            fk.ref_columns.join(", ")
                        ),
                    ));
                }
            }
            for (column, rc) in fk.columns.iter().zip(&fk.ref_columns) {
                let Some(referenced) = target.column(rc) else {
                    let known: Vec<&str> = target.columns.iter().map(|c| c.name.as_str()).collect();
                    errors.push(SourceError::at(
                        &m.file,
                        at,
                        format!(
                            "field `{field_name}` of struct `{}` references \"{}\".\"{rc}\", which does not exist; \
                             its columns are: {}",
                            m.ident,
                            fk.ref_table,
                            known.join(", ")
                        ),
                    ));
                    continue;
                };
                let Some(own) = t.column(column) else { continue };
                // the same SQL type in this dialect is the same key (SQLite: INTEGER for i32 and i64)
                if !same_key_type(&own.ty, &referenced.ty) && own.ty.to_sql(dialect) != referenced.ty.to_sql(dialect) {
                    errors.push(SourceError::at(
                        &m.file,
                        at,
                        format!(
                            "field `{field_name}` of struct `{}` is {} and references \"{}\".\"{rc}\", which is {}: a \
                             foreign key has the type of the column it references (MySQL refuses the constraint, \
                             Diesel's joins do not compile); give the field the referenced field's Rust type",
                            m.ident,
                            own.ty.to_sql(dialect),
                            fk.ref_table,
                            referenced.ty.to_sql(dialect)
                        ),
                    ));
                }
            }
        }
    }
    if dialect == Dialect::Postgres {
        // a table is also a type on PostgreSQL (its row type): `CREATE TYPE` of that name fails
        for e in enums {
            if let Some(m) = seen.get(e.ty.name.as_str()) {
                errors.push(SourceError::at(
                    &e.file,
                    e.at,
                    format!(
                        "enum `{}` has the database type name \"{}\", which is also the table of struct `{}` ({}:{}): \
                         PostgreSQL gives every table a type of its name; give the enum \
                         #[model(type_name = \"...\")]",
                        e.ident,
                        e.ty.name,
                        m.ident,
                        m.file.display(),
                        m.at.line
                    ),
                ));
            }
        }
    }
    errors
}

/// A foreign key's column and the referenced one agree: the same type, except strings, whose
/// lengths may differ (every backend accepts that).
fn same_key_type(a: &ColumnType, b: &ColumnType) -> bool {
    a == b || (a.is_text() && b.is_text())
}
