//! Lint of hand-written PostgreSQL migrations: statements that block a live table.
//!
//! The build step writes lock-safe forms itself (see [`crate::plan::plan_change`]); a migration
//! written by hand (`diesel migration generate`) gets no such help. [`lint_sql`] flags the statements
//! that take a lock blocking reads or writes of a table that already exists for as long as they scan
//! or rewrite it, and says what to write instead — the rules of squawk and strong_migrations that
//! apply:
//!
//! | rule | flagged | write instead |
//! |---|---|---|
//! | `index-not-concurrent` | `CREATE INDEX` on a table the migration did not create, `DROP INDEX` | `CREATE` / `DROP INDEX CONCURRENTLY`, in a migration with `run_in_transaction = false` |
//! | `constraint-builds-index` | `ADD UNIQUE` / `ADD PRIMARY KEY` without `USING INDEX` | a unique index built concurrently, then `ADD CONSTRAINT .. UNIQUE USING INDEX` |
//! | `constraint-not-valid` | `ADD FOREIGN KEY` / `ADD CHECK` without `NOT VALID` | `.. NOT VALID`, then `VALIDATE CONSTRAINT` in another migration |
//! | `set-not-null` | `ALTER COLUMN .. SET NOT NULL` | `CHECK (c IS NOT NULL) NOT VALID`, `VALIDATE`, `SET NOT NULL`, drop the check |
//! | `rewriting-type-change` | `ALTER COLUMN .. TYPE` | a new column, a batched backfill, a swap (a longer `VARCHAR` or `VARCHAR` → `TEXT` rewrites nothing: allow it) |
//! | `volatile-default` | `ADD COLUMN .. DEFAULT random()` (any volatile function) | add the column without default, set the default, backfill in batches |
//! | `rename` | `RENAME COLUMN` / `RENAME TO` | add the new name beside the old one, switch the code, drop the old one later |
//! | `concurrently-in-transaction` | `CONCURRENTLY` in a migration that runs in a transaction | `run_in_transaction = false` in its `metadata.toml`, one statement per migration |
//!
//! On MySQL/MariaDB ([`lint_sql_for`] with [`Dialect::Mysql`]) the server picks an online algorithm
//! by itself when it can, and silently copies the table under a lock that blocks writes when it
//! cannot; so the rules there are:
//!
//! | rule | flagged | write instead |
//! |---|---|---|
//! | `silent-table-copy` | `ALTER TABLE`, `CREATE INDEX`, `DROP INDEX` on a table the migration did not create, without `LOCK=NONE` or `ALGORITHM=INSTANT` | the same statement with `, ALGORITHM=INPLACE, LOCK=NONE` (or `ALGORITHM=INSTANT`): the server then refuses what it cannot do online instead of copying the table |
//! | `rename` | `RENAME COLUMN`, `RENAME TO`, `RENAME TABLE` | as above |
//!
//! SQLite has no lint: a write locks the whole database file for its duration whatever the
//! statement, and most table changes rebuild the table anyway.
//!
//! A statement is kept on purpose with a comment naming the rule above it (or inside it):
//! `-- model:allow set-not-null` (`-- model:allow all` for every rule). The build step prints the
//! findings as warnings; `model check` fails on them.

use crate::ir::Dialect;
use crate::split::{statements, without_leading_comments};
use std::collections::BTreeSet;
use std::fmt;

