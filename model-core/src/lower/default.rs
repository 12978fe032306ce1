//! Column defaults: `default = <literal>` (checked against the column type) or `default_sql`.

use crate::ir::{ColumnType, DefaultValue, Dialect, Literal};
use crate::parse::{Ctxt, Field};

/// The default of one field; a literal that does not fit the column type is an error.
pub(crate) fn default(ctxt: &Ctxt, f: &Field, column: &str, ty: Option<&ColumnType>) -> Option<DefaultValue> {
    if let Some(sql) = &f.attrs.default_sql {
        return Some(DefaultValue::Sql(sql.value.clone()));
    }
    let lit = f.attrs.default.as_ref()?;
    if let Some(ty) = ty {
        if !fits(&lit.value, ty) {
            ctxt.at(
                lit.span,
                format!(
                    "`default = {}` does not fit column `{column}` of type {}: write {}",
                    rust_literal(&lit.value),
                    ty.to_sql(Dialect::Postgres),
                    expected(ty)
                ),
            );
            return None;
        }
    }
    Some(DefaultValue::Literal(lit.value.clone()))
}

/// The literal as the user wrote it (`"draft"`, `1.5`, `true`).
fn rust_literal(lit: &Literal) -> String {
    match lit {
        Literal::Str(s) => format!("{s:?}"),
        other => other.to_sql(Dialect::Postgres).to_lowercase(),
    }
}

fn is_number(ty: &ColumnType) -> bool {
    matches!(ty, ColumnType::Real | ColumnType::Double | ColumnType::Numeric { .. })
}

/// Integers fit integer and decimal columns, floats fit decimal ones, bools fit booleans, strings fit
/// text and every other non-numeric type (dates, UUIDs, JSON...); anything fits a custom SQL type
/// or an enum (the parser and the build step check those).
fn fits(lit: &Literal, ty: &ColumnType) -> bool {
    // An enum's default is a string (checked by the parser) whose value the build step checks.
    if matches!(ty, ColumnType::Custom { .. } | ColumnType::Enum(_)) {
        return true;
    }
    match lit {
        Literal::Int(_) => ty.is_integer() || is_number(ty),
        Literal::Float(_) => is_number(ty),
        Literal::Bool(_) => *ty == ColumnType::Bool,
        Literal::Str(_) => !(ty.is_integer() || is_number(ty) || *ty == ColumnType::Bool),
    }
}

fn expected(ty: &ColumnType) -> &'static str {
    if ty.is_integer() {
        "an integer, e.g. `default = 0`"
    } else if is_number(ty) {
        "a number, e.g. `default = 0.0`"
    } else if *ty == ColumnType::Bool {
        "`default = true` or `default = false`"
    } else {
        "a string, e.g. `default = \"draft\"`, or an SQL expression with `default_sql = \"...\"`"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_fits_its_kind_of_column() {
        assert!(fits(&Literal::Int(1), &ColumnType::BigInt));
        assert!(fits(&Literal::Int(1), &ColumnType::Double));
        assert!(fits(
            &Literal::Float("1.5".into()),
            &ColumnType::Numeric {
                precision: None,
                scale: None
            }
        ));
        assert!(!fits(&Literal::Float("1.5".into()), &ColumnType::Integer));
        assert!(fits(&Literal::Bool(true), &ColumnType::Bool));
        assert!(!fits(&Literal::Bool(true), &ColumnType::Text));
        assert!(fits(&Literal::Str("x".into()), &ColumnType::Varchar { len: 3 }));
        assert!(fits(&Literal::Str("2020-01-01".into()), &ColumnType::Date));
        assert!(!fits(&Literal::Str("1".into()), &ColumnType::Integer));
        assert!(fits(&Literal::Int(1), &ColumnType::Custom { sql: "money".into() }));
    }
}
