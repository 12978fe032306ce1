//! Normalization of SQL text (defaults, checks, index predicates) so that what a user wrote and what a
//! database prints back compare equal. See the limits in the [module docs](super).

use crate::ir::{DefaultValue, Dialect};

/// A default as comparable text: literals rendered for `dialect`, casts of quoted literals dropped
/// (numbers unquoted), lower case and single spaces outside quotes, outer parentheses dropped.
pub(crate) fn normalize_default(d: &DefaultValue, dialect: Dialect) -> String {
    let text = match d {
        DefaultValue::Literal(l) => l.to_sql(dialect),
        DefaultValue::Sql(s) => s.clone(),
    };
    normalize_default_text(&text)
}

fn normalize_default_text(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '\'' => {
                let end = skip_quoted(&c, i, '\'');
                let lit: String = c[i..end].iter().collect();
                i = end;
                if starts_with(&c, i, "::") {
                    let (ty_end, ty) = skip_type(&c, i + 2);
                    i = ty_end;
                    let inner = lit.strip_prefix('\'').unwrap_or(&lit);
                    let inner = inner.strip_suffix('\'').unwrap_or(inner);
                    if is_numeric_type(&ty) && inner.trim().parse::<f64>().is_ok() {
                        out.push_str(inner.trim());
                        continue;
                    }
                }
                out.push_str(&lit);
            }
            ch if ch.is_whitespace() => {
                while i < c.len() && c[i].is_whitespace() {
                    i += 1;
                }
                if !out.is_empty() && i < c.len() {
                    out.push(' ');
                }
            }
            ch => {
                out.extend(ch.to_lowercase());
                i += 1;
            }
        }
    }
    strip_outer_parens(out.trim()).to_string()
}

/// A check or predicate as comparable text: no whitespace, parentheses, double quotes or `::type`
/// casts; lower case outside string literals; `!=` written `<>`; PostgreSQL's `= ANY (ARRAY[...])`
/// and `<> ALL (ARRAY[...])` written back as `IN` and `NOT IN`.
pub(crate) fn normalize_expr(s: &str) -> String {
    let flat = flatten_expr(s);
    let flat = array_to_list(&flat, "=anyarray[", "in");
    array_to_list(&flat, "<>allarray[", "notin")
}

/// Replace `<marker>a,b]` with `<word>a,b` (brackets inside quotes respected).
fn array_to_list(s: &str, marker: &str, word: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let body: Vec<char> = rest[at + marker.len()..].chars().collect();
        let mut i = 0;
        while i < body.len() && body[i] != ']' {
            i = if body[i] == '\'' {
                skip_quoted(&body, i, '\'')
            } else {
                i + 1
            };
        }
        out.push_str(word);
        out.extend(&body[..i.min(body.len())]);
        let consumed: usize = body[..(i + 1).min(body.len())].iter().map(|c| c.len_utf8()).sum();
        rest = &rest[at + marker.len() + consumed..];
    }
    out.push_str(rest);
    out
}

/// PostgreSQL's spellings of the LIKE family, longest first.
const LIKE_OPERATORS: [(&str, &str); 4] = [
    ("!~~*", "notilike"),
    ("!~~", "notlike"),
    ("~~*", "ilike"),
    ("~~", "like"),
];

