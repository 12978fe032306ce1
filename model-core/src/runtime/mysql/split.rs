//! Split a MySQL script into its statements.

/// The statements of `script`, each trimmed, without its `;`. Semicolons inside quotes
/// (`'...'`, `"..."`, `` `...` ``, with MySQL's backslash escapes) and comments (`-- `, `#`,
/// `/* */`) do not split; comments stay with the statement that follows them. Pieces holding only
/// comments and blanks are left out (MySQL refuses an empty query).
///
/// Not supported: `DELIMITER` and compound statements with `;` inside (`CREATE TRIGGER .. BEGIN ..
/// END`): put those in a migration of their own and split it by hand.
pub(super) fn statements(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut has_sql = false;
    let b = script.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i = skip_quoted(b, i, q);
                has_sql = true;
                continue;
            }
            b'-' if b.get(i + 1) == Some(&b'-') && b.get(i + 2).map_or(true, |c| c.is_ascii_whitespace()) => {
                i = line_end(b, i);
                continue;
            }
            b'#' => {
                i = line_end(b, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = script[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                continue;
            }
            b';' => {
                if has_sql {
                    out.push(script[start..i].trim().to_string());
                }
                start = i + 1;
                has_sql = false;
            }
            c if !c.is_ascii_whitespace() => has_sql = true,
            _ => {}
        }
        i += 1;
    }
    if has_sql {
        out.push(script[start..].trim().to_string());
    }
    out
}

/// `statement` without the comment lines above it (`-- ` and `#` lines), for messages.
pub(super) fn without_leading_comments(statement: &str) -> &str {
    let mut rest = statement.trim_start();
    while rest.starts_with("--") || rest.starts_with('#') {
        rest = rest.split_once('\n').map_or("", |(_, after)| after).trim_start();
    }
    rest
}

/// Index after the quoted text starting at `i` (quote `q`; doubled quotes and backslash escapes
/// skipped), or the end of the script when it is not closed.
fn skip_quoted(b: &[u8], i: usize, q: u8) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if q != b'`' => j += 2,
            c if c == q && b.get(j + 1) == Some(&q) => j += 2,
            c if c == q => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p + 1)
}

#[cfg(test)]
mod tests {
    use super::statements;

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let script = "-- header; not a statement\n\n\
                      CREATE TABLE `a;b` (c TEXT DEFAULT ('x;''y\\';'));\n\n\
                      # hash comment;\n/* block; */ INSERT INTO t VALUES (\"q;\");\n\
                      -- DATA LOSS: drops x\nDROP TABLE x;\n-- trailing comment only\n";
        assert_eq!(
            statements(script),
            [
                "-- header; not a statement\n\nCREATE TABLE `a;b` (c TEXT DEFAULT ('x;''y\\';'))",
                "# hash comment;\n/* block; */ INSERT INTO t VALUES (\"q;\")",
                "-- DATA LOSS: drops x\nDROP TABLE x",
            ]
        );
    }

    #[test]
    fn last_statement_without_semicolon_and_odd_text() {
        assert_eq!(statements("SELECT 1; SELECT 2"), ["SELECT 1", "SELECT 2"]);
        assert_eq!(statements("SELECT 'open"), ["SELECT 'open"]);
        assert_eq!(statements("SELECT 1 /* open"), ["SELECT 1 /* open"]);
        assert_eq!(statements("a--b;"), ["a--b"]);
        assert!(statements("-- only\n;;").is_empty());
    }

    #[test]
    fn leading_comments_are_left_out_of_messages() {
        assert_eq!(
            super::without_leading_comments("-- a\n# b\n\nDROP TABLE x -- c"),
            "DROP TABLE x -- c"
        );
        assert_eq!(super::without_leading_comments("-- only"), "");
    }
}
