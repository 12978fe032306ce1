//! A small lexer for the SQL text of views, functions and triggers: enough to find the name and
//! table of an object, the names it mentions (its dependencies), where its statement ends, and a
//! normalized form for comparing two texts.
//!
//! It knows single-quoted strings (`''` inside), double-quoted and back-quoted identifiers, `--` and
//! `/* */` comments and PostgreSQL's dollar quotes (`$$ .. $$`, `$fn$ .. $fn$`). The text inside a
//! dollar quote is lexed too (it is a function body whose names are dependencies), but a `;` in it
//! ends nothing.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A bare word: keyword or unquoted identifier (`select`, `users`, `now`).
    Word,
    /// A quoted identifier (`"users"`, `` `users` ``); its text is without the quotes.
    Quoted,
    /// A string literal, quotes included.
    Str,
    /// A dollar-quote delimiter (`$$`, `$body$`).
    Dollar,
    /// A `;`.
    Semicolon,
    /// Any other character (`(`, `,`, `.`, `*`, `=`, ...), one per token.
    Punct,
}

/// One token: its kind, its text (for [`Kind::Quoted`] without the quotes, quotes doubled inside
/// undone) and its byte range in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Inside a dollar-quoted body.
    pub in_body: bool,
}

impl Token {
    /// A bare word equal to `kw`, ignoring case.
    pub(crate) fn is(&self, kw: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(kw)
    }

    /// A name (bare word or quoted identifier), as the database stores it: a bare word lower-cased
    /// when `fold` (PostgreSQL folds unquoted names to lower case), a quoted one as written.
    pub(crate) fn name(&self, fold: bool) -> Option<String> {
        match self.kind {
            Kind::Word if fold => Some(self.text.to_lowercase()),
            Kind::Word | Kind::Quoted => Some(self.text.clone()),
            _ => None,
        }
    }
}