/// A lint rule (its name is what `-- model:allow <name>` takes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Rule {
    /// `CREATE INDEX` without `CONCURRENTLY` on an existing table: blocks writes while it builds
    /// (`DROP INDEX` without it: takes `ACCESS EXCLUSIVE`, and waits for every query of the table).
    IndexNotConcurrent,
    /// `ADD UNIQUE` / `ADD PRIMARY KEY` without `USING INDEX`: builds the index under `ACCESS EXCLUSIVE`.
    ConstraintBuildsIndex,
    /// `ADD FOREIGN KEY` / `ADD CHECK` without `NOT VALID`: scans the table under a lock that blocks
    /// writes (both tables, for a foreign key).
    ConstraintNotValid,
    /// `SET NOT NULL`: scans the table under `ACCESS EXCLUSIVE` (no reads, no writes).
    SetNotNull,
    /// `ALTER COLUMN .. TYPE`: most type changes rewrite the table under `ACCESS EXCLUSIVE`.
    RewritingTypeChange,
    /// `ADD COLUMN .. DEFAULT <volatile>`: writes every row under `ACCESS EXCLUSIVE`.
    VolatileDefault,
    /// A column or table renamed: the running older version of the service still uses the old name.
    Rename,
    /// `CONCURRENTLY` in a migration that runs in a transaction: PostgreSQL refuses it.
    ConcurrentlyInTransaction,
    /// MySQL/MariaDB: a table change without `LOCK=NONE` (or `ALGORITHM=INSTANT`): the server copies
    /// the table, blocking writes, when it cannot do the change online, and says nothing.
    SilentTableCopy,
}

impl Rule {
    /// Every rule.
    pub const ALL: [Rule; 9] = [
        Rule::IndexNotConcurrent,
        Rule::ConstraintBuildsIndex,
        Rule::ConstraintNotValid,
        Rule::SetNotNull,
        Rule::RewritingTypeChange,
        Rule::VolatileDefault,
        Rule::Rename,
        Rule::ConcurrentlyInTransaction,
        Rule::SilentTableCopy,
    ];

    /// The rule's name, e.g. `set-not-null`.
    ///
    /// ```
    /// assert_eq!(model_core::lint::Rule::SetNotNull.name(), "set-not-null");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Rule::IndexNotConcurrent => "index-not-concurrent",
            Rule::ConstraintBuildsIndex => "constraint-builds-index",
            Rule::ConstraintNotValid => "constraint-not-valid",
            Rule::SetNotNull => "set-not-null",
            Rule::RewritingTypeChange => "rewriting-type-change",
            Rule::VolatileDefault => "volatile-default",
            Rule::Rename => "rename",
            Rule::ConcurrentlyInTransaction => "concurrently-in-transaction",
            Rule::SilentTableCopy => "silent-table-copy",
        }
    }

    /// Why the statement is a problem, and what to write instead.
    pub fn advice(self) -> &'static str {
        match self {
            Rule::IndexNotConcurrent => {
                "CREATE INDEX blocks every write to the table while it builds (DROP INDEX locks it whole); write \
                 CREATE (DROP) INDEX CONCURRENTLY, alone in a migration whose metadata.toml says run_in_transaction = \
                 false"
            }
            Rule::ConstraintBuildsIndex => {
                "ADD UNIQUE or PRIMARY KEY builds its index under ACCESS EXCLUSIVE (no reads, no writes); build a \
                 unique index CONCURRENTLY in a migration of its own first, then ADD CONSTRAINT .. UNIQUE (PRIMARY KEY) \
                 USING INDEX"
            }
            Rule::ConstraintNotValid => {
                "adding a foreign key or check scans the table under a lock that blocks writes; add it NOT VALID \
                 (new rows are checked at once), then run ALTER TABLE .. VALIDATE CONSTRAINT .. in another migration \
                 (reads and writes go on while it scans)"
            }
            Rule::SetNotNull => {
                "SET NOT NULL scans the table under ACCESS EXCLUSIVE (no reads, no writes); add CHECK (c IS NOT NULL) \
                 NOT VALID, validate it in another migration, then SET NOT NULL (PostgreSQL 12+ uses the valid check \
                 instead of scanning) and drop the check"
            }
            Rule::RewritingTypeChange => {
                "changing a column's type rewrites the table under ACCESS EXCLUSIVE, except a longer VARCHAR, VARCHAR \
                 to TEXT or more NUMERIC precision; add a new column, backfill it in batches, switch the code over and \
                 drop the old one (or allow this statement when it is one of the exceptions)"
            }
            Rule::VolatileDefault => {
                "a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval(..)) writes every row \
                 under ACCESS EXCLUSIVE; add the column without a default, SET DEFAULT in the same migration (new \
                 rows only), and backfill the existing rows in batches"
            }
            Rule::Rename => {
                "the version of the service still running during a deploy reads the old name and fails; add the new \
                 column (or a view under the new table name), write both, switch the code, and drop the old one in a \
                 later release"
            }
            Rule::ConcurrentlyInTransaction => {
                "PostgreSQL refuses CONCURRENTLY inside a transaction; put the statement alone in a migration whose \
                 metadata.toml says run_in_transaction = false"
            }
            Rule::SilentTableCopy => {
                "without LOCK=NONE the server copies the whole table, blocking every write, when it cannot make the \
                 change online, and does not say so; add `, ALGORITHM=INPLACE, LOCK=NONE` (or `ALGORITHM=INSTANT`) so \
                 it refuses instead, and make a change it refuses with an online schema-change tool (gh-ost, \
                 pt-online-schema-change)"
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One flagged statement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// The migration (its folder name).
    pub migration: String,
    /// The statement's number in `up.sql`, from 1.
    pub number: usize,
    /// The statement (its first line, shortened).
    pub statement: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/up.sql, statement {} (`{}`): {}: {}; to keep it as it is, put `-- model:allow {}` above it",
            self.migration,
            self.number,
            self.statement,
            self.rule,
            self.rule.advice(),
            self.rule
        )
    }
}

