//! The error type of [`migrate`](super::migrate).

/// The boxed error Diesel's migration API reports.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why [`migrate`](super::migrate) could not bring the database up to date.
///
/// The enum is `#[non_exhaustive]`: later versions add variants (locking, checksums).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The migration source could not be read (a missing folder, a migration without `up.sql`, ...).
    #[error(
        "cannot read the migrations: {source}; check that the migrations folder exists and that every \
         migration in it has an up.sql"
    )]
    Source {
        /// Diesel's error.
        #[source]
        source: BoxError,
    },
    /// The list of applied migrations could not be read from the database.
    #[error(
        "cannot read the applied migrations from the table `__diesel_schema_migrations`: {source}; check \
         the connection and that the database user may create and read that table"
    )]
    Applied {
        /// Diesel's error.
        #[source]
        source: BoxError,
    },
    /// The SQL of one migration could not be read from the source (e.g. its up.sql vanished or is not
    /// text). Nothing of it ran; migrations applied before it stay applied. (A failing statement is
    /// [`Error::Statement`], or [`Error::Partial`] on MySQL.)
    #[error(
        "migration {version} (`{name}`) failed: {source}; fix its up.sql (or the database) and start \
         again: the migrations before it are applied, this one and the later ones are not"
    )]
    Apply {
        /// Version of the failing migration (e.g. `20240101000000`).
        version: String,
        /// Full name of the failing migration (its folder name).
        name: String,
        /// Diesel's error.
        #[source]
        source: BoxError,
    },
    /// MySQL only: a statement of a migration failed after the statements before it were committed
    /// (MySQL commits each DDL statement at once). The progress is recorded: the next run resumes at
    /// this statement.
    #[error("{}", partial_message(.version, .name, *.number, *.total, .statement, .source))]
    Partial {
        /// Version of the failing migration.
        version: String,
        /// Full name of the failing migration (its folder name).
        name: String,
        /// Number of the failing statement in its `up.sql`, from 1.
        number: usize,
        /// How many statements the `up.sql` has.
        total: usize,
        /// The failing statement.
        statement: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// MySQL only: an earlier run applied the first statements of a migration and stopped, and those
    /// statements have changed since in `up.sql`, so the run cannot know where to resume.
    #[error(
        "migration {version} (`{name}`) was partly applied by an earlier run (its first {done} statements, as recorded in `__model_migration_progress`), and those statements are not the same in its up.sql any more: put them back as they were, or undo them by hand and delete the row of version {version} from `__model_migration_progress`; then start again"
    )]
    Edited {
        /// Version of the migration.
        version: String,
        /// Full name of the migration.
        name: String,
        /// How many statements the earlier run applied.
        done: usize,
    },
    /// MySQL only: the progress of a migration could not be recorded (in `__model_migration_progress`
    /// or Diesel's `__diesel_schema_migrations`).
    #[error(
        "migration {version} (`{name}`): cannot record its progress in `__model_migration_progress` or `__diesel_schema_migrations`: {source}; check that the database user may create, read and write those tables"
    )]
    Progress {
        /// Version of the migration.
        version: String,
        /// Full name of the migration.
        name: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// The connection is not one the runtime knows (`PgConnection`, `SqliteConnection`,
    /// `MysqlConnection`, with the matching feature).
    #[error(
        "the runtime cannot work with a `{connection}`: pass a `PgConnection`, `SqliteConnection` or \
         `MysqlConnection` (for a pooled connection, `&mut *pooled`), with the matching feature of `model` \
         (postgres, sqlite, mysql)"
    )]
    Unsupported {
        /// The connection's type name.
        connection: &'static str,
    },
    /// The migration lock could not be taken: the database refused the query.
    #[error("cannot take the migration lock: {source}; check the connection")]
    Lock {
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// Another process held the migration lock for longer than `Options::lock_timeout`.
    #[error(
        "waited {waited:?} for the migration lock, which another process holds ({holder}); it is probably \
         running the migrations: start again once it is done, or raise `Options::lock_timeout`"
    )]
    LockTimeout {
        /// How long this process waited.
        waited: std::time::Duration,
        /// Who holds the lock, in words (what the database can tell).
        holder: String,
    },
    /// The crate's tracking tables (`__model_migrations`, `__diesel_schema_migrations`) could not be
    /// created, read or written.
    #[error(
        "cannot {action} the tables `__model_migrations` / `__diesel_schema_migrations`: {source}; check the \
         connection and that the database user may create, read and write those tables"
    )]
    Tracking {
        /// What was being done (`read`, `create`, `record migration 20240101000000 in`, ...).
        action: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// A statement of a migration (or of its down.sql, when reverting) failed.
    #[error("{}", statement_message(.version, .name, *.number, *.total, .statement, .source, *.rolled_back, *.down))]
    Statement {
        /// Version of the failing migration.
        version: String,
        /// Full name of the failing migration (its folder name).
        name: String,
        /// Number of the failing statement in its script, from 1.
        number: usize,
        /// How many statements the script has.
        total: usize,
        /// The failing statement.
        statement: String,
        /// `true` when the migration ran in a transaction that was rolled back (nothing of it is
        /// applied); `false` when the statements before this one stay applied
        /// (`run_in_transaction = false`).
        rolled_back: bool,
        /// `true` when reverting (down.sql), `false` when applying (up.sql).
        down: bool,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// An applied migration's up.sql is not the one that was applied (its checksum changed).
    #[error(
        "migration {version} (`{name}`) was applied, and its up.sql has changed since (beyond comments and \
         blanks): put it back as it was and write a new migration for the change; or, if the database already \
         holds the edit (or it does not matter), accept the new text with `model accept {version}` (or \
         `model::accept`)"
    )]
    Checksum {
        /// Version of the edited migration.
        version: String,
        /// Full name of the edited migration.
        name: String,
        /// The checksum recorded when it was applied.
        recorded: String,
        /// The checksum of its up.sql now.
        current: String,
    },
    /// The newest migration, written by the build step, was applied and its up.sql has changed
    /// since: most likely the build step rewrote it as a draft after this database applied it.
    #[error(
        "migration {version} (`{name}`), the newest migration, was applied, and its up.sql has changed since: \
         most likely the build step rewrote it as a draft (it does so while a migration is not committed to \
         git) after this database applied the earlier text. Nothing was run. In the crate's folder, `model \
         revert-draft` undoes the earlier text with the down.sql the build step kept, then start again. If \
         the file was edited by hand instead: put it back as it was, or accept the edit with `model accept \
         {version}` (or `model::accept`)"
    )]
    RewrittenDraft {
        /// Version of the migration.
        version: String,
        /// Full name of the migration.
        name: String,
    },
    /// Pending migrations sort before the newest applied one, and no merge brings them in.
    #[error("{}", out_of_order_message(.migrations, .newest, .newest_name.as_deref()))]
    OutOfOrder {
        /// `(version, name)` of each refused migration.
        migrations: Vec<(String, String)>,
        /// The newest applied version.
        newest: String,
        /// Its name, when the source has it.
        newest_name: Option<String>,
    },
    /// A version given to `upgrade_to`, `downgrade` or `accept` is not known.
    #[error("no migration has the version {version} ({why}); `model status` lists the versions")]
    UnknownVersion {
        /// The version asked for.
        version: String,
        /// Why it cannot be used (`not in the migrations folder`, `not applied`).
        why: &'static str,
    },
    /// A migration to revert has no down.sql (or an empty one): nothing was reverted.
    #[error(
        "cannot revert migration {version} (`{name}`): it has no down.sql; nothing was reverted. Write its \
         down.sql, or downgrade to a version after it"
    )]
    NoDown {
        /// Version of the migration.
        version: String,
        /// Full name of the migration.
        name: String,
    },
    /// A migration to revert is applied but not in the migrations folder (a newer build applied it).
    #[error(
        "cannot revert migration {version}: it is applied but not in the migrations folder (a newer version of \
         the service applied it?); nothing was reverted. Downgrade with the build that has it"
    )]
    NotInSource {
        /// Version of the migration.
        version: String,
    },
    /// The live database could not be read back (drift check).
    #[error("cannot read the database's schema for the drift check: {source}")]
    Introspect {
        /// Introspection's error.
        #[source]
        source: crate::introspect::IntrospectError,
    },
}

