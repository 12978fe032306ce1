//! One failing and one passing case per rule, and the silencing comment.

use super::{lint_sql, Rule};

fn rules(sql: &str, in_transaction: bool) -> Vec<Rule> {
    lint_sql("2024-01-01-000000_by_hand", sql, in_transaction)
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

/// `bad` is flagged with `rule` (and nothing else), `good` is not flagged, and `bad` with the
/// silencing comment is not either.
fn case(rule: Rule, bad: &str, good: &str, in_transaction: bool) {
    assert_eq!(rules(bad, in_transaction), [rule], "{bad}");
    assert_eq!(rules(good, in_transaction), [], "{good}");
    let silenced = format!("-- keep it: model:allow {rule}\n{bad}");
    assert_eq!(rules(&silenced, in_transaction), [], "{silenced}");
}

#[test]
fn index_not_concurrent() {
    case(
        Rule::IndexNotConcurrent,
        "CREATE UNIQUE INDEX ix_users_email ON public.users (email);",
        "CREATE UNIQUE INDEX CONCURRENTLY ix_users_email ON public.users (email);",
        false,
    );
    // a table the same migration creates is empty: its indexes may be built at once
    assert_eq!(
        rules(
            "CREATE TABLE \"Things\" (a INT);\nCREATE INDEX ix ON \"Things\" (a);",
            true
        ),
        []
    );
}

#[test]
fn drop_index_not_concurrent() {
    case(
        Rule::IndexNotConcurrent,
        "DROP INDEX ix_old;",
        "DROP INDEX CONCURRENTLY IF EXISTS ix_old;",
        false,
    );
}

#[test]
fn constraint_builds_index() {
    case(
        Rule::ConstraintBuildsIndex,
        "ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE (email);",
        "ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email;",
        true,
    );
    assert_eq!(
        rules("ALTER TABLE users ADD PRIMARY KEY (id);", true),
        [Rule::ConstraintBuildsIndex]
    );
}

#[test]
fn constraint_not_valid() {
    case(
        Rule::ConstraintNotValid,
        "ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id);",
        "ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n\
         ALTER TABLE posts VALIDATE CONSTRAINT fk_posts_user;",
        true,
    );
    case(
        Rule::ConstraintNotValid,
        "ALTER TABLE posts ADD CHECK (views >= 0);",
        "ALTER TABLE posts ADD CONSTRAINT ck CHECK (views >= 0) NOT VALID;",
        true,
    );
}

#[test]
fn set_not_null() {
    case(
        Rule::SetNotNull,
        "ALTER TABLE users ALTER COLUMN name SET NOT NULL;",
        "ALTER TABLE users ADD CONSTRAINT ck_name CHECK (name IS NOT NULL) NOT VALID;",
        true,
    );
}

#[test]
fn rewriting_type_change() {
    case(
        Rule::RewritingTypeChange,
        "ALTER TABLE posts ALTER COLUMN views TYPE BIGINT;",
        "ALTER TABLE posts ADD COLUMN views_big BIGINT;",
        true,
    );
    assert_eq!(
        rules(
            "ALTER TABLE posts ALTER views SET DATA TYPE BIGINT USING views::bigint;",
            true
        ),
        [Rule::RewritingTypeChange]
    );
}

#[test]
fn volatile_default() {
    case(
        Rule::VolatileDefault,
        "ALTER TABLE users ADD COLUMN token UUID NOT NULL DEFAULT gen_random_uuid();",
        "ALTER TABLE users ADD COLUMN seen_at TIMESTAMPTZ NOT NULL DEFAULT now();",
        true,
    );
    assert_eq!(
        rules("ALTER TABLE users ADD r float DEFAULT random ( );", true),
        [Rule::VolatileDefault]
    );
}

#[test]
fn rename() {
    case(
        Rule::Rename,
        "ALTER TABLE users RENAME COLUMN name TO full_name;",
        "ALTER TABLE users ADD COLUMN full_name TEXT;",
        true,
    );
    assert_eq!(rules("ALTER TABLE users RENAME TO people;", true), [Rule::Rename]);
    assert_eq!(rules("ALTER TABLE users RENAME CONSTRAINT a TO b;", true), []);
}

#[test]
fn concurrently_in_transaction() {
    case(
        Rule::ConcurrentlyInTransaction,
        "DROP INDEX CONCURRENTLY ix_old;",
        "ALTER INDEX ix_old RENAME TO ix_older;",
        true,
    );
    assert_eq!(rules("DROP INDEX CONCURRENTLY ix_old;", false), []);
}

#[test]
fn a_finding_says_where_what_and_how() {
    let f = &lint_sql(
        "2024-01-01-000000_by_hand",
        "SELECT 1;\nALTER TABLE t ALTER c SET NOT NULL;",
        true,
    )[0];
    let text = f.to_string();
    assert!(
        text.starts_with("2024-01-01-000000_by_hand/up.sql, statement 2 (`ALTER TABLE t ALTER c SET NOT NULL`)"),
        "{text}"
    );
    assert!(
        text.contains("model:allow set-not-null") && text.contains("validate it"),
        "{text}"
    );
    // every rule has a name and advice
    for rule in Rule::ALL {
        assert!(!rule.name().is_empty() && !rule.advice().is_empty());
    }
    // a comment naming another rule silences nothing; `all` silences everything
    assert_eq!(
        rules("-- model:allow rename\nALTER TABLE t ALTER c SET NOT NULL;", true),
        [Rule::SetNotNull]
    );
    assert_eq!(
        rules(
            "-- model:allow all\nALTER TABLE t ALTER c SET NOT NULL, ALTER d TYPE int;",
            true
        ),
        []
    );
}

fn mysql_rules(sql: &str) -> Vec<Rule> {
    super::lint_sql_for(crate::ir::Dialect::Mysql, "2024-01-01-000000_by_hand", sql, true)
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

/// MySQL/MariaDB: a change of an existing table without an online clause may copy it silently.
#[test]
fn mysql_silent_table_copy() {
    let bad = [
        "ALTER TABLE `users` ADD INDEX `ix_users_email` (`email`);",
        "ALTER TABLE users MODIFY COLUMN note TEXT NOT NULL;",
        "CREATE UNIQUE INDEX ix_users_email ON `users` (email);",
        "DROP INDEX ix_users_email ON users;",
        "ALTER TABLE `users` ADD COLUMN `flag` BOOL, ALGORITHM=INPLACE;",
    ];
    for sql in bad {
        assert_eq!(mysql_rules(sql), [Rule::SilentTableCopy], "{sql}");
        let silenced = format!("-- model:allow silent-table-copy\n{sql}");
        assert_eq!(mysql_rules(&silenced), [], "{silenced}");
    }
    let good = [
        "ALTER TABLE `users` ADD INDEX `ix_users_email` (`email`), ALGORITHM=INPLACE, LOCK=NONE;",
        "ALTER TABLE users ADD COLUMN flag BOOL, ALGORITHM = INSTANT;",
        "CREATE INDEX ix_users_email ON users (email) ALGORITHM=INPLACE LOCK=NONE;",
        "DROP INDEX ix_users_email ON users LOCK = NONE;",
        // a table the same migration creates is empty
        "CREATE TABLE `things` (`a` INT);\nALTER TABLE `things` ADD INDEX `ix` (`a`);\nCREATE INDEX ix2 ON things (a);",
        // not a table change; a string that looks like one
        "INSERT INTO notes (body) VALUES (\"ALTER TABLE users ADD COLUMN x INT\");",
        "CREATE TEMPORARY TABLE t (a INT);",
    ];
    for sql in good {
        assert_eq!(mysql_rules(sql), [], "{sql}");
    }
}

/// MySQL/MariaDB: renames break the version still running, as on PostgreSQL (renaming an index
/// does not).
#[test]
fn mysql_rename() {
    assert_eq!(mysql_rules("RENAME TABLE users TO people;"), [Rule::Rename]);
    assert_eq!(
        mysql_rules("ALTER TABLE `users` RENAME COLUMN `mail` TO `email`, ALGORITHM=INSTANT;"),
        [Rule::Rename]
    );
    assert_eq!(
        mysql_rules("ALTER TABLE users RENAME INDEX ix_a TO ix_b, ALGORITHM=INPLACE, LOCK=NONE;"),
        []
    );
}

/// SQLite has no lint (a write locks the whole file whatever the statement).
#[test]
fn sqlite_is_not_linted() {
    let sql = "CREATE INDEX ix ON t (a);\nALTER TABLE t RENAME TO u;";
    assert!(super::lint_sql_for(crate::ir::Dialect::Sqlite, "m", sql, true).is_empty());
}
