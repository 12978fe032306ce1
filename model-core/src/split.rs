//! Split a migration script into its statements, and normalize it for checksums.
//!
//! One small lexer serves both: it knows each dialect's quotes and comments, so semicolons inside
//! them neither split nor count, and PostgreSQL's dollar quoting (`$$ ... $$`, `$fn$ ... $fn$`),
//! SQLite's trigger bodies (`CREATE TRIGGER .. BEGIN ..; ..; END`) and MySQL's compound statements
//! in triggers, functions, procedures and events (`BEGIN ..; IF .. THEN ..; END IF; .. END`) stay
//! whole.
//!
//! Not supported: MySQL's `DELIMITER` (a command of the `mysql` client, not SQL): write the
//! statements without it.

use crate::ir::Dialect;

/// A piece of a script, as the lexer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// Quoted text (string, quoted identifier, dollar-quoted body), quotes included.
    Quoted,
    /// A comment (`-- ...`, `# ...` on MySQL, `/* ... */`).
    Comment,
    /// Blanks.
    Space,
    /// A word (keyword or identifier).
    Word,
    /// A `;`.
    Semicolon,
    /// Anything else (one character).
    Other,
}

/// Call `f` with each piece of `script` and its byte range, in order.
fn lex(script: &str, dialect: Dialect, mut f: impl FnMut(Piece, usize, usize)) {
    let b = script.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let (piece, end) = match c {
            b'\'' | b'"' => (Piece::Quoted, skip_quoted(b, i, c, dialect == Dialect::Mysql)),
            b'`' if dialect != Dialect::Postgres => (Piece::Quoted, skip_quoted(b, i, c, false)),
            b'-' if b.get(i + 1) == Some(&b'-')
                && (dialect != Dialect::Mysql || b.get(i + 2).is_none_or(|c| c.is_ascii_whitespace())) =>
            {
                (Piece::Comment, line_end(b, i))
            }
            b'#' if dialect == Dialect::Mysql => (Piece::Comment, line_end(b, i)),
            b'/' if b.get(i + 1) == Some(&b'*') => (
                Piece::Comment,
                script[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2),
            ),
            b'$' if dialect == Dialect::Postgres && !(i > 0 && is_word_byte(b[i - 1])) => match dollar_tag(b, i) {
                Some(tag_end) => {
                    let tag = &script[i..tag_end];
                    let close = script[tag_end..].find(tag).map_or(b.len(), |e| tag_end + e + tag.len());
                    (Piece::Quoted, close)
                }
                None => (Piece::Other, i + 1),
            },
            b';' => (Piece::Semicolon, i + 1),
            c if c.is_ascii_whitespace() => (
                Piece::Space,
                b[i..]
                    .iter()
                    .position(|c| !c.is_ascii_whitespace())
                    .map_or(b.len(), |p| i + p),
            ),
            c if is_word_byte(c) => (
                Piece::Word,
                b[i..].iter().position(|&c| !is_word_byte(c)).map_or(b.len(), |p| i + p),
            ),
            // punctuation: a run of it up to the next byte that may start something else
            _ => (
                Piece::Other,
                b[i + 1..]
                    .iter()
                    .position(|&c| is_word_byte(c) || c.is_ascii_whitespace() || b"'\"`-#/$;".contains(&c))
                    .map_or(b.len(), |p| i + 1 + p),
            ),
        };
        let end = end.min(b.len()).max(i + 1);
        f(piece, i, end);
        i = end;
    }
}

/// Where a `;` ends a statement: not inside a SQLite trigger body (`CREATE [TEMP] TRIGGER ..
/// BEGIN ..; ..; END`, with `CASE .. END` inside), nor inside a MySQL compound statement of a
/// trigger, function, procedure or event (`BEGIN .. END`, with `CASE .. END [CASE]`, and `IF`,
/// `LOOP`, `WHILE`, `REPEAT` closed by `END IF`, ...).
#[derive(Debug, Default)]
struct Bounds {
    /// Words seen at the start of the statement (up to 3; up to 6 on MySQL).
    first: usize,
    /// The statement is a trigger (`CREATE`, then `TRIGGER` or `TEMP[ORARY] TRIGGER`), or on MySQL
    /// a routine or event.
    trigger: bool,
    create: bool,
    temp: bool,
    /// BEGIN/CASE .. END depth.
    depth: usize,
    /// The previous word was `END` (MySQL: `END IF`, `END CASE`, ... close one block, not two).
    after_end: bool,
}