/// The message of [`Error::Statement`]: which statement failed, and what is left applied.
#[allow(clippy::too_many_arguments)]
fn statement_message(
    version: &str,
    name: &str,
    number: usize,
    total: usize,
    statement: &str,
    source: &BoxError,
    rolled_back: bool,
    down: bool,
) -> String {
    let (verb, file) = if down {
        ("reverting", "down.sql")
    } else {
        ("applying", "up.sql")
    };
    let state = match (rolled_back, down) {
        (true, false) => "it was rolled back: nothing of it is applied, the migrations before it are; fix the cause (the statement, or the data it trips on) and start again"
            .to_string(),
        (true, true) => "the revert was rolled back: the migration is still applied".to_string(),
        (false, _) => format!(
            "it does not run in a transaction, so statements 1 to {} of its {file} stay applied and it is not recorded as {}: undo them or finish the work by hand, then start again",
            number.saturating_sub(1),
            if down { "reverted" } else { "applied" }
        ),
    };
    format!(
        "{verb} migration {version} (`{name}`) failed at statement {number} of {total} of its {file}: {source}\n\
         the statement:\n{statement}\n{state}"
    )
}

/// The message of [`Error::OutOfOrder`]: which migrations, why, and the ways out.
fn out_of_order_message(migrations: &[(String, String)], newest: &str, newest_name: Option<&str>) -> String {
    let list: Vec<String> = migrations.iter().map(|(v, n)| format!("{v} (`{n}`)")).collect();
    let newest = match newest_name {
        Some(n) => format!("{newest} (`{n}`)"),
        None => format!("{newest} (not in the migrations folder)"),
    };
    format!(
        "migration {} is not applied and sorts before migration {newest}, the newest applied; no merge migration \
         in the folder brings it together with what this database has, so nothing was run. It was made on a \
         branch: if that branch was merged (in git), run `cargo build` in the crate — it writes a \
         `<version>_merge` migration when the branches change different objects — and deploy that; if the \
         migration was dated in the past by hand, rename its folder to a version after the newest applied; if \
         this database applied another branch's migrations (a shared development database), revert them from \
         that branch (`model downgrade`) or use another database",
        list.join(", ")
    )
}