/// The findings in the `up.sql` text `sql` of the migration `migration`, which runs in a transaction
/// when `in_transaction` (its `metadata.toml` does not say `run_in_transaction = false`). A table
/// created by an earlier statement of the same text is new: changes of it are not flagged.
///
/// ```
/// use model_core::lint::{lint_sql, Rule};
/// let found = lint_sql("m", "CREATE INDEX ix_a ON t (a);", true);
/// assert_eq!(found[0].rule, Rule::IndexNotConcurrent);
/// assert!(lint_sql("m", "-- model:allow index-not-concurrent\nCREATE INDEX ix_a ON t (a);", true).is_empty());
/// assert!(lint_sql("m", "CREATE TABLE t (a INT);\nCREATE INDEX ix_a ON t (a);", true).is_empty());
/// ```
pub fn lint_sql(migration: &str, sql: &str, in_transaction: bool) -> Vec<Finding> {
    lint_sql_for(Dialect::Postgres, migration, sql, in_transaction)
}

/// [`lint_sql`] for a migration of `dialect`: PostgreSQL's rules, MySQL/MariaDB's, none for SQLite
/// (see the [module](self)).
///
/// ```
/// use model_core::ir::Dialect;
/// use model_core::lint::{lint_sql_for, Rule};
/// let found = lint_sql_for(Dialect::Mysql, "m", "ALTER TABLE `t` ADD INDEX `ix_a` (`a`);", true);
/// assert_eq!(found[0].rule, Rule::SilentTableCopy);
/// let online = "ALTER TABLE `t` ADD INDEX `ix_a` (`a`), ALGORITHM=INPLACE, LOCK=NONE;";
/// assert!(lint_sql_for(Dialect::Mysql, "m", online, true).is_empty());
/// assert!(lint_sql_for(Dialect::Sqlite, "m", "CREATE INDEX ix_a ON t (a);", true).is_empty());
/// ```
pub fn lint_sql_for(dialect: Dialect, migration: &str, sql: &str, in_transaction: bool) -> Vec<Finding> {
    let mut created: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    if dialect == Dialect::Sqlite {
        return out;
    }
    for (i, statement) in statements(sql, dialect).iter().enumerate() {
        let body = without_leading_comments(statement);
        let tokens = tokens(body, dialect);
        let mut found = BTreeSet::new();
        match dialect {
            Dialect::Mysql => check_mysql(&tokens, &mut created, &mut found),
            _ => check(&tokens, &mut created, in_transaction, &mut found),
        }
        for rule in found {
            if allowed(statement, rule) {
                continue;
            }
            out.push(Finding {
                rule,
                migration: migration.to_string(),
                number: i + 1,
                statement: short(body),
            });
        }
    }
    out
}