fn flatten_expr(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '\'' => {
                let end = skip_quoted(&c, i, '\'');
                out.extend(&c[i..end]);
                i = end;
            }
            '"' => {
                let end = skip_quoted(&c, i, '"');
                let close = if end > i + 1 && c[end - 1] == '"' { end - 1 } else { end };
                let inner = &c[i + 1..close];
                out.extend(inner.iter().flat_map(|ch| ch.to_lowercase()));
                i = end;
            }
            ':' if starts_with(&c, i, "::") => i = skip_type(&c, i + 2).0,
            '!' | '~' if LIKE_OPERATORS.iter().any(|(op, _)| starts_with(&c, i, op)) => {
                // PostgreSQL reports LIKE as `~~` (and ILIKE as `~~*`, NOT LIKE as `!~~`)
                let (op, word) = LIKE_OPERATORS
                    .iter()
                    .find(|(op, _)| starts_with(&c, i, op))
                    .copied()
                    .unwrap_or(("~~", "like"));
                out.push_str(word);
                i += op.len();
            }
            '!' if starts_with(&c, i, "!=") => {
                out.push_str("<>");
                i += 2;
            }
            ch if ch.is_whitespace() || ch == '(' || ch == ')' => i += 1,
            ch => {
                out.extend(ch.to_lowercase());
                i += 1;
            }
        }
    }
    out
}