/// The message of [`Error::Partial`]: what failed, what is applied, how to recover.
fn partial_message(
    version: &str,
    name: &str,
    number: usize,
    total: usize,
    statement: &str,
    source: &BoxError,
) -> String {
    let applied = match number.saturating_sub(1) {
        0 => "no statement of it is applied".to_string(),
        1 => "statement 1 is applied (MySQL commits each DDL statement at once)".to_string(),
        n => format!("statements 1 to {n} are applied (MySQL commits each DDL statement at once)"),
    };
    format!(
        "migration {version} (`{name}`) failed at statement {number} of {total}: {source}\n\
         the statement:\n{statement}\n\
         {applied}, and the migration is not marked as applied. To recover, either fix the cause (the database, \
         e.g. rows that break a new constraint, or this statement in up.sql) and start again: the next run resumes at \
         statement {number}; or undo what is applied by hand (down.sql holds the reverse), delete the row of version \
         {version} from `__model_migration_progress`, and start again"
    )
}

impl Error {
    /// The version of the migration concerned, when the error is about one.
    ///
    /// ```
    /// use model_core::runtime::Error;
    /// let e = Error::Apply { version: "20240101000000".into(), name: "2024-01-01-000000_init".into(),
    ///                        source: "syntax error".into() };
    /// assert_eq!(e.version(), Some("20240101000000"));
    /// ```
    pub fn version(&self) -> Option<&str> {
        match self {
            Error::Apply { version, .. }
            | Error::Partial { version, .. }
            | Error::Edited { version, .. }
            | Error::Progress { version, .. }
            | Error::Statement { version, .. }
            | Error::Checksum { version, .. }
            | Error::UnknownVersion { version, .. }
            | Error::NoDown { version, .. }
            | Error::NotInSource { version }
            | Error::RewrittenDraft { version, .. } => Some(version),
            Error::OutOfOrder { migrations, .. } => migrations.first().map(|(v, _)| v.as_str()),
            Error::Source { .. }
            | Error::Applied { .. }
            | Error::Unsupported { .. }
            | Error::Lock { .. }
            | Error::LockTimeout { .. }
            | Error::Tracking { .. }
            | Error::Introspect { .. } => None,
        }
    }
}