/// The findings in the `up.sql` of each migration folder `dirs` (hand-written ones: the build step
/// passes the migrations the history knows as manual), reading whether each runs in a transaction
/// from its `metadata.toml` (Diesel's `run_in_transaction`, default `true`). A folder whose `up.sql`
/// cannot be read is skipped (Diesel reports it when it runs).
///
/// ```
/// let dir = std::env::temp_dir().join(format!("model-lint-doc-{}", std::process::id()));
/// let m = dir.join("2024-01-01-000000_index");
/// std::fs::create_dir_all(&m).unwrap();
/// std::fs::write(m.join("up.sql"), "CREATE INDEX CONCURRENTLY ix ON t (a);").unwrap();
/// std::fs::write(m.join("metadata.toml"), "run_in_transaction = false\n").unwrap();
/// assert!(model_core::lint::lint_folders([m.as_path()]).is_empty());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn lint_folders<'a>(dirs: impl IntoIterator<Item = &'a std::path::Path>) -> Vec<Finding> {
    lint_folders_for(Dialect::Postgres, dirs)
}

/// [`lint_folders`] for migrations of `dialect` (see [`lint_sql_for`]).
pub fn lint_folders_for<'a>(dialect: Dialect, dirs: impl IntoIterator<Item = &'a std::path::Path>) -> Vec<Finding> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(sql) = std::fs::read_to_string(dir.join("up.sql")) else {
            continue;
        };
        let in_transaction = std::fs::read_to_string(dir.join("metadata.toml"))
            .ok()
            .and_then(|text| text.parse::<toml::Table>().ok())
            .and_then(|t| t.get("run_in_transaction").and_then(toml::Value::as_bool))
            .unwrap_or(true);
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.extend(lint_sql_for(dialect, &name, &sql, in_transaction));
    }
    out
}

/// `true` when a `model:allow` comment of `statement` names `rule` (or `all`).
fn allowed(statement: &str, rule: Rule) -> bool {
    statement.match_indices("model:allow").any(|(at, m)| {
        let rest = &statement[at + m.len()..];
        let line = rest.lines().next().unwrap_or("");
        line.split(|c: char| c.is_whitespace() || c == ',')
            .any(|w| w == rule.name() || w == "all")
    })
}

/// The first line of `statement`, at most 80 characters.
fn short(statement: &str) -> String {
    let line = statement.lines().next().unwrap_or("").trim();
    if line.chars().count() > 80 {
        format!("{}…", line.chars().take(79).collect::<String>())
    } else {
        line.to_string()
    }
}

/// A token: a word (identifier or keyword; a quoted identifier without its quotes, `quoted`), or one
/// character of punctuation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    text: String,
    quoted: bool,
}

impl Token {
    fn is(&self, keyword: &str) -> bool {
        !self.quoted && self.text.eq_ignore_ascii_case(keyword)
    }

    /// The name as PostgreSQL folds it.
    fn name(&self) -> String {
        if self.quoted {
            self.text.clone()
        } else {
            self.text.to_ascii_lowercase()
        }
    }
}

