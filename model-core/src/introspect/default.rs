//! Read a default as a database reports it (`'draft'::text`, `0`, `now()`) into a [`DefaultValue`].

use crate::ir::compare::normalize::{is_numeric_type, strip_outer_parens};
use crate::ir::{DefaultValue, Literal};

/// A literal when the text is one (optionally cast: `'1.5'::numeric`, `'x'::character varying`),
/// otherwise the raw SQL text.
#[cfg_attr(not(any(feature = "postgres", feature = "sqlite")), allow(dead_code))]
pub(crate) fn read_default(text: &str) -> DefaultValue {
    let t = strip_outer_parens(text.trim());
    literal(t).map_or_else(|| DefaultValue::Sql(text.trim().to_string()), DefaultValue::Literal)
}

fn literal(t: &str) -> Option<Literal> {
    if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
        return Some(Literal::Bool(t.eq_ignore_ascii_case("true")));
    }
    if let Some(n) = number(t) {
        return Some(n);
    }
    let (content, cast) = quoted(t)?;
    match cast {
        Some(ty) if is_numeric_type(ty) => number(&content),
        Some(ty) if is_type_name(ty) => Some(Literal::Str(content)),
        Some(_) => None,
        None => Some(Literal::Str(content)),
    }
}

fn number(t: &str) -> Option<Literal> {
    if let Ok(i) = t.parse::<i64>() {
        return Some(Literal::Int(i));
    }
    let numeric = t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    (numeric && t.parse::<f64>().is_ok()).then(|| Literal::Float(t.to_string()))
}

/// `'it''s'` or `'it''s'::text` → (`it's`, cast type).
fn quoted(t: &str) -> Option<(String, Option<&str>)> {
    let rest = t.strip_prefix('\'')?;
    let mut content = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\'' {
            content.push(c);
            continue;
        }
        if matches!(chars.peek(), Some((_, '\''))) {
            chars.next();
            content.push('\'');
            continue;
        }
        let after = &rest[i + 1..];
        return match after.strip_prefix("::") {
            Some(ty) => Some((content, Some(ty.trim()))),
            None if after.trim().is_empty() => Some((content, None)),
            None => None,
        };
    }
    None
}

/// A bare type name such as `text`, `character varying(20)` or `int4[]`.
fn is_type_name(ty: &str) -> bool {
    !ty.is_empty()
        && ty
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '(' | ')' | ',' | '[' | ']' | '"' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(l: Literal) -> DefaultValue {
        DefaultValue::Literal(l)
    }

    #[test]
    fn literals_with_and_without_casts() {
        assert_eq!(read_default("'draft'::text"), lit(Literal::Str("draft".into())));
        assert_eq!(
            read_default("'it''s'::character varying"),
            lit(Literal::Str("it's".into()))
        );
        assert_eq!(read_default("'x'"), lit(Literal::Str("x".into())));
        assert_eq!(read_default("0"), lit(Literal::Int(0)));
        assert_eq!(read_default("'-1'::integer"), lit(Literal::Int(-1)));
        assert_eq!(read_default("'1.5'::numeric"), lit(Literal::Float("1.5".into())));
        assert_eq!(read_default("1.5"), lit(Literal::Float("1.5".into())));
        assert_eq!(read_default("true"), lit(Literal::Bool(true)));
        assert_eq!(read_default("FALSE"), lit(Literal::Bool(false)));
        assert_eq!(read_default("(42)"), lit(Literal::Int(42)));
    }

    #[test]
    fn expressions_stay_sql() {
        for e in [
            "now()",
            "CURRENT_TIMESTAMP",
            "(datetime('now'))",
            "'a'::text || 'b'::text",
            "'1 day'::interval + now()",
            "gen_random_uuid()",
            "(1) + (2)",
        ] {
            assert_eq!(read_default(e), DefaultValue::Sql(e.to_string()), "{e}");
        }
    }

    #[test]
    fn odd_text_does_not_panic() {
        assert_eq!(read_default("'unterminated"), DefaultValue::Sql("'unterminated".into()));
        assert_eq!(read_default("'é'"), lit(Literal::Str("é".into())));
    }
}