/// Index just past the quoted text starting at `start` (doubled quotes are escapes). An unterminated
/// quote runs to the end.
fn skip_quoted(c: &[char], start: usize, q: char) -> usize {
    let mut i = start + 1;
    while i < c.len() {
        if c[i] == q {
            if c.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    c.len()
}

fn starts_with(c: &[char], i: usize, pat: &str) -> bool {
    pat.chars().enumerate().all(|(k, p)| c.get(i + k) == Some(&p))
}

/// Skip a type name after `::` (multi-word names such as `character varying` or
/// `timestamp with time zone`, arguments `(12,2)`, array brackets); return the index after it and the
/// lower-case name.
fn skip_type(c: &[char], start: usize) -> (usize, String) {
    let word_at = |i: usize| -> (usize, String) {
        let mut j = i;
        while j < c.len() && (c[j].is_alphanumeric() || c[j] == '_' || c[j] == '.' || c[j] == '"') {
            j += 1;
        }
        (j, c[i..j].iter().collect::<String>().to_lowercase())
    };
    let (mut i, first) = word_at(start);
    let mut name = first.clone();
    let mut last = first;
    loop {
        let mut j = i;
        while j < c.len() && c[j] == ' ' {
            j += 1;
        }
        if j == i {
            break;
        }
        let (end, next) = word_at(j);
        if !continues_type(&last, &next) {
            break;
        }
        name.push(' ');
        name.push_str(&next);
        last = next;
        i = end;
    }
    if c.get(i) == Some(&'(') {
        while i < c.len() && c[i] != ')' {
            i += 1;
        }
        i = (i + 1).min(c.len());
    }
    while starts_with(c, i, "[]") {
        i += 2;
    }
    (i, name)
}

fn continues_type(prev: &str, next: &str) -> bool {
    matches!(
        (prev, next),
        ("character" | "bit", "varying")
            | ("double", "precision")
            | ("timestamp" | "time", "with" | "without")
            | ("with" | "without", "time")
            | ("time", "zone")
    )
}

/// `true` for a numeric SQL type name, with or without `(p,s)`, any case.
pub(crate) fn is_numeric_type(ty: &str) -> bool {
    let base = ty.split('(').next().unwrap_or(ty).trim().to_ascii_lowercase();
    matches!(
        base.as_str(),
        "numeric"
            | "decimal"
            | "integer"
            | "int"
            | "int2"
            | "int4"
            | "int8"
            | "smallint"
            | "bigint"
            | "real"
            | "float4"
            | "float8"
            | "double precision"
    )
}

/// Drop parentheses that wrap the whole text, as often as they do.
pub(crate) fn strip_outer_parens(mut s: &str) -> &str {
    while s.starts_with('(') && s.ends_with(')') && closes_at_end(s) {
        s = s[1..s.len() - 1].trim();
    }
    s
}

/// `true` if the `(` at the start of `s` is closed by its last character (quotes respected).
fn closes_at_end(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    let mut depth = 0usize;
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '\'' | '"' => {
                i = skip_quoted(&c, i, c[i]);
                continue;
            }
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i == c.len() - 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Literal;

    fn d(s: &str) -> String {
        normalize_default_text(s)
    }

    #[test]
    fn casts_of_quoted_literals_are_dropped() {
        assert_eq!(d("'draft'::text"), "'draft'");
        assert_eq!(d("'x'::character varying"), "'x'");
        assert_eq!(d("'it''s'::text"), "'it''s'");
        assert_eq!(d("'{}'::jsonb"), "'{}'");
        assert_eq!(
            d("'2024-01-01 00:00:00'::timestamp without time zone"),
            "'2024-01-01 00:00:00'"
        );
    }

    #[test]
    fn numbers_cast_from_quoted_text_are_unquoted_but_text_stays_quoted() {
        assert_eq!(d("'1.5'::numeric"), "1.5");
        assert_eq!(d("'-1'::integer"), "-1");
        assert_eq!(d("'123'::text"), "'123'");
    }

    #[test]
    fn keywords_case_whitespace_and_outer_parens() {
        assert_eq!(d("CURRENT_TIMESTAMP"), "current_timestamp");
        assert_eq!(d("(datetime('now'))"), "datetime('now')");
        assert_eq!(d("NOW()"), "now()");
        assert_eq!(d("  lower( 'ABC' )  "), "lower( 'ABC' )");
        assert_eq!(d("(a) + (b)"), "(a) + (b)");
    }

    #[test]
    fn literal_defaults_meet_their_database_spelling() {
        let pg = Dialect::Postgres;
        let lit = |l: Literal| normalize_default(&DefaultValue::Literal(l), pg);
        assert_eq!(lit(Literal::Bool(true)), d("true"));
        assert_eq!(lit(Literal::Str("draft".into())), d("'draft'::text"));
        assert_eq!(lit(Literal::Float("1.5".into())), d("'1.5'::numeric"));
        assert_eq!(lit(Literal::Int(0)), d("0"));
        assert_ne!(lit(Literal::Str("a".into())), d("'b'::text"));
    }

    #[test]
    fn expressions_lose_parens_casts_and_spacing() {
        assert_eq!(normalize_expr("CHECK_ME"), "check_me");
        assert_eq!(normalize_expr("(price > (0)::numeric)"), normalize_expr("price > 0"));
        assert_eq!(
            normalize_expr("((status)::text <> 'Gone'::character varying(10))"),
            normalize_expr("status != 'Gone'")
        );
        assert_eq!(normalize_expr("\"Order\" >= 1"), "order>=1");
        assert_ne!(normalize_expr("status <> 'Gone'"), normalize_expr("status <> 'gone'"));
        assert_ne!(normalize_expr("a > 1"), normalize_expr("a >= 1"));
    }

    #[test]
    fn postgres_like_operators_read_back_as_like() {
        assert_eq!(
            normalize_expr("((email)::text ~~ '%@%'::text)"),
            normalize_expr("email LIKE '%@%'")
        );
        assert_eq!(
            normalize_expr("(name !~~* 'x%')"),
            normalize_expr("name NOT ILIKE 'x%'")
        );
        assert_ne!(normalize_expr("a ~~ 'x'"), normalize_expr("a NOT LIKE 'x'"));
    }

    #[test]
    fn postgres_array_forms_of_in_lists() {
        assert_eq!(
            normalize_expr("(length((slug)::text) > 0) AND (status = ANY (ARRAY['draft'::text, 'a]'::text]))"),
            normalize_expr("length(slug) > 0 AND status IN ('draft', 'a]')")
        );
        assert_eq!(
            normalize_expr("(kind <> ALL (ARRAY[1, 2]))"),
            normalize_expr("kind NOT IN (1, 2)")
        );
        assert_eq!(normalize_expr("x = ANY (ARRAY[1"), "xin1");
    }

    #[test]
    fn unterminated_quotes_do_not_panic() {
        assert_eq!(d("'abc"), "'abc");
        assert_eq!(normalize_expr("\"abc"), "abc");
        assert_eq!(normalize_expr("x::"), "x");
        assert_eq!(strip_outer_parens("(a"), "(a");
    }
}