/// The tokens of `sql`; comments and blanks are left out.
pub(crate) fn tokens(sql: &str) -> Vec<Token> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut body: Option<String> = None;
    while i < b.len() {
        let c = b[i];
        let in_body = body.is_some();
        let (kind, end, text) = match c {
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(b.len(), |e| i + e + 1);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                continue;
            }
            b'\'' => {
                let end = quoted_end(b, i, b'\'');
                (Kind::Str, end, sql[i..end].to_string())
            }
            b'"' | b'`' => {
                let end = quoted_end(b, i, c);
                let q = char::from(c);
                let closed = end > i + 1 && b[end - 1] == c;
                let inner = sql[i + 1..if closed { end - 1 } else { end }].replace(&format!("{q}{q}"), &q.to_string());
                (Kind::Quoted, end, inner)
            }
            b'$' => match dollar_tag(b, i) {
                Some(end) => {
                    let tag = sql[i..end].to_string();
                    match &body {
                        Some(open) if *open == tag => body = None,
                        Some(_) => {}
                        None => body = Some(tag.clone()),
                    }
                    (Kind::Dollar, end, tag)
                }
                None => (Kind::Punct, i + 1, "$".to_string()),
            },
            b';' => (Kind::Semicolon, i + 1, ";".to_string()),
            c if is_word_byte(c) => {
                let end = b[i..].iter().position(|&c| !is_word_byte(c)).map_or(b.len(), |p| i + p);
                (Kind::Word, end, sql[i..end].to_string())
            }
            _ => {
                let ch = sql[i..].chars().next().unwrap_or(' ');
                (Kind::Punct, i + ch.len_utf8(), ch.to_string())
            }
        };
        out.push(Token {
            kind,
            text,
            start: i,
            end,
            in_body: in_body && kind != Kind::Dollar,
        });
        i = end;
    }
    out
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// The end (exclusive) of the quoted text starting at `start`, quote doubled inside.
fn quoted_end(b: &[u8], start: usize, q: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// The end of a dollar-quote tag (`$$`, `$tag$`) starting at `start`, if one starts there.
fn dollar_tag(b: &[u8], start: usize) -> Option<usize> {
    if start > 0 && is_word_byte(b[start - 1]) {
        return None;
    }
    let mut i = start + 1;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    let tag_ok = i == start + 1 || !b[start + 1].is_ascii_digit();
    (b.get(i) == Some(&b'$') && tag_ok).then_some(i + 1)
}

/// Every name `sql` mentions (bare words lower-cased, quoted names as written and lower-cased), for
/// finding which tables, views and functions it depends on. Keywords are names too: callers match
/// the result against known object names.
pub(crate) fn mentioned(sql: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for t in tokens(sql) {
        match t.kind {
            Kind::Word => {
                out.insert(t.text.to_lowercase());
            }
            Kind::Quoted => {
                out.insert(t.text.to_lowercase());
                out.insert(t.text);
            }
            Kind::Str if t.in_body => {
                // a plpgsql body may run SQL held in strings (EXECUTE '...'): its names count too
                let inner = t.text.trim_matches('\'').replace("''", "'");
                out.extend(mentioned(&inner));
            }
            _ => {}
        }
    }
    out
}

/// `true` when `sql` selects `*` (every column of a table it reads).
pub(crate) fn selects_all(sql: &str) -> bool {
    tokens(sql).iter().any(|t| t.kind == Kind::Punct && t.text == "*")
}

/// `sql` as comparable text: comments left out, blanks reduced to one space where they separate two
/// words (none elsewhere), a final `;` dropped. Two texts that differ only in comments, blanks and
/// line breaks (outside quotes) normalize alike; case is kept.
///
/// ```
/// use model_core::ir::normalize_sql;
/// assert_eq!(normalize_sql("SELECT  a ,b -- why\nFROM t ;"), "SELECT a,b FROM t");
/// assert_eq!(normalize_sql("SELECT 'a  b'"), "SELECT 'a  b'");
/// ```
pub fn normalize_sql(sql: &str) -> String {
    let toks = tokens(sql);
    let mut out = String::with_capacity(sql.len());
    let mut last_word = false;
    let n = toks.len();
    for (i, t) in toks.iter().enumerate() {
        if t.kind == Kind::Semicolon && i + 1 == n {
            break;
        }
        let text = match t.kind {
            Kind::Quoted => &sql[t.start..t.end],
            _ => t.text.as_str(),
        };
        let word = matches!(t.kind, Kind::Word | Kind::Quoted | Kind::Str | Kind::Dollar);
        if last_word && word && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(text);
        last_word = word;
    }
    out
}

/// The byte offset just after the `;` that ends the first statement of `sql` (or its length): a `;`
/// inside quotes, a dollar-quoted body or a `BEGIN .. END` block (trigger and MySQL routine
/// bodies, with `CASE .. END` inside) ends nothing.
pub(crate) fn first_statement_end(sql: &str) -> usize {
    let mut depth = 0usize;
    let mut after_end = false;
    for t in tokens(sql) {
        if t.in_body {
            continue;
        }
        match t.kind {
            Kind::Word => {
                let w = t.text.to_ascii_uppercase();
                match w.as_str() {
                    "BEGIN" => depth += 1,
                    "CASE" if !after_end => depth += 1,
                    // `END IF`, `END LOOP`, ... close what their own keyword did not open
                    "IF" | "LOOP" | "WHILE" | "REPEAT" if after_end => depth += 1,
                    "END" => depth = depth.saturating_sub(1),
                    _ => {}
                }
                after_end = w == "END";
            }
            Kind::Semicolon if depth == 0 => return t.end,
            _ => after_end = false,
        }
    }
    sql.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_bodies_and_strings_are_mentioned() {
        let sql = "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.\"At\" := now(); \
                   EXECUTE 'UPDATE audit SET n = 1'; RETURN NEW; END $$ LANGUAGE plpgsql";
        let m = mentioned(sql);
        for name in ["f", "now", "at", "At", "audit", "plpgsql"] {
            assert!(m.contains(name), "{name}: {m:?}");
        }
    }

    #[test]
    fn statements_end_outside_bodies() {
        let pg = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; SELECT 2;";
        assert_eq!(
            &pg[..first_statement_end(pg)],
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;"
        );
        let sqlite = "CREATE TRIGGER t AFTER UPDATE ON x BEGIN UPDATE x SET a = CASE WHEN 1 THEN 2 END; END; X";
        assert!(sqlite[..first_statement_end(sqlite)].ends_with("END; END;"));
        let mysql = "CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW BEGIN IF NEW.a > 1 THEN SET NEW.b = 2; END IF; \
                     CASE WHEN 1 THEN SET NEW.c = 1; END CASE; END; next";
        assert!(mysql[..first_statement_end(mysql)].ends_with("END CASE; END;"));
        assert_eq!(first_statement_end("SELECT 'a;b'"), 12);
    }

    #[test]
    fn normalized_texts() {
        assert_eq!(normalize_sql("a\n  ( b )  /* x */ ;"), "a(b)");
        assert_eq!(normalize_sql("SELECT \"a  b\" FROM t"), "SELECT \"a  b\" FROM t");
        assert_eq!(normalize_sql("$$ x $$"), "$$ x $$");
    }
}