/// The tokens of `sql`: identifiers are quoted with `"` on PostgreSQL and with backticks on MySQL
/// (where `"` quotes a string).
fn tokens(sql: &str, dialect: Dialect) -> Vec<Token> {
    let quote = if dialect == Dialect::Mysql { '`' } else { '"' };
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c == quote {
            let mut text = String::new();
            while let Some(d) = chars.next() {
                if d == quote {
                    if chars.peek() == Some(&quote) {
                        chars.next();
                        text.push(quote);
                        continue;
                    }
                    break;
                }
                text.push(d);
            }
            out.push(Token { text, quoted: true });
        } else if c == '\'' || c == '"' {
            let end = c;
            // a string literal: one token, its text does not matter here
            while let Some(d) = chars.next() {
                if d == end {
                    if chars.peek() == Some(&end) {
                        chars.next();
                        continue;
                    }
                    break;
                }
            }
            out.push(Token {
                text: "''".into(),
                quoted: false,
            });
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let mut text = c.to_string();
            while let Some(&d) = chars.peek() {
                if d.is_alphanumeric() || d == '_' || d == '$' {
                    text.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Token { text, quoted: false });
        } else {
            out.push(Token {
                text: c.to_string(),
                quoted: false,
            });
        }
    }
    out
}

/// A cursor over tokens.
struct Cursor<'a> {
    tokens: &'a [Token],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn eat(&mut self, keyword: &str) -> bool {
        if self.tokens.get(self.at).is_some_and(|t| t.is(keyword)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn next(&mut self) -> Option<&'a Token> {
        let t = self.tokens.get(self.at);
        self.at += 1;
        t
    }

    /// A possibly schema-qualified name: its last part.
    fn name(&mut self) -> Option<String> {
        let mut name = self.next()?.name();
        while self.tokens.get(self.at).is_some_and(|t| t.text == ".") {
            self.at += 1;
            name = self.next()?.name();
        }
        Some(name)
    }

    /// After `CREATE`: `TABLE [IF NOT EXISTS] name`, the name kept in `created` (a table the
    /// migration creates is empty: changes of it block no one). `false` for another `CREATE`.
    fn created_table(&mut self, created: &mut BTreeSet<String>) -> bool {
        if !self.eat("TABLE") {
            return false;
        }
        if self.eat("IF") {
            self.eat("NOT");
            self.eat("EXISTS");
        }
        if let Some(name) = self.name() {
            created.insert(name);
        }
        true
    }

    fn rest(&self) -> &'a [Token] {
        &self.tokens[self.at.min(self.tokens.len())..]
    }
}

fn check(tokens: &[Token], created: &mut BTreeSet<String>, in_transaction: bool, found: &mut BTreeSet<Rule>) {
    let mut c = Cursor { tokens, at: 0 };
    if tokens.iter().any(|t| t.is("CONCURRENTLY")) && in_transaction {
        found.insert(Rule::ConcurrentlyInTransaction);
    }
    if c.eat("DROP") {
        if c.eat("INDEX") && !c.eat("CONCURRENTLY") {
            found.insert(Rule::IndexNotConcurrent);
        }
        return;
    }
    if c.eat("CREATE") {
        if c.created_table(created) {
            return;
        }
        c.eat("UNIQUE");
        if !c.eat("INDEX") {
            return;
        }
        let concurrently = c.eat("CONCURRENTLY");
        // the table follows ON (ON ONLY)
        let Some(on) = c.rest().iter().position(|t| t.is("ON")) else {
            return;
        };
        c.at += on + 1;
        c.eat("ONLY");
        let table = c.name().unwrap_or_default();
        if !concurrently && !created.contains(&table) {
            found.insert(Rule::IndexNotConcurrent);
        }
        return;
    }
    if !(c.eat("ALTER") && c.eat("TABLE")) {
        return;
    }
    if c.eat("IF") {
        c.eat("EXISTS");
    }
    c.eat("ONLY");
    let Some(table) = c.name() else { return };
    if created.contains(&table) {
        return;
    }
    for action in actions(c.rest()) {
        action_rules(action, found);
    }
}