impl Bounds {
    /// A word of a MySQL statement.
    fn mysql_word(&mut self, w: &str) {
        if self.first < 6 {
            self.first += 1;
            if self.first == 1 {
                self.create = w.eq_ignore_ascii_case("CREATE");
            } else if self.create
                && ["TRIGGER", "FUNCTION", "PROCEDURE", "EVENT"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k))
            {
                self.trigger = true;
            }
        }
        if self.trigger {
            let after_end = std::mem::take(&mut self.after_end);
            let is = |k: &str| w.eq_ignore_ascii_case(k);
            let opens = is("BEGIN") || (is("CASE") && !after_end);
            let opens_after_end = after_end && (is("IF") || is("LOOP") || is("WHILE") || is("REPEAT"));
            if opens || opens_after_end {
                self.depth += 1;
            } else if is("END") {
                self.depth = self.depth.saturating_sub(1);
                self.after_end = true;
            }
        }
    }

    fn word(&mut self, w: &str) {
        if self.first < 3 {
            self.first += 1;
            match self.first {
                1 => self.create = w.eq_ignore_ascii_case("CREATE"),
                2 if self.create && (w.eq_ignore_ascii_case("TEMP") || w.eq_ignore_ascii_case("TEMPORARY")) => {
                    self.temp = true
                }
                2 | 3 if self.create && (self.first == 2 || self.temp) => {
                    self.trigger = w.eq_ignore_ascii_case("TRIGGER")
                }
                _ => {}
            }
        }
        if self.trigger {
            if w.eq_ignore_ascii_case("BEGIN") || w.eq_ignore_ascii_case("CASE") {
                self.depth += 1;
            } else if w.eq_ignore_ascii_case("END") {
                self.depth = self.depth.saturating_sub(1);
            }
        }
    }

    /// A `;` now ends the statement (and the state starts again) or is inside a trigger body.
    fn ends(&mut self) -> bool {
        if self.depth > 0 {
            return false;
        }
        *self = Bounds::default();
        true
    }
}

/// What [`walk`] reports.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// A piece of the current statement (a `;` inside a trigger body included), with its range.
    Piece(Piece, usize, usize),
    /// The current statement ends at `.0` (its `;`, or the end of the script); the next starts at `.1`.
    End(usize, usize),
}

/// Call `f` with the pieces of `script`, statement by statement.
fn walk(script: &str, dialect: Dialect, mut f: impl FnMut(Event)) {
    let mut bounds = Bounds::default();
    lex(script, dialect, |piece, s, e| match piece {
        Piece::Semicolon if bounds.ends() => f(Event::End(s, e)),
        Piece::Word if dialect == Dialect::Sqlite => {
            bounds.word(&script[s..e]);
            f(Event::Piece(piece, s, e))
        }
        Piece::Word if dialect == Dialect::Mysql => {
            bounds.mysql_word(&script[s..e]);
            f(Event::Piece(piece, s, e))
        }
        Piece::Semicolon | Piece::Other if dialect == Dialect::Mysql => {
            bounds.after_end = false;
            if piece == Piece::Semicolon && bounds.ends() {
                f(Event::End(s, e))
            } else {
                f(Event::Piece(piece, s, e))
            }
        }
        _ => f(Event::Piece(piece, s, e)),
    });
    f(Event::End(script.len(), script.len()));
}

/// The statements of `script`, each trimmed, without its `;`. Semicolons inside quotes and comments
/// (see the module doc) do not split; comments stay with the statement that follows them. Pieces
/// holding only comments and blanks are left out (databases refuse an empty query).
pub(crate) fn statements(script: &str, dialect: Dialect) -> Vec<String> {
    let mut out = Vec::new();
    let (mut start, mut has_sql) = (0, false);
    walk(script, dialect, |event| match event {
        Event::Piece(Piece::Comment | Piece::Space, ..) => {}
        Event::Piece(..) => has_sql = true,
        Event::End(at, next) => {
            if has_sql {
                out.push(script[start..at].trim().to_string());
            }
            (start, has_sql) = (next, false);
        }
    });
    out
}

