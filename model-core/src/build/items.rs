//! A source file's text cut at its top-level items, without parsing it, so the scan can parse again
//! only the items an edit changed (see [`super::scan`]): each piece ends after a `}` or `;` that
//! closes an item, at the end of its line, and holds the comments and attributes before the next
//! one. Strings, characters, lifetimes and comments are skipped as the lexer does, so a brace inside
//! them does not count.
//!
//! The cut is only a guess at where items end: the scan takes the pieces only when every one of
//! them parses on its own without an error, and parses the whole file otherwise. A piece that ends
//! inside an item (odd formatting: `}` then `;` on the next line) leaves a bracket open or a literal
//! unterminated, which is an error, so a wrong cut costs a whole-file parse, never a wrong model.

/// One piece of a file's text: whole lines, starting at 1-based line `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece<'a> {
    /// Its text (the pieces of a file, in order, are the file's text).
    pub text: &'a str,
    /// The line it starts on.
    pub line: usize,
}

/// `text` in pieces of whole top-level items (one piece when it cannot tell where they end).
pub(crate) fn split(text: &str) -> Vec<Piece<'_>> {
    cut(text).unwrap_or_else(|| vec![Piece { text, line: 1 }])
}

fn cut(text: &str) -> Option<Vec<Piece<'_>>> {
    let b = text.as_bytes();
    let mut pieces = Vec::new();
    let (mut start, mut start_line) = (0, 1);
    let (mut i, mut line, mut depth) = (0usize, 1usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'\n' => line += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                // to the end of the line (the newline is counted by the loop)
                i += memchr::memchr(b'\n', &b[i..]).unwrap_or(b.len() - i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (end, lines) = block_comment(b, i)?;
                line += lines;
                i = end;
                continue;
            }
            b'"' => {
                let (end, lines) = string(b, i + 1)?;
                line += lines;
                i = end;
                continue;
            }
            b'r' if !ident_before(b, i) || raw_prefix(b, i) => {
                if let Some((end, lines)) = raw_string(b, i + 1)? {
                    line += lines;
                    i = end;
                    continue;
                }
            }
            b'\'' => {
                i = char_or_lifetime(text, i)?;
                continue;
            }
            b'{' | b'(' | b'[' => depth += 1,
            b'}' | b')' | b']' => depth = depth.checked_sub(1)?,
            _ => {}
        }
        if depth == 0 && matches!(b[i], b'}' | b';') {
            // an item's end when nothing but blanks follows on its line
            let eol = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n);
            if b[i + 1..eol].iter().all(|c| matches!(c, b' ' | b'\t' | b'\r')) {
                let end = (eol + 1).min(b.len());
                pieces.push(Piece {
                    text: &text[start..end],
                    line: start_line,
                });
                if eol < b.len() {
                    line += 1;
                }
                start = end;
                start_line = line;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if depth != 0 {
        return None;
    }
    if start < text.len() {
        pieces.push(Piece {
            text: &text[start..],
            line: start_line,
        });
    }
    Some(pieces)
}

fn ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// Whether the byte before `i` continues an identifier.
fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && ident_byte(b[i - 1])
}

/// `br"…"` or `cr"…"`: the `r` of a raw byte or C string.
fn raw_prefix(b: &[u8], i: usize) -> bool {
    i > 0 && matches!(b[i - 1], b'b' | b'c') && !ident_before(b, i - 1)
}

/// The end of the block comment at `i` (nested ones included) and the newlines in it.
fn block_comment(b: &[u8], mut i: usize) -> Option<(usize, usize)> {
    let (mut nest, mut lines) = (0usize, 0usize);
    while i < b.len() {
        match (b[i], b.get(i + 1)) {
            (b'/', Some(b'*')) => {
                nest += 1;
                i += 2;
            }
            (b'*', Some(b'/')) => {
                nest -= 1;
                i += 2;
                if nest == 0 {
                    return Some((i, lines));
                }
            }
            (c, _) => {
                lines += usize::from(c == b'\n');
                i += 1;
            }
        }
    }
    None
}

/// The end of the string whose text starts at `i` (after its quote) and the newlines in it.
fn string(b: &[u8], mut i: usize) -> Option<(usize, usize)> {
    let mut lines = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                lines += usize::from(b.get(i + 1) == Some(&b'\n'));
                i += 2;
                continue;
            }
            b'"' => return Some((i + 1, lines)),
            b'\n' => lines += 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// After an `r` whose hashes start at `i`: `Some(None)` when it does not start a raw string (an