/// MySQL/MariaDB: table changes of existing tables without an online clause, and renames.
fn check_mysql(tokens: &[Token], created: &mut BTreeSet<String>, found: &mut BTreeSet<Rule>) {
    let mut c = Cursor { tokens, at: 0 };
    // `LOCK = NONE` or `ALGORITHM = INSTANT` anywhere in the statement
    let clause = |key: &str, value: &str| {
        tokens
            .windows(3)
            .any(|w| w[0].is(key) && w[1].text == "=" && w[2].is(value))
            || tokens.windows(2).any(|w| w[0].is(key) && w[1].is(value))
    };
    let online = clause("LOCK", "NONE") || clause("ALGORITHM", "INSTANT");
    if c.eat("RENAME") {
        if c.eat("TABLE") {
            found.insert(Rule::Rename);
        }
        return;
    }
    if c.eat("CREATE") {
        if c.eat("TEMPORARY") || c.created_table(created) {
            return;
        }
        for kind in ["UNIQUE", "FULLTEXT", "SPATIAL"] {
            c.eat(kind);
        }
    } else if !c.eat("DROP") {
        if c.eat("ALTER") {
            c.eat("ONLINE");
            c.eat("IGNORE");
            if c.eat("TABLE") {
                let Some(table) = c.name() else { return };
                if created.contains(&table) {
                    return;
                }
                if !online {
                    found.insert(Rule::SilentTableCopy);
                }
                for action in actions(c.rest()) {
                    let renames = action.first().is_some_and(|t| t.is("RENAME"))
                        && !action.get(1).is_some_and(|t| t.is("INDEX") || t.is("KEY"));
                    if renames {
                        found.insert(Rule::Rename);
                    }
                }
            }
        }
        return;
    }
    // CREATE [UNIQUE] INDEX name ON table, DROP INDEX name ON table
    if !c.eat("INDEX") {
        return;
    }
    let Some(on) = c.rest().iter().position(|t| t.is("ON")) else {
        return;
    };
    c.at += on + 1;
    let table = c.name().unwrap_or_default();
    if !online && !created.contains(&table) {
        found.insert(Rule::SilentTableCopy);
    }
}

/// The actions of an `ALTER TABLE`, split at the commas outside parentheses.
fn actions(tokens: &[Token]) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, t) in tokens.iter().enumerate() {
        match t.text.as_str() {
            "(" if !t.quoted => depth += 1,
            ")" if !t.quoted => depth -= 1,
            "," if !t.quoted && depth == 0 => {
                out.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&tokens[start..]);
    out
}

fn action_rules(action: &[Token], found: &mut BTreeSet<Rule>) {
    let has = |k: &str| action.iter().any(|t| t.is(k));
    let first = |k: &str| action.first().is_some_and(|t| t.is(k));
    if first("ADD") {
        let second = action.get(1);
        let column = second.is_some_and(|t| t.is("COLUMN"))
            || !second.is_some_and(|t| {
                ["CONSTRAINT", "FOREIGN", "CHECK", "UNIQUE", "PRIMARY", "EXCLUDE"]
                    .iter()
                    .any(|k| t.is(k))
            });
        if column {
            if let Some(at) = action.iter().position(|t| t.is("DEFAULT")) {
                let expr: String = action[at + 1..]
                    .iter()
                    .map(|t| t.text.clone())
                    .collect::<Vec<_>>()
                    .join("");
                if crate::plan::calls_volatile(&expr) {
                    found.insert(Rule::VolatileDefault);
                }
            }
        } else if (has("FOREIGN") || has("CHECK")) && !(has("NOT") && has("VALID")) {
            found.insert(Rule::ConstraintNotValid);
        } else if (has("UNIQUE") || has("PRIMARY")) && !has("USING") {
            found.insert(Rule::ConstraintBuildsIndex);
        }
    } else if first("ALTER") {
        if has("SET") && has("NOT") && has("NULL") {
            found.insert(Rule::SetNotNull);
        }
        if has("TYPE") {
            found.insert(Rule::RewritingTypeChange);
        }
    } else if first("RENAME") && !action.get(1).is_some_and(|t| t.is("CONSTRAINT")) {
        found.insert(Rule::Rename);
    }
}

#[cfg(test)]
mod tests;
