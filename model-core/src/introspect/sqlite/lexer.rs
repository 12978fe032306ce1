//! A small SQL tokenizer for the `CREATE TABLE` / `CREATE INDEX` text SQLite keeps in
//! `sqlite_schema.sql`: it knows quoted identifiers (`"x"`, `` `x` ``, `[x]`), strings, parentheses and
//! comments, which is all the DDL reader needs.

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    /// A bare word: keyword, identifier or number.
    Word(String),
    /// A quoted identifier, unquoted.
    Quoted(String),
    /// A string literal (its text is in the source span).
    Str,
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// `,`.
    Comma,
    /// Any other character (operators, `;`, `.`).
    Other(char),
}

/// A token and its byte span in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// `true` for the bare word `kw` (any case).
    pub fn is(&self, kw: &str) -> bool {
        matches!(&self.tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }

    /// The identifier this token names, bare or quoted.
    pub fn ident(&self) -> Option<String> {
        match &self.tok {
            Tok::Word(w) | Tok::Quoted(w) => Some(w.clone()),
            _ => None,
        }
    }
}

/// Split `src` into tokens. Never fails: an unterminated quote or comment runs to the end.
pub(super) fn tokenize(src: &str) -> Vec<Token> {
    let b: Vec<(usize, char)> = src.char_indices().collect();
    let at = |k: usize| b.get(k).map(|&(_, c)| c);
    let pos = |k: usize| b.get(k).map_or(src.len(), |&(p, _)| p);
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(c) = at(k) {
        let start = k;
        let tok = match c {
            c if c.is_whitespace() => {
                k += 1;
                continue;
            }
            '-' if at(k + 1) == Some('-') => {
                while at(k).is_some_and(|c| c != '\n') {
                    k += 1;
                }
                continue;
            }
            '/' if at(k + 1) == Some('*') => {
                k += 2;
                while at(k).is_some() && !(at(k) == Some('*') && at(k + 1) == Some('/')) {
                    k += 1;
                }
                k = (k + 2).min(b.len());
                continue;
            }
            '\'' => {
                k = skip_quoted(&b, k, '\'');
                Tok::Str
            }
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                k = skip_quoted(&b, k, close);
                let inner_end = if at(k - 1) == Some(close) && k - 1 > start {
                    k - 1
                } else {
                    k
                };
                let text: String = b[start + 1..inner_end].iter().map(|&(_, c)| c).collect();
                let doubled: String = [close, close].iter().collect();
                Tok::Quoted(text.replace(&doubled, &close.to_string()))
            }
            '(' => {
                k += 1;
                Tok::Open
            }
            ')' => {
                k += 1;
                Tok::Close
            }
            ',' => {
                k += 1;
                Tok::Comma
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                while at(k).is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                    k += 1;
                }
                Tok::Word(b[start..k].iter().map(|&(_, c)| c).collect())
            }
            c => {
                k += 1;
                Tok::Other(c)
            }
        };
        out.push(Token {
            tok,
            start: pos(start),
            end: pos(k),
        });
    }
    out
}

/// Index just past the quoted text opened at `k` and closed by `close` (doubled = escaped).
fn skip_quoted(b: &[(usize, char)], k: usize, close: char) -> usize {
    let mut j = k + 1;
    while j < b.len() {
        if b[j].1 == close {
            if b.get(j + 1).map(|&(_, c)| c) == Some(close) && close != ']' {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

/// Index of the `Close` matching the `Open` at `open`, if any.
pub(super) fn matching(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.tok {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        tokenize(src).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn identifiers_strings_and_parens() {
        use Tok::*;
        assert_eq!(
            kinds(r#"CONSTRAINT "a ""b""" CHECK (x <> 'it''s (not)') -- c"#),
            vec![
                Word("CONSTRAINT".into()),
                Quoted("a \"b\"".into()),
                Word("CHECK".into()),
                Open,
                Word("x".into()),
                Other('<'),
                Other('>'),
                Str,
                Close,
            ]
        );
        assert_eq!(
            kinds("[my col] `t`/* (x */,"),
            vec![Quoted("my col".into()), Quoted("t".into()), Comma]
        );
    }

    #[test]
    fn spans_point_into_the_source() {
        let src = "CHECK (é > 'x')";
        let t = tokenize(src);
        assert_eq!(&src[t[1].start..t[5].end], "(é > 'x')");
        assert_eq!(matching(&t, 1), Some(t.len() - 1));
    }

    #[test]
    fn unterminated_input_does_not_panic() {
        assert_eq!(kinds("\"abc").len(), 1);
        assert_eq!(kinds("'abc").len(), 1);
        assert_eq!(kinds("/* abc").len(), 0);
        assert_eq!(matching(&tokenize("(a"), 0), None);
    }
}