/// Feed `out` with `script` normalized: comments left out, blanks reduced to what separates two
/// words, one statement a line, each ended by `;`. Two scripts that differ only in comments,
/// blanks and line breaks (outside quotes) give the same text. What the checksums of applied
/// migrations are taken of; no allocation.
pub(crate) fn normalize_into(script: &str, dialect: Dialect, mut out: impl FnMut(&str)) {
    // SQL pieces next to each other are given to `out` as one run
    let mut run: Option<(usize, usize)> = None;
    let (mut pending_space, mut last_is_word, mut has_sql) = (false, false, false);
    let flush = |run: &mut Option<(usize, usize)>, last_is_word: &mut bool, out: &mut dyn FnMut(&str)| {
        if let Some((s, e)) = run.take() {
            out(&script[s..e]);
            *last_is_word = script[s..e].chars().next_back().is_some_and(is_word_char);
        }
    };
    walk(script, dialect, |event| match event {
        Event::Piece(Piece::Comment | Piece::Space, ..) => pending_space = true,
        Event::Piece(_, s, e) => {
            match run {
                Some((rs, re)) if re == s && !pending_space => run = Some((rs, e)),
                _ => {
                    flush(&mut run, &mut last_is_word, &mut out);
                    if pending_space && last_is_word && script[s..e].chars().next().is_some_and(is_word_char) {
                        out(" ");
                    }
                    run = Some((s, e));
                }
            }
            pending_space = false;
            has_sql = true;
        }
        Event::End(..) => {
            flush(&mut run, &mut last_is_word, &mut out);
            if has_sql {
                out(";\n");
            }
            (pending_space, last_is_word, has_sql) = (false, false, false);
        }
    });
}

/// [`normalize_into`] as a string.
#[cfg(test)]
pub(crate) fn normalized(script: &str, dialect: Dialect) -> String {
    let mut s = String::with_capacity(script.len());
    normalize_into(script, dialect, |piece| s.push_str(piece));
    s
}

/// `statement` without the comment lines above it (`-- ` and `#` lines), for messages.
pub(crate) fn without_leading_comments(statement: &str) -> &str {
    let mut rest = statement.trim_start();
    while rest.starts_with("--") || rest.starts_with('#') {
        rest = rest.split_once('\n').map_or("", |(_, after)| after).trim_start();
    }
    rest
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// If a dollar-quote tag (`$$`, `$tag$`) starts at `i`, the index after it.
fn dollar_tag(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if b.get(j).is_some_and(|c| c.is_ascii_digit()) {
        return None; // $1: a parameter
    }
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] >= 0x80) {
        j += 1;
    }
    (b.get(j) == Some(&b'$')).then_some(j + 1)
}

