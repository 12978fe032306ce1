//! CHECK clauses as MariaDB prints them (`` `price` > 0 ``), made comparable with what users write.

/// `clause` with backquotes dropped around plain identifiers (letters, digits, `_`, `$`); other
/// quoted identifiers and string literals are kept as they are.
pub(super) fn unquote_identifiers(clause: &str) -> String {
    let mut out = String::new();
    let mut rest = clause;
    while let Some(at) = rest.find(['`', '\'']) {
        out.push_str(&rest[..at]);
        let quote = rest.as_bytes()[at] as char;
        let body = &rest[at + 1..];
        let end = closing(body, quote);
        let inner = &body[..end.unwrap_or(body.len())];
        let plain = !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$'));
        if quote == '`' && plain && end.is_some() {
            out.push_str(inner);
        } else {
            out.push(quote);
            out.push_str(inner);
            if end.is_some() {
                out.push(quote);
            }
        }
        rest = end.map_or("", |e| &body[e + 1..]);
    }
    out.push_str(rest);
    out
}

/// Byte index of the quote closing a quoted text whose body is `body` (doubled quotes and, in
/// strings, backslash escapes skipped).
fn closing(body: &str, quote: char) -> Option<usize> {
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' && quote == '\'' {
            chars.next();
        } else if c == quote {
            if chars.peek().is_some_and(|(_, n)| *n == quote) {
                chars.next();
            } else {
                return Some(i);
            }
        }
    }
    None
}

/// `json_valid(`c`)`: the check MariaDB adds to a JSON column `c` (a `LONGTEXT` underneath).
pub(super) fn is_json_valid_of(clause: &str, column: &str) -> bool {
    let norm: String = unquote_identifiers(clause).split_whitespace().collect();
    norm.eq_ignore_ascii_case(&format!("json_valid({column})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backquotes_go_strings_stay() {
        assert_eq!(
            unquote_identifiers("`price` > 0 and `s` in (-1,2) and `email` <> 'it\\'s `x`'"),
            "price > 0 and s in (-1,2) and email <> 'it\\'s `x`'"
        );
        assert_eq!(unquote_identifiers("`odd name` = 1"), "`odd name` = 1");
        assert_eq!(unquote_identifiers("`open"), "`open");
        assert_eq!(unquote_identifiers("'a''b' = `c`"), "'a''b' = c");
    }

    #[test]
    fn json_checks() {
        assert!(is_json_valid_of("json_valid(`doc`)", "doc"));
        assert!(!is_json_valid_of("json_valid(`doc`)", "other"));
        assert!(!is_json_valid_of("`doc` > 0", "doc"));
    }
}
