//! Read what SQLite's pragmas do not tell from the stored DDL text: constraint names, CHECK
//! constraints, and partial-index predicates.

use super::lexer::{matching, tokenize, Tok, Token};

/// A constraint declared in a `CREATE TABLE` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DdlConstraint {
    /// `CONSTRAINT "name"`, when given.
    pub name: Option<String>,
    /// The column it was declared on, for column constraints.
    pub column: Option<String>,
    /// What it is.
    pub kind: DdlKind,
}

/// The kinds of constraint the reader extracts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DdlKind {
    /// `PRIMARY KEY (cols)`.
    PrimaryKey(Vec<String>),
    /// `UNIQUE (cols)`.
    Unique(Vec<String>),
    /// `CHECK (expr)`: the expression text as written.
    Check(String),
    /// `FOREIGN KEY (cols) REFERENCES table (cols)`.
    ForeignKey {
        /// Referencing columns.
        columns: Vec<String>,
        /// Referenced table.
        ref_table: String,
    },
}

/// Every constraint of a `CREATE TABLE` statement, in the order written. Unreadable parts are skipped.
pub(super) fn table_constraints(sql: &str) -> Vec<DdlConstraint> {
    let tokens = tokenize(sql);
    let Some(open) = tokens.iter().position(|t| t.tok == Tok::Open) else {
        return Vec::new();
    };
    let close = matching(&tokens, open).unwrap_or(tokens.len());
    let mut out = Vec::new();
    for item in split_top_level(&tokens[open + 1..close]) {
        let Some(first) = item.first() else { continue };
        let is_table_constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|kw| first.is(kw));
        if is_table_constraint {
            out.extend(constraints(sql, item, None));
        } else if let Some(col) = first.ident() {
            out.extend(constraints(sql, &item[1..], Some(col)));
        }
    }
    out
}

/// The generation expression of each generated column of a `CREATE TABLE` statement
/// (`"c" TEXT GENERATED ALWAYS AS (lower(b)) STORED`, or `AS (..)` alone): `(column, expression)`.
pub(super) fn generated_expressions(sql: &str) -> Vec<(String, String)> {
    let tokens = tokenize(sql);
    let Some(open) = tokens.iter().position(|t| t.tok == Tok::Open) else {
        return Vec::new();
    };
    let close = matching(&tokens, open).unwrap_or(tokens.len());
    let mut out = Vec::new();
    for item in split_top_level(&tokens[open + 1..close]) {
        let Some(column) = item.first().and_then(Token::ident) else {
            continue;
        };
        let mut i = 1;
        while i < item.len() {
            if item[i].tok == Tok::Open {
                i = matching(item, i).unwrap_or(item.len());
            } else if item[i].is("AS") && item.get(i + 1).is_some_and(|t| t.tok == Tok::Open) {
                if let Some(end) = matching(item, i + 1) {
                    out.push((column.clone(), sql[item[i + 1].end..item[end].start].trim().to_string()));
                }
                break;
            }
            i += 1;
        }
    }
    out
}

/// The query of a `CREATE VIEW name [(columns)] AS <query>` statement, or the statement itself when
/// it is not one.
pub(super) fn view_query(sql: &str) -> String {
    let tokens = tokenize(sql);
    let mut depth = 0usize;
    for t in &tokens {
        match t.tok {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            _ if depth == 0 && t.is("AS") => return sql[t.end..].trim().to_string(),
            _ => {}
        }
    }
    sql.to_string()
}

/// The predicate after `WHERE` in a `CREATE INDEX` statement.
pub(super) fn index_predicate(sql: &str) -> Option<String> {
    let tokens = tokenize(sql);
    let mut depth = 0usize;
    for t in &tokens {
        match t.tok {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            _ if depth == 0 && t.is("WHERE") => {
                let rest = sql[t.end..].trim().trim_end_matches(';').trim();
                return (!rest.is_empty()).then(|| rest.to_string());
            }
            _ => {}
        }
    }
    None
}

