//! Database enums across files: a field marked `#[model(enum)]` gets its type from the
//! `#[derive(ModelEnum)]` enum of that name found by the scan (the derive of one item cannot see
//! another, the build step sees them all), and the rules only the whole crate can check: the enum
//! exists, a `default` is one of its values, one SQL type name means one list of values.

use super::error::SourceError;
use super::scan::{ScannedEnum, ScannedModel};
use crate::ir::{ColumnType, DefaultValue, Dialect, EnumType, Literal};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Fill in the type of every enum column of `models` from `enums`; every problem, in words naming
/// the file, struct, field and enum. `files` are the files scanned (named when an enum is missing).
pub fn resolve(models: &mut [ScannedModel], enums: &[ScannedEnum], files: &[PathBuf]) -> Vec<SourceError> {
    let mut errors = same_name_same_values(enums);
    for m in models.iter_mut() {
        for f in &m.fields {
            let Some(rust) = &f.enum_type else { continue };
            let found: Vec<&ScannedEnum> = enums.iter().filter(|e| &e.ident == rust).collect();
            let ty = match found.as_slice() {
                [] => {
                    errors.push(SourceError::at(&m.file, f.at, format!(
                        "struct `{}`: field `{}` is marked `#[model(enum)]`, but no `#[derive(ModelEnum)]` enum `{rust}` \
                         is in the scanned files ({}); derive `model::ModelEnum` on it, or add its file to `models` in \
                         [package.metadata.model]",
                        m.ident,
                        f.ident,
                        list_files(files)
                    )));
                    continue;
                }
                [first, rest @ ..] => {
                    if let Some(other) = rest.iter().find(|e| !e.ty.same_type(&first.ty)) {
                        errors.push(SourceError::at(&m.file, f.at, format!(
                            "struct `{}`: field `{}` names enum `{rust}`, and two different `#[derive(ModelEnum)]` enums \
                             have that name ({}:{} and {}:{}); rename one of them",
                            m.ident,
                            f.ident,
                            first.file.display(),
                            first.at.line,
                            other.file.display(),
                            other.at.line
                        )));
                        continue;
                    }
                    &first.ty
                }
            };
            let Some(column) = m.table.columns.iter_mut().find(|c| c.name == f.column) else {
                continue;
            };
            if let Some(DefaultValue::Literal(Literal::Str(value))) = &column.default {
                if !ty.values.contains(value) {
                    errors.push(SourceError::at(&m.file, f.default_at.unwrap_or(f.at), format!(
                        "struct `{}`: `default = {value:?}` of field `{}` is not a value of enum `{rust}` (type \"{}\"): \
                         write one of {}",
                        m.ident,
                        f.ident,
                        ty.name,
                        ty.values.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", ")
                    )));
                }
            }
            column.ty = ColumnType::Enum(ty.clone());
        }
    }
    errors
}

/// MySQL compares `ENUM` values without case and drops their trailing spaces, so values that differ
/// only there are one value to it (`CREATE TABLE` fails with "duplicated value").
pub fn mysql_values(enums: &[ScannedEnum], dialect: Dialect) -> Vec<SourceError> {
    if dialect != Dialect::Mysql {
        return Vec::new();
    }
    let mut errors = Vec::new();
    for e in enums {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for value in &e.ty.values {
            let key = value.trim_end_matches(' ').to_lowercase();
            if let Some(first) = seen.insert(key, value) {
                errors.push(SourceError::at(
                    &e.file,
                    e.at,
                    format!(
                    "enum `{}`: values {first:?} and {value:?} are one value to MySQL (ENUM values ignore case and \
                     trailing spaces): give one of the variants another `#[model(rename = \"...\")]`",
                    e.ident
                ),
                ));
            }
        }
    }
    errors
}

/// Two enums with one SQL type name must list the same values (they are one database type).
fn same_name_same_values(enums: &[ScannedEnum]) -> Vec<SourceError> {
    let mut errors = Vec::new();
    let mut by_name: BTreeMap<&str, &ScannedEnum> = BTreeMap::new();
    for e in enums {
        match by_name.get(e.ty.name.as_str()) {
            Some(first) if !first.ty.same_type(&e.ty) => errors.push(SourceError::at(
                &e.file,
                e.at,
                format!(
                "enum `{}` and enum `{}` ({}:{}) both use the database type \"{}\" with different values ({} and {}): \
                 give one of them `#[model(type_name = \"...\")]`",
                e.ident,
                first.ident,
                first.file.display(),
                first.at.line,
                e.ty.name,
                values(&e.ty),
                values(&first.ty)
            ),
            )),
            Some(_) => {}
            None => {
                by_name.insert(&e.ty.name, e);
            }
        }
    }
    errors
}

fn values(ty: &EnumType) -> String {
    format!("[{}]", ty.values.join(", "))
}

fn list_files(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