/// identifier such as `r#type` or `run`), else the end of the raw string and the newlines in it;
/// `None` when the raw string does not end.
fn raw_string(b: &[u8], i: usize) -> Option<Option<(usize, usize)>> {
    let hashes = b[i..].iter().take_while(|c| **c == b'#').count();
    if b.get(i + hashes) != Some(&b'"') {
        return Some(None);
    }
    let mut j = i + hashes + 1;
    let mut lines = 0;
    while j < b.len() {
        if b[j] == b'"' && b.len() >= j + 1 + hashes && b[j + 1..j + 1 + hashes].iter().all(|c| *c == b'#') {
            return Some(Some((j + 1 + hashes, lines)));
        }
        lines += usize::from(b[j] == b'\n');
        j += 1;
    }
    None
}

/// After the `'` at `i`: past a character literal (`'x'`, `'\n'`, `'\u{1F600}'`), or past the
/// quote of a lifetime or label (`'a`); `None` for a character literal that does not end.
fn char_or_lifetime(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    if b.get(i + 1) == Some(&b'\\') {
        // an escape: to the closing quote
        let close = memchr::memchr(b'\'', b.get(i + 3..)?)?;
        return Some(i + 3 + close + 1);
    }
    let c = text.get(i + 1..)?.chars().next()?;
    let after = i + 1 + c.len_utf8();
    if b.get(after) == Some(&b'\'') {
        return Some(after + 1);
    }
    Some(i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split(text).iter().map(|p| p.text).collect()
    }

    #[test]
    fn items_end_at_their_closing_brace_or_semicolon() {
        let src = "//! a crate\nuse std::fmt;\n\n/// A user.\n#[derive(Model)]\npub struct User {\n    pub id: i64,\n}\n\nstruct Unit;\nmod m {\n    struct Inner {}\n}\n// trailing\n";
        assert_eq!(
            texts(src),
            [
                "//! a crate\nuse std::fmt;\n",
                "\n/// A user.\n#[derive(Model)]\npub struct User {\n    pub id: i64,\n}\n",
                "\nstruct Unit;\n",
                "mod m {\n    struct Inner {}\n}\n",
                "// trailing\n",
            ]
        );
        let lines: Vec<usize> = split(src).iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 3, 9, 11, 14]);
    }

    #[test]
    fn braces_in_literals_and_comments_do_not_count() {
        let pieces = [
            "const A: &str = \"}\\\"{\";\n",
            "const B: &str = r#\"}\"\n{\"#;\n",
            "const C: char = '}';\n",
            "const D: u8 = b'{';\n",
            "const E: char = '\\'';\n",
            "fn f<'a>(x: &'a str) -> &'a str { /* } /* { */ } */ x }\n",
            "// }\nstruct S { r#type: i32 }\n",
            "const F: &[u8] = br\"}\";\n",
        ];
        let src = pieces.concat();
        let src = src.as_str();
        assert_eq!(texts(src), pieces);
        assert_eq!(split(src)[7].line, 10, "a newline in a raw string counts");
    }

    #[test]
    fn what_it_cannot_tell_is_one_piece_or_a_piece_that_does_not_parse() {
        // something after the brace on its line: not an end
        assert_eq!(texts("struct A {} struct B {}\n"), ["struct A {} struct B {}\n"]);
        assert_eq!(texts("struct A {} // a\nstruct B;"), ["struct A {} // a\nstruct B;"]);
        // unbalanced or unterminated: the whole text
        for bad in [
            "struct A { \n",
            "}\n struct A;\n",
            "const S: &str = \"};\n",
            "/* };\n",
            "r#\"};\n",
        ] {
            assert_eq!(texts(bad), [bad], "{bad:?}");
        }
        // a cut inside an item leaves a piece that does not parse: the scan then parses the file
        let odd = "const X: T = T {\n}\n;\n";
        assert_eq!(texts(odd), ["const X: T = T {\n}\n", ";\n"]);
        assert!(syn::parse_file(texts(odd)[0]).is_err());
        assert!(texts("").is_empty() || texts("") == [""]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("MODEL_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
        ))]
        /// The pieces are the text, in order, each starting at a line's start, on the line said.
        #[test]
        fn pieces_are_the_text(parts in proptest::collection::vec(proptest::sample::select(vec![
            "struct A {", "}", ";", "\n", " ", "\"", "\\", "'", "'a", "'}'", "r#\"", "\"#", "//", "/*", "*/",
            "{", "(", ")", "[", "]", "x", "é", "b'", "br\"",
        ]), 0..40)) {
            let text: String = parts.concat();
            let pieces = split(&text);
            proptest::prop_assert_eq!(pieces.iter().map(|p| p.text).collect::<String>(), text.clone());
            let mut at = 0;
            for p in &pieces {
                proptest::prop_assert_eq!(p.line, text[..at].matches('\n').count() + 1);
                proptest::prop_assert!(at == 0 || text.as_bytes()[at - 1] == b'\n');
                at += p.text.len();
            }
        }
    }
}