/// Split a token list at commas outside parentheses.
fn split_top_level(tokens: &[Token]) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let (mut depth, mut from) = (0usize, 0usize);
    for (i, t) in tokens.iter().enumerate() {
        match t.tok {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            Tok::Comma if depth == 0 => {
                out.push(&tokens[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push(&tokens[from..]);
    out
}

/// The constraints in one table item (a table constraint, or a column definition after its name).
fn constraints(sql: &str, t: &[Token], column: Option<String>) -> Vec<DdlConstraint> {
    let own = || column.iter().cloned().collect::<Vec<_>>();
    let mut out = Vec::new();
    let mut name = None;
    let mut i = 0;
    while i < t.len() {
        let tok = &t[i];
        let kind = if tok.is("CONSTRAINT") {
            name = t.get(i + 1).and_then(Token::ident);
            i += 2;
            continue;
        } else if tok.is("PRIMARY") {
            let (cols, next) = column_list(t, i + 2);
            i = next;
            Some(DdlKind::PrimaryKey(cols.unwrap_or_else(own)))
        } else if tok.is("UNIQUE") {
            let (cols, next) = column_list(t, i + 1);
            i = next;
            Some(DdlKind::Unique(cols.unwrap_or_else(own)))
        } else if tok.is("CHECK") && t.get(i + 1).is_some_and(|o| o.tok == Tok::Open) {
            let from = t[i + 1].end;
            let (expr, next) = match matching(t, i + 1) {
                Some(close) => (&sql[from..t[close].start], close + 1),
                None => (&sql[from..], t.len()),
            };
            i = next;
            Some(DdlKind::Check(expr.trim().to_string()))
        } else if tok.is("FOREIGN") {
            let (cols, next) = column_list(t, i + 2);
            i = next;
            references(t, &mut i).map(|ref_table| DdlKind::ForeignKey {
                columns: cols.unwrap_or_default(),
                ref_table,
            })
        } else if tok.is("REFERENCES") {
            references(t, &mut i).map(|ref_table| DdlKind::ForeignKey {
                columns: own(),
                ref_table,
            })
        } else {
            if tok.tok == Tok::Open {
                i = matching(t, i).unwrap_or(t.len());
            } else if ["NOT", "NULL", "DEFAULT", "COLLATE", "GENERATED", "AS"]
                .iter()
                .any(|kw| tok.is(kw))
            {
                name = None;
            }
            i += 1;
            None
        };
        if let Some(kind) = kind {
            out.push(DdlConstraint {
                name: name.take(),
                column: column.clone(),
                kind,
            });
        }
    }
    out
}

/// `(a, b DESC, c COLLATE x)` at `at` → the first identifier of each element, and the index after it.
fn column_list(t: &[Token], at: usize) -> (Option<Vec<String>>, usize) {
    if t.get(at).map(|x| &x.tok) != Some(&Tok::Open) {
        return (None, at);
    }
    let close = matching(t, at).unwrap_or(t.len());
    let inner = &t[(at + 1).min(close)..close];
    let cols = split_top_level(inner)
        .into_iter()
        .filter_map(|el| el.first().and_then(Token::ident))
        .collect();
    (Some(cols), close + 1)
}

/// At `REFERENCES table [(cols)]` (found at or after `*i`): the table; `*i` moves past the column list.
fn references(t: &[Token], i: &mut usize) -> Option<String> {
    let at = (*i..t.len()).find(|&k| t[k].is("REFERENCES"))?;
    let table = t.get(at + 1).and_then(Token::ident)?;
    let (_, next) = column_list(t, at + 2);
    *i = next.max(at + 2);
    Some(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: Option<&str>, column: Option<&str>, kind: DdlKind) -> DdlConstraint {
        DdlConstraint {
            name: name.map(Into::into),
            column: column.map(Into::into),
            kind,
        }
    }

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn generated_columns_and_view_queries() {
        let sql = r#"CREATE TABLE t ("a" TEXT NOT NULL, "b" TEXT GENERATED ALWAYS AS (lower("a")) STORED, c INT AS (length(a) + (1)), d TEXT DEFAULT ('x'))"#;
        assert_eq!(
            generated_expressions(sql),
            [
                ("b".to_string(), r#"lower("a")"#.to_string()),
                ("c".to_string(), "length(a) + (1)".to_string())
            ]
        );
        assert_eq!(view_query("CREATE VIEW \"v\" (x) AS\nSELECT 1 AS x"), "SELECT 1 AS x");
    }

    #[test]
    fn table_and_column_constraints_with_and_without_names() {
        let sql = r#"CREATE TABLE "posts" (
            "id" INTEGER PRIMARY KEY,
            "author_id" INTEGER NOT NULL CONSTRAINT "fk_a" REFERENCES "users" ("id") ON DELETE CASCADE,
            "slug" VARCHAR(200) NOT NULL DEFAULT ('a,b') UNIQUE,
            "age" INTEGER CONSTRAINT "ck_age" CHECK (age >= 0 AND (age < 200)),
            "note" TEXT CHECK (note <> ')'),
            CONSTRAINT "uq_posts_author_id_slug" UNIQUE ("author_id", "slug"),
            CONSTRAINT "fk_posts_x" FOREIGN KEY ("author_id", slug) REFERENCES other (a, b) ON UPDATE SET NULL,
            CONSTRAINT "ck_posts_positive" CHECK ( id > 0 ),
            CHECK (length(slug) > 0)
        )"#;
        let got = table_constraints(sql);
        let fk = |cols: &[&str], t: &str| DdlKind::ForeignKey {
            columns: v(cols),
            ref_table: t.into(),
        };
        assert_eq!(
            got,
            vec![
                c(None, Some("id"), DdlKind::PrimaryKey(v(&["id"]))),
                c(Some("fk_a"), Some("author_id"), fk(&["author_id"], "users")),
                c(None, Some("slug"), DdlKind::Unique(v(&["slug"]))),
                c(
                    Some("ck_age"),
                    Some("age"),
                    DdlKind::Check("age >= 0 AND (age < 200)".into())
                ),
                c(None, Some("note"), DdlKind::Check("note <> ')'".into())),
                c(
                    Some("uq_posts_author_id_slug"),
                    None,
                    DdlKind::Unique(v(&["author_id", "slug"]))
                ),
                c(Some("fk_posts_x"), None, fk(&["author_id", "slug"], "other")),
                c(Some("ck_posts_positive"), None, DdlKind::Check("id > 0".into())),
                c(None, None, DdlKind::Check("length(slug) > 0".into())),
            ]
        );
    }

    #[test]
    fn composite_primary_key_and_not_null_names() {
        let sql = "CREATE TABLE t (a INT CONSTRAINT nn NOT NULL, b INT, CONSTRAINT \"pk_t\" PRIMARY KEY (a, b DESC))";
        assert_eq!(
            table_constraints(sql),
            vec![c(Some("pk_t"), None, DdlKind::PrimaryKey(v(&["a", "b"])))]
        );
    }

    #[test]
    fn index_predicates() {
        assert_eq!(
            index_predicate("CREATE UNIQUE INDEX \"ux\" ON \"t\" (\"a\") WHERE deleted_at IS NULL;").as_deref(),
            Some("deleted_at IS NULL")
        );
        assert_eq!(index_predicate("CREATE INDEX ix ON t (a)"), None);
    }

    #[test]
    fn garbage_does_not_panic() {
        for sql in [
            "",
            "CREATE TABLE",
            "CREATE TABLE t (",
            "CREATE TABLE t (a CHECK (",
            "x (CONSTRAINT",
            "t (FOREIGN KEY",
        ] {
            let _ = table_constraints(sql);
            let _ = index_predicate(sql);
        }
    }
}