/// Index after the quoted text starting at `i` (quote `q`; doubled quotes skipped, and backslash
/// escapes when `backslash`), or the end of the script when it is not closed.
fn skip_quoted(b: &[u8], i: usize, q: u8, backslash: bool) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if backslash => j += 2,
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
    use super::{normalized, statements};
    use crate::ir::Dialect::{Mysql, Postgres, Sqlite};

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let script = "-- header; not a statement\n\n\
                      CREATE TABLE `a;b` (c TEXT DEFAULT ('x;''y\\';'));\n\n\
                      # hash comment;\n/* block; */ INSERT INTO t VALUES (\"q;\");\n\
                      -- DATA LOSS: drops x\nDROP TABLE x;\n-- trailing comment only\n";
        assert_eq!(
            statements(script, Mysql),
            [
                "-- header; not a statement\n\nCREATE TABLE `a;b` (c TEXT DEFAULT ('x;''y\\';'))",
                "# hash comment;\n/* block; */ INSERT INTO t VALUES (\"q;\")",
                "-- DATA LOSS: drops x\nDROP TABLE x",
            ]
        );
    }

    #[test]
    fn last_statement_without_semicolon_and_odd_text() {
        assert_eq!(statements("SELECT 1; SELECT 2", Mysql), ["SELECT 1", "SELECT 2"]);
        assert_eq!(statements("SELECT 'open", Mysql), ["SELECT 'open"]);
        assert_eq!(statements("SELECT 1 /* open", Mysql), ["SELECT 1 /* open"]);
        assert_eq!(statements("a--b;", Mysql), ["a--b"]);
        assert!(statements("-- only\n;;", Mysql).is_empty());
        assert_eq!(
            statements("SELECT 'é;'; SELECT 2", Postgres),
            ["SELECT 'é;'", "SELECT 2"]
        );
    }

    #[test]
    fn postgres_dollar_quotes_stay_whole() {
        let script = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\
                      DO $body$ BEGIN PERFORM 1; END $body$;\n\
                      SELECT $1, a$b$ FROM t; -- no dollar quote in a$b$\n\
                      SELECT 'a\\'; SELECT 2";
        assert_eq!(
            statements(script, Postgres),
            [
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                "DO $body$ BEGIN PERFORM 1; END $body$",
                "SELECT $1, a$b$ FROM t",
                "-- no dollar quote in a$b$\nSELECT 'a\\'",
                "SELECT 2",
            ]
        );
        // `#` is an operator, and `--x` a comment, on PostgreSQL
        assert_eq!(
            statements("SELECT 1 # 2;--x;\nSELECT 3", Postgres),
            ["SELECT 1 # 2", "--x;\nSELECT 3"]
        );
    }

    #[test]
    fn mysql_compound_statements_stay_whole() {
        let trigger = "CREATE DEFINER=`root`@`%` TRIGGER t BEFORE UPDATE ON x FOR EACH ROW BEGIN\n  \
                       IF NEW.a > 1 THEN SET NEW.b = 2; ELSE SET NEW.b = 3; END IF;\n  \
                       CASE NEW.a WHEN 1 THEN SET NEW.c = 1; ELSE SET NEW.c = 0; END CASE;\n  \
                       SET NEW.d = CASE WHEN NEW.a > 0 THEN 1 ELSE 0 END;\nEND";
        let function = "CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC BEGIN\n  DECLARE y INT;\n  \
                        l: LOOP SET y = x; LEAVE l; END LOOP l;\n  RETURN y;\nEND";
        let script = format!("CREATE TABLE x (a INT);\n{trigger};\n{function};\nSELECT 1;");
        assert_eq!(
            statements(&script, Mysql),
            ["CREATE TABLE x (a INT)", trigger, function, "SELECT 1"]
        );
        // BEGIN outside a routine (a transaction) splits as usual
        assert_eq!(statements("BEGIN; SELECT 1; COMMIT;", Mysql).len(), 3);
    }

    #[test]
    fn sqlite_trigger_bodies_stay_whole() {
        let script = "CREATE TABLE t (a INTEGER);\n\
                      CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN\n  \
                      UPDATE t SET a = CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  DELETE FROM t WHERE a < 0;\nEND;\n\
                      CREATE INDEX ix ON t (a);";
        assert_eq!(
            statements(script, Sqlite),
            [
                "CREATE TABLE t (a INTEGER)",
                "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET a = CASE WHEN a > 0 THEN 1 ELSE 0 \
                 END;\n  DELETE FROM t WHERE a < 0;\nEND",
                "CREATE INDEX ix ON t (a)",
            ]
        );
        // BEGIN outside a trigger (a transaction) splits as usual
        assert_eq!(
            statements("BEGIN; SELECT 1; END;", Sqlite),
            ["BEGIN", "SELECT 1", "END"]
        );
    }

    #[test]
    fn normalization_ignores_comments_and_blanks_but_not_quoted_text() {
        let a = "-- create users\nCREATE TABLE users (\n    id INTEGER PRIMARY KEY, -- the key\n    name TEXT\n);\n";
        let b = "CREATE TABLE users(id INTEGER PRIMARY KEY,name TEXT) ;   /* trailing */";
        assert_eq!(normalized(a, Postgres), normalized(b, Postgres));
        assert_eq!(
            normalized(a, Postgres),
            "CREATE TABLE users(id INTEGER PRIMARY KEY,name TEXT);\n"
        );
        assert_ne!(normalized(a, Postgres), normalized(&a.replace("name", "nom"), Postgres));
        assert_ne!(
            normalized("SELECT 'a  b'", Postgres),
            normalized("SELECT 'a b'", Postgres),
            "blanks inside quotes count"
        );
        assert_ne!(normalized("SELECT a b", Sqlite), normalized("SELECT ab", Sqlite));
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