impl Error {
    /// `true` for a migration that failed because a statement gave up waiting for a lock (PostgreSQL's
    /// `lock_timeout`, MySQL's `lock_wait_timeout`) and that can simply run again: rolled back whole,
    /// or failed at its first statement.
    pub(crate) fn lock_timed_out(&self) -> bool {
        match self {
            Error::Statement {
                number,
                rolled_back,
                source,
                ..
            } => {
                let message = source.to_string().to_ascii_lowercase();
                (*rolled_back || *number == 1)
                    && (message.contains("lock timeout") || message.contains("lock wait timeout"))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn error_is_send_sync_static() {
        assert_send_sync::<Error>();
    }

    #[test]
    fn apply_message_names_the_migration() {
        let e = Error::Apply {
            version: "20240101000000".into(),
            name: "2024-01-01-000000_init".into(),
            source: "near \"TABLEX\": syntax error".into(),
        };
        let msg = e.to_string();
        assert!(
            msg.starts_with("migration 20240101000000 (`2024-01-01-000000_init`) failed"),
            "{msg}"
        );
        assert!(msg.contains("syntax error"), "{msg}");
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn partial_message_names_the_statement_and_the_way_back() {
        let e = Error::Partial {
            version: "20240101000000".into(),
            name: "2024-01-01-000000_init".into(),
            number: 3,
            total: 4,
            statement: "ALTER TABLE `t` ADD CONSTRAINT `uq_t_a` UNIQUE (`a`)".into(),
            source: "Duplicate entry '1' for key 'uq_t_a'".into(),
        };
        insta::assert_snapshot!(e.to_string(), @r"
        migration 20240101000000 (`2024-01-01-000000_init`) failed at statement 3 of 4: Duplicate entry '1' for key 'uq_t_a'
        the statement:
        ALTER TABLE `t` ADD CONSTRAINT `uq_t_a` UNIQUE (`a`)
        statements 1 to 2 are applied (MySQL commits each DDL statement at once), and the migration is not marked as applied. To recover, either fix the cause (the database, e.g. rows that break a new constraint, or this statement in up.sql) and start again: the next run resumes at statement 3; or undo what is applied by hand (down.sql holds the reverse), delete the row of version 20240101000000 from `__model_migration_progress`, and start again
        ");
        assert_eq!(e.version(), Some("20240101000000"));
    }

    #[test]
    fn statement_message_says_what_is_applied() {
        let e = |rolled_back, down| Error::Statement {
            version: "20240102000000".into(),
            name: "2024-01-02-000000_add_tags".into(),
            number: 2,
            total: 3,
            statement: "INSERT INTO no_such_table VALUES (1)".into(),
            rolled_back,
            down,
            source: "relation \"no_such_table\" does not exist".into(),
        };
        insta::assert_snapshot!(e(true, false).to_string(), @r#"
        applying migration 20240102000000 (`2024-01-02-000000_add_tags`) failed at statement 2 of 3 of its up.sql: relation "no_such_table" does not exist
        the statement:
        INSERT INTO no_such_table VALUES (1)
        it was rolled back: nothing of it is applied, the migrations before it are; fix the cause (the statement, or the data it trips on) and start again
        "#);
        let msg = e(false, true).to_string();
        assert!(msg.starts_with("reverting migration 20240102000000"), "{msg}");
        assert!(msg.ends_with("statements 1 to 1 of its down.sql stay applied and it is not recorded as reverted: undo them or finish the work by hand, then start again"), "{msg}");
        assert_eq!(e(true, true).version(), Some("20240102000000"));
    }

    #[test]
    fn checksum_and_lock_messages_say_what_to_do() {
        let e = Error::Checksum {
            version: "20240101000000".into(),
            name: "2024-01-01-000000_init".into(),
            recorded: "a".repeat(64),
            current: "b".repeat(64),
        };
        insta::assert_snapshot!(e.to_string(), @"migration 20240101000000 (`2024-01-01-000000_init`) was applied, and its up.sql has changed since (beyond comments and blanks): put it back as it was and write a new migration for the change; or, if the database already holds the edit (or it does not matter), accept the new text with `model accept 20240101000000` (or `model::accept`)");
        let e = Error::LockTimeout {
            waited: std::time::Duration::from_secs(60),
            holder: "PostgreSQL backend pid 42".into(),
        };
        insta::assert_snapshot!(e.to_string(), @"waited 60s for the migration lock, which another process holds (PostgreSQL backend pid 42); it is probably running the migrations: start again once it is done, or raise `Options::lock_timeout`");
        assert_eq!(e.version(), None);
    }
}
